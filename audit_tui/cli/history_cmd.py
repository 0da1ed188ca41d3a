"""`audit-tui history AUDIT_ID`: who changed an audit, what and why, from the event log."""

from __future__ import annotations

import sys

import click

from audit_tui.cli.common import app_context


@click.command("history")
@click.argument("audit_id", type=int)
def history(audit_id: int) -> None:
    """Every logged change to one audit, in order: when, who, what (old -> new) and why,
    ending with whether its log entries are intact (exit status 1 if not)."""
    from audit_tui.services.history import audit_history

    found = audit_history(app_context(), audit_id)
    for line in found.lines():
        click.echo(line)
    if found.problems:
        sys.exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(history)

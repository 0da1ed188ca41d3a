"""`audit-tui demo`: fill a new database with realistic, clearly marked demo data."""

from __future__ import annotations

import click

from audit_tui.cli.common import app_context


@click.command("demo")
@click.option(
    "--audits",
    "n_audits",
    type=click.IntRange(min=0),
    default=2000,
    show_default=True,
    help="How many audits to make (a few of them drafts).",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="The same seed on the same day gives the same data.",
)
@click.option(
    "--drafts",
    type=click.IntRange(min=0),
    default=None,
    help="How many of the audits are drafts (default: 1 in 100).",
)
def demo(n_audits: int, seed: int, drafts: int | None) -> None:
    """Fill a NEW database with demo data: seven teams, their staff and cases, and about three
    financial years of audits against the case-file framework, all marked as demo.

    Use a database of its own, e.g. --db sqlite:///demo.db. A database that already holds
    real audits is refused.
    """
    from audit_tui.services.demo import generate_demo

    ctx = app_context()
    summary = generate_demo(ctx, audits=n_audits, seed=seed, drafts=drafts)
    click.echo(f"{ctx.db.path or ctx.db.safe_url}: {summary.line}")


def register(cli: click.Group) -> None:
    """Add this module's commands to the root group."""
    cli.add_command(demo)

"""`audit-tui demo`: fill the demo database (or a new one named by --db) with realistic,
clearly marked demo data. Demo data never goes into a database that holds real rows."""

from __future__ import annotations

import click

from audit_tui.cli.common import Obj, app_context
from audit_tui.i18n import N_, _


@click.command("demo")
@click.option(
    "--audits",
    "n_audits",
    type=click.IntRange(min=0),
    default=2000,
    show_default=True,
    help=N_("How many audits to make (a few of them drafts)."),
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help=N_("The same seed on the same day gives the same data."),
)
@click.option(
    "--drafts",
    type=click.IntRange(min=0),
    default=None,
    help=N_("How many of the audits are drafts (default: 1 in 100)."),
)
def demo(n_audits: int, seed: int, drafts: int | None) -> None:
    """Fill the demo database with demo data: seven teams, their staff and cases, about three
    financial years of audits against the case-file framework, an audit round, moderations,
    actions and safeguarding escalations, all marked as demo.

    The demo database is demo.db beside your default database (AUDIT_TUI_DEMO_DB or the
    settings file may name another); open it with `audit-tui --demo`. --db names another new
    database instead. A database holding any real audit, team or case is refused, with
    nothing written.
    """
    from audit_tui.demo import generate_demo

    obj = click.get_current_context().find_object(Obj)
    if obj is not None and not obj.db_url:
        obj.demo = True
    ctx = app_context()
    summary = generate_demo(ctx, audits=n_audits, seed=seed, drafts=drafts)
    click.echo(f"{ctx.db.path or ctx.db.safe_url}: {summary.line}")
    if obj is not None and not obj.db_url:
        click.echo(_("open it with: audit-tui --demo"))


def register(cli: click.Group) -> None:
    """Add this module's commands to the root group."""
    cli.add_command(demo)

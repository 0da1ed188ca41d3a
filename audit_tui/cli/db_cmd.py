"""`audit-tui db upgrade|backup|verify`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from audit_tui.cli.common import app_context, settings
from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _, ngettext


@click.group("db")
def db() -> None:
    """Look after the database: upgrade, back up, verify, its log key."""


@db.command("upgrade")
def upgrade_() -> None:
    """Create the schema, or bring it up to this version of audit-tui."""
    # Imported here: `audit-tui --help` must not pay for SQLAlchemy.
    from audit_tui.store.database import Database
    from audit_tui.store.migrate import current_revision, upgrade

    config = settings()
    database = Database(
        config.db,
        connect_timeout=config.pg_connect_timeout,
        statement_timeout=config.pg_statement_timeout,
    )
    before = current_revision(database)
    upgrade(database)
    after = current_revision(database)
    where = database.path or database.safe_url
    if before == after:
        click.echo(
            _("{where}: schema is up to date ({revision})").format(where=where, revision=after)
        )
    else:
        click.echo(
            _("{where}: schema upgraded from {before} to {after}").format(
                where=where, before=before or _("empty"), after=after
            )
        )
    database.dispose()
    from audit_tui.services.framework_versions import store_legacy_versions
    from audit_tui.services.logkey import key_info

    ctx = app_context()
    keyed = key_info(ctx, make=False).keyed
    stored = store_legacy_versions(ctx)
    if stored:
        click.echo(
            ngettext(
                "{where}: stored {n} framework version that earlier audits were done on",
                "{where}: stored {n} framework versions that earlier audits were done on",
                stored,
            ).format(where=where, n=stored)
        )
    key = key_info(ctx)
    if not keyed and key.keyed:
        for line in key.lines():
            click.echo(f"{where}: {line}")


@db.command("backup")
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help=N_("Replace TARGET if it exists."))
def backup(target: Path, force: bool) -> None:
    """Copy the SQLite database to TARGET safely, even while others are writing to it."""
    from audit_tui.services.backup import backup_sqlite

    ctx = app_context()
    backup_sqlite(ctx.db, target, overwrite=force)
    click.echo(_("backed up to {path}").format(path=target))


def _anchors(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[int, str]]:
    from audit_tui.services.integrity import parse_anchor

    try:
        return [parse_anchor(v) for v in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@db.command("verify")
@click.option(
    "--expect",
    "anchors",
    multiple=True,
    metavar="ENTRY:HASH",
    callback=_anchors,
    help=N_("A log entry and hash written down from an earlier verify: it must still match."),
)
def verify(anchors: list[tuple[int, str]]) -> None:
    """Check the event log (hash chain, key, append-only triggers) and that the database holds
    exactly what the log says: every audit, answer, note, moderation, action, member of staff,
    case and round, and every stored figure.

    Write the last line in the QA minutes: a later `db verify --expect ENTRY:HASH` (its
    ENTRY:HASH) shows whether the log was rewritten since.
    """
    from audit_tui.services.integrity import verify_database

    report = verify_database(app_context(), anchors)
    for line in report.problems:
        click.echo(line, err=True)
    for line in report.notes:
        click.echo(_("note: {line}").format(line=line))
    click.echo(report.summary)
    click.echo(report.minute)
    if report.problems:
        sys.exit(1)


@db.command("key")
def key() -> None:
    """Show where the event log's key is and its fingerprint (making it if the database has
    none yet). Back it up apart from the database's backups."""
    from audit_tui.services.logkey import key_info

    info = key_info(app_context())
    for line in info.lines():
        click.echo(line)
    if info.problem:
        sys.exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(db)


__all__ = ["UserError", "register"]

"""`audit-tui staff ...` and `audit-tui import-staff`: the staff directory - who is in which
team, who manages it, who audits, who has left (a leaver keeps their history but gets no new
work)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audit_tui.cli.common import app_context, fail, fail_import, into_demo_option
from audit_tui.cli.moderation_cmd import dump_json, table
from audit_tui.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from audit_tui.services.context import AppContext

# The services are imported inside the commands: `audit-tui --help` stays light.


def _context(into_demo: bool = False) -> AppContext:
    ctx = app_context()
    ctx.demo_confirmed = into_demo
    return ctx


def _yes_no(flag: bool) -> str:
    return _("yes") if flag else ""


@click.group("staff")
def staff_group() -> None:
    """The staff directory: people, their team, manager or not, auditor or not, left or not."""


@staff_group.command("list")
@click.option("--current", is_flag=True, help=N_("Leave out leavers."))
@click.option("--team", help=N_("Only this team."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON instead of a table."))
def list_cmd(current: bool, team: str | None, as_json: bool) -> None:
    """Everyone in the directory, by name."""
    from audit_tui.services.staff import list_staff

    people = list_staff(app_context(), include_leavers=not current)
    if team:
        people = [p for p in people if (p.team or "").lower() == team.strip().lower()]
    if as_json:
        dump_json(people)
        return
    if not people:
        click.echo(_("nobody in the staff directory yet: add people with `audit-tui staff add`"))
        return
    table(
        (_("NAME"), _("TEAM"), _("MANAGER"), _("AUDITOR"), _("LOGIN"), _("LEFT")),
        [
            (
                p.name,
                p.team or "-",
                _yes_no(p.is_manager),
                _yes_no(p.is_auditor),
                p.login or "",
                p.left_on.isoformat() if p.left_on else "",
            )
            for p in people
        ],
    )


@staff_group.command("add")
@click.argument("name")
@click.option("--team", help=N_("Their team."))
@click.option("--manager", is_flag=True, help=N_("They manage the team (and audit its files)."))
@click.option("--auditor", is_flag=True, help=N_("They audit case files."))
@click.option("--login", help=N_("The database login they connect with (PostgreSQL)."))
@into_demo_option
def add_cmd(
    name: str, team: str | None, manager: bool, auditor: bool, login: str | None, into_demo: bool
) -> None:
    """Add a person to the staff directory."""
    from audit_tui.services.staff import add_person

    p = add_person(_context(into_demo), name, team, manager=manager, auditor=auditor, login=login)
    role = _("manager") if p.is_manager else _("auditor") if p.is_auditor else _("staff")
    click.echo(
        _("added {name} ({role})").format(name=p.name, role=f"{role}, {p.team}" if p.team else role)
    )


@staff_group.command("set-team")
@click.argument("name")
@click.argument("team", required=False)
@click.option("--none", "no_team", is_flag=True, help=N_("In no team (e.g. a QA officer)."))
def set_team_cmd(name: str, team: str | None, no_team: bool) -> None:
    """Move a person to TEAM."""
    from audit_tui.services.staff import set_team

    if (team is None) == (not no_team):
        fail(_("give the TEAM, or --none for no team"))
    p = set_team(app_context(), name, None if no_team else team)
    click.echo(_("{name}: team {team}").format(name=p.name, team=p.team or _("none")))


@staff_group.command("manager")
@click.argument("name")
@click.option("--no", "unmark", is_flag=True, help=N_("They no longer manage their team."))
def manager_cmd(name: str, unmark: bool) -> None:
    """Mark a person as a manager of their team (their team's default auditor)."""
    from audit_tui.services.staff import set_manager

    p = set_manager(app_context(), name, not unmark)
    if p.is_manager:
        click.echo(_("{name}: manager of {team}").format(name=p.name, team=p.team or "-"))
    else:
        click.echo(_("{name}: not a manager").format(name=p.name))


@staff_group.command("auditor")
@click.argument("name")
@click.option("--no", "unmark", is_flag=True, help=N_("They no longer audit."))
def auditor_cmd(name: str, unmark: bool) -> None:
    """Mark a person as an auditor (a QA officer, say)."""
    from audit_tui.services.staff import set_auditor

    p = set_auditor(app_context(), name, not unmark)
    if p.is_auditor:
        click.echo(_("{name}: auditor").format(name=p.name))
    else:
        click.echo(_("{name}: not an auditor").format(name=p.name))


@staff_group.command("login")
@click.argument("name")
@click.argument("login", required=False)
@click.option("--none", "no_login", is_flag=True, help=N_("Forget their login."))
def login_cmd(name: str, login: str | None, no_login: bool) -> None:
    """Record the PostgreSQL login NAME connects with: that login then proves who they are."""
    from audit_tui.services.staff import set_login

    if (login is None) == (not no_login):
        fail(_("give the LOGIN, or --none"))
    p = set_login(app_context(), name, None if no_login else login)
    click.echo(_("{name}: login {login}").format(name=p.name, login=p.login or _("none")))


@staff_group.command("leaver")
@click.argument("name")
@click.option("--on", "left_on", help=N_("The day they left, YYYY-MM-DD (default: today)."))
@click.option("--undo", is_flag=True, help=N_("They are back: clear the leaving date."))
def leaver_cmd(name: str, left_on: str | None, undo: bool) -> None:
    """Mark a person as having left: their history stays, they get no new work."""
    from audit_tui.services.staff import mark_leaver

    ctx = app_context()
    if undo and left_on:
        fail(_("give --on or --undo, not both"))
    day: date | None = None
    if not undo:
        try:
            day = date.fromisoformat(left_on) if left_on else ctx.today()
        except ValueError:
            fail(
                _("{option} '{value}': write the date as YYYY-MM-DD").format(
                    option="--on", value=left_on
                )
            )
    p = mark_leaver(ctx, name, day)
    if p.left_on:
        click.echo(_("{name}: left on {date}").format(name=p.name, date=p.left_on.isoformat()))
    else:
        click.echo(_("{name}: back").format(name=p.name))


@click.command("import-staff")
@click.argument("file", type=click.Path(path_type=Path))
@into_demo_option
def import_staff_cmd(file: Path, into_demo: bool) -> None:
    """Import a staff list (CSV or XLSX), all or nothing.

    Needs a name column; team, manager (yes/no), auditor (yes/no), login and left (a date)
    are optional. A person already in the directory is updated to what the file says. Any
    bad row means nothing is imported; every problem names the row and the person.
    """
    from audit_tui.services.case_import import ImportRejected
    from audit_tui.services.staff import import_staff

    try:
        report = import_staff(_context(into_demo), file)
    except ImportRejected as exc:
        fail_import(exc.errors, str(exc))
    click.echo(
        ngettext(
            "{file}: {n} person read: {added} added, {updated} updated, {unchanged} unchanged",
            "{file}: {n} people read: {added} added, {updated} updated, {unchanged} unchanged",
            report.rows,
        ).format(
            file=report.file,
            n=report.rows,
            added=len(report.created),
            updated=len(report.updated),
            unchanged=report.unchanged,
        )
    )
    for team in report.teams_created:
        click.echo("  " + _("note: created team '{team}'").format(team=team))


def register(cli: click.Group) -> None:
    """Add this module's commands to the root group."""
    cli.add_command(staff_group)
    cli.add_command(import_staff_cmd)

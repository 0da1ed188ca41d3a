"""`audit-tui actions`: actions from audits, tracked to done."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from audit_tui.cli.common import app_context, into_demo_option
from audit_tui.cli.moderation_cmd import build, dump_json, table
from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _

if TYPE_CHECKING:
    # The services are imported inside the commands: `audit-tui --help` stays light.
    from audit_tui.services.actions import ActionOut


def _iso_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(
            _("{option} '{value}': write the date as YYYY-MM-DD").format(
                option="--" + (param.name or "").replace("_", "-"),
                value=value,
            )
        ) from None


def _show(a: ActionOut) -> str:
    if a.question_id:
        where = _("{question} on audit {id}").format(question=a.question_id, id=a.audit_id)
    else:
        where = _("audit {id}").format(id=a.audit_id)
    return _("action {id} ({where}, {case}): {status}").format(
        id=a.id, where=where, case=a.case_reference, status=_(STATUS.get(a.status, a.status))
    )


STATUS = {"open": N_("open"), "done": N_("done"), "not_needed": N_("not needed")}


@click.group("actions")
def actions_group() -> None:
    """Actions from audits: owner, due date, done or not needed."""


@actions_group.command("list")
@click.option("--overdue", is_flag=True, help=N_("Only open actions due before today."))
@click.option(
    "--status", type=click.Choice(["open", "done", "not_needed"]), help=N_("Only this status.")
)
@click.option("--audit", "audit_id", type=int, help=N_("Only this audit's actions."))
@click.option("--mine", is_flag=True, help=N_("Only the actions you own (--user)."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON instead of a table."))
def list_cmd(
    overdue: bool, status: str | None, audit_id: int | None, mine: bool, as_json: bool
) -> None:
    """Actions, soonest due first."""
    from audit_tui.services import actions

    ctx = app_context()
    if overdue:
        items = [
            a for a in actions.overdue_actions(ctx) if audit_id is None or a.audit_id == audit_id
        ]
    else:
        items = actions.list_actions(ctx, status=status, audit_id=audit_id)
    if mine:
        items = [a for a in items if actions.owned_by(a, ctx.me)]
    if as_json:
        dump_json(items)
        return
    if not items:
        click.echo(_("no overdue actions") if overdue else _("no actions"))
        return
    table(
        (
            _("ID"),
            _("AUDIT"),
            _("CASE"),
            _("TEAM"),
            _("QUESTION"),
            _("OWNER"),
            _("DUE"),
            _("STATUS"),
            _("DESCRIPTION"),
        ),
        [
            (
                str(a.id),
                str(a.audit_id),
                a.case_reference,
                a.team,
                a.question_id or "-",
                a.owner,
                a.due_date.isoformat(),
                _("OVERDUE") if a.overdue else _(STATUS.get(a.status, a.status)),
                a.description if len(a.description) <= 50 else a.description[:49] + "…",
            )
            for a in items
        ],
    )


@actions_group.command("add")
@click.argument("audit_id", type=int)
@click.option("--description", required=True, help=N_("What must be done (initials, never names)."))
@click.option("--owner", required=True, help=N_("Who is responsible."))
@click.option("--due", required=True, callback=_iso_date, help=N_("Due date YYYY-MM-DD."))
@click.option(
    "--question", "question_id", help=N_("The answer it comes from (one short of full marks).")
)
@click.option(
    "--reaudit-by", "reaudit_by", callback=_iso_date, help=N_("Re-audit the case by YYYY-MM-DD.")
)
@into_demo_option
def add_cmd(
    audit_id: int,
    description: str,
    owner: str,
    due: date,
    question_id: str | None,
    reaudit_by: date | None,
    into_demo: bool,
) -> None:
    """Add an action to an audit (finalised or draft), from an answer short of full marks or the whole."""
    from audit_tui.services import actions
    from audit_tui.services.actions import NewAction

    new = build(
        NewAction,
        {"description": "--description", "owner": "--owner", "question_id": "--question"},
        audit_id=audit_id,
        description=description,
        owner=owner,
        due_date=due,
        question_id=question_id,
        reaudit_by=reaudit_by,
    )
    ctx = app_context()
    ctx.demo_confirmed = into_demo
    a = actions.create_action(ctx, new)
    click.echo(
        _("{action}, owner {owner}, due {date}").format(
            action=_show(a), owner=a.owner, date=a.due_date.isoformat()
        )
    )
    if a.due_date < ctx.today():
        click.echo(
            "  "
            + _("note: the due date {date} is already past: it is OVERDUE").format(
                date=a.due_date.isoformat()
            )
        )


@actions_group.command("done")
@click.argument("action_id", type=int)
def done_cmd(action_id: int) -> None:
    """Mark an action done."""
    from audit_tui.services import actions

    click.echo(_show(actions.complete_action(app_context(), action_id)))


@actions_group.command("not-needed")
@click.argument("action_id", type=int)
@click.option("--reason", required=True, help=N_("Why the action is not needed (logged)."))
def not_needed_cmd(action_id: int, reason: str) -> None:
    """Close an action as not needed, with the reason."""
    from audit_tui.services import actions

    click.echo(_show(actions.mark_not_needed(app_context(), action_id, reason)))


def register(cli: click.Group) -> None:
    """Add this module's commands to the root group."""
    cli.add_command(actions_group)

"""`audit-tui escalations`: safeguarding escalations waiting for acknowledgement, and the
acknowledgement itself (never by the person who escalated)."""

from __future__ import annotations

import click

from audit_tui.cli.common import app_context
from audit_tui.cli.moderation_cmd import dump_json, table
from audit_tui.i18n import N_, _


@click.group("escalations")
def escalations_group() -> None:
    """Safeguarding escalations: a child who may be at risk now."""


@escalations_group.command("list")
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON instead of a table."))
def list_cmd(as_json: bool) -> None:
    """Open concerns not yet escalated, then escalations nobody has acknowledged."""
    from audit_tui.services.escalation import open_escalations

    items = open_escalations(app_context())
    if as_json:
        dump_json(items)
        return
    if not items:
        click.echo(_("no open safeguarding concerns or unacknowledged escalations"))
        return
    table(
        (_("AUDIT"), _("CASE"), _("TEAM"), _("STATE"), _("ESCALATED TO"), _("BY"), _("AT")),
        [
            (
                str(e.audit_id),
                e.case_reference,
                e.team,
                e.state.replace("_", " "),
                e.escalated_to or "-",
                e.escalated_by or "-",
                e.escalated_at.astimezone().strftime("%Y-%m-%d %H:%M") if e.escalated_at else "",
            )
            for e in items
        ],
    )


@escalations_group.command("acknowledge")
@click.argument("audit_id", type=int)
def acknowledge_cmd(audit_id: int) -> None:
    """Acknowledge the escalation on AUDIT_ID as yourself (--user): you received it. The
    person who escalated it cannot."""
    from audit_tui.services.escalation import acknowledge_escalation

    ctx = app_context()
    st = acknowledge_escalation(ctx, audit_id)
    click.echo(
        _("escalation on audit {id} ({case}) acknowledged by {name}").format(
            id=st.audit_id, case=st.case_reference, name=ctx.me
        )
    )


def register(cli: click.Group) -> None:
    cli.add_command(escalations_group)

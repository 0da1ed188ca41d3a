"""The learning-loop lines of the audit view: its actions, the practitioner's response, an
acknowledged escalation, and the link between an audit and its re-audit with the change in
grade."""

from __future__ import annotations

from textual.content import Content

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.services import actions, audits
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import AuditDetail
from audit_tui.ui.format import percent
from audit_tui.ui.screens.actions import grade_change_text


def _actions_line(ctx: AppContext, d: AuditDetail) -> list[Content]:
    rows = actions.list_actions(ctx, audit_id=d.id)
    if not rows:
        return [Content("Actions: none yet (c adds one from an answer short of full marks)")]
    count = {s: sum(1 for a in rows if a.status == s) for s in ("open", "done", "not_needed")}
    overdue = sum(1 for a in rows if a.overdue)
    out = [
        Content.assemble(
            "Actions: ",
            f"{count['open']} open",
            (f" ({overdue} OVERDUE)" if overdue else "", "bold $text-error"),
            f", {count['done']} done, {count['not_needed']} not needed - t lists them",
        )
    ]
    for a in rows:
        if a.reaudit_audit_id is not None:
            out.append(Content(f"Re-audited in audit {a.reaudit_audit_id} (action {a.id})"))
        elif a.reaudit_by is not None and a.status != "not_needed":
            out.append(Content(f"Re-audit asked for by {a.reaudit_by} (action {a.id})"))
    return out


def _previous_line(ctx: AppContext, fw: Framework, d: AuditDetail) -> list[Content]:
    if d.previous_audit_id is None:
        return []
    label = fw.judgements.label
    asked = [
        a
        for a in actions.list_actions(ctx, audit_id=d.previous_audit_id)
        if a.reaudit_audit_id == d.id
    ]
    head = f"Re-audit of audit {d.previous_audit_id} (p opens it)"
    if asked:
        out = actions.reaudit_outcome(ctx, asked[0].id)
        if out.reaudit_status != "finalised":
            return [
                Content(
                    f"{head}: then {label(out.previous_judgement)}, "
                    f"{percent(out.previous_percent_met)} met"
                )
            ]
        return [
            Content.assemble(
                f"{head}: ",
                (f"{label(out.previous_judgement)} → {label(out.reaudit_judgement)}", "bold"),
                grade_change_text(out.grade_change),
                f", {percent(out.previous_percent_met)} → {percent(out.reaudit_percent_met)} met",
            )
        ]
    try:
        before = audits.get_audit(ctx, d.previous_audit_id)
    except UserError:
        return [Content(f"Follows audit {d.previous_audit_id} (no longer on record)")]
    then = before.moderated_judgement or before.judgement
    now = d.moderated_judgement or d.judgement
    return [Content(f"{head}: {label(then)} → {label(now)}")]


def loop_lines(ctx: AppContext, fw: Framework, d: AuditDetail) -> list[Content]:
    lines: list[Content] = []
    if d.practitioner_response:
        word = "agrees" if d.practitioner_response == "agree" else "DISAGREES"
        comment = f" - {d.practitioner_comment}" if d.practitioner_comment else ""
        lines.append(Content(f"Practitioner response: {word}{comment}"))
    else:
        lines.append(Content("Practitioner response: not recorded (r records it)"))
    if d.escalated_to and d.escalation_acknowledged:
        lines.append(Content(f"Safeguarding: escalated to {d.escalated_to}, acknowledged"))
    lines.extend(_actions_line(ctx, d))
    lines.extend(_previous_line(ctx, fw, d))
    return lines

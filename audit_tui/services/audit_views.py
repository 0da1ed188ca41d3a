"""An audit as the lists and the audit view show it: its summary line, its whole detail, and
the queries behind the lists of drafts and finalised audits (with blind moderation applied)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_tui.domain.case_types import case_type_label
from audit_tui.domain.framework import Framework
from audit_tui.services.audit_rules import (
    answer_out,
    blind_moderations,
    counted_answers_of,
    counted_figures,
    framework_or_none,
    original_answers_of,
)
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import AuditDetail, AuditSummary
from audit_tui.store.models import Audit


def summary_values(audit: Audit, fw: Framework | None) -> dict[str, Any]:
    """The fields an audit's summary and detail share."""
    applicable = len(fw.applicable_questions(audit.case_type)) if fw else 0
    return {
        "id": audit.id,
        "framework_id": audit.framework_id,
        "framework_version": audit.framework_version,
        "framework_hash": audit.framework_hash,
        "case_reference": audit.case.reference,
        "case_type": audit.case_type,
        "case_type_label": fw.case_type_label(audit.case_type)
        if fw
        else case_type_label(audit.case_type),
        "team": audit.team.name,
        "case_holder": audit.worker.name if audit.worker else None,
        "auditor": audit.auditor.name,
        "audit_date": audit.audit_date,
        "status": audit.status,
        "percent_met": audit.percent_met,
        "suggested_judgement": audit.suggested_judgement,
        "judgement": audit.judgement,
        "critical_failures": audit.critical_failures,
        "moderated_judgement": audit.moderated_judgement,
        "counted": counted_figures(fw, audit),
        "answered": len(original_answers_of(audit)),
        "applicable": applicable,
        "concern_open": audit.concern_open,
        "escalated_to": audit.escalated_to,
        "escalation_acknowledged": audit.escalation_acknowledged_at is not None,
        "updated_at": audit.updated_at,
        "version": audit.version,
    }


def audit_detail(ctx: AppContext, s: Session, audit: Audit) -> AuditDetail:
    fw = framework_or_none(ctx, s, audit)
    counted = counted_answers_of(audit)
    originals = original_answers_of(audit)
    return AuditDetail(
        **summary_values(audit, fw),
        judgement_reason=audit.judgement_reason,
        strengths=audit.strengths,
        areas_for_development=audit.areas_for_development,
        answers={qid: answer_out(a) for qid, a in counted.items()},
        original_answers={
            qid: answer_out(o)
            for qid, o in originals.items()
            if qid in counted and counted[qid] is not o and counted[qid].answer != o.answer
        },
        finalised_at=audit.finalised_at,
        escalated_at=audit.escalated_at,
        escalation_note=audit.escalation_note,
        practitioner_response=audit.practitioner_response,
        practitioner_comment=audit.practitioner_comment,
        previous_audit_id=audit.previous_audit_id,
    )


def list_audits(
    ctx: AppContext, *where: Any, order: list[Any], limit: int | None
) -> list[AuditSummary]:
    """Audits matching `where` in `order` (at most `limit`). One its user moderates blind is
    listed without its grading."""
    with ctx.db.read() as s:
        q = select(Audit).where(*where).order_by(*order)
        if limit:
            q = q.limit(limit)
        found = list(s.execute(q).scalars())
        blind = blind_moderations(ctx, s, [a.id for a in found if a.status == "finalised"])
        out = []
        for audit in found:
            row = AuditSummary(**summary_values(audit, framework_or_none(ctx, s, audit)))
            if audit.id in blind:
                # Listed, but nothing of the grading: its moderator is still answering blind.
                row = row.model_copy(
                    update={
                        "blind": True,
                        "percent_met": None,
                        "suggested_judgement": None,
                        "judgement": None,
                        "critical_failures": 0,
                        "counted": None,
                    }
                )
            out.append(row)
        return out

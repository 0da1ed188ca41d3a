"""The rules moderation's use cases share: loading a moderation, its blind and requested
stages, the judgement codes, each side's answers, and the two gradings side by side."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.moderating import moderator_figures
from audit_tui.i18n import _
from audit_tui.services import framework_versions as versions
from audit_tui.services.context import AppContext
from audit_tui.services.eventlog import log_event
from audit_tui.services.moderation_schemas import ComparedQuestion, Comparison, ModerationSummary
from audit_tui.store.models import Answer, Audit, Moderation, ModerationAnswer


def load_moderation(s: Session, moderation_id: int) -> Moderation:
    m = s.get(Moderation, moderation_id)
    if m is None:
        raise UserError(_("no moderation {id}").format(id=moderation_id))
    return m


def summary_of(m: Moderation) -> ModerationSummary:
    a = m.audit
    return ModerationSummary(
        id=m.id,
        audit_id=a.id,
        framework_id=a.framework_id,
        case_reference=a.case.reference,
        case_type=a.case_type,
        team=a.team.name,
        auditor=a.auditor.name,
        moderator=m.moderator.name,
        audit_date=a.audit_date,
        status=m.status,
        requested_by=m.requested_by,
        requested_at=m.requested_at,
        submitted_at=m.submitted_at,
        agreed_at=m.agreed_at,
    )


def moderator_answers(s: Session, moderation_id: int) -> dict[str, ModerationAnswer]:
    rows = s.execute(
        select(ModerationAnswer).where(ModerationAnswer.moderation_id == moderation_id)
    ).scalars()
    return {r.question_id: r for r in rows}


def answers_of(audit: Audit, kind: str) -> dict[str, Answer]:
    return {a.question_id: a for a in audit.answers if a.kind == kind}


def check_judgement(fw: Framework, judgement: str) -> str:
    code = judgement.strip()
    if code not in fw.judgements.codes:
        raise UserError(
            _("judgement '{judgement}' is not one of {codes}").format(
                judgement=judgement, codes=", ".join(fw.judgements.codes)
            )
        )
    return code


def refuse_while_blind(m: Moderation) -> None:
    if m.status == "requested":
        raise UserError(
            _(
                "moderation {id} has not been submitted: the first auditor's answers stay "
                "hidden until the moderator submits"
            ).format(id=m.id)
        )


def refuse_unless_requested(m: Moderation) -> None:
    if m.status != "requested":
        status = {
            "submitted": _("submitted"),
            "agreed": _("agreed"),
            "cancelled": _("cancelled"),
        }.get(m.status, m.status)
        raise UserError(
            _("moderation {id} is already {status}: the blind answers are closed").format(
                id=m.id, status=status
            )
        )


def set_moderator_judgement(
    ctx: AppContext, s: Session, m: Moderation, code: str, at: datetime | None = None
) -> None:
    """The moderator's blind judgement, logged when it changes."""
    if code != m.moderator_judgement:
        log_event(
            s,
            ctx.actor,
            "moderate_judgement",
            "moderation",
            m.id,
            audit_id=m.audit_id,
            field="moderator_judgement",
            old=m.moderator_judgement,
            new=code,
            at=at,
        )
        m.moderator_judgement = code


def comparison_of(ctx: AppContext, s: Session, m: Moderation) -> Comparison:
    audit = m.audit
    fw = versions.of_audit(ctx, s, audit)
    originals = answers_of(audit, "original")
    agreed = answers_of(audit, "agreed")
    mine = moderator_answers(s, m.id)
    questions: list[ComparedQuestion] = []
    for q in fw.applicable_questions(audit.case_type):
        o, md = originals.get(q.id), mine.get(q.id)
        questions.append(
            ComparedQuestion(
                question_id=q.id,
                section_id=fw.section_of(q.id).id,
                text=q.text,
                original=o.answer if o else None,
                original_note=o.note if o else None,
                moderator=md.answer if md else None,
                moderator_note=md.note if md else None,
                differ=(o.answer if o else None) != (md.answer if md else None),
                agreed=agreed[q.id].answer if q.id in agreed else None,
            )
        )
    mod_pct, _ = moderator_figures(
        fw, {k: r.answer for k, r in mine.items()}, {k: r.points for k, r in mine.items()}
    )
    return Comparison(
        moderation_id=m.id,
        audit_id=audit.id,
        status=m.status,
        case_reference=audit.case.reference,
        auditor=audit.auditor.name,
        moderator=m.moderator.name,
        questions=questions,
        differences=sum(1 for c in questions if c.differ),
        original_percent_met=audit.percent_met,
        moderator_percent_met=mod_pct,
        original_judgement=audit.judgement,
        moderator_judgement=m.moderator_judgement,
        judgements_differ=audit.judgement != m.moderator_judgement,
        agreed_judgement=m.agreed_judgement,
        comment=m.comment,
        agreed_at=m.agreed_at,
    )

"""The Moderation sheet's rows: one per moderation of an audit in the period, with the
answer agreement counted in SQL. A blind moderation shows nothing of the first grading."""

from __future__ import annotations

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from audit_tui.domain.periods import Period, period_filter
from audit_tui.services.context import AppContext
from audit_tui.services.moderation_schemas import ModerationRow
from audit_tui.store.models import Answer, Audit, Case, Moderation, ModerationAnswer, Team, Worker


def moderation_rows(
    ctx: AppContext, framework_id: str | None = None, period: str | Period | None = None
) -> list[ModerationRow]:
    """Rows for the Moderation sheet: one per moderation of an audit in the period, with the
    answer agreement counted in SQL. Blind moderations show no original judgement."""
    per = period_filter(period)
    auditor = aliased(Worker)
    moderator = aliased(Worker)
    original = aliased(Answer)
    counts = (
        select(
            ModerationAnswer.moderation_id.label("mid"),
            func.count(original.id).label("compared"),
            func.sum(case((original.answer == ModerationAnswer.answer, 1), else_=0)).label(
                "agreeing"
            ),
        )
        .join(Moderation, Moderation.id == ModerationAnswer.moderation_id)
        .join(
            original,
            and_(
                original.audit_id == Moderation.audit_id,
                original.question_id == ModerationAnswer.question_id,
                original.kind == "original",
            ),
        )
        .group_by(ModerationAnswer.moderation_id)
        .subquery()
    )
    q = (
        select(
            Moderation,
            Audit,
            Case.reference,
            Team.name,
            auditor.name,
            moderator.name,
            counts.c.compared,
            counts.c.agreeing,
        )
        .join(Audit, Audit.id == Moderation.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Audit.team_id)
        .join(auditor, auditor.id == Audit.auditor_id)
        .join(moderator, moderator.id == Moderation.moderator_id)
        .outerjoin(counts, counts.c.mid == Moderation.id)
        .order_by(Audit.audit_date, Moderation.id)
    )
    if framework_id is not None:
        q = q.where(Audit.framework_id == framework_id)
    if per is not None:
        q = q.where(Audit.audit_date.between(per.start, per.end))
    rows: list[ModerationRow] = []
    with ctx.db.read() as s:
        for m, a, ref, team, auditor_name, moderator_name, compared, agreeing in s.execute(q):
            blind = m.status == "requested"
            compared = 0 if blind or compared is None else int(compared)
            agreeing = 0 if blind or agreeing is None else int(agreeing)
            rows.append(
                ModerationRow(
                    moderation_id=m.id,
                    audit_id=a.id,
                    framework_id=a.framework_id,
                    case_reference=ref,
                    case_type=a.case_type,
                    team=team,
                    auditor=auditor_name,
                    moderator=moderator_name,
                    audit_date=a.audit_date,
                    status=m.status,
                    original_judgement=None if blind else a.judgement,
                    moderator_judgement=None if blind else m.moderator_judgement,
                    agreed_judgement=m.agreed_judgement,
                    questions_compared=compared,
                    questions_agreeing=agreeing,
                    answer_agreement_percent=100.0 * agreeing / compared if compared else None,
                    comment=m.comment,
                    requested_at=m.requested_at,
                    submitted_at=m.submitted_at,
                    agreed_at=m.agreed_at,
                )
            )
    return rows

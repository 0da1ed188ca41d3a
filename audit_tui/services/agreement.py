"""How far auditors and moderators agree: on judgements (per auditor and per team) and on
answers (per question, and per auditor and team as a second view).

A pair is the first auditor's judgement and the moderator's blind judgement on one submitted
or agreed moderation - the blind grade, not the agreed one, because the agreed grade is partly
the auditor's own. Grades are ranked by the framework's judgement scale (0 = best), so a
negative mean difference (auditor minus moderator) means the auditor grades more generously.

SQL gathers the pairs and counts answer agreement (GROUP BY); domain.stats does the maths.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import aliased

from audit_tui.domain.agreement_tables import AGREEMENT_MIN_PAIRS as AGREEMENT_MIN_PAIRS
from audit_tui.domain.agreement_tables import GENEROUS_MIN_N as GENEROUS_MIN_N
from audit_tui.domain.agreement_tables import AgreementReport as AgreementReport
from audit_tui.domain.agreement_tables import GradeAgreement as GradeAgreement
from audit_tui.domain.agreement_tables import QuestionAgreement as QuestionAgreement
from audit_tui.domain.agreement_tables import agreement_tables, question_agreement, rank_pairs
from audit_tui.domain.errors import UserError
from audit_tui.domain.periods import Period, period_filter
from audit_tui.domain.scales import JudgementScale
from audit_tui.services import framework_versions as versions
from audit_tui.services.context import AppContext
from audit_tui.store.models import Answer, Audit, Moderation, ModerationAnswer, Team, Worker

COMPARED = ("submitted", "agreed")


def _filters(framework_id: str | None, period: Period | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Moderation.status.in_(COMPARED)]
    if framework_id is not None:
        where.append(Audit.framework_id == framework_id)
    if period is not None:
        where.append(Audit.audit_date.between(period.start, period.end))
    return where


def agreement_report(
    ctx: AppContext,
    framework_id: str | None = None,
    period: str | Period | None = None,
    *,
    min_pairs: int = AGREEMENT_MIN_PAIRS,
) -> AgreementReport:
    """Agreement overall, per auditor, per team and per question. Kappa and AC1 are given
    only where there are at least `min_pairs` judgement pairs."""
    per = period_filter(period)
    if framework_id is not None:
        ctx.frameworks.get(framework_id)
    auditor = aliased(Worker)
    where = _filters(framework_id, per)
    with ctx.db.read() as s:
        pair_rows = s.execute(
            select(
                auditor.name,
                Team.name,
                Audit.framework_hash,
                Audit.judgement,
                Moderation.moderator_judgement,
            )
            .join(Audit, Audit.id == Moderation.audit_id)
            .join(auditor, auditor.id == Audit.auditor_id)
            .join(Team, Team.id == Audit.team_id)
            .where(*where, Audit.judgement.is_not(None))
            .order_by(Moderation.id)
        ).all()

        original = aliased(Answer)
        answer_base = (
            select()
            .select_from(ModerationAnswer)
            .join(Moderation, Moderation.id == ModerationAnswer.moderation_id)
            .join(Audit, Audit.id == Moderation.audit_id)
            .join(
                original,
                and_(
                    original.audit_id == Audit.id,
                    original.question_id == ModerationAnswer.question_id,
                    original.kind == "original",
                ),
            )
            .where(*where)
        )
        agree_sum = func.sum(case((original.answer == ModerationAnswer.answer, 1), else_=0))
        per_question = s.execute(
            answer_base.add_columns(
                Audit.framework_id, ModerationAnswer.question_id, func.count(), agree_sum
            )
            .group_by(Audit.framework_id, ModerationAnswer.question_id)
            .order_by(Audit.framework_id, ModerationAnswer.question_id)
        ).all()
        per_auditor = s.execute(
            answer_base.add_columns(auditor.name, func.count(), agree_sum)
            .join(auditor, auditor.id == Audit.auditor_id)
            .group_by(auditor.name)
        ).all()
        per_team = s.execute(
            answer_base.add_columns(Team.name, func.count(), agree_sum)
            .join(Team, Team.id == Audit.team_id)
            .group_by(Team.name)
        ).all()
        # Each grade is ranked on the scale of its audit's own framework version.
        scales: dict[str, JudgementScale] = {}
        for h in {row[2] for row in pair_rows}:
            try:
                scales[h] = versions.framework_in(ctx, s, h).judgements
            except UserError:
                continue  # a version that cannot be found: its scale is unknown
        # Question wording from the newest version of each framework that has it.
        texts: dict[tuple[str, str], str] = {}
        for fw_id in {row[0] for row in per_question}:
            hashes = s.execute(
                select(Audit.framework_hash)
                .where(Audit.framework_id == fw_id, Audit.status == "finalised")
                .distinct()
            ).scalars()
            vs = versions.version_set(ctx, s, fw_id, hashes)
            for qid in (row[1] for row in per_question if row[0] == fw_id):
                if vs.has_question(qid):
                    texts[(fw_id, qid)] = vs.question(qid).text

    ranked, categories = rank_pairs(pair_rows, scales)
    overall, auditors, teams = agreement_tables(
        ranked,
        categories,
        {name: (int(n), int(k or 0)) for name, n, k in per_auditor},
        {name: (int(n), int(k or 0)) for name, n, k in per_team},
        min_pairs,
    )
    return AgreementReport(
        framework_id=framework_id,
        period=per.label if per else None,
        overall=overall,
        auditors=auditors,
        teams=teams,
        questions=question_agreement(per_question, texts),
    )

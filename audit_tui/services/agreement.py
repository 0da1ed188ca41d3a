"""How far auditors and moderators agree: on judgements (per auditor and per team) and on
answers (per question, and per auditor and team as a second view).

A pair is the first auditor's judgement and the moderator's blind judgement on one submitted
or agreed moderation - the blind grade, not the agreed one, because the agreed grade is partly
the auditor's own. Grades are ranked by the framework's judgement scale (0 = best), so a
negative mean difference (auditor minus moderator) means the auditor grades more generously.

SQL gathers the pairs and counts answer agreement (GROUP BY); domain.stats does the maths.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pydantic import BaseModel
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from audit_tui.domain.errors import UserError
from audit_tui.domain.periods import Period, period_filter
from audit_tui.domain.scales import JudgementScale
from audit_tui.domain.stats import (
    exact_agreement,
    gwet_ac1,
    mean_difference,
    weighted_kappa,
    within_one_agreement,
)
from audit_tui.services import framework_versions as versions
from audit_tui.services.context import AppContext
from audit_tui.store.models import Answer, Audit, Moderation, ModerationAnswer, Team, Worker

COMPARED = ("submitted", "agreed")
# An auditor is flagged as generous with at least this many pairs, a negative mean difference
# and more than half of the pairs graded above the moderator.
GENEROUS_MIN_N = 3
# Kappa and AC1 on a handful of pairs say nothing (one pair gives a kappa of 1.00): below this
# many pairs neither is given, and every reader says so instead.
AGREEMENT_MIN_PAIRS = 10


class GradeAgreement(BaseModel):
    """Judgement agreement for one auditor, one team, or everyone ("All")."""

    name: str
    n: int  # judgement pairs
    exact_percent: float | None
    within_one_percent: float | None
    kappa: float | None  # linear-weighted Cohen's kappa; None below the minimum pairs
    ac1: float | None  # Gwet's AC1 (chance-corrected exact agreement); None likewise
    min_pairs: int  # pairs needed before kappa and AC1 are given
    mean_difference: float | None  # auditor rank - moderator rank; < 0 is more generous
    more_generous: int  # pairs the auditor graded above the moderator
    harsher: int  # pairs the auditor graded below the moderator
    generous: bool  # consistently more generous than the moderator
    answers_n: int  # answers compared
    answers_agree_percent: float | None

    @property
    def too_few_pairs(self) -> bool:
        """Pairs exist but fewer than needed for kappa and AC1."""
        return 0 < self.n < self.min_pairs


class QuestionAgreement(BaseModel):
    framework_id: str
    question_id: str
    text: str | None
    n: int  # answers compared
    agree: int
    percent_agree: float | None


class AgreementReport(BaseModel):
    framework_id: str | None
    period: str | None
    overall: GradeAgreement
    auditors: list[GradeAgreement]
    teams: list[GradeAgreement]
    questions: list[QuestionAgreement]


def _filters(framework_id: str | None, period: Period | None) -> list:  # type: ignore[type-arg]
    where = [Moderation.status.in_(COMPARED)]
    if framework_id is not None:
        where.append(Audit.framework_id == framework_id)
    if period is not None:
        where.append(Audit.audit_date.between(period.start, period.end))
    return where


def _grade_stats(
    name: str,
    pairs: Iterable[tuple[int, int]],
    categories: int,
    answers: tuple[int, int] | None,
    min_pairs: int,
) -> GradeAgreement:
    pairs = list(pairs)
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    n = len(pairs)
    exact = exact_agreement(a, b)
    within = within_one_agreement(a, b)
    mean = mean_difference(a, b)
    generous_n = sum(1 for x, y in pairs if x < y)
    answers_n, answers_agree = answers or (0, 0)
    enough = n >= min_pairs
    return GradeAgreement(
        name=name,
        n=n,
        exact_percent=None if exact is None else 100.0 * exact,
        within_one_percent=None if within is None else 100.0 * within,
        kappa=weighted_kappa(a, b, categories) if enough else None,
        ac1=gwet_ac1(a, b, categories) if enough else None,
        min_pairs=min_pairs,
        mean_difference=mean,
        more_generous=generous_n,
        harsher=sum(1 for x, y in pairs if x > y),
        generous=n >= GENEROUS_MIN_N and mean is not None and mean < 0 and generous_n * 2 > n,
        answers_n=answers_n,
        answers_agree_percent=100.0 * answers_agree / answers_n if answers_n else None,
    )


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

    # Rank each grade on its own framework's scale; pairs off the scale (a framework edited
    # since) are left out rather than guessed.
    ranked: list[tuple[str, str, int, int]] = []
    categories = 2
    for auditor_name, team, fw_hash, mine, theirs in pair_rows:
        scale = scales.get(fw_hash)
        if scale is None:
            continue
        if mine in scale.codes and theirs in scale.codes:
            ranked.append((auditor_name, team, scale.rank(mine), scale.rank(theirs)))
            categories = max(categories, len(scale.codes))

    by_auditor: dict[str, list[tuple[int, int]]] = defaultdict(list)
    by_team: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for auditor_name, team, x, y in ranked:
        by_auditor[auditor_name].append((x, y))
        by_team[team].append((x, y))
    answers_auditor = {name: (int(n), int(k or 0)) for name, n, k in per_auditor}
    answers_team = {name: (int(n), int(k or 0)) for name, n, k in per_team}
    total_n = sum(n for n, _ in answers_auditor.values())
    total_k = sum(k for _, k in answers_auditor.values())

    def rows(groups: dict[str, list[tuple[int, int]]], answers: dict[str, tuple[int, int]]):  # type: ignore[no-untyped-def]
        names = sorted(set(groups) | set(answers), key=str.lower)
        return [
            _grade_stats(nm, groups.get(nm, []), categories, answers.get(nm), min_pairs)
            for nm in names
        ]

    questions = []
    for fw_id, qid, n, k in per_question:
        text = texts.get((fw_id, qid))
        questions.append(
            QuestionAgreement(
                framework_id=fw_id,
                question_id=qid,
                text=text,
                n=int(n),
                agree=int(k or 0),
                percent_agree=100.0 * int(k or 0) / int(n) if n else None,
            )
        )
    return AgreementReport(
        framework_id=framework_id,
        period=per.label if per else None,
        overall=_grade_stats(
            "All", [(x, y) for _, _, x, y in ranked], categories, (total_n, total_k), min_pairs
        ),
        auditors=rows(by_auditor, answers_auditor),
        teams=rows(by_team, answers_team),
        questions=questions,
    )

"""Agreement tables without a database: judgement pairs ranked on their own scale, and
exact, within-one, weighted kappa, AC1 and the mean difference for everyone, each auditor
and each team, beside the answers compared (services.agreement gathers them in SQL)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel

from audit_tui.domain.scales import JudgementScale
from audit_tui.domain.stats import (
    exact_agreement,
    gwet_ac1,
    mean_difference,
    weighted_kappa,
    within_one_agreement,
)

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


def grade_stats(
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


Pair = tuple[int, int]  # the auditor's and the moderator's rank (0 = best)


def rank_pairs(
    rows: Iterable[tuple[str, str, str, str | None, str | None]],
    scales: Mapping[str, JudgementScale],
) -> tuple[list[tuple[str, str, int, int]], int]:
    """(auditor, team, framework hash, auditor's grade, moderator's grade) rows ranked on the
    scale of their own version, and the most grades on any scale used (at least 2). Pairs off
    the scale (a framework edited since) or of a version not found are left out, not guessed."""
    ranked: list[tuple[str, str, int, int]] = []
    categories = 2
    for auditor_name, team, fw_hash, mine, theirs in rows:
        scale = scales.get(fw_hash)
        if scale is None:
            continue
        if mine in scale.codes and theirs in scale.codes:
            ranked.append((auditor_name, team, scale.rank(mine), scale.rank(theirs)))
            categories = max(categories, len(scale.codes))
    return ranked, categories


def agreement_tables(
    ranked: Sequence[tuple[str, str, int, int]],
    categories: int,
    answers_by_auditor: Mapping[str, tuple[int, int]],
    answers_by_team: Mapping[str, tuple[int, int]],
    min_pairs: int,
) -> tuple[GradeAgreement, list[GradeAgreement], list[GradeAgreement]]:
    """Judgement agreement overall, per auditor and per team, each with the answers compared
    and agreeing (n, agreeing) for that auditor or team."""
    by_auditor: dict[str, list[Pair]] = defaultdict(list)
    by_team: dict[str, list[Pair]] = defaultdict(list)
    for auditor_name, team, x, y in ranked:
        by_auditor[auditor_name].append((x, y))
        by_team[team].append((x, y))

    def rows(
        groups: Mapping[str, list[Pair]], answers: Mapping[str, tuple[int, int]]
    ) -> list[GradeAgreement]:
        names = sorted(set(groups) | set(answers), key=str.lower)
        return [
            grade_stats(nm, groups.get(nm, []), categories, answers.get(nm), min_pairs)
            for nm in names
        ]

    total = (
        sum(n for n, _ in answers_by_auditor.values()),
        sum(k for _, k in answers_by_auditor.values()),
    )
    overall = grade_stats("All", [(x, y) for _, _, x, y in ranked], categories, total, min_pairs)
    return overall, rows(by_auditor, answers_by_auditor), rows(by_team, answers_by_team)


def question_agreement(
    rows: Iterable[tuple[str, str, int, int | None]], texts: Mapping[tuple[str, str], str]
) -> list[QuestionAgreement]:
    """(framework id, question id, answers compared, agreeing) rows with their wording."""
    out = []
    for fw_id, qid, n, k in rows:
        agree = int(k or 0)
        out.append(
            QuestionAgreement(
                framework_id=fw_id,
                question_id=qid,
                text=texts.get((fw_id, qid)),
                n=int(n),
                agree=agree,
                percent_agree=100.0 * agree / int(n) if n else None,
            )
        )
    return out

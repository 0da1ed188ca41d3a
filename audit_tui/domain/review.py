"""An audit's answers scored against one framework version: per section with n, the critical
failures, the suggested judgement, what is missing, and the figures finalising stores. Pure:
the audit service, `db verify` and the demo generator score through these functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel

from audit_tui.domain.framework import Framework
from audit_tui.domain.scoring import (
    ScoredAnswer,
    critical_caps,
    percent_met,
    scored_count,
    suggested_judgement,
)
from audit_tui.i18n import _


class SectionScore(BaseModel):
    section_id: str
    title: str
    answered: int
    applicable: int
    scored_n: int  # answers that count (not N/A)
    percent_met: float | None
    critical_failures: list[str]


class MissingItem(BaseModel):
    question_id: str | None  # None: a whole-audit item such as the judgement
    problem: str


class Review(BaseModel):
    audit_id: int
    sections: list[SectionScore]
    percent_met: float | None
    scored_n: int
    critical_failures: list[str]
    suggested_judgement: str | None
    missing: list[MissingItem]


class Scorable(Protocol):
    """An answer as scoring reads it: a stored row, a logged answer, a generated one."""

    @property
    def answer(self) -> str: ...
    @property
    def points(self) -> float | None: ...
    @property
    def weight(self) -> float: ...
    @property
    def na_reason(self) -> str | None: ...


@dataclass(frozen=True)
class Figures:
    """What finalising stores on an audit: its percent met, how many critical failures, and
    the suggested judgement (None with no data)."""

    percent_met: float | None
    critical_failures: int
    suggested_judgement: str | None


def figures(fw: Framework, scored: Iterable[ScoredAnswer]) -> Figures:
    """The figures of an audit's scored answers on `fw`."""
    answers = list(scored)
    pct = percent_met(answers)
    caps = critical_caps(answers)
    return Figures(pct, len(caps), suggested_judgement(fw, pct, caps))


def score_answers(
    fw: Framework, audit_id: int, case_type: str, answers: Mapping[str, Scorable]
) -> Review:
    """Score one audit's answers against one framework version: per section with n, the
    critical failures, the suggested judgement and what is missing."""
    sections: list[SectionScore] = []
    missing: list[MissingItem] = []
    all_scored: list[ScoredAnswer] = []
    criticals: list[str] = []
    for section, questions in fw.applicable_sections(case_type):
        scored: list[ScoredAnswer] = []
        sec_critical: list[str] = []
        for q in questions:
            a = answers.get(q.id)
            if a is None:
                missing.append(MissingItem(question_id=q.id, problem=_("not answered")))
                continue
            if a.points is None and q.na_reason_required and not a.na_reason:
                missing.append(
                    MissingItem(question_id=q.id, problem=_("not applicable needs a reason"))
                )
            sa = ScoredAnswer(points=a.points, weight=a.weight, cap=fw.critical_cap_of(q, a.answer))
            scored.append(sa)
            if sa.cap is not None:
                sec_critical.append(q.id)
        sections.append(
            SectionScore(
                section_id=section.id,
                title=section.title,
                answered=sum(1 for q in questions if q.id in answers),
                applicable=len(questions),
                scored_n=scored_count(scored),
                percent_met=percent_met(scored),
                critical_failures=sec_critical,
            )
        )
        all_scored.extend(scored)
        criticals.extend(sec_critical)
    overall = figures(fw, all_scored)
    return Review(
        audit_id=audit_id,
        sections=sections,
        percent_met=overall.percent_met,
        scored_n=scored_count(all_scored),
        critical_failures=criticals,
        suggested_judgement=overall.suggested_judgement,
        missing=missing,
    )


def review_figures(rv: Review) -> Figures:
    """The figures finalising stores, from a review."""
    return Figures(rv.percent_met, len(rv.critical_failures), rv.suggested_judgement)

"""The demo's people, cases and audits before they are rows, and what the generator works out
once per question."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from audit_tui.demo.content import GENERIC_NOTES, NOTES
from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.scales import AnswerOption
from audit_tui.domain.scoring import ScoredAnswer


@dataclass
class Staff:
    id: int
    name: str
    team: int | None  # index into TEAMS
    manager: bool
    skill: float  # case-holder's effect on quality, or auditor's leniency


@dataclass
class DemoCase:
    id: int
    reference: str
    case_type: str
    team: int
    worker: Staff
    noise: float
    last_audit: int | None = None


@dataclass
class Head:
    """An audit before its answers are drawn."""

    id: int
    day: date
    draft: bool
    case: DemoCase
    auditor: Staff
    previous: int | None


@dataclass
class Counts:
    answers: int = 0
    events: int = 0
    finalised: int = 0
    percent_sum: float = 0.0
    percent_n: int = 0


Choice = tuple[AnswerOption, ScoredAnswer]


@dataclass(frozen=True)
class QuestionPlan:
    """Everything the inner loop needs about one question, worked out once."""

    id: str
    section_id: str
    weight: float
    critical: bool
    difficulty: float
    na_chance: float
    partly_share: float
    notes: tuple[str, ...]
    met: Choice
    partly: Choice
    not_met: Choice
    na: Choice | None


def plan_question(fw: Framework, q: Question, difficulty: float) -> QuestionPlan:
    by_kind: dict[str, AnswerOption] = {}
    for option in fw.scale(q.scale).options:
        by_kind.setdefault(option.kind, option)
    met = by_kind.get("met") or by_kind["not_met"]
    not_met = by_kind.get("not_met") or met

    def choice(option: AnswerOption) -> Choice:
        return option, ScoredAnswer(
            points=option.points, weight=q.weight, cap=fw.critical_cap_of(q, option.code)
        )

    na = by_kind.get("na") if q.na_allowed else None
    return QuestionPlan(
        id=q.id,
        section_id=fw.section_of(q.id).id,
        weight=q.weight,
        critical=q.critical,
        difficulty=difficulty,
        # Questions that need a reason for N/A are the conditional ones ("where...").
        na_chance=0.3 if q.na_reason_required else 0.03,
        # A critical "No" is a strong statement: auditors more often say "Partly".
        partly_share=0.8 if q.critical else 0.5,
        notes=NOTES.get(q.id, GENERIC_NOTES),
        met=choice(met),
        partly=choice(by_kind.get("partly") or not_met),
        not_met=choice(not_met),
        na=choice(na) if na is not None else None,
    )

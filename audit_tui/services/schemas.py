"""Pydantic objects in and out of the audit services."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from audit_tui.domain.text import control_character

_REF = r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$"


def _no_control(value: str) -> str:
    problem = control_character(value)
    if problem is not None:
        raise PydanticCustomError(
            "control_character",
            "contains a control character ({problem}): type it again without it",
            {"problem": problem},
        )
    return value


# A name typed by a person (team, worker, owner): control characters such as ESC are refused.
PlainName = Annotated[str, AfterValidator(_no_control)]


def _clean(v: str | None) -> str | None:
    if v is None:
        return None
    v = v.strip()
    return v or None


class NewAudit(BaseModel):
    """What the auditor gives to start an audit. No child's name: a case reference only."""

    model_config = ConfigDict(str_strip_whitespace=True)

    framework_id: str = Field(min_length=1)
    case_reference: str = Field(
        pattern=_REF,
        description="pseudonymous case reference from the case management system",
    )
    case_type: str = Field(min_length=1)
    team: PlainName = Field(min_length=1, max_length=120)
    case_holder: PlainName | None = Field(default=None, max_length=120)
    auditor: PlainName = Field(min_length=1, max_length=120)
    audit_date: date
    previous_audit_id: int | None = None
    round_case_id: int | None = None

    _c = field_validator("case_holder")(_clean)


class AnswerIn(BaseModel):
    question_id: str
    answer: str
    note: str | None = None
    na_reason: str | None = None

    _c = field_validator("note", "na_reason")(_clean)


class AnswerOut(BaseModel):
    question_id: str
    section_id: str
    answer: str
    points: float | None
    note: str | None
    na_reason: str | None
    answered_at: datetime


class AuditSummary(BaseModel):
    id: int
    framework_id: str
    framework_version: str
    case_reference: str
    case_type: str
    team: str
    case_holder: str | None
    auditor: str
    audit_date: date
    status: str
    percent_met: float | None
    suggested_judgement: str | None
    judgement: str | None
    moderated_judgement: str | None = None
    answered: int = 0
    applicable: int = 0
    concern_open: bool = False
    escalated_to: str | None = None
    escalation_acknowledged: bool = False
    updated_at: datetime | None = None
    version: int = 1


class AuditDetail(AuditSummary):
    framework_hash: str
    judgement_reason: str | None
    strengths: str | None
    areas_for_development: str | None
    answers: dict[str, AnswerOut]
    finalised_at: datetime | None
    escalated_at: datetime | None = None
    escalation_note: str | None = None
    practitioner_response: str | None = None
    practitioner_comment: str | None = None
    previous_audit_id: int | None = None


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


class Finalise(BaseModel):
    judgement: str
    judgement_reason: str | None = None
    strengths: str | None = None
    areas_for_development: str | None = None

    _c = field_validator("judgement_reason", "strengths", "areas_for_development")(_clean)


class Amend(BaseModel):
    """A change to a finalised audit: always with a reason, logged."""

    # Stripped first, so a reason of spaces is no reason.
    model_config = ConfigDict(str_strip_whitespace=True)

    reason: str = Field(min_length=3)
    expected_version: int | None = None
    question_id: str | None = None
    answer: str | None = None
    note: str | None = None
    judgement: str | None = None
    judgement_reason: str | None = None

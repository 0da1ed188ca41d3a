"""Pydantic objects in and out of the audit services."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from audit_tui.domain.case_rows import CASE_REFERENCE_PATTERN
from audit_tui.domain.review import MissingItem as MissingItem
from audit_tui.domain.review import Review as Review
from audit_tui.domain.review import SectionScore as SectionScore
from audit_tui.domain.text import control_character
from audit_tui.i18n import _


def _no_control(value: str) -> str:
    problem = control_character(value)
    if problem is not None:
        raise PydanticCustomError(
            "control_character",
            _("contains a control character ({problem}): type it again without it"),
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
        pattern=CASE_REFERENCE_PATTERN,
        description="pseudonymous case reference from the case management system",  # not translated: schema text
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
    """One answer. `note` left out keeps the note the answer has; given, it is the note (None
    or blank clears it), saved with the answer in one transaction. `na_reason` None keeps
    the reason a "not applicable" answer has."""

    question_id: str
    answer: str
    note: str | None = None
    na_reason: str | None = None

    _c = field_validator("note", "na_reason")(_clean)


class NoteIn(BaseModel):
    """The note on an answered question (None or blank: no note) and, for a "not
    applicable" answer, its reason (None: as it is; blank: none)."""

    question_id: str
    note: str | None = None
    na_reason: str | None = None


class SummaryIn(BaseModel):
    """A draft's strengths and areas for development; a field left None stays as it is."""

    strengths: str | None = None
    areas_for_development: str | None = None


class AnswerOut(BaseModel):
    question_id: str
    section_id: str
    answer: str
    points: float | None
    note: str | None
    na_reason: str | None
    answered_at: datetime


class Figures(BaseModel):
    """An audit's figures as they count: from the agreed answers and grade where the audit
    was moderated, otherwise the auditor's own."""

    percent_met: float | None
    critical_failures: int
    suggested_judgement: str | None
    judgement: str | None


class AuditSummary(BaseModel):
    id: int
    framework_id: str
    framework_version: str
    framework_hash: str  # the version's content hash: what the audit is read against
    case_reference: str
    case_type: str
    case_type_label: str = ""  # in the words of the audit's own framework version
    team: str
    case_holder: str | None
    auditor: str
    audit_date: date
    status: str
    # The auditor's own figures, as finalised (or amended).
    percent_met: float | None
    suggested_judgement: str | None
    judgement: str | None
    critical_failures: int = 0
    moderated_judgement: str | None = None
    # What counts (None for a draft): equal to the above unless the audit was moderated.
    counted: Figures | None = None
    # True when the person using the tool is moderating this audit blind: its grading is
    # left out (None) until they submit.
    blind: bool = False
    answered: int = 0
    applicable: int = 0
    concern_open: bool = False
    escalated_to: str | None = None
    escalation_acknowledged: bool = False
    updated_at: datetime | None = None
    version: int = 1


class AuditDetail(AuditSummary):
    judgement_reason: str | None
    strengths: str | None
    areas_for_development: str | None
    # The answers that count: the agreed ones where the audit was moderated.
    answers: dict[str, AnswerOut]
    # Where moderation changed an answer: the auditor's original, by question id.
    original_answers: dict[str, AnswerOut] = Field(default_factory=dict)
    finalised_at: datetime | None
    escalated_at: datetime | None = None
    escalation_note: str | None = None
    practitioner_response: str | None = None
    practitioner_comment: str | None = None
    previous_audit_id: int | None = None


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


class DraftMove(BaseModel):
    """A draft whose framework file changed since it was started: what moving it to the
    file's version would do. Nothing moves until the auditor chooses to."""

    audit_id: int
    framework_id: str
    from_version: str
    from_hash: str
    to_version: str
    to_hash: str
    carried: list[str]  # question ids whose answers carry over
    dropped: list[str]  # question ids whose answers the new version cannot take
    refused: str | None = None  # why the new file cannot be used, if it cannot

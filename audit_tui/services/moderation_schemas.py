"""Pydantic objects in and out of the moderation services. Nothing a moderator sees before
submitting carries the first auditor's answers, notes, percent or judgement."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from audit_tui.i18n import _


class ModerationSelection(BaseModel):
    """Which finalised audits to moderate: listed by id, or a random share of each auditor's
    (or team's) audits. A share is reproducible: the same seed on the same audits picks the
    same ones."""

    moderator: str = Field(min_length=1, max_length=120)
    audit_ids: list[int] | None = None
    share: float | None = Field(default=None, gt=0, le=1)
    seed: int | None = None
    per: Literal["auditor", "team"] = "auditor"
    framework_id: str | None = None
    period: str | None = None

    @field_validator("moderator")
    @classmethod
    def _strip(cls, v: str) -> str:
        v = " ".join(v.split())
        if not v:
            raise ValueError(_("a moderator's name cannot be empty"))
        return v

    @model_validator(mode="after")
    def _one_way(self) -> ModerationSelection:
        if (self.audit_ids is None) == (self.share is None):
            raise ValueError(_("give either audit ids or a share, not both and not neither"))
        if self.audit_ids is not None and not self.audit_ids:
            raise ValueError(_("give at least one audit id"))
        return self


class ModerationSummary(BaseModel):
    """A moderation as a list shows it. Carries nothing of the first auditor's grading."""

    id: int
    audit_id: int
    framework_id: str
    case_reference: str
    case_type: str
    team: str
    auditor: str
    moderator: str
    audit_date: date
    status: str
    requested_by: str
    requested_at: datetime
    submitted_at: datetime | None
    agreed_at: datetime | None


class SelectionResult(BaseModel):
    seed: int | None  # the seed used for a share (None when audits were listed by hand)
    moderations: list[ModerationSummary]


class QuestionView(BaseModel):
    question_id: str
    section_id: str
    section_title: str
    text: str
    guidance_good: str
    guidance_look_for: str
    options: list[tuple[str, str]]  # (code, label) in scale order
    critical: bool
    na_allowed: bool


class ModeratorAnswerOut(BaseModel):
    question_id: str
    section_id: str
    answer: str
    points: float | None
    note: str | None


class OriginalGrading(BaseModel):
    """The first auditor's grading: only ever built once the moderator has submitted."""

    answers: dict[str, str]
    notes: dict[str, str]
    percent_met: float | None
    judgement: str | None
    judgement_reason: str | None


class ModerationView(BaseModel):
    """What the moderator sees. `original` stays None until the moderation is submitted."""

    id: int
    audit_id: int
    status: str
    framework_id: str
    framework_version: str
    framework_hash: str  # the audit's own version: the moderator answers the same questions
    case_reference: str
    case_type: str
    team: str
    case_holder: str | None
    audit_date: date
    moderator: str
    judgement_codes: list[str]
    questions: list[QuestionView]
    answers: dict[str, ModeratorAnswerOut]
    answered: int
    applicable: int
    percent_met: float | None  # of the moderator's own answers
    suggested_judgement: str | None  # from the moderator's own answers
    moderator_judgement: str | None
    original: OriginalGrading | None = None


class ComparedQuestion(BaseModel):
    question_id: str
    section_id: str
    text: str
    original: str | None
    original_note: str | None
    moderator: str | None
    moderator_note: str | None
    differ: bool
    agreed: str | None = None


class Comparison(BaseModel):
    moderation_id: int
    audit_id: int
    status: str
    case_reference: str
    auditor: str
    moderator: str
    questions: list[ComparedQuestion]
    differences: int
    original_percent_met: float | None
    moderator_percent_met: float | None
    original_judgement: str | None
    moderator_judgement: str | None
    judgements_differ: bool
    agreed_judgement: str | None
    comment: str | None
    agreed_at: datetime | None


class AgreeIn(BaseModel):
    """The agreed version of a moderated audit: answers by question id (a question left out
    keeps the answer auditor and moderator share), the agreed judgement, and a comment on
    how the agreement was reached."""

    answers: dict[str, str] = Field(default_factory=dict)
    judgement: str
    comment: str


class ModerationRow(BaseModel):
    """One row of the Moderation sheet of the export."""

    moderation_id: int
    audit_id: int
    framework_id: str
    case_reference: str
    case_type: str
    team: str
    auditor: str
    moderator: str
    audit_date: date
    status: str
    original_judgement: str | None  # None while the moderation is still blind
    moderator_judgement: str | None
    agreed_judgement: str | None
    questions_compared: int
    questions_agreeing: int
    answer_agreement_percent: float | None
    comment: str | None
    requested_at: datetime
    submitted_at: datetime | None
    agreed_at: datetime | None

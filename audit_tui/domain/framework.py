"""The framework schema: what a good case file looks like, as data an authority can edit."""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from audit_tui.domain.scales import (
    BUILTIN_SCALES,
    JUDGEMENT_SCALES,
    AnswerOption,
    AnswerScale,
    JudgementScale,
)

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: str = Field(min_length=1)
    authority: str = Field(min_length=1)
    date: str = Field(min_length=4)
    file: str = Field(min_length=1)


class Citation(_Strict):
    source: str = Field(min_length=1)
    paragraph: str = Field(min_length=1)
    quote: str = Field(min_length=1, max_length=400)


class Guidance(_Strict):
    good: str = Field(min_length=1, description="what good looks like")
    look_for: str = Field(min_length=1, description="what to look for on file")


class Question(_Strict):
    id: str = Field(pattern=_ID)
    text: str = Field(min_length=1)
    guidance: Guidance
    scale: str = "compliance"
    applies_to: list[str] | None = None
    weight: float = Field(default=1.0, gt=0, le=10)
    critical: bool = False
    na_allowed: bool = True
    na_reason_required: bool = False
    evidence: list[Citation] = Field(min_length=1)


class Section(_Strict):
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    description: str = ""
    questions: list[Question] = Field(min_length=1)


class Threshold(_Strict):
    judgement: str
    min_percent: float = Field(ge=0, le=100)


class Framework(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    version: str = Field(min_length=1)
    description: str = Field(min_length=1)
    case_types: list[str] = Field(min_length=1)
    judgement_scale: str
    thresholds: list[Threshold] = Field(min_length=2)
    critical_cap: str
    sources: dict[str, Source] = Field(min_length=1)
    answer_scales: dict[str, AnswerScale] = Field(default_factory=dict)
    sections: list[Section] = Field(min_length=1)

    # Set by the loader, not by the YAML author.
    content_hash: str = Field(default="", exclude=True)
    source_path: str = Field(default="", exclude=True)

    @cached_property
    def judgements(self) -> JudgementScale:
        return JUDGEMENT_SCALES[self.judgement_scale]

    def scale(self, name: str) -> AnswerScale:
        return self.answer_scales.get(name) or BUILTIN_SCALES[name]

    @cached_property
    def _questions(self) -> dict[str, tuple[Section, Question]]:
        return {q.id: (s, q) for s in self.sections for q in s.questions}

    def question(self, question_id: str) -> Question:
        return self._questions[question_id][1]

    def section_of(self, question_id: str) -> Section:
        return self._questions[question_id][0]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._questions

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def applies(self, question: Question, case_type: str) -> bool:
        return question.applies_to is None or case_type in question.applies_to

    def applicable_questions(self, case_type: str) -> list[Question]:
        return [q for q in self.questions if self.applies(q, case_type)]

    def applicable_sections(self, case_type: str) -> list[tuple[Section, list[Question]]]:
        out = []
        for s in self.sections:
            qs = [q for q in s.questions if self.applies(q, case_type)]
            if qs:
                out.append((s, qs))
        return out

    def option(self, question: Question, code: str) -> AnswerOption | None:
        return self.scale(question.scale).option(code)

    def citation_text(self, c: Citation) -> str:
        src = self.sources.get(c.source)
        name = f"{src.authority} {src.date}" if src else c.source
        return f"{name}, para {c.paragraph}"


def definition_hash(definition: dict[str, Any]) -> str:
    """The content hash of a framework's normalised definition (`Framework.definition`).

    Computed from the validated content, not the file's text: comments, spacing and quoting
    do not change it. The same function hashes a file as loaded and a definition read back
    from the database, so the two can be compared."""
    return hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()[:16]


def definition_of(fw: Framework) -> dict[str, Any]:
    """The framework's normalised definition: what is hashed and stored for each version."""
    return fw.model_dump(mode="json")


def framework_from_definition(
    definition: dict[str, Any], content_hash: str, source: str = ""
) -> Framework:
    """A framework rebuilt from a stored definition (validated again, hash set)."""
    fw = Framework.model_validate(definition)
    return fw.model_copy(update={"content_hash": content_hash, "source_path": source})

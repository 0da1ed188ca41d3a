"""The framework schema: what a good case file looks like, as data an authority can edit."""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Discriminator, Field, Tag, model_validator
from pydantic_core import PydanticCustomError

from audit_tui.domain.bilingual import Text, in_language, non_empty
from audit_tui.domain.case_types import BUILTIN_CASE_TYPES, CaseType, lookup, plain_words
from audit_tui.domain.scales import (
    BUILTIN_SCALES,
    JUDGEMENT_SCALES,
    AnswerOption,
    AnswerScale,
    JudgementScale,
    RequiredText,
    Strict,
)

QUESTION_ID_WORDS = (
    "letters, digits, '_', '.' and '-', starting with a letter or digit, like CF-AS-02"
)
FRAMEWORK_ID_WORDS = "lower-case letters, digits and hyphens, like case-file"
MAX_QUOTE = 400


def _words_rule(ok: Any, what: str) -> Any:
    def check(value: str) -> str:
        if not ok(value):
            raise PydanticCustomError("words", "should be {what}", {"what": what})
        return value

    return AfterValidator(check)


def _question_id(value: str) -> bool:
    return (
        bool(value)
        and value[0].isascii()
        and value[0].isalnum()
        and all(c.isascii() and (c.isalnum() or c in "_.-") for c in value)
    )


def _framework_id(value: str) -> bool:
    return (
        bool(value)
        and value[0] != "-"
        and all(c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in value)
    )


ItemId = Annotated[str, _words_rule(_question_id, QUESTION_ID_WORDS)]
FrameworkId = Annotated[str, _words_rule(_framework_id, FRAMEWORK_ID_WORDS)]


def _quote(text: Text) -> Text:
    for lang, value in text.translations.items():
        if len(value) > MAX_QUOTE:
            raise PydanticCustomError(
                "words",
                "a quotation should be at most {n} characters ({lang} has {has})",
                {"n": MAX_QUOTE, "lang": lang, "has": len(value)},
            )
    return text


def _url(value: str) -> str:
    if not value.startswith(("https://", "http://")) or len(value.split("//", 1)[1]) < 3:
        raise PydanticCustomError("words", "should be a web address starting with https://")
    return value


class Source(Strict):
    """A document questions cite: an inspection report, national guidance, a local standard.
    It needs a title and at least one of publisher (or authority), date, url or file."""

    LATER = frozenset({"short", "publisher", "url", "authority", "date", "file"})

    title: RequiredText
    short: RequiredText | None = Field(default=None, description="short title for citations")
    authority: str | None = Field(
        default=None, min_length=1, description="the authority reported on"
    )
    publisher: RequiredText | None = None
    date: str | None = Field(default=None, min_length=4)
    url: Annotated[str, AfterValidator(_url)] | None = None
    file: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _findable(self) -> Source:
        if not (self.authority or self.publisher or self.date or self.url or self.file):
            raise PydanticCustomError(
                "words", "a source needs at least one of publisher, date, url or file"
            )
        return self

    @property
    def citation_name(self) -> str:
        """How a citation names it: the short title; for a report cited by authority (as the
        shipped frameworks do) the authority and date; otherwise the title."""
        if self.short:
            return str(self.short)
        if self.authority:
            return f"{self.authority} {self.date}" if self.date else self.authority
        return str(self.title)


class Citation(Strict):
    source: str = Field(min_length=1)
    paragraph: str = Field(min_length=1)
    quote: Annotated[Text, AfterValidator(non_empty), AfterValidator(_quote)]


class Guidance(Strict):
    good: RequiredText = Field(description="what good looks like")
    look_for: RequiredText = Field(description="what to look for on file")


class Question(Strict):
    LATER = frozenset({"critical_answers", "critical_cap"})

    id: ItemId
    text: RequiredText
    guidance: Guidance
    scale: str = "compliance"
    applies_to: list[str] | None = None
    weight: float = Field(default=1.0, ge=0, le=10, description="0: recorded, not scored")
    critical: bool = False
    critical_answers: list[str] | None = Field(
        default=None, description="answer codes that trigger it (default: those worth 0 points)"
    )
    critical_cap: str | None = Field(
        default=None, description="the grade it caps at (default: the framework's critical_cap)"
    )
    na_allowed: bool = True
    na_reason_required: bool = False
    evidence: list[Citation] = Field(min_length=1)


class Section(Strict):
    id: ItemId
    title: RequiredText
    description: Text = Text("")
    questions: list[Question] = Field(min_length=1)


class Threshold(Strict):
    judgement: str
    min_percent: float = Field(ge=0, le=100)


def _case_type_kind(value: Any) -> str:
    return "declared" if isinstance(value, (dict, CaseType)) else "builtin"


# A case type is a built-in id (stored as the plain id, as files always wrote it) or one the
# framework declares with its own label and import aliases.
CaseTypeEntry = Annotated[
    Annotated[str, Tag("builtin")] | Annotated[CaseType, Tag("declared")],
    Discriminator(_case_type_kind),
]
UNION_TAGS = frozenset({"builtin", "declared"})


class Framework(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))
    LATER = frozenset({"judgement_scales", "retired"})

    id: FrameworkId
    title: RequiredText
    version: str = Field(min_length=1)
    description: RequiredText
    case_types: list[CaseTypeEntry] = Field(min_length=1)
    judgement_scale: str
    judgement_scales: dict[str, JudgementScale] = Field(default_factory=dict)
    thresholds: list[Threshold] = Field(min_length=2)
    critical_cap: str
    sources: dict[str, Source] = Field(min_length=1)
    answer_scales: dict[str, AnswerScale] = Field(default_factory=dict)
    retired: list[str] = Field(
        default_factory=list, description="question ids earlier versions used, never reused"
    )
    sections: list[Section] = Field(min_length=1)

    # Set by the loader, not by the YAML author.
    content_hash: str = Field(default="", exclude=True)
    source_path: str = Field(default="", exclude=True)

    @cached_property
    def judgements(self) -> JudgementScale:
        return (
            self.judgement_scales.get(self.judgement_scale)
            or JUDGEMENT_SCALES[self.judgement_scale]
        )

    def scale(self, name: str) -> AnswerScale:
        return self.answer_scales.get(name) or BUILTIN_SCALES[name]

    # --- case types ---------------------------------------------------------------------

    @cached_property
    def case_type_list(self) -> list[CaseType]:
        """The framework's case types, built-in ids with their built-in label and aliases."""
        return [
            ct
            if isinstance(ct, CaseType)
            else BUILTIN_CASE_TYPES.get(ct) or CaseType(id=ct, label=Text(ct))
            for ct in self.case_types
        ]

    @cached_property
    def case_type_codes(self) -> list[str]:
        return [ct.id for ct in self.case_type_list]

    def case_type_label(self, code: str) -> str:
        found = next((ct for ct in self.case_type_list if ct.id == code), None)
        return str(found.label) if found else code

    @cached_property
    def _case_type_names(self) -> dict[str, str]:
        own = [ct for ct in self.case_types if isinstance(ct, CaseType)]
        return lookup([*own, *self.case_type_list])

    def case_type_code(self, value: str) -> str | None:
        """The id of the case type a case list writes as `value` (its id, label or an alias),
        among this framework's types; None when it is none of them."""
        return self._case_type_names.get(plain_words(value))

    # --- questions ----------------------------------------------------------------------

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

    # --- critical questions ---------------------------------------------------------------

    def critical_triggers(self, question: Question) -> list[str]:
        """The answer codes that make a critical question a critical failure: those it names,
        or (by default) the options worth 0 points - "No" on the built-in scales."""
        if not question.critical:
            return []
        if question.critical_answers is not None:
            return list(question.critical_answers)
        return [o.code for o in self.scale(question.scale).options if o.points == 0]

    def critical_cap_of(self, question: Question, answer: str | None) -> str | None:
        """The grade this answer caps the suggested judgement at, or None if it does not."""
        if answer is None or answer not in self.critical_triggers(question):
            return None
        return question.critical_cap or self.critical_cap

    def in_language(self, lang: str) -> Framework:
        """This framework reading in `lang` (en or cy) wherever it gives that language: the
        one call a language choice needs. Same content, same hash."""
        return in_language(self, lang)

    def citation_text(self, c: Citation) -> str:
        src = self.sources.get(c.source)
        name = src.citation_name if src else c.source
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

"""The framework schema: what a good case file looks like, as data an authority can edit."""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from audit_tui.domain.bilingual import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Text,
    in_language,
    non_empty,
)
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
from audit_tui.i18n import N_, _

QUESTION_ID_WORDS = N_(
    "letters, digits, '_', '.' and '-', starting with a letter or digit, like CF-AS-02"
)
FRAMEWORK_ID_WORDS = N_("lower-case letters, digits and hyphens, like case-file")
MAX_QUOTE = 400


def _words_rule(ok: Any, what: str) -> Any:
    def check(value: str) -> str:
        if not ok(value):
            raise PydanticCustomError("words", _("should be {what}"), {"what": _(what)})
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
                _("a quotation should be at most {n} characters ({lang} has {has})"),
                {"n": MAX_QUOTE, "lang": lang, "has": len(value)},
            )
    return text


def _url(value: str) -> str:
    if not value.startswith(("https://", "http://")) or len(value.split("//", 1)[1]) < 3:
        raise PydanticCustomError("words", _("should be a web address starting with https://"))
    return value


class Source(Strict):
    """A document questions cite: an inspection report, national guidance, a local standard.
    It needs a title and at least one of publisher (or authority), date, url or file."""

    LATER = frozenset({"short", "publisher", "url", "authority", "date", "file"})
    # A citation names a document as it was published: never marked as untranslated.
    AS_PUBLISHED: ClassVar[frozenset[str]] = frozenset({"title", "short", "publisher"})

    title: RequiredText
    # not translated: a schema note for developers, never shown
    short: RequiredText | None = Field(default=None, description="short title for citations")
    authority: str | None = Field(
        default=None,
        min_length=1,
        description="the authority reported on",  # not translated: a schema note
    )
    publisher: RequiredText | None = None
    date: str | None = Field(default=None, min_length=4)
    url: Annotated[str, AfterValidator(_url)] | None = None
    file: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _findable(self) -> Source:
        if not (self.authority or self.publisher or self.date or self.url or self.file):
            raise PydanticCustomError(
                "words", _("a source needs at least one of publisher, date, url or file")
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
    AS_PUBLISHED: ClassVar[frozenset[str]] = frozenset(
        {"quote"}
    )  # quoted in the language it was published in

    source: str = Field(min_length=1)
    paragraph: str = Field(min_length=1)
    quote: Annotated[Text, AfterValidator(non_empty), AfterValidator(_quote)]


class Guidance(Strict):
    # not translated: a schema note for developers, never shown
    good: RequiredText = Field(description="what good looks like")
    # not translated: a schema note for developers, never shown
    look_for: RequiredText = Field(description="what to look for on file")


class Question(Strict):
    LATER = frozenset({"critical_answers", "critical_cap", "option_labels"})

    id: ItemId
    text: RequiredText
    guidance: Guidance
    scale: str = "compliance"
    option_labels: dict[str, RequiredText] = Field(
        default_factory=dict,
        description="this question's own words for some of its scale's options, by code: a "  # not translated: a schema note
        "Welsh answer follows the question's verb (Ydy/Nac ydy, Oes/Nac oes, Do/Naddo)",
    )
    applies_to: list[str] | None = None
    # not translated: a schema note for developers, never shown
    weight: float = Field(default=1.0, ge=0, le=10, description="0: recorded, not scored")
    critical: bool = False
    critical_answers: list[str] | None = Field(
        default=None,
        description="answer codes that trigger it (default: those worth 0 points)",  # not translated: a schema note
    )
    critical_cap: str | None = Field(
        default=None,
        description="the grade it caps at (default: the framework's critical_cap)",  # not translated: a schema note
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
        default_factory=list,
        description="question ids earlier versions used, never reused",  # not translated: a schema note
    )
    sections: list[Section] = Field(min_length=1)

    # Set by the loader, not by the YAML author.
    content_hash: str = Field(default="", exclude=True)
    source_path: str = Field(default="", exclude=True)
    # The language it reads in (`in_language`): built-in scales and case types, which a file
    # names by id, read in it too.
    _lang: str = PrivateAttr(default=DEFAULT_LANGUAGE)
    _mark: bool = PrivateAttr(default=False)  # `shown_in`: missing translations are marked

    @property
    def lang(self) -> str:
        return self._lang

    def _builtin(self, value: Any) -> Any:
        """A built-in scale or case type in this framework's language."""
        if self._lang == DEFAULT_LANGUAGE and not self._mark:
            return value
        return in_language(value, self._lang, self._mark)

    @cached_property
    def judgements(self) -> JudgementScale:
        own = self.judgement_scales.get(self.judgement_scale)
        return own or self._builtin(JUDGEMENT_SCALES[self.judgement_scale])

    def scale(self, name: str) -> AnswerScale:
        """An answer scale by name, with the scale's own words. For a question's options use
        `answer_scale(question)`: a question may word some of them its own way."""
        own = self.answer_scales.get(name)
        return own or self._builtin_scales[name]

    @cached_property
    def _builtin_scales(self) -> dict[str, AnswerScale]:
        return {name: self._builtin(scale) for name, scale in BUILTIN_SCALES.items()}

    @cached_property
    def _question_scales(self) -> dict[str, AnswerScale]:
        """The scale of each question that words options its own way, with its words."""
        out: dict[str, AnswerScale] = {}
        for q in self.questions:
            if q.option_labels:
                scale = self.scale(q.scale)
                out[q.id] = scale.model_copy(
                    update={
                        "options": [
                            o.model_copy(update={"label": self._own_label(o.label, own)})
                            if (own := q.option_labels.get(o.code)) is not None
                            else o
                            for o in scale.options
                        ]
                    }
                )
        return out

    def _own_label(self, label: Text, own: Text) -> Text:
        """The question's word in each language it gives; the scale's in the others."""
        return Text({**label.translations, **own.translations}, self._lang, self._mark)

    def answer_scale(self, question: Question) -> AnswerScale:
        """The options a question is answered with: its scale's, with any words the question
        gives for them (`option_labels`). Codes, keys and points are the scale's."""
        return self._question_scales.get(question.id) or self.scale(question.scale)

    # --- case types ---------------------------------------------------------------------

    @cached_property
    def case_type_list(self) -> list[CaseType]:
        """The framework's case types, built-in ids with their built-in label and aliases."""
        return [
            ct
            if isinstance(ct, CaseType)
            else self._builtin(BUILTIN_CASE_TYPES.get(ct) or CaseType(id=ct, label=Text(ct)))
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
        return self.answer_scale(question).option(code)

    # --- critical questions ---------------------------------------------------------------

    def critical_triggers(self, question: Question) -> list[str]:
        """The answer codes that make a critical question a critical failure: those it names,
        or (by default) the options worth 0 points - "No" on the built-in scales."""
        if not question.critical:
            return []
        if question.critical_answers is not None:
            return list(question.critical_answers)
        return [o.code for o in self.answer_scale(question).options if o.points == 0]

    def critical_cap_of(self, question: Question, answer: str | None) -> str | None:
        """The grade this answer caps the suggested judgement at, or None if it does not."""
        if answer is None or answer not in self.critical_triggers(question):
            return None
        return question.critical_cap or self.critical_cap

    def in_language(self, lang: str) -> Framework:
        """This framework reading in `lang` (en or cy) wherever it gives that language, and
        in the other language, unmarked, where it does not; built-in scales and case types
        read in `lang` too. Same content, same hash. For what a person reads use `shown_in`."""
        return self._reading(lang, mark=False)

    def shown_in(self, lang: str) -> Framework:
        """This framework as a reader who chose `lang` (en or cy) sees it - the call a screen
        or an export makes: every text (`str(...)`) in `lang`, or in the other language behind
        the fallback mark where it has none ("[en] Was the plan reviewed?"; see
        `bilingual.fallback_mark`); quotations and sources' titles as published, unmarked.
        Same content, same hash: `text.get(lang)` and `text.translations` are unchanged, and
        `text.marked` says whether a text is shown in the other language. It is a copy (some
        milliseconds for case-file): make it once when the language is chosen, not per row."""
        return self._reading(lang, mark=True)

    def _reading(self, lang: str, mark: bool) -> Framework:
        if lang not in LANGUAGES:
            # A caller's mistake (the language is checked where it is chosen), for developers.
            known = ", ".join(LANGUAGES)
            raise ValueError(f"unknown language {lang!r} (known: {known})")  # not translated: a bug
        copy: Framework = in_language(self, lang, mark)
        copy._lang = lang
        copy._mark = mark
        return copy

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

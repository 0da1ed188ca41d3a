"""What a framework has not yet said in a language: every text a person reads that lacks it.

`frameworks check --lang cy` lists these. A missing translation is not an error - the text is
shown in the other language, marked - so the list is advice for the translator, not a reason
to refuse the file.

Left out, on purpose:
- quotations (`evidence[].quote`) and a source's title, short title and publisher: a citation
  stays in the language its document was published in;
- a question's own answer words (`option_labels`): where a question gives none in a
  language, its scale's word is used, and the scale is listed when that word is missing;
- built-in scales and case types, named by id: the tool has their words in both languages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from audit_tui.domain.bilingual import LANGUAGES, Text
from audit_tui.domain.framework import Citation, Framework, Question, Section, Source
from audit_tui.domain.scales import AnswerOption, Grade
from audit_tui.domain.yaml_reading import Lines, Loc, fmt_loc

# Fields whose text is never listed (see the module's docstring).
_NOT_LISTED: dict[type[BaseModel], frozenset[str]] = {
    Citation: frozenset({"quote"}),
    Source: frozenset({"title", "short", "publisher"}),
    Question: frozenset({"option_labels"}),
}

_FIELD_WORDS = {
    "title": "title",
    "description": "description",
    "text": "wording",
    "good": "'what good looks like'",
    "look_for": "'what to look for'",
    "label": "label",
}


def _texts(value: Any, loc: Loc) -> Iterator[tuple[Loc, Text, tuple[BaseModel, ...]]]:
    """(where, text, the parts it is in, outermost first) for every Text in `value`."""
    if isinstance(value, Text):
        yield loc, value, ()
    elif isinstance(value, BaseModel):
        skip = _NOT_LISTED.get(type(value), frozenset())
        for name in type(value).model_fields:
            if name not in skip:
                for where, text, parts in _texts(getattr(value, name), (*loc, name)):
                    yield where, text, (value, *parts)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*loc, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*loc, key))


def _what(loc: Loc, parts: tuple[BaseModel, ...]) -> str:
    """The text in plain words: "question CF-AS-02: what good looks like"."""
    field = str(loc[-1])
    owner = parts[-1] if parts else None
    words = _FIELD_WORDS.get(field, field)
    its = words if words.startswith("'") else f"its {words}"
    if isinstance(owner, Question):
        return f"question {owner.id}: {its}"
    if isinstance(owner, Section):
        return f"section {owner.id}: {its}"
    if isinstance(owner, AnswerOption):
        return f"answer scale {loc[1]}, option {owner.code}: {its}"
    if isinstance(owner, Grade):
        return f"judgement scale {loc[1]}, grade {owner.code}: {its}"
    if len(parts) >= 2 and isinstance(parts[-2], Question):  # guidance
        return f"question {parts[-2].id}: {its}"
    if loc[0] == "case_types":
        return f"case type {getattr(owner, 'id', loc[1])}: {its}"
    return f"the framework's {words}"


def untranslated(fw: Framework, lang: str) -> list[tuple[Loc, str]]:
    """(where, what) for every text a person reads that has nothing in `lang`, in file
    order (as the schema lists its fields, which is the order files are written in)."""
    out = []
    for loc, text, parts in _texts(fw, ()):
        # A text with no letters ("5", "10 -") reads the same in every language.
        wordless = not any(c.isalpha() for c in text)
        if not wordless and not text.translations.get(lang, "").strip():
            out.append((loc, _what(loc, parts)))
    return out


def untranslated_lines(fw: Framework, lines: Lines, lang: str) -> list[tuple[int | None, str]]:
    """Each untranslated text as (line, "where: what has no Welsh (cy)"), by line."""
    name = LANGUAGES[lang]
    found = [
        (lines.line(loc), f"{fmt_loc(loc)}: {what} has no {name} ({lang})")
        for loc, what in untranslated(fw, lang)
    ]
    return sorted(found, key=lambda item: item[0] or 0)

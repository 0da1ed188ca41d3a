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

from audit_tui.domain.bilingual import LANGUAGES, Text, as_published, has_words
from audit_tui.domain.framework import Framework, Question, Section
from audit_tui.domain.scales import AnswerOption, Grade
from audit_tui.domain.yaml_reading import Lines, Loc, fmt_loc
from audit_tui.i18n import N_, _

# Fields whose text is never listed (see the module's docstring): what stays as published,
# and a question's own answer words.
_NOT_LISTED: dict[type[BaseModel], frozenset[str]] = {
    Question: frozenset({"option_labels"}),
}

# A part's field in words, whole (Welsh word order differs: no "its" + noun put together).
_ITS = {
    "title": N_("its title"),
    "description": N_("its description"),
    "text": N_("its wording"),
    "good": N_("'what good looks like'"),
    "look_for": N_("'what to look for'"),
    "label": N_("its label"),
}
_FRAMEWORKS = {
    "title": N_("the framework's title"),
    "description": N_("the framework's description"),
}


def _texts(value: Any, loc: Loc) -> Iterator[tuple[Loc, Text, tuple[BaseModel, ...]]]:
    """(where, text, the parts it is in, outermost first) for every Text in `value`."""
    if isinstance(value, Text):
        yield loc, value, ()
    elif isinstance(value, BaseModel):
        skip = _NOT_LISTED.get(type(value), frozenset()) | as_published(value)
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
    its = _(_ITS[field]) if field in _ITS else field
    if isinstance(owner, Question):
        return _("question {id}: {what}").format(id=owner.id, what=its)
    if isinstance(owner, Section):
        return _("section {id}: {what}").format(id=owner.id, what=its)
    if isinstance(owner, AnswerOption):
        return _("answer scale {scale}, option {code}: {what}").format(
            scale=loc[1], code=owner.code, what=its
        )
    if isinstance(owner, Grade):
        return _("judgement scale {scale}, grade {code}: {what}").format(
            scale=loc[1], code=owner.code, what=its
        )
    if len(parts) >= 2 and isinstance(parts[-2], Question):  # guidance
        return _("question {id}: {what}").format(id=parts[-2].id, what=its)
    if loc[0] == "case_types":
        return _("case type {id}: {what}").format(id=getattr(owner, "id", loc[1]), what=its)
    if field in _FRAMEWORKS:
        return _(_FRAMEWORKS[field])
    return _("the framework's {field}").format(field=field)


def untranslated(fw: Framework, lang: str) -> list[tuple[Loc, str]]:
    """(where, what) for every text a person reads that has nothing in `lang`, in file
    order (as the schema lists its fields, which is the order files are written in)."""
    out = []
    for loc, text, parts in _texts(fw, ()):
        if has_words(text) and not text.translations.get(lang, "").strip():
            out.append((loc, _what(loc, parts)))
    return out


def untranslated_lines(fw: Framework, lines: Lines, lang: str) -> list[tuple[int | None, str]]:
    """Each untranslated text as (line, "where: what has no Welsh (cy)"), by line."""
    name = _(LANGUAGES[lang])
    found = [
        (
            lines.line(loc),
            _("{place}: {what} has no {language} ({code})").format(
                place=fmt_loc(loc), what=what, language=name, code=lang
            ),
        )
        for loc, what in untranslated(fw, lang)
    ]
    return sorted(found, key=lambda item: item[0] or 0)

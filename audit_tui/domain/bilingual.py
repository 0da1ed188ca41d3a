"""Framework text that may be written in English, Welsh or both.

A framework author writes a text field either as plain text or as `{en: ..., cy: ...}`. Both
languages are stored. A `Text` is a `str` - the English, or the one language it has - so every
screen, sheet and message shows it as it is; `get(lang)` gives another language where the
interface offers a choice, and `in_language(lang)` a Text that reads in that language first.

What a screen or an export shows in the user's language is `shown(lang)` (one text) or
`Framework.shown_in(lang)` (a whole framework): the text in that language, or - where it has
none - the other language behind a visible mark, `[en] ` or `[cy] ` (`fallback_mark`), so a
reader sees at once that the translation is missing rather than taking it for a mistake.
Quotations and sources' titles are never marked: they stay in the language they were
published in (a model lists such fields in `AS_PUBLISHED`).

Plain text is stored (and hashed) as plain text, so a file written before languages existed
keeps its content hash.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from pydantic import GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from audit_tui.i18n import N_, _

LANGUAGES = {"en": N_("English"), "cy": N_("Welsh")}
DEFAULT_LANGUAGE = "en"

_T = TypeVar("_T")


def fallback_mark(shown_lang: str) -> str:
    """The mark before a text shown in `shown_lang` because the chosen language has none:
    the language code in brackets, which reads the same in English and Welsh."""
    return f"[{shown_lang}] "


def has_words(text: str) -> bool:
    """Whether `text` has anything to translate: a text with no letters does not."""
    return any(c.isalpha() for c in text)


class Text(str):
    """Text in one or more languages; as a str, the English (or the one language it has)."""

    translations: dict[str, str]
    lang: str  # the language this reads in as a str
    marked: bool  # shown in another language than asked for, behind `fallback_mark`
    asked: str  # the language asked for

    def __new__(
        cls, value: str | Mapping[str, str], lang: str = DEFAULT_LANGUAGE, mark: bool = False
    ) -> Text:
        if isinstance(value, Text):
            by_lang = dict(value.translations)
        elif isinstance(value, str):
            by_lang = {DEFAULT_LANGUAGE: value}
        else:
            by_lang = {k: v for k, v in value.items() if k in LANGUAGES}
        shown = next((c for c in (lang, DEFAULT_LANGUAGE, *by_lang) if by_lang.get(c)), None)
        words = by_lang.get(shown, "") if shown else ""
        # A text with no letters ("5", "10 -") reads the same in every language.
        marked = mark and shown is not None and shown != lang and has_words(words)
        text = super().__new__(cls, fallback_mark(shown) + words if marked and shown else words)
        text.translations = by_lang
        text.lang = shown or lang
        text.marked = marked
        text.asked = lang
        return text

    def get(self, lang: str | None = None) -> str:
        """The text in `lang`, or in English, or in the one language it has."""
        return self.translations.get(lang or DEFAULT_LANGUAGE) or str(self)

    def in_language(self, lang: str, mark: bool = False) -> Text:
        """This text reading in `lang` first (English or its one language where it has no
        `lang`, behind `fallback_mark` if `mark`)."""
        return Text(self.translations, lang, mark)

    def shown(self, lang: str) -> str:
        """What a reader who chose `lang` sees: the text in `lang`, or in the other language
        behind the fallback mark ("[en] Was the plan reviewed?")."""
        return str(self.in_language(lang, mark=True))

    @property
    def languages(self) -> list[str]:
        return [code for code in LANGUAGES if code in self.translations]

    def stored(self) -> str | dict[str, str]:
        """Plain text when the text is English only (as files before languages wrote it), so
        such a file's content hash is unchanged; otherwise each language."""
        if set(self.translations) <= {DEFAULT_LANGUAGE}:
            return self.translations.get(DEFAULT_LANGUAGE, "")
        return {k: self.translations[k] for k in LANGUAGES if k in self.translations}

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (dict(self.translations), self.asked, self.marked))

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda t: t.stored() if isinstance(t, Text) else t
            ),
        )


def _validate(value: Any) -> Text:
    if isinstance(value, Text):
        return value
    if isinstance(value, str):
        return Text(value)
    if isinstance(value, Mapping):
        unknown = [str(k) for k in value if k not in LANGUAGES]
        if unknown:
            raise PydanticCustomError(
                "text_language",
                # Worded (in the language in force) as the file is validated; pydantic fills
                # in the {fields}.
                _("unknown language '{lang}' (write the text under {allowed})"),
                {"lang": unknown[0], "allowed": _(" or ").join(LANGUAGES)},
            )
        if not value:
            raise PydanticCustomError(
                "text_empty", _("give the text in English (en) or Welsh (cy)")
            )
        for k, v in value.items():
            if not isinstance(v, str):
                raise PydanticCustomError(
                    "text_type", _("the {lang} text should be text"), {"lang": _(LANGUAGES[k])}
                )
        return Text(value)
    raise PydanticCustomError(
        "text_type",
        # format() turns {{ }} into the braces the author writes (pydantic keeps them doubled).
        _("should be text, or the text in each language as {{en: ..., cy: ...}}").format(),
    )


def non_empty(text: Text) -> Text:
    """For a required text: every language given has something in it."""
    if not str(text).strip() or any(not v.strip() for v in text.translations.values()):
        raise PydanticCustomError("text_empty", _("should not be empty"))
    return text


def in_language(value: _T, lang: str, mark: bool = False) -> _T:
    """`value` - a framework or any part of one - with every Text reading in `lang` first
    (English, or its one language, where a text has no `lang`; behind `fallback_mark` if
    `mark`, except fields a model lists in `AS_PUBLISHED`). Nothing else changes: what is
    stored and hashed is the same in every language."""
    return cast(_T, _in_language(value, lang, mark))


def _in_language(value: Any, lang: str, mark: bool) -> Any:
    from pydantic import BaseModel

    if isinstance(value, Text):
        return value.in_language(lang, mark)
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        published = as_published(value)
        copy = value.model_copy(
            update={
                name: _in_language(getattr(value, name), lang, mark and name not in published)
                for name in fields
            }
        )
        for cached in [k for k in copy.__dict__ if k not in fields]:
            del copy.__dict__[cached]  # worked out from the other language's texts
        return copy
    if isinstance(value, list):
        return [_in_language(v, lang, mark) for v in value]
    if isinstance(value, dict):
        return {k: _in_language(v, lang, mark) for k, v in value.items()}
    return value


def as_published(model: Any) -> frozenset[str]:
    """The fields of `model` that stay in the language they were published in (a quotation,
    a source's title): never marked as untranslated, never listed as such."""
    return frozenset(getattr(type(model), "AS_PUBLISHED", ()))

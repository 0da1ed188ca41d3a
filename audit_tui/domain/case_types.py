"""The subjects an audit can be about. Ids are stored; labels are shown.

A framework lists its case types: a built-in id below (with the label and import aliases
given here), or a case type of its own `{id, label, aliases}`. `import-cases` and `sample`
read a case list's "case type" column against the types of the framework in use.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from audit_tui.domain.bilingual import Text
from audit_tui.domain.case_type_names import BUILTIN_NAMES
from audit_tui.domain.scales import RequiredText, Strict
from audit_tui.i18n import N_, _, shown_language

ID_WORDS = N_("lower-case letters, digits and underscores, like children_in_care")


def _id(value: str) -> str:
    if not value or not all(
        c.isascii() and (c.islower() or c.isdigit() or c == "_") for c in value
    ):
        raise PydanticCustomError("words", _("should be {what}"), {"what": _(ID_WORDS)})
    return value


CaseTypeId = Annotated[str, AfterValidator(_id)]


class CaseType(Strict):
    id: CaseTypeId
    label: RequiredText
    aliases: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description="other ways a case list writes it (abbreviations, older names)",  # not translated: a schema note
    )


def _builtin(code: str, label: tuple[str, str], *aliases: str) -> CaseType:
    """A built-in type: its label in English and Welsh (both also read from a case list)."""
    en, cy = label
    return CaseType(id=code, label=Text({"en": en, "cy": cy}), aliases=list(aliases))


# The labels are framework content in both languages (bilingual Text), not catalogue text:
# a framework names a built-in type by id and shows it as it shows its own (`shown_in`), and
# a case list's column is read against the labels in every language and the aliases at once.
# not translated: framework content in both languages, and a case list's words matched
BUILTIN_CASE_TYPES: dict[str, CaseType] = {
    code: _builtin(code, label, *aliases) for code, (label, aliases) in BUILTIN_NAMES.items()
}

# Kept for what has no framework at hand: the label of a built-in id.
CASE_TYPES: dict[str, str] = {code: str(ct.label) for code, ct in BUILTIN_CASE_TYPES.items()}


def case_type_label(code: str) -> str:
    """A built-in case type's label (the id itself for any other). With a framework at hand,
    use `Framework.case_type_label`: a framework may name its own types. In the language
    text is written in now (Welsh where the tool is), as a framework's own label is."""
    ct = BUILTIN_CASE_TYPES.get(code)
    return ct.label.get(shown_language()) if ct else code


# --- reading a case list's "case type" column ---------------------------------------------------

_NON_WORD = re.compile(r"[^0-9a-z']+")


def plain_words(text: str) -> str:
    """Text as a case list's cell is compared: no accents, lower case, punctuation as spaces
    ("Née" is "nee", "Pen-blwydd" is "pen blwydd", "Child-in-need" is "child in need")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", plain.lower().replace("'", "")).split())


def _names(ct: CaseType) -> Iterable[str]:
    yield ct.id
    for label in ct.label.translations.values():
        yield label
        yield label.split("(")[0]  # "Contact (front door)" is also written plain "Contact"
    yield from ct.aliases


def lookup(types: Iterable[CaseType]) -> dict[str, str]:
    """Each way a case list may write a case type (id, label in each language, alias), in
    plain words -> its id. Earlier types win a name two share: a framework lists its own
    types before it refers to built-in ones."""
    out: dict[str, str] = {}
    for ct in types:
        for name in _names(ct):
            out.setdefault(plain_words(name), ct.id)
    return out

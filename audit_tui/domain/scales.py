"""Answer scales (how a question is answered) and judgement scales (how an audit is graded).

Two answer scales (`compliance`, `yes_no`) and two judgement scales (`ofsted`, `ciw2025`) are
built in; a framework may declare its own of either, in its own words.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_serializer
from pydantic_core import PydanticCustomError

from audit_tui.domain.bilingual import Text, non_empty
from audit_tui.i18n import N_, _

# Answer option codes and grade codes are stored with every answer and judgement.
CODE_WORDS = N_("lower-case letters, digits and underscores, like not_met or 10")
SHORT_LABEL = 12  # a grade label longer than this is shortened (its `short`, or initials)


def _code(value: str) -> str:
    if not value or not all(
        c.isascii() and (c.islower() or c.isdigit() or c == "_") for c in value
    ):
        raise PydanticCustomError("words", _("should be {what}"), {"what": _(CODE_WORDS)})
    return value


def _key(value: str) -> str:
    if len(value) != 1 or not value.isascii() or not (value.islower() or value.isdigit()):
        raise PydanticCustomError(
            "words", _("should be one lower-case letter or one digit, like y or 0")
        )
    return value


Code = Annotated[str, AfterValidator(_code)]
Key = Annotated[str, AfterValidator(_key)]
RequiredText = Annotated[Text, AfterValidator(non_empty)]


class Strict(BaseModel):
    """A part of a framework file: unknown keys refused, frozen once loaded.

    `LATER` names fields added to the format after its first release. While such a field
    holds its default it is left out of the stored definition, so a file that does not use
    it keeps the content hash it always had (an audit records that hash)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    LATER: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _leave_out_later_defaults(self, handler: Any) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            fields = type(self).model_fields
            for name in self.LATER:
                if name in data and getattr(self, name) == fields[name].get_default(
                    call_default_factory=True
                ):
                    del data[name]
        return data


class AnswerOption(Strict):
    code: Code
    label: RequiredText
    # not translated: a schema note for developers, never shown
    key: Key = Field(description="the key that chooses it in the walkthrough")
    # not translated: a schema note for developers, never shown
    points: float | None = Field(default=None, ge=0, le=1, description="None: excluded (N/A)")

    @property
    def is_na(self) -> bool:
        return self.points is None

    @property
    def kind(self) -> str:
        """met / partly / not_met / na - how it is marked (✓ ~ ✗ –) and counted."""
        if self.points is None:
            return "na"
        if self.points >= 1:
            return "met"
        if self.points <= 0:
            return "not_met"
        return "partly"


MAX_OPTIONS = 11  # a 0-10 scale


class AnswerScale(Strict):
    options: list[AnswerOption] = Field(min_length=2)

    def option(self, code: str) -> AnswerOption | None:
        return next((o for o in self.options if o.code == code), None)

    @property
    def na_option(self) -> AnswerOption | None:
        return next((o for o in self.options if o.is_na), None)

    @property
    def digit_keys(self) -> bool:
        """Options chosen by digit keys of their own: number keys then choose by key, not by
        position (see domain/keys.py)."""
        return any(o.key.isdigit() for o in self.options)


# The built-in words in English and Welsh. A built-in scale is named by id in a file, never
# written out, so its words are not part of any framework's content hash: adding a language
# here changes no stored version. The Welsh "Ie"/"Na" are the answers that stand without a
# verb; a question may give its own (Do/Naddo, Oes/Nac oes...) with `option_labels`. See
# docs/glossary-cy.md for where each word comes from.
#
# They are framework content (bilingual Text), not catalogue text: they are shown, marked and
# fallen back on exactly as a framework's own scale is (`Framework.shown_in`), the bilingual
# export pairs them, and an answer is read back in either language.
# not translated: framework content in both languages (bilingual Text), see above
YES = Text({"en": "Yes", "cy": "Ie"})
# not translated: framework content in both languages (bilingual Text)
PARTLY = Text({"en": "Partly", "cy": "Yn rhannol"})
# not translated: framework content in both languages (bilingual Text)
NO = Text({"en": "No", "cy": "Na"})
# not translated: framework content in both languages (bilingual Text)
NOT_APPLICABLE = Text({"en": "Not applicable", "cy": "Amherthnasol"})

BUILTIN_SCALES: dict[str, AnswerScale] = {
    "compliance": AnswerScale(
        options=[
            AnswerOption(code="yes", label=YES, key="y", points=1),
            AnswerOption(code="partly", label=PARTLY, key="p", points=0.5),
            AnswerOption(code="no", label=NO, key="n", points=0),
            AnswerOption(code="na", label=NOT_APPLICABLE, key="a", points=None),
        ]
    ),
    "yes_no": AnswerScale(
        options=[
            AnswerOption(code="yes", label=YES, key="y", points=1),
            AnswerOption(code="no", label=NO, key="n", points=0),
            AnswerOption(code="na", label=NOT_APPLICABLE, key="a", points=None),
        ]
    ),
}


class Grade(Strict):
    code: Code
    label: RequiredText
    short: str | None = Field(
        default=None,
        min_length=1,
        max_length=6,
        description="e.g. RI; where space is short",  # not translated: a schema note
    )


class JudgementScale(Strict):
    """Grades best first, and the lowest grade that counts as good or better."""

    grades: list[Grade] = Field(min_length=2)
    # not translated: a schema note for developers, never shown
    good_or_better: Code = Field(description="the lowest grade counted as good or better")

    @property
    def codes(self) -> list[str]:
        return [g.code for g in self.grades]

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(code, label) best first."""
        return [(g.code, str(g.label)) for g in self.grades]

    def grade(self, code: str) -> Grade | None:
        return next((g for g in self.grades if g.code == code), None)

    def label(self, code: str | None) -> str:
        if code is None:
            return _("no data")
        g = self.grade(code)
        return str(g.label) if g else code

    def short(self, code: str | None) -> str:
        """The grade where space is short: its `short`, its label when that fits, or the
        label's initials ('Requires significant improvement' -> 'RSI')."""
        g = self.grade(code) if code is not None else None
        if g is None:
            return "-" if code is None else code
        if g.short:
            return g.short
        return short_label(str(g.label))

    def rank(self, code: str) -> int:
        """0 for the best grade."""
        return self.codes.index(code)

    @property
    def good_or_better_codes(self) -> list[str]:
        codes = self.codes
        return codes[: codes.index(self.good_or_better) + 1] if self.good_or_better in codes else []

    @property
    def good_or_better_name(self) -> str:
        """'Good or better' - in the scale's own words ('Sound or better'); the best grade
        alone when that is the cut-off."""
        if self.good_or_better_codes == self.codes[:1]:
            return self.label(self.codes[0])
        return _("{grade} or better").format(grade=self.label(self.good_or_better))


def short_label(label: str) -> str:
    """'Good' stays 'Good'; a label longer than SHORT_LABEL becomes its initials."""
    if len(label) <= SHORT_LABEL:
        return label
    return "".join(word[0].upper() for word in label.split() if word[:1].isalpha()) or label


def _builtin(grades: list[tuple[str, str, str]], good_or_better: str) -> JudgementScale:
    return JudgementScale(
        grades=[Grade(code=c, label=Text({"en": en, "cy": cy})) for c, en, cy in grades],
        good_or_better=good_or_better,
    )


# not translated: framework content in both languages (bilingual Text), as the answer words
JUDGEMENT_SCALES: dict[str, JudgementScale] = {
    # Ofsted inspects in England and publishes no Welsh words; these are ours (see the
    # glossary: marked for review).
    "ofsted": _builtin(
        [
            ("outstanding", "Outstanding", "Eithriadol"),
            ("good", "Good", "Da"),
            ("requires_improvement", "Requires improvement", "Angen gwella"),
            ("inadequate", "Inadequate", "Annigonol"),
        ],
        "good",
    ),
    # CIW's rating words from April 2025, in CIW's own Welsh.
    "ciw2025": _builtin(
        [
            ("excellent", "Excellent", "Rhagorol"),
            ("good", "Good", "Da"),
            ("requires_improvement", "Requires improvement", "Rhaid gwella"),
            (
                "requires_significant_improvement",
                "Requires significant improvement",
                "Rhaid gwella'n sylweddol",
            ),
        ],
        "good",
    ),
}

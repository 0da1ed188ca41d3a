"""Answer scales (how a question is answered) and judgement scales (how an audit is graded)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class AnswerOption(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    key: str = Field(pattern=r"^[a-z]$", description="mnemonic letter")
    points: float | None = Field(default=None, ge=0, le=1, description="None: excluded (N/A)")

    @property
    def is_na(self) -> bool:
        return self.points is None

    @property
    def kind(self) -> str:
        """met / partly / not_met / na - the words profiles and findings use."""
        if self.points is None:
            return "na"
        if self.points >= 1:
            return "met"
        if self.points <= 0:
            return "not_met"
        return "partly"


class AnswerScale(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    options: list[AnswerOption] = Field(min_length=2)

    @field_validator("options")
    @classmethod
    def _distinct(cls, options: list[AnswerOption]) -> list[AnswerOption]:
        for attr in ("code", "key"):
            values = [getattr(o, attr) for o in options]
            dupes = sorted({v for v in values if values.count(v) > 1})
            if dupes:
                raise ValueError(f"duplicate option {attr} {', '.join(dupes)}")
        if len(options) > 9:
            raise ValueError("at most 9 options (number keys 1-9 choose them)")
        return options

    def option(self, code: str) -> AnswerOption | None:
        return next((o for o in self.options if o.code == code), None)

    @property
    def na_option(self) -> AnswerOption | None:
        return next((o for o in self.options if o.is_na), None)


BUILTIN_SCALES: dict[str, AnswerScale] = {
    "compliance": AnswerScale(
        options=[
            AnswerOption(code="yes", label="Yes", key="y", points=1),
            AnswerOption(code="partly", label="Partly", key="p", points=0.5),
            AnswerOption(code="no", label="No", key="n", points=0),
            AnswerOption(code="na", label="Not applicable", key="a", points=None),
        ]
    ),
    "yes_no": AnswerScale(
        options=[
            AnswerOption(code="yes", label="Yes", key="y", points=1),
            AnswerOption(code="no", label="No", key="n", points=0),
            AnswerOption(code="na", label="Not applicable", key="a", points=None),
        ]
    ),
}


class JudgementScale(BaseModel):
    """Grades best first."""

    model_config = ConfigDict(frozen=True)

    id: str
    grades: list[tuple[str, str]]  # (code, label)

    @model_validator(mode="after")
    def _four(self) -> JudgementScale:
        if len(self.grades) < 2:
            raise ValueError("a judgement scale needs at least two grades")
        return self

    @property
    def codes(self) -> list[str]:
        return [c for c, _ in self.grades]

    def label(self, code: str | None) -> str:
        if code is None:
            return "no data"
        return dict(self.grades).get(code, code)

    def rank(self, code: str) -> int:
        """0 for the best grade."""
        return self.codes.index(code)

    @property
    def good_or_better(self) -> list[str]:
        return self.codes[: self.codes.index("good") + 1] if "good" in self.codes else []


JUDGEMENT_SCALES: dict[str, JudgementScale] = {
    "ofsted": JudgementScale(
        id="ofsted",
        grades=[
            ("outstanding", "Outstanding"),
            ("good", "Good"),
            ("requires_improvement", "Requires improvement"),
            ("inadequate", "Inadequate"),
        ],
    ),
    "ciw2025": JudgementScale(
        id="ciw2025",
        grades=[
            ("excellent", "Excellent"),
            ("good", "Good"),
            ("requires_improvement", "Requires improvement"),
            ("requires_significant_improvement", "Requires significant improvement"),
        ],
    ),
}

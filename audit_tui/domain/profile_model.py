"""Pydantic objects the profile service returns: what the TUI, `profile --json` and the Excel
export show. Every figure carries the n behind it; `percent` None means "no data".

Percentages are 0-100. 95% intervals (`low`, `high`) are 0-100 too, None with no data: for
percent met they allow for answers being clustered within audits (`Profile.interval_method`).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from audit_tui.domain.periods import Period, in_progress, months_covered, whole_period
from audit_tui.domain.scoring import format_percent
from audit_tui.i18n import N_, _, format_date, ngettext

# The whole authority's group name: a key the screens and exports compare with, and
# translate where they show it (one msgid: "Whole authority").
AUTHORITY = "Whole authority"  # not translated: a key, translated where shown

# The change in words (Change.verdict, a code `profile --json` carries) and how a reader is
# shown it, in the run's language (Change.verdict_words): the screens, `audit-tui profile`
# and the workbook all take these.
VERDICTS = {
    "clear rise": N_("clear rise"),  # not translated: the key is the code
    "clear fall": N_("clear fall"),  # not translated: the key is the code
    "may be chance": N_("may be chance"),  # not translated: the key is the code
}


class PeriodOut(BaseModel):
    label: str
    kind: str  # year | quarter | month | range
    start: date
    end: date  # inclusive
    to_date: bool = Field(
        default=False,
        # not translated: a field description, for developers
        description="a year or quarter still in progress: figures so far",
    )
    months: int | None = Field(
        default=None,
        # not translated: a field description, for developers
        description="months covered, when the figures are for part of the period: a period "
        "to date, or the same months of the year before it is compared with",
    )

    @classmethod
    def of(cls, p: Period, *, today: date | None = None) -> PeriodOut:
        """`today`: marks a year or quarter in progress as to date. A period cut short of its
        kind's length (the same months of the year before) carries its months."""
        to_date = today is not None and in_progress(p, today)
        months = None
        if to_date and today is not None:
            months = months_covered(p.start, today)
        elif p.end != whole_period(p).end:
            months = months_covered(p.start, p.end)
        return cls(
            label=p.label, kind=p.kind, start=p.start, end=p.end, to_date=to_date, months=months
        )

    def to_period(self) -> Period:
        return Period(self.start, self.end, self.kind, self.label)

    @property
    def caption(self) -> str:
        """The label as a reader should see it: `2026-27 to date (8 months)`, or for the
        same months of the year before `2025-26, first 8 months (to 29 November 2025)`."""
        if self.months is None:
            return self.label
        months = ngettext("{n} month", "{n} months", self.months).format(n=self.months)
        if self.to_date:
            return _("{period} to date ({months})").format(period=self.label, months=months)
        return _("{period}, first {months} (to {date})").format(
            period=self.label, months=months, date=format_date(self.end)
        )


class Rate(BaseModel):
    """A proportion as a percentage, with its n and a 95% interval (Profile.interval_method)."""

    # not translated: a field description, for developers
    percent: float | None = Field(description="0-100; None is 'no data'")
    # not translated: a field description, for developers
    n: int = Field(description="audits (judgements) or scored answers (percent met)")
    low: float | None = None
    high: float | None = None


class PercentMet(Rate):
    """Percent met over counted, finalised answers: 100 x sum(weight x points) / sum(weight)
    over answers that are not N/A. `n` is the number of scored (not N/A) answers."""

    # not translated: a field description, for developers
    answered: int = Field(description="counted answers including not applicable")
    # not translated: a field description, for developers
    weight: float = Field(description="sum of weights of scored answers")
    # not translated: a field description, for developers
    band: str | None = Field(description="judgement code whose threshold the percent reaches")
    # not translated: a field description, for developers
    band_label: str = Field(description="the band's label, or 'no data'")
    places: int = Field(
        default=0,
        # not translated: a field description, for developers
        description="decimal places to show the percent with, so the shown figure is in its "
        "band: 0 unless rounding to a whole number would cross a threshold (74.58 -> 74.6%)",
    )

    @property
    def shown(self) -> str:
        """The percent as shown beside its band: '75%', '74.6%', 'no data'."""
        return format_percent(self.percent, self.places)


class Grade(BaseModel):
    code: str
    label: str
    # not translated: a field description, for developers
    short: str = Field(description="the grade where space is short: 'RI'; the label if it fits")


class GradeCount(BaseModel):
    code: str
    label: str
    n: int
    percent: float | None  # of the audits in the group; None when there are none


class Change(BaseModel):
    """This period against the previous one, in percentage points."""

    previous_period: str
    current: float | None
    previous: float | None
    # not translated: a field description, for developers
    points: float | None = Field(description="current - previous; None if either is no data")
    low: float | None = Field(
        default=None,
        # not translated: a field description, for developers
        description="95% interval of `points` (Newcombe's method); None: no data",
    )
    high: float | None = None
    clear: bool | None = Field(
        default=None,
        # not translated: a field description, for developers
        description="the interval of the change leaves out 0: unlikely to be chance; None: no data",
    )
    audits_current: int
    audits_previous: int
    # not translated: a field description, for developers
    n_current: int = Field(description="n behind `current` (scored answers or audits)")
    n_previous: int
    # not translated: a field description, for developers
    too_few: bool = Field(description="either side has fewer audits than the small-sample limit")

    @property
    def verdict(self) -> str:
        """The change in words: "clear rise", "clear fall" (its 95% interval leaves out 0),
        "may be chance", or "" when there is nothing to compare."""
        if self.points is None or self.clear is None:
            return ""
        if not self.clear:
            return "may be chance"  # not translated: a code (VERDICTS words it)
        return "clear rise" if self.points > 0 else "clear fall"  # not translated: codes

    @property
    def verdict_words(self) -> str:
        """The verdict as a reader is shown it, in the run's language ("" for none)."""
        return _(VERDICTS[self.verdict]) if self.verdict in VERDICTS else self.verdict


class SectionInfo(BaseModel):
    id: str
    title: str


class QuestionInfo(BaseModel):
    id: str
    section_id: str
    text: str
    critical: bool
    # not translated: a field description, for developers
    good: str = Field(description="what good looks like, from the framework")
    # not translated: a field description, for developers
    citation: str = Field(description="the source paragraph(s) it comes from")
    in_framework: bool = True  # False: answered under an older framework version only


class SectionFigure(BaseModel):
    section_id: str
    title: str
    percent_met: PercentMet
    change: Change


class QuestionFigure(BaseModel):
    question_id: str
    section_id: str
    text: str
    critical: bool
    percent_met: PercentMet


class EvidenceNote(BaseModel):
    """An auditor's note on an answer short of full marks: qualitative evidence beside the number."""

    audit_id: int
    case_reference: str
    team: str
    audit_date: date
    answer: str
    answer_label: str
    note: str


class Finding(BaseModel):
    """One of the weakest questions, with the notes behind it (most recent first)."""

    question_id: str
    section_id: str
    text: str
    good: str
    citation: str
    percent_met: PercentMet
    notes: list[EvidenceNote]


class TrendPoint(BaseModel):
    period: PeriodOut
    audits: int
    too_few: bool
    percent_met: PercentMet
    good_or_better: Rate
    judgements: list[GradeCount]


class GroupProfile(BaseModel):
    """One team, or the whole authority (`is_authority`)."""

    name: str
    is_authority: bool
    audits: int
    # not translated: a field description, for developers
    too_few: bool = Field(description="fewer audits than the small-sample limit")
    judgements: list[GradeCount]
    good_or_better: Rate
    good_or_better_change: Change
    percent_met: PercentMet
    change: Change
    sections: list[SectionFigure]
    questions: list[QuestionFigure]
    # not translated: a field description, for developers
    trend: list[TrendPoint] = Field(description="oldest first, ending with this period")
    weakest: list[Finding]
    strongest: list[QuestionFigure]

    def section(self, section_id: str) -> SectionFigure:
        return next(s for s in self.sections if s.section_id == section_id)

    def question(self, question_id: str) -> QuestionFigure:
        return next(q for q in self.questions if q.question_id == question_id)


class VersionCount(BaseModel):
    """One framework version the period's audits were done on, and how many."""

    version: str
    content_hash: str
    audits: int


class Profile(BaseModel):
    framework_id: str
    framework_title: str
    framework_version: str = Field(
        # not translated: a field description, for developers
        description="the newest version the period's audits used (the file's when none)"
    )
    framework_versions: list[VersionCount] = Field(
        # not translated: a field description, for developers
        description="every version the period's audits were done on, oldest first"
    )
    period: PeriodOut
    previous_period: PeriodOut
    trend_periods: list[PeriodOut]
    small_sample: int
    # not translated: a field description, for developers
    min_answers: int = Field(description="scored answers a question needs to be ranked")
    # not translated: a field description, for developers
    interval_method: str = Field(description="how the 95% intervals and 'clear' changes are made")
    # not translated: a field description, for developers
    teams_selected: list[str] = Field(description="empty: every team")
    grades: list[Grade]
    good_or_better_codes: list[str]
    good_or_better_name: str = Field(
        # not translated: a field description, for developers
        description="the share of audits judged at the cut-off grade or better, in the "
        "scale's words: 'Good or better'"
    )
    percent_met_definition: str = Field(
        # not translated: a field description, for developers
        description="how percent met is worked out, in the framework's answer words"
    )
    below_full_marks: str = Field(
        # not translated: a field description, for developers
        description="the answers short of full marks, in the framework's words: 'Partly or No'"
    )
    sections: list[SectionInfo]
    questions: list[QuestionInfo]
    # not translated: a field description, for developers
    authority: GroupProfile = Field(description="always every team, to compare against")
    teams: list[GroupProfile]
    generated_at: datetime

    def team(self, name: str) -> GroupProfile:
        return next(t for t in self.teams if t.name.lower() == name.lower())

    @property
    def versions_line(self) -> str:
        """e.g. "2024.1: 37 audits, 2025.1: 12 audits" ("" with no audits)."""
        return ", ".join(
            f"{v.version}: {v.audits} audit{'s' if v.audits != 1 else ''}"
            for v in self.framework_versions
        )

    @property
    def groups(self) -> list[GroupProfile]:
        return [self.authority, *self.teams]

    @property
    def scope_audits(self) -> int:
        """Audits behind the chosen teams (every team when none was chosen)."""
        return sum(t.audits for t in self.teams) if self.teams_selected else self.authority.audits


class AuditBehind(BaseModel):
    """An audit behind a profile figure, with its own figure for the cell drilled into."""

    id: int
    case_reference: str
    case_type: str
    case_type_label: str
    team: str
    case_holder: str | None
    auditor: str
    audit_date: date
    status: str
    percent_met: float | None  # the whole audit's
    suggested_judgement: str | None
    judgement: str | None
    moderated_judgement: str | None
    judgement_counted: str | None  # the moderated one when there is one
    cell_percent: float | None  # percent met within the section/question drilled into
    cell_scored: int
    cell_answered: int
    answer: str | None = None  # the answer, when drilling into one question
    note: str | None = None

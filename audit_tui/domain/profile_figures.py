"""The arithmetic of a quality profile, without a database: additive sums folded from teams
into the authority, each percent met and rate with its 95% interval, changes against the
compared period, the weakest and strongest questions, and each group's figures.

services.profiles gathers the sums, counts and notes in SQL and hands them here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from audit_tui.domain.framework import Framework
from audit_tui.domain.periods import Period
from audit_tui.domain.profile_model import (
    Change,
    EvidenceNote,
    Finding,
    GradeCount,
    GroupProfile,
    PercentMet,
    PeriodOut,
    QuestionFigure,
    QuestionInfo,
    Rate,
    SectionFigure,
    SectionInfo,
    TrendPoint,
    VersionCount,
)
from audit_tui.domain.scoring import band as percent_band
from audit_tui.domain.scoring import band_places
from audit_tui.domain.stats import (
    CLUSTERED_METHOD,
    ClusterSums,
    clustered_interval,
    difference_interval,
    wilson_interval,
)
from audit_tui.domain.versions import VersionSet
from audit_tui.i18n import _

# The key of the comparison period beside the trend periods' indexes (-1: no period).
COMPARED = -2

# not translated: the method as `profile --json` records it for analysts (the workbook words it)
INTERVAL_METHOD = (
    f"Percent met of a section or overall: {CLUSTERED_METHOD}. Percent met of one question "
    "(one answer per audit) and the share of audits judged at the good-or-better cut-off "
    "or above: Wilson interval. A change "
    "is clear when the 95% interval of the difference (Newcombe's method from the two "
    "intervals) leaves out zero."
)

Group = int | None  # a team's id; None: the whole authority


@dataclass
class Sums:
    """Additive totals behind a percent met; `clusters` holds the sums over audits for a
    section or overall figure (empty for a question's)."""

    answered: int = 0
    scored: int = 0
    weight: float = 0.0
    points: float = 0.0
    clusters: ClusterSums = field(default_factory=ClusterSums)

    def add(self, other: Sums) -> None:
        self.answered += other.answered
        self.scored += other.scored
        self.weight += other.weight
        self.points += other.points
        self.clusters = self.clusters + other.clusters

    def cluster_sums(self) -> ClusterSums:
        """The clustering sums with the totals they share with the figure."""
        c = self.clusters
        return ClusterSums(c.clusters, self.scored, self.weight, self.points, c.xx, c.xy, c.yy)


def percent_met_figure(fw: Framework, t: Sums, *, clustered: bool = True) -> PercentMet:
    """Percent met of the sums, with its interval, band and the band's label."""
    # Successes are weighted points and n the summed weight, so a Partly counts as half a
    # success and a weight-2 question twice; with all weights 1 this is the plain proportion.
    # A section's or team's answers cluster within audits and the interval allows for it; a
    # question has one answer per audit, so its answers are independent (Wilson's interval).
    if t.weight <= 0:
        return PercentMet(
            percent=None,
            n=t.scored,
            answered=t.answered,
            weight=0.0,
            band=None,
            band_label=_("no data"),
        )
    pct = 100.0 * t.points / t.weight
    if clustered:
        low, high = clustered_interval(t.cluster_sums()) or (None, None)
    else:
        low, high = wilson_interval(t.points, t.weight) or (None, None)
    band = percent_band(fw, pct)
    return PercentMet(
        percent=pct,
        n=t.scored,
        low=None if low is None else 100 * low,
        high=None if high is None else 100 * high,
        answered=t.answered,
        weight=t.weight,
        band=band,
        band_label=fw.judgements.label(band),
        places=band_places(pct, (t.min_percent for t in fw.thresholds)),
    )


def rate(successes: int, n: int) -> Rate:
    """A share of audits with its Wilson interval."""
    if n <= 0:
        return Rate(percent=None, n=0)
    low, high = wilson_interval(successes, n) or (0.0, 0.0)
    return Rate(percent=100.0 * successes / n, n=n, low=100 * low, high=100 * high)


def change(label: str, now: Rate, before: Rate, audits: tuple[int, int], threshold: int) -> Change:
    """The change from `before` to `now`, clear when the difference's interval leaves out 0."""
    cur, prev = now.percent, before.percent
    low = high = None
    clear = None
    if (
        cur is not None
        and prev is not None
        and None not in (now.low, now.high, before.low, before.high)
    ):
        # Both in percent: the difference's interval is in percentage points.
        low, high = difference_interval(
            cur,
            (now.low or 0.0, now.high or 0.0),
            prev,
            (before.low or 0.0, before.high or 0.0),
        )
        clear = low > 0 or high < 0
    return Change(
        previous_period=label,
        current=cur,
        previous=prev,
        points=None if cur is None or prev is None else cur - prev,
        low=low,
        high=high,
        clear=clear,
        audits_current=audits[0],
        audits_previous=audits[1],
        n_current=now.n,
        n_previous=before.n,
        too_few=audits[0] < threshold or audits[1] < threshold,
    )


def citation(fw: Framework, qid: str) -> str:
    # dict.fromkeys: the same paragraph cited twice is shown once, in order.
    return "; ".join(dict.fromkeys(fw.citation_text(c) for c in fw.question(qid).evidence))


def framework_layout(
    vs: VersionSet, found: Iterable[tuple[str, str]]
) -> tuple[list[SectionInfo], list[QuestionInfo]]:
    """The sections and questions of the versions in use, matched by id: the newest
    version's in order, each question in the words of the newest version that has it (a
    retired question in its own). Then any answered on a version that cannot be found."""
    sections = [SectionInfo(id=sec.id, title=sec.title) for sec in vs.layout]
    questions = [
        QuestionInfo(
            id=q.id,
            section_id=sec.id,
            text=q.text,
            critical=q.critical,
            good=" ".join(q.guidance.good.split()),
            citation=citation(vs.holder(q.id), q.id),
            in_framework=not vs.retired(q.id),
        )
        for sec in vs.layout
        for q in sec.questions
    ]
    known_s = {s.id for s in sections}
    known_q = {q.id for q in questions}
    for sec_id, qid in sorted(set(found)):
        if sec_id not in known_s:
            sections.append(
                SectionInfo(
                    id=sec_id, title=_("{section} (wording not stored)").format(section=sec_id)
                )
            )
            known_s.add(sec_id)
        if qid not in known_q:
            questions.append(
                QuestionInfo(
                    id=qid,
                    section_id=sec_id,
                    text=_("{question} (wording not stored)").format(question=qid),
                    critical=False,
                    good="",
                    citation="",
                    in_framework=False,
                )
            )
            known_q.add(qid)
    return sections, questions


def version_counts(vs: VersionSet, used: Mapping[str, int]) -> list[VersionCount]:
    """The versions a period's audits were done on, oldest first, with their audits."""
    known = {fw.content_hash: fw.version for fw in vs.versions}
    rows = [
        VersionCount(version=known.get(h) or _("unknown version"), content_hash=h, audits=n)
        for h, n in used.items()
        if n
    ]
    order = {fw.content_hash: i for i, fw in enumerate(vs.versions)}
    return sorted(
        rows,
        key=lambda r: (r.content_hash not in order, -order.get(r.content_hash, 0), r.content_hash),
    )


def fold_teams(found: Mapping[tuple[int, str], Sums]) -> dict[tuple[Group, str], Sums]:
    """(team, key) sums and the same folded into the authority (None): sums are additive."""
    out: dict[tuple[Group, str], Sums] = defaultdict(Sums)
    for (team_id, key), t in found.items():
        for g in (team_id, None):
            out[(g, key)].add(t)
    return out


@dataclass(frozen=True)
class ProfileScope:
    """What a profile covers: the trend periods (oldest first, ending with the profile's),
    how many of them the trend shows, the compared period's caption, and its limits."""

    fw: Framework
    periods: Sequence[Period]
    trend: int
    compared_label: str
    today: date
    threshold: int  # fewer audits than this: too few
    min_answers: int  # scored answers a question needs to be ranked


class ProfileTables:
    """A profile's figures for each group (a team, or the authority: None), from the sums
    and judgement counts of every team: the authority is the teams' sums added up."""

    def __init__(
        self,
        scope: ProfileScope,
        questions: Sequence[QuestionInfo],
        sections: Sequence[SectionInfo],
        *,
        question_sums: Mapping[tuple[int, str], Sums],
        section_sums: Mapping[tuple[int, int, str], Sums],
        overall_sums: Mapping[tuple[int, int], Sums],
        judged: Mapping[tuple[int, int], Mapping[str, int]],
    ) -> None:
        self.scope, self.fw = scope, scope.fw
        self.questions, self.sections = list(questions), list(sections)
        self.cur = len(scope.periods) - 1
        self.by_q = fold_teams(question_sums)
        self.by_s: dict[tuple[Group, int, str], Sums] = defaultdict(Sums)
        for (team_id, b, sec), t in section_sums.items():
            for g in (team_id, None):
                self.by_s[(g, b, sec)].add(t)
        self.overall: dict[tuple[Group, int], Sums] = defaultdict(Sums)
        self.grades: dict[tuple[Group, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for (team_id, b), t in overall_sums.items():
            for g in (team_id, None):
                self.overall[(g, b)].add(t)
        for (team_id, b), counts in judged.items():
            for code, n in counts.items():
                self.grades[(team_id, b)][code] += n
                self.grades[(None, b)][code] += n
        self._order = {q.id: i for i, q in enumerate(self.questions)}
        self._figures: dict[Group, list[QuestionFigure]] = {}

    def percent_met(self, sums: Sums | None, *, clustered: bool = True) -> PercentMet:
        return percent_met_figure(self.fw, sums or Sums(), clustered=clustered)

    def audits_n(self, g: Group, b: int) -> int:
        return sum(self.grades.get((g, b), {}).values())

    def judgement_counts(self, g: Group, b: int) -> list[GradeCount]:
        scale = self.fw.judgements
        counts = self.grades.get((g, b), {})
        total = sum(counts.values())
        codes = list(scale.codes) + sorted(c for c in counts if c not in scale.codes)
        return [
            GradeCount(
                code=c,
                label=scale.label(c),
                n=counts.get(c, 0),
                percent=100.0 * counts.get(c, 0) / total if total else None,
            )
            for c in codes
        ]

    def good_rate(self, g: Group, b: int) -> Rate:
        good = set(self.fw.judgements.good_or_better_codes)
        counts = self.grades.get((g, b), {})
        return rate(sum(n for c, n in counts.items() if c in good), self.audits_n(g, b))

    def question_figures(self, g: Group) -> list[QuestionFigure]:
        if g not in self._figures:
            self._figures[g] = self._question_figures(g)
        return self._figures[g]

    def _question_figures(self, g: Group) -> list[QuestionFigure]:
        return [
            QuestionFigure(
                question_id=q.id,
                section_id=q.section_id,
                text=q.text,
                critical=q.critical,
                percent_met=self.percent_met(self.by_q.get((g, q.id)), clustered=False),
            )
            for q in self.questions
        ]

    def ranked(self, g: Group, n: int, *, weakest: bool) -> list[QuestionFigure]:
        """The `n` weakest (or strongest) questions with enough scored answers to rank."""
        sign = 1 if weakest else -1
        figs = [
            f
            for f in self.question_figures(g)
            if f.percent_met.percent is not None and f.percent_met.n >= self.scope.min_answers
        ]
        return sorted(
            figs,
            key=lambda f: (
                sign * (f.percent_met.percent or 0.0),
                -f.percent_met.n,
                self._order[f.question_id],
            ),
        )[:n]

    def _change(self, now: Rate, before: Rate, audits: tuple[int, int]) -> Change:
        return change(self.scope.compared_label, now, before, audits, self.scope.threshold)

    def section_figures(self, g: Group, audits: tuple[int, int]) -> list[SectionFigure]:
        out = []
        for sec in self.sections:
            now = self.percent_met(self.by_s.get((g, self.cur, sec.id)))
            before = self.percent_met(self.by_s.get((g, COMPARED, sec.id)))
            out.append(
                SectionFigure(
                    section_id=sec.id,
                    title=sec.title,
                    percent_met=now,
                    change=self._change(now, before, audits),
                )
            )
        return out

    def trend_points(self, g: Group) -> list[TrendPoint]:
        periods, threshold = self.scope.periods, self.scope.threshold
        return [
            TrendPoint(
                period=PeriodOut.of(periods[b], today=self.scope.today),
                audits=self.audits_n(g, b),
                too_few=self.audits_n(g, b) < threshold,
                percent_met=self.percent_met(self.overall.get((g, b))),
                good_or_better=self.good_rate(g, b),
                judgements=self.judgement_counts(g, b),
            )
            for b in range(len(periods) - self.scope.trend, len(periods))
        ]

    def group(
        self,
        g: Group,
        name: str,
        *,
        weakest: list[Finding],
        strongest: list[QuestionFigure],
    ) -> GroupProfile:
        cur = self.cur
        pm = self.percent_met(self.overall.get((g, cur)))
        pm_prev = self.percent_met(self.overall.get((g, COMPARED)))
        audits = (self.audits_n(g, cur), self.audits_n(g, COMPARED))
        gob, gob_prev = self.good_rate(g, cur), self.good_rate(g, COMPARED)
        return GroupProfile(
            name=name,
            is_authority=g is None,
            audits=audits[0],
            too_few=audits[0] < self.scope.threshold,
            judgements=self.judgement_counts(g, cur),
            good_or_better=gob,
            good_or_better_change=self._change(gob, gob_prev, audits),
            percent_met=pm,
            change=self._change(pm, pm_prev, audits),
            sections=self.section_figures(g, audits),
            questions=self.question_figures(g),
            trend=self.trend_points(g),
            weakest=weakest,
            strongest=strongest,
        )


def findings(
    weak: Iterable[QuestionFigure],
    questions: Mapping[str, QuestionInfo],
    notes: Mapping[str, Sequence[EvidenceNote]],
    per_question: int,
) -> list[Finding]:
    """The weakest questions with what good looks like, the citation, and their notes
    (by question id, most recent first), the first `per_question` of each."""
    return [
        Finding(
            question_id=f.question_id,
            section_id=f.section_id,
            text=f.text,
            good=questions[f.question_id].good,
            citation=questions[f.question_id].citation,
            percent_met=f.percent_met,
            notes=list(notes.get(f.question_id, []))[:per_question],
        )
        for f in weak
    ]

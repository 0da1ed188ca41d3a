"""Drawing a sample without a database: each team's cases drawn reproducibly from a seed, the
report line for each team, and auditors assigned round-robin, never to their own case."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from random import Random
from typing import Generic, Protocol, TypeVar

from audit_tui.domain.errors import ChoiceError
from audit_tui.i18n import _, ngettext


@dataclass(frozen=True)
class Candidate:
    """An eligible case: its row id, reference, case type, case-holder, team."""

    case_id: int
    reference: str
    case_type: str
    holder_id: int | None
    team_id: int
    team: str


class Auditor(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


A = TypeVar("A", bound=Auditor)


@dataclass(frozen=True)
class TeamDraw:
    """One team's line in the report and the cases drawn for it, by reference."""

    team: str
    eligible: int
    requested: int
    picked: list[Candidate]
    note: str | None


def draw_team(team: str, candidates: Sequence[Candidate], per_team: int, seed: int) -> TeamDraw:
    """Up to `per_team` of a team's cases. Sorted by reference first and drawn with
    random.Random(f"{seed}:{team}"): the same seed on the same case list gives the same sample
    whatever the database's row order, and one team's sample does not change when another
    team's cases do."""
    ordered = sorted(candidates, key=lambda c: c.reference)
    if len(ordered) <= per_team:
        picked = ordered
    else:
        drawn = Random(f"{seed}:{team}").sample(ordered, per_team)
        picked = sorted(drawn, key=lambda c: c.reference)
    note = None
    if not ordered:
        note = _("no eligible cases")
    elif len(ordered) < per_team:
        n = len(ordered)
        note = ngettext(
            "only {n} eligible case: took all", "only {n} eligible cases: took all", n
        ).format(n=n)
    return TeamDraw(team, len(ordered), per_team, picked, note)


class Rotation(Generic[A]):
    """Round-robin over a list of auditors that skips the case's own case-holder."""

    def __init__(self, pool: Sequence[A]) -> None:
        self.pool = list(pool)
        self.next = 0

    def pick(self, holder_id: int | None) -> A | None:
        for step in range(len(self.pool)):
            w = self.pool[(self.next + step) % len(self.pool)]
            if w.id != holder_id:
                self.next = (self.next + step + 1) % len(self.pool)
                return w
        return None


def assign(
    draws: Sequence[TeamDraw],
    pool: Sequence[A] | None,
    managers: Callable[[int], Sequence[A]],
) -> list[tuple[Candidate, A]]:
    """Each drawn case with its auditor: in turn from the pool shared by every team, or
    else from the case's team's managers. Refused when nobody but the case-holder is left."""
    shared = Rotation(pool) if pool is not None else None
    out: list[tuple[Candidate, A]] = []
    for draw in draws:
        rotation: Rotation[A] | None = None
        for case in draw.picked:
            rotation = rotation or shared or Rotation(managers(case.team_id))
            auditor = rotation.pick(case.holder_id)
            if auditor is None:
                raise ChoiceError(
                    "auditors",
                    _(
                        "case {case} in {team}: its case-holder is the only auditor "
                        "available; name another auditor"
                    ).format(case=case.reference, team=case.team),
                )
            out.append((case, auditor))
    return out


def teams_without_auditors(
    draws: Sequence[TeamDraw], managers: Mapping[int, Sequence[object]]
) -> list[str]:
    """The teams with drawn cases but no manager to audit them."""
    return [d.team for d in draws if d.picked and not managers.get(d.picked[0].team_id)]


_WINDOW = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$", re.IGNORECASE)


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` calendar months earlier (clamped to month end)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def parse_window(text: str, today: date) -> int:
    """'90d', '12w', '12m' or '1y' -> days before `today`. Months and years are calendar
    ones: '12m' on 20 November 2026 reaches back to 20 November 2025 (365 days). A bare
    number is days."""
    m = _WINDOW.match(text)
    if not m:
        raise ChoiceError(
            "exclude_audited_within",
            _(
                "the exclusion window '{window}' is not a number of days, weeks, months or "
                "years: write it like 90d, 12w, 12m or 1y"
            ).format(window=text),
        )
    n, unit = int(m.group(1)), (m.group(2) or "d").lower()
    if unit == "d":
        return n
    if unit == "w":
        return 7 * n
    months = n if unit == "m" else 12 * n
    if months > 12 * 100:
        raise ChoiceError(
            "exclude_audited_within",
            _("the exclusion window '{window}' is over 100 years").format(window=text),
        )
    return (today - months_before(today, months)).days

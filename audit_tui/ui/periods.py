"""Stepping between reporting periods on the Profiles screen: previous, next, another kind."""

from __future__ import annotations

from datetime import date, timedelta

from audit_tui.domain.periods import (
    Period,
    current_quarter,
    current_year,
    date_range,
    fy_start_year,
    in_progress,
    month,
    months_covered,
    quarter,
    quarter_of,
)
from audit_tui.i18n import N_, _, format_date, ngettext

KINDS = ("year", "quarter", "month")
KIND_NAMES = {
    "year": N_("financial year"),
    "quarter": N_("quarter"),
    "month": N_("month"),
    "range": N_("date range"),
}


def containing(kind: str, day: date) -> Period:
    """The financial year, quarter or month that `day` falls in."""
    if kind == "year":
        return current_year(day)
    if kind == "quarter":
        return current_quarter(day)
    return month(day.year, day.month)


def following(p: Period) -> Period:
    """The period of the same kind right after `p`."""
    if p.kind == "year":
        return current_year(p.end + timedelta(days=1))
    if p.kind == "quarter":
        nxt = p.end + timedelta(days=1)
        return quarter(fy_start_year(nxt), quarter_of(nxt))
    if p.kind == "month":
        nxt = p.end + timedelta(days=1)
        return month(nxt.year, nxt.month)
    start = p.end + timedelta(days=1)
    return date_range(start, start + (p.end - p.start))


def step(p: Period, by: int, today: date) -> Period | None:
    """One period earlier (-1) or later (+1); None when later would start after today."""
    if by < 0:
        return p.previous()
    nxt = following(p)
    return nxt if nxt.start <= today else None


def next_kind(p: Period, today: date) -> Period:
    """Year -> quarter -> month -> year, around the latest day of `p` that is not after today."""
    anchor = min(p.end, today)
    kind = KINDS[(KINDS.index(p.kind) + 1) % len(KINDS)] if p.kind in KINDS else "year"
    return containing(kind, anchor)


def describe(p: Period, today: date | None = None) -> str:
    """'2025-26 Q1 (quarter)'; a year or quarter in progress '2026-27 to date (8 months)'."""
    if today is not None and in_progress(p, today):
        n = months_covered(p.start, today)
        return ngettext("{period} to date ({n} month)", "{period} to date ({n} months)", n).format(
            period=p.label, n=n
        )
    kind = KIND_NAMES.get(p.kind)
    return f"{p.label} ({_(kind) if kind else p.kind})"


def span(p: Period) -> str:
    """'1 Apr 2025 - 30 Jun 2025' ('1 Ebr 2025 - 30 Meh 2025' in Welsh)."""
    return f"{format_date(p.start, 'medium')} - {format_date(p.end, 'medium')}"

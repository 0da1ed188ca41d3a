"""Reporting periods on the UK financial year (1 April - 31 March).

Written `2025-26` (a year), `2025-26 Q1` (April-June 2025), `2025-07` (a month), or a
date range `2025-04-01..2025-09-30`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from audit_tui.domain.errors import UserError
from audit_tui.i18n import _

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-(\d{2})\s*Q([1-4])$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str  # year | quarter | month | range
    label: str

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def previous(self) -> Period:
        if self.kind == "year":
            return financial_year(self.start.year - 1)
        if self.kind == "quarter":
            fy, q = fy_start_year(self.start), quarter_of(self.start)
            return quarter(fy - 1, 4) if q == 1 else quarter(fy, q - 1)
        if self.kind == "month":
            prev = self.start - timedelta(days=1)
            return month(prev.year, prev.month)
        length = self.end - self.start
        end = self.start - timedelta(days=1)
        return date_range(end - length, end)

    def last(self, n: int) -> list[Period]:
        """This period and the n-1 before it, oldest first."""
        out = [self]
        while len(out) < n:
            out.append(out[-1].previous())
        return list(reversed(out))


def fy_start_year(d: date) -> int:
    return d.year if d.month >= 4 else d.year - 1


def fy_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def quarter_of(d: date) -> int:
    return ((d.month - 4) % 12) // 3 + 1


def financial_year(start_year: int) -> Period:
    return Period(date(start_year, 4, 1), date(start_year + 1, 3, 31), "year", fy_label(start_year))


def quarter(fy: int, q: int) -> Period:
    first_month = 4 + 3 * (q - 1)
    year = fy + (first_month - 1) // 12
    first_month = (first_month - 1) % 12 + 1
    start = date(year, first_month, 1)
    end = _month_end(date(year + (first_month + 2 - 1) // 12, (first_month + 2 - 1) % 12 + 1, 1))
    return Period(start, end, "quarter", f"{fy_label(fy)} Q{q}")


def month(year: int, m: int) -> Period:
    start = date(year, m, 1)
    return Period(start, _month_end(start), "month", f"{year}-{m:02d}")


def date_range(start: date, end: date) -> Period:
    if end < start:
        raise UserError(
            _("period {start}..{end}: the end is before the start").format(start=start, end=end)
        )
    return Period(start, end, "range", f"{start.isoformat()}..{end.isoformat()}")


def _month_end(d: date) -> date:
    nxt = date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)
    return nxt - timedelta(days=1)


def current_quarter(today: date) -> Period:
    return quarter(fy_start_year(today), quarter_of(today))


def current_year(today: date) -> Period:
    return financial_year(fy_start_year(today))


def parse_period(text: str) -> Period:
    t = text.strip()
    try:
        if m := _QUARTER.match(t):
            fy = int(m.group(1))
            _check_fy(fy, int(m.group(2)), t)
            return quarter(fy, int(m.group(3)))
        if m := _YEAR.match(t):
            a, b = int(m.group(1)), int(m.group(2))
            # A financial year wins the (rare) tie: 2011-12 is the year, not December 2011.
            if b == (a + 1) % 100:
                return financial_year(a)
            if 1 <= b <= 12:
                return month(a, b)
            raise ValueError(
                _("neither a month (01-12) nor a financial year (did you mean {label}?)").format(
                    label=fy_label(a)
                )
            )
        if m := _RANGE.match(t):
            return date_range(date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2)))
    except ValueError as exc:
        raise UserError(f"period '{text}': {exc}") from None
    raise UserError(
        _(
            "period '{text}' not understood: use 2025-26, 2025-26 Q1, 2025-07 or "
            "2025-04-01..2025-09-30"
        ).format(text=text)
    )


def period_filter(value: str | Period | None) -> Period | None:
    """The period a list or report is narrowed to: its text parsed, or None (no period
    given) for every period. Not a profile's period: services.profiles.resolve_period gives
    that, defaulting to this financial year."""
    if value is None or isinstance(value, Period):
        return value
    return parse_period(value)


def _check_fy(a: int, b: int, text: str) -> None:
    if b != (a + 1) % 100:
        raise ValueError(
            _(
                "{given} is not a financial year, which runs April to March (did you mean {label}?)"
            ).format(given=f"{a}-{b:02d}", label=fy_label(a))
        )


# --- a year or quarter still in progress ----------------------------------------------------


def in_progress(p: Period, today: date) -> bool:
    """A financial year or quarter that has started and not yet ended: its figures are "to
    date", and comparing them with a whole period would compare unlike with unlike."""
    return p.kind in ("year", "quarter") and p.start <= today < p.end


def months_covered(start: date, end: date) -> int:
    """Calendar months from `start` to `end`, the month in progress counted: 1 April to
    29 November is 8 months."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _a_year_before(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def whole_period(p: Period) -> Period:
    """The whole year or quarter a (perhaps cut short) period of that kind starts; any other
    period is itself."""
    if p.kind == "year":
        return financial_year(fy_start_year(p.start))
    if p.kind == "quarter":
        return quarter(fy_start_year(p.start), quarter_of(p.start))
    return p


def comparison_period(p: Period, today: date) -> Period:
    """What a period's figures are compared with: the period before it, or for a year or
    quarter still in progress the same months of the year before (1 April to the same day),
    so a part year is never set against a whole one."""
    if not in_progress(p, today):
        return p.previous()
    if p.kind == "year":
        label = financial_year(fy_start_year(p.start) - 1).label
    else:
        label = quarter(fy_start_year(p.start) - 1, quarter_of(p.start)).label
    return Period(_a_year_before(p.start), _a_year_before(today), p.kind, label)

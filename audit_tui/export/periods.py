"""A period as a reader of the export sees it, in the export's language: `2026-27 to date
(8 months)` / `2026-27 hyd yma (8 mis)`; dates as the locale writes them (Babel)."""

from __future__ import annotations

from audit_tui.i18n import ngettext
from audit_tui.services.profile_schemas import PeriodOut


def months(n: int) -> str:
    return ngettext("{n} month", "{n} months", n).format(n=n)


def period_caption(p: PeriodOut) -> str:
    """PeriodOut.caption in the export's language (one wording for screens and exports)."""
    return p.caption

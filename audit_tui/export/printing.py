"""How the sheets print: paper, scale, margins, repeated titles, header and footer.

- The Summary prints on one A4 landscape page, at full size if it fits (it is laid out to).
- Every other board sheet prints at a fixed scale (styles.BOARD_SCALE), so its text is never
  shrunk below 8 pt however wide the sheet: a wide table runs on across pages, with its
  title rows (and first columns) repeated on each.
- The raw Audits and Answers sheets are for filtering, not printing: their print area is one
  cell saying so, so printing the whole workbook gives the board pack. (To print raw data,
  clear the print area - see docs/profiles-and-export.md.)

Every page carries the sheet name, the framework and period, page X of Y, the date the
workbook was written and the protective marking from the settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from audit_tui.export import styles
from audit_tui.i18n import _, format_date

HEADER_SIZE = 9


@dataclass(frozen=True)
class PageText:
    """What every printed page says besides the sheet itself."""

    marking: str
    scope: str  # framework and period
    written: datetime


def _escape(text: str) -> str:
    # "&" starts a code in a header or footer: a literal one is doubled.
    return " ".join(text.split()).replace("&", "&&")


def written_words(when: datetime) -> str:
    """'Written 20 November 2026 14:30', the date as the language writes it."""
    return _("Written {date} {time}").format(date=format_date(when), time=f"{when:%H:%M}")


def setup_page(ws: Worksheet, kind: str, page: PageText, scale: int | None = None) -> None:
    """kind: summary (one page), board (fixed scale, runs across pages) or raw. `scale`: a
    board sheet's print scale, if not styles.BOARD_SCALE (never below styles.MIN_SCALE)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.print_options.gridLines = False
    ws.page_margins = PageMargins(
        left=0.4, right=0.4, top=0.65, bottom=0.6, header=0.25, footer=0.25
    )
    percent = 100
    if kind == "summary":
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1
    else:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
        percent = max(styles.MIN_SCALE, scale or styles.BOARD_SCALE)
        ws.page_setup.scale = percent
    # Both clients scale the header and footer with the sheet: set so they print at
    # HEADER_SIZE on paper.
    size = round(HEADER_SIZE * 100 / percent)
    marking = _escape(page.marking)
    for part, text in (
        (ws.oddHeader.left, "&A"),
        (ws.oddHeader.center, marking),
        (ws.oddHeader.right, _escape(page.scope)),
        (ws.oddFooter.left, _escape(written_words(page.written))),
        (ws.oddFooter.center, marking),
        (ws.oddFooter.right, _("Page &P of &N")),
    ):
        part.text = text
        part.size = size
    ws.oddHeader.center.font = "Calibri,Bold"
    ws.oddFooter.center.font = "Calibri,Bold"

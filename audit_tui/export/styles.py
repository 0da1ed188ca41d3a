"""Presentation shared by the sheets: a colour-blind-safe palette, header and band styles.

Band colours run blue (best) to orange (weakest), a pairing readable with the common forms of
colour blindness; every coloured cell also carries its band as text, so nothing depends on
colour alone. Chart series use the Okabe-Ito palette and differ by marker and dash as well.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

HEADER_FILL = PatternFill("solid", fgColor="1F3B57")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="top")
TITLE_FONT = Font(bold=True, size=14)
SUBTITLE_FONT = Font(bold=True, size=11)
NOTE_FONT = Font(italic=True, color="555555")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

PERCENT = "0%"
PERCENT_1 = "0.0%"
POINTS = '+0.0" pts";-0.0" pts";0.0" pts"'
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"

# Best grade first: strong blue, light blue, light orange, strong orange (text stays black).
BAND_COLOURS = ["6BAED6", "C6DBEF", "FDD0A2", "FD8D3C"]
NO_DATA_COLOUR = "EEEEEE"
TOO_FEW_FONT = Font(italic=True, color="7F7F7F")

# Okabe-Ito, without yellow (too light on white): blue, orange, bluish green, reddish purple,
# sky blue, vermillion, black.
SERIES_COLOURS = ["0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "000000"]
MARKERS = ["circle", "triangle", "square", "diamond", "x", "star", "plus"]
DASHES = ["solid", "dash", "sysDot", "dashDot", "lgDash", "sysDash", "lgDashDot"]


def band_fill(rank: int | None, grades: int) -> PatternFill:
    """The fill for a band by its rank (0 = best) on a scale of `grades` grades."""
    if rank is None:
        return PatternFill("solid", fgColor=NO_DATA_COLOUR)
    index = 0 if grades <= 1 else round(rank * (len(BAND_COLOURS) - 1) / (grades - 1))
    return PatternFill("solid", fgColor=BAND_COLOURS[index])

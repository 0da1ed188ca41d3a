"""Presentation shared by the sheets: a palette that survives greyscale and colour blindness,
fonts, header and band styles.

Band fills run light blue (best) through mid blue and orange to dark brown (weakest): the hue
splits better from worse for every common form of colour blindness, and the lightness steps
by at least 40 (of 255) between any two bands and from an unfilled cell, so a black-and-white
print still tells them apart (tests/export/test_palette.py). Every band-coloured cell has its
band written beside it, so nothing depends on colour alone. Chart series use the Okabe-Ito
palette and differ by marker and dash as well.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

# Excel's default font; LibreOffice prints it with Carlito, which has the same metrics.
FONT = "Calibri"
# Font sizes (points) before the print scale; board sheets print at BOARD_SCALE %, so the
# smallest text is at least 8 pt on paper (the Summary at least 9 pt).
BODY_SIZE = 11
SUMMARY_SIZE = 10
BOARD_SCALE = 85
# The widest sheets (Teams, Questions) print smaller to keep to two pages across: 11 pt body
# text at 75% is 8.25 pt on paper.
WIDE_SCALE = 75
MIN_SCALE = 73

HEADER_FILL = PatternFill("solid", fgColor="1F3B57")
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="top")
TITLE_FONT = Font(name=FONT, bold=True, size=14)
SUBTITLE_FONT = Font(name=FONT, bold=True, size=11)
NOTE_FONT = Font(name=FONT, italic=True, color="404040")
BOLD = Font(name=FONT, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
BODY_FONT = Font(name=FONT, size=BODY_SIZE)
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# The Summary's own fonts: one size smaller so the page holds it at full scale.
S_TITLE_FONT = Font(name=FONT, bold=True, size=13)
S_SUBTITLE_FONT = Font(name=FONT, bold=True, size=SUMMARY_SIZE)
S_BODY_FONT = Font(name=FONT, size=SUMMARY_SIZE)
S_BOLD_FONT = Font(name=FONT, bold=True, size=SUMMARY_SIZE)
S_NOTE_FONT = Font(name=FONT, italic=True, color="404040", size=SUMMARY_SIZE)
S_HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF", size=SUMMARY_SIZE)

PERCENT = "0%"


def percent_format(places: int) -> str:
    """'0%', '0.0%', '0.00%': a percent with `places` decimals."""
    return f"0.{'0' * places}%" if places else PERCENT


PERCENT_1 = "0.0%"
POINTS = '+0.0" pts";-0.0" pts";0.0" pts"'
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"  # not translated: a number format

# Best grade first: light blue, mid blue, orange, dark brown. Greyscale (Rec. 601 luma):
# 212, 159, 115, 61; an unfilled cell is 255.
BAND_COLOURS = ["C2D8EE", "6BAED6", "D9540B", "7F2704"]
# Text on each fill: black where it reads at 4.5:1 or better (WCAG AA), white on the darkest.
BAND_TEXT = ["000000", "000000", "000000", "FFFFFF"]
TOO_FEW_FONT = Font(name=FONT, italic=True, color="595959")

# Okabe-Ito, without yellow (too light on white): blue, orange, bluish green, reddish purple,
# sky blue, vermillion, black.
SERIES_COLOURS = ["0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "000000"]
MARKERS = ["circle", "triangle", "square", "diamond", "x", "star", "plus"]
DASHES = ["solid", "dash", "sysDot", "dashDot", "lgDash", "sysDash", "lgDashDot"]


def band_index(rank: int | None, grades: int) -> int | None:
    """Which of BAND_COLOURS a band takes, by its rank (0 = best) on a scale of `grades`."""
    if rank is None:
        return None
    return 0 if grades <= 1 else round(rank * (len(BAND_COLOURS) - 1) / (grades - 1))


def band_fill(rank: int | None, grades: int) -> PatternFill | None:
    """The fill for a band (None: no data, left unfilled - its text says "no data")."""
    index = band_index(rank, grades)
    return None if index is None else PatternFill("solid", fgColor=BAND_COLOURS[index])


def band_font(rank: int | None, grades: int, size: float | None = None) -> Font | None:
    """White text on the darkest fill; None (the default black) elsewhere."""
    index = band_index(rank, grades)
    if index is None or BAND_TEXT[index] == "000000":
        return None if size is None else Font(name=FONT, size=size)
    return Font(name=FONT, color=BAND_TEXT[index], size=size or BODY_SIZE)

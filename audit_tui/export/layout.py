"""How tall a row must be: wrapped text measured the way a spreadsheet lays it out.

Neither Excel nor LibreOffice measures rows when it opens a file that gives no heights: rows
keep the default height, so wrapped text overlaps the next row and a wrapped header shows only
its first line. Every row the board sheets write is given a height from its text: words are
wrapped greedily into the column's width using the widths of Calibri's characters (Carlito,
metric-compatible, in LibreOffice), with a margin so a client's rounding never adds a line.
"""

from __future__ import annotations

import math

# Advance widths of Calibri / Carlito in ems, measured from LibreOffice's PDF; other
# characters count as DEFAULT_EM. Bold text is about 5% wider.
_EM = {
    **dict.fromkeys("0123456789", 0.507),
    " ": 0.226,
    "a": 0.479,
    "b": 0.525,
    "c": 0.423,
    "d": 0.525,
    "e": 0.498,
    "f": 0.305,
    "g": 0.471,
    "h": 0.525,
    "i": 0.229,
    "j": 0.239,
    "k": 0.455,
    "l": 0.229,
    "m": 0.799,
    "n": 0.525,
    "o": 0.527,
    "p": 0.525,
    "q": 0.525,
    "r": 0.349,
    "s": 0.391,
    "t": 0.335,
    "u": 0.525,
    "v": 0.452,
    "w": 0.715,
    "x": 0.433,
    "y": 0.453,
    "z": 0.395,
    "A": 0.579,
    "B": 0.544,
    "C": 0.533,
    "D": 0.615,
    "E": 0.488,
    "F": 0.459,
    "G": 0.631,
    "H": 0.623,
    "I": 0.252,
    "J": 0.319,
    "K": 0.520,
    "L": 0.420,
    "M": 0.855,
    "N": 0.646,
    "O": 0.662,
    "P": 0.517,
    "Q": 0.673,
    "R": 0.543,
    "S": 0.459,
    "T": 0.487,
    "U": 0.642,
    "V": 0.567,
    "W": 0.890,
    "X": 0.519,
    "Y": 0.487,
    "Z": 0.468,
    "%": 0.715,
    ".": 0.252,
    ",": 0.250,
    ":": 0.268,
    ";": 0.268,
    "'": 0.221,
    "-": 0.306,
    "(": 0.303,
    ")": 0.303,
    "/": 0.386,
    "&": 0.682,
    "+": 0.498,
    "=": 0.498,
    "*": 0.498,
    "?": 0.463,
}
DEFAULT_EM = 0.55
BOLD_FACTOR = 1.06

# A column `w` characters wide is about 5.25 w + 3.75 points in Excel and 5.55 w in
# LibreOffice, less a cell's padding: measure against the narrower, and leave 3% spare.
SPARE = 0.97


def column_points(width: float) -> float:
    """The text width (points) a column of `width` characters holds."""
    return max(1.0, (5.25 * width - 2.0) * SPARE)


def text_points(text: str, size: float, bold: bool = False) -> float:
    em = sum(_EM.get(ch, DEFAULT_EM) for ch in text)
    return em * size * (BOLD_FACTOR if bold else 1.0)


def lines_needed(text: str, width: float, size: float, bold: bool = False) -> int:
    """Lines `text` takes when wrapped in a column of `width` characters at `size` points:
    greedy word wrap, a word longer than the line broken where it overflows."""
    room = column_points(width)
    space = text_points(" ", size, bold)
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0.0
        for word in paragraph.split():
            w = text_points(word, size, bold)
            if used and used + space + w <= room:
                used += space + w
                continue
            if used:
                lines += 1
            if w > room:  # a very long word: broken across lines
                lines += math.ceil(w / room) - 1
                used = w - (math.ceil(w / room) - 1) * room
            else:
                used = w
        total += lines
    return max(total, 1)


def line_points(size: float) -> float:
    """One line of text at `size` points: Excel's spacing for Calibri (LibreOffice's is a
    little tighter, so the same height leaves it some room)."""
    return size * 1.3


def row_points(lines: int, size: float) -> float:
    """The height of a row of `lines` lines at `size` points (its padding included)."""
    return round(lines * line_points(size) + 1.5, 1)

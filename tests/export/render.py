"""Render a workbook the way a board sees it: LibreOffice Calc (headless) prints it to PDF, and
poppler's `pdftotext -bbox` gives every word on every page with its box.

Used by tests/export/test_render.py and by `python -m tests.export.render` (which rewrites the
picture of the Summary in docs/). Each run uses a LibreOffice profile of its own, so parallel
runs do not clash.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# A word box is about 1.3 times the font size tall (Carlito, LibreOffice's Calibri: ascent
# plus descent), measured on a rendered sheet with known sizes.
BOX_PER_POINT = 1.3
REQUIRE_ENV = "AUDIT_TUI_REQUIRE_RENDER"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing() -> str | None:
    """Why rendering cannot run here, or None when it can."""
    if soffice() is None:
        return "LibreOffice (soffice) is not installed"
    for tool in ("pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            return f"poppler's {tool} is not installed"
    return None


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def size(self) -> float:
        """The font size (points) this box was set in."""
        return (self.y1 - self.y0) / BOX_PER_POINT

    def overlaps(self, other: Word) -> bool:
        """Text printed over text. A box spans the font's whole ascent and descent, which is
        more than a line's pitch, so lines of one paragraph touch: only the middle 70% of
        each box's height counts."""
        trim_a, trim_b = 0.15 * (self.y1 - self.y0), 0.15 * (other.y1 - other.y0)
        return (
            self.x0 + 0.5 < other.x1
            and other.x0 + 0.5 < self.x1
            and self.y0 + trim_a < other.y1 - trim_b
            and other.y0 + trim_b < self.y1 - trim_a
        )


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)

    def _marking_lines(self) -> tuple[float, float]:
        """The y of the header's and the footer's line: where the marking (centred in
        both) is printed, the first and last word rows of the page."""
        tops = sorted({round(w.y0, 1) for w in self.words})
        return (tops[0], tops[-1]) if tops else (0.0, self.height)

    @property
    def sheet(self) -> str:
        """The sheet printed on this page: the header's left part (&A)."""
        header, _ = self._marking_lines()
        left = sorted(
            (w for w in self.words if abs(w.y0 - header) < 1 and w.x0 < self.width / 3),
            key=lambda w: w.x0,
        )
        return " ".join(w.text for w in left)

    def body(self) -> list[Word]:
        """The words between the header and the footer."""
        header, footer = self._marking_lines()
        return [w for w in self.words if header + 1 < w.y0 and w.y0 < footer - 1]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def convert(source: Path, out_dir: Path, target: str, infilter: str | None = None) -> Path:
    """Convert a file with LibreOffice (headless, in a private profile) to `target` (an
    extension: pdf prints it); `infilter` names the import filter and its options."""
    exe = soffice()
    assert exe is not None, missing()
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-", dir=out_dir))
    filters = [f"--infilter={infilter}"] if infilter else []
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            *filters,
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=600,
        env={**os.environ, "HOME": str(profile)},
    )
    shutil.rmtree(profile, ignore_errors=True)
    out = out_dir / f"{source.stem}.{target}"
    assert out.exists(), f"LibreOffice wrote no {out.name}"
    return out


def to_pdf(xlsx: Path, out_dir: Path) -> Path:
    """Print the workbook to PDF with LibreOffice."""
    return convert(xlsx, out_dir, "pdf")


def pages(pdf: Path) -> list[Page]:
    """Every page's words with their boxes (pdftotext -bbox)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    result: list[Page] = []
    for line in out.splitlines():
        if m := _PAGE.search(line):
            result.append(Page(len(result) + 1, float(m[1]), float(m[2])))
        elif (m := _WORD.search(line)) and result:
            x0, y0, x1, y1 = (float(m[i]) for i in range(1, 5))
            result[-1].words.append(Word(html.unescape(m[5]), x0, y0, x1, y1))
    return result


def overlapping(words: list[Word]) -> list[tuple[Word, Word]]:
    """Pairs of word boxes that overlap (text printed over text)."""
    found = []
    ordered = sorted(words, key=lambda w: w.y0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.y0 >= a.y1:
                break
            if a.overlaps(b):
                found.append((a, b))
    return found


def png(pdf: Path, page: int, out: Path, dpi: int = 110) -> Path:
    """One page of the PDF as a PNG (pdftoppm)."""
    stem = out.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-f",
            str(page),
            "-l",
            str(page),
            "-r",
            str(dpi),
            "-png",
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
        capture_output=True,
    )
    return stem.with_suffix(".png")


def main() -> int:  # pragma: no cover - a maintenance script
    """Rewrite docs/board-pack-summary.png from the demo data (the render test's workbook)."""
    from tests.export.test_render import demo_context, demo_workbook

    reason = missing()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    repo = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory() as tmp:
        ctx = demo_context(Path(tmp))
        book = demo_workbook(ctx, Path(tmp))
        ctx.db.dispose()
        pdf = to_pdf(book, Path(tmp))
        target = repo / "docs" / "board-pack-summary.png"
        shutil.copy(png(pdf, 1, Path(tmp) / "summary.png"), target)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

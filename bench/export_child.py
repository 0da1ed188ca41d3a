"""One export, or its floor, in a process of its own, so its peak memory can be measured.

    python -m bench.export_child export <db-url> <period> <out-folder>
    python -m bench.export_child floor <db-url> <period> <out-folder> <answer-rows> <audit-rows>

Prints one JSON line: seconds, rows, and the peak resident set growth: the process's peak
resident set after the work (VmHWM in /proc/self/status) minus its resident set just before it
(VmRSS). Not getrusage's ru_maxrss: on Linux a process started by another inherits the
launcher's high-water mark across exec, so a child of the (large) benchmark runner would
report the runner's peak.
"""

from __future__ import annotations

import itertools
import json
import resource
import sys
import time
from pathlib import Path


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    # No /proc: getrusage's high-water mark (see the module note).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    return _status_mb("VmRSS")


def _maxrss_mb() -> float:
    return _status_mb("VmHWM")


def _export(url: str, period: str, folder: Path) -> dict[str, object]:
    from audit_tui.export.workbook import ExportSpec, write_workbook
    from bench.data import context

    ctx = context(url)
    before = _rss_mb()
    started = time.perf_counter()
    result = write_workbook(ctx, ExportSpec(period=period, overwrite=True), folder / "year.xlsx")
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "audits": result.audits,
        "answers": result.answers,
        "sheets": result.sheets,
        "bytes": result.path.stat().st_size,
        "rss_before_mb": before,
        "rss_growth_mb": _maxrss_mb() - before,
    }


def _floor(url: str, period: str, folder: Path, answers: int, audits_n: int) -> dict[str, object]:
    """Bare openpyxl write-only: the same number of rows and columns as the raw sheets, values
    taken from real rows, no styles, no guards, no tables, split at Excel's row limit."""
    from openpyxl import Workbook

    from audit_tui.services import profile_rows, profiles
    from bench.data import context

    ctx = context(url)
    p = profiles.resolve_period(ctx, period)
    sample_answers = list(itertools.islice(profile_rows.answer_rows(ctx, "case-file", p), 5_000))
    sample_audits = list(itertools.islice(profile_rows.audit_rows(ctx, "case-file", p), 5_000))
    # Excel has no time zones: the export writes naive times too.
    sample_audits = [
        tuple(v.replace(tzinfo=None) if hasattr(v, "tzinfo") and v.tzinfo else v for v in r)
        for r in sample_audits
    ]
    before = _rss_mb()
    started = time.perf_counter()
    wb = Workbook(write_only=True)
    for title, sample, n in (
        ("Audits", sample_audits, audits_n),
        ("Answers", sample_answers, answers),
    ):
        ws, part = wb.create_sheet(title), 1
        for written, row in enumerate(itertools.islice(itertools.cycle(sample), n)):
            if written and written % 1_048_575 == 0:
                part += 1
                ws = wb.create_sheet(f"{title} ({part})")
            ws.append(row)
    wb.save(folder / "floor.xlsx")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rss_growth_mb": _maxrss_mb() - before}


def main() -> None:
    kind, url, period, folder = sys.argv[1:5]
    if kind == "export":
        out = _export(url, period, Path(folder))
    else:
        out = _floor(url, period, Path(folder), int(sys.argv[5]), int(sys.argv[6]))
    print(json.dumps(out))


if __name__ == "__main__":
    main()

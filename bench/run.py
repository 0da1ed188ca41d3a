"""`make bench`: every benchmark of issue 10, each against a floor measured in the same run,
written to bench/RESULTS.md.

    python -m bench.run [--sizes 2000,20000,200000] [--no-postgres] [--startup-only]
                        [--profile-only]

Each figure is the median of several runs. Databases are cached in bench/data/ (see data.py);
the first run generates them.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import data
from bench.report import write_results

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SIZES = (2_000, 20_000, 200_000)
SEED = 1
QUARTER_LABEL = "2025-26 Q4"
YEAR_LABEL = "2025-26"
# Repeats by size: the big sizes cost minutes, and their run-to-run spread is small.
PROFILE_REPEATS = {2_000: 7, 20_000: 5, 200_000: 3}
EXPORT_REPEATS = {2_000: 3, 20_000: 3, 200_000: 1}
FLOOR_REPEATS = {2_000: 3, 20_000: 1}  # bare openpyxl is slow: ~40 s at 20,000 audits
FLOOR_FULL_UP_TO = 20_000  # above this the export floor is scaled from the largest full one
# The least SQL that yields what a profile's figures need: for the interval that allows for
# answers clustering within audits, each audit's sums (x = weight, y = weight x points) per
# section in the profile's period and the one before it (whose section figures it shows), per
# audit alone in the older trend periods (whose overall figures its trend shows), and over the
# audits the sums of x^2, xy and y^2. One statement, nothing else: no split by period, no
# whole-audit totals for the recent periods, questions, judgements or notes (the profile
# needs those too, so the floor stays a lower bound).
FLOOR_SQL = """
SELECT team_id, sec, SUM(answered), SUM(y), SUM(x), COUNT(*),
       SUM(x * x), SUM(x * y), SUM(y * y)
FROM (SELECT a.team_id,
             CASE WHEN a.audit_date >= :recent THEN n.section_id END AS sec,
             COUNT(*) AS answered,
             SUM(n.weight * n.points) AS y,
             SUM(CASE WHEN n.points IS NOT NULL THEN n.weight ELSE 0 END) AS x
      FROM answers n JOIN audits a ON a.id = n.audit_id
      WHERE a.framework_id = :fw AND a.status = 'finalised' AND n.counted
        AND a.audit_date BETWEEN :start AND :end
      GROUP BY a.id, sec) per_audit
GROUP BY team_id, sec
"""


@dataclass
class Results:
    started: datetime
    machine: dict[str, str] = field(default_factory=dict)
    generation: list[dict[str, Any]] = field(default_factory=list)
    profile: list[dict[str, Any]] = field(default_factory=list)
    export: list[dict[str, Any]] = field(default_factory=list)
    fastrows: str = ""
    startup: list[dict[str, Any]] = field(default_factory=list)
    latency: dict[int, dict[str, Any]] = field(default_factory=dict)
    verify: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    total_seconds: float = 0.0
    load: list[str] = field(default_factory=list)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


# --- machine -------------------------------------------------------------------------------


def machine(pg_version: str | None) -> dict[str, str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import openpyxl
    import sqlalchemy
    import textual

    try:
        import lxml  # noqa: F401

        lxml_state = "installed"
    except ImportError:
        lxml_state = "not installed (openpyxl writes XML in pure Python)"
    return {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": pg_version or "not available",
        "SQLAlchemy": sqlalchemy.__version__,
        "Textual": textual.__version__,
        "openpyxl": f"{openpyxl.__version__}, lxml {lxml_state}",
    }


# --- 1. profile ----------------------------------------------------------------------------


def bench_profile(backend: str, url: str, size: int, res: Results) -> None:
    from sqlalchemy import text

    from audit_tui.services import profiles

    ctx = data.context(url)
    floor = text(FLOOR_SQL)
    repeats = PROFILE_REPEATS.get(size, 3)
    for kind, label in (("quarter", QUARTER_LABEL), ("year", YEAR_LABEL)):
        period = profiles.resolve_period(ctx, label)
        # The profile reads its period and the three before it (trend=4 by default): the
        # floor reads the same rows. It shows section figures for its period and the one it
        # is compared with (the one before: both periods here are finished), overall figures
        # for the older ones.
        covered = period.last(4)
        start, end = covered[0].start, covered[-1].end
        params = {"fw": data.FRAMEWORK, "start": start, "end": end, "recent": covered[-2].start}
        rows: list[Any] = []

        def run_floor(params: dict[str, Any] = params, rows: list[Any] = rows) -> None:
            with ctx.db.read() as s:
                if backend == "PostgreSQL":
                    # As the profile reads (services/profile_sums.jit_off): JIT compiling is
                    # not work the answer needs, and the floor is the least work.
                    s.execute(text("SET LOCAL jit = off"))
                rows[:] = s.execute(floor, params).all()

        def run_profile(period: Any = period) -> None:
            profiles.profile(ctx, data.FRAMEWORK, period)

        run_profile()  # warm the caches the same way for both
        run_floor()
        p_times, f_times = [], []
        for _ in range(repeats):
            p_times.append(timed(run_profile))
            f_times.append(timed(run_floor))
        answers = sum(int(r[2]) for r in rows)
        p, f = median(p_times), median(f_times)
        res.profile.append(
            {
                "backend": backend,
                "size": size,
                "kind": kind,
                "period": label,
                "range": f"{start} to {end}",
                "answers": answers,
                "profile": p,
                "floor": f,
                "ratio": p / f if f else float("nan"),
                "repeats": repeats,
                "spread": (min(p_times), max(p_times)),
            }
        )
        log(
            f"profile {backend} {size:,} {kind}: {p * 1000:.0f} ms vs floor {f * 1000:.0f} ms "
            f"({p / f:.2f}x) over {answers:,} answers"
        )
    ctx.db.dispose()


# --- 2. export -----------------------------------------------------------------------------


def child_json(args: list[str]) -> dict[str, Any]:
    out = subprocess.run([PY, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_export(url: str, size: int, res: Results, floor_rate: dict[str, float]) -> None:
    repeats = EXPORT_REPEATS.get(size, 1)
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        runs = [
            child_json(["bench.export_child", "export", url, YEAR_LABEL, folder])
            for _ in range(repeats)
        ]
        first = runs[0]
        audits_n, answers_n = int(first["audits"]), int(first["answers"])
        cells = audits_n * 16 + answers_n * 15
        seconds = median([float(r["seconds"]) for r in runs])
        growth = max(float(r["rss_growth_mb"]) for r in runs)
        if size <= FLOOR_FULL_UP_TO or "per_cell" not in floor_rate:
            floors = [
                child_json(
                    [
                        "bench.export_child",
                        "floor",
                        url,
                        YEAR_LABEL,
                        folder,
                        str(answers_n),
                        str(audits_n),
                    ]
                )
                for _ in range(FLOOR_REPEATS.get(size, 1))
            ]
            floor = median([float(r["seconds"]) for r in floors])
            floor_rate["per_cell"] = floor / cells
            floor_rate["from_size"] = size
            scaled = False
            floor_growth = max(float(r["rss_growth_mb"]) for r in floors)
        else:
            floor = floor_rate["per_cell"] * cells
            scaled = True
            floor_growth = None
    res.export.append(
        {
            "size": size,
            "period": YEAR_LABEL,
            "audits": audits_n,
            "answers": answers_n,
            "cells": cells,
            "bytes": first["bytes"],
            "seconds": seconds,
            "floor": floor,
            "ratio": seconds / floor,
            "scaled": scaled,
            "floor_from": int(floor_rate.get("from_size", size)),
            "rss_growth_mb": growth,
            "floor_rss_growth_mb": floor_growth,
            "repeats": repeats,
        }
    )
    log(
        f"export {size:,}: {seconds:.1f} s vs floor {floor:.1f} s"
        f"{' (scaled)' if scaled else ''} ({seconds / floor:.2f}x), "
        f"{answers_n:,} answers, peak RSS +{growth:.0f} MB"
    )


def bench_fastrows_check(url: str, res: Results) -> None:
    from bench.check_fastrows import check

    ctx = data.context(url)
    with tempfile.TemporaryDirectory(prefix="bench-fastrows-") as folder:
        res.fastrows = check(ctx, YEAR_LABEL, Path(folder))
    ctx.db.dispose()
    log(f"fast rows vs openpyxl cells: {res.fastrows}")


# --- 3. start-up ---------------------------------------------------------------------------


def spawn_marks(args: list[str]) -> dict[str, float]:
    """Wall time of a process, and for each mark it prints ("READY 1732...", "FIRST ..."), the
    time until that mark."""
    started = time.time()
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    ended = time.time()
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{out.stderr[-3000:]}")
    marks = {"END": ended - started}
    for line in out.stdout.splitlines():
        name, *times = line.split() or [""]
        if name in ("FIRST", "LISTED", "OPENED", "READY") and times:
            marks[name] = float(times[0]) - started
            if len(times) > 1:  # the child's CPU time at the mark
                marks[f"{name} cpu"] = float(times[1])
    return marks


def spawn_seconds(args: list[str]) -> float:
    """Wall time of a process; for a READY line, the time until it was printed."""
    marks = spawn_marks(args)
    return marks.get("READY", marks["END"])


def paired(
    name: str,
    floor_name: str,
    args: list[str],
    floor_args: list[str],
    repeats: int,
    marks: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The median of each mark of `args` (by default READY, or the whole run) against the
    median of `floor_args`, run alternately. `marks` names the figures: {mark: name}."""
    marks = marks or {"READY": name}
    spawn_marks(args)  # warm the OS file cache for both
    spawn_seconds(floor_args)
    a: dict[str, list[float]] = {mark: [] for mark in marks}
    cpu: dict[str, list[float]] = {mark: [] for mark in marks}
    b, b_cpu = [], []
    for _ in range(repeats):
        got = spawn_marks(args)
        for mark in marks:
            a[mark].append(got.get(mark, got["END"]))
            if f"{mark} cpu" in got:
                cpu[mark].append(got[f"{mark} cpu"])
        floor = spawn_marks(floor_args)
        b.append(floor.get("READY", floor["END"]))
        if "READY cpu" in floor:
            b_cpu.append(floor["READY cpu"])
    f = median(b)
    rows = []
    for mark, label in marks.items():
        m = median(a[mark])
        row = {
            "name": label,
            "floor_name": floor_name,
            "seconds": m,
            "floor": f,
            "ratio": m / f,
            "repeats": repeats,
        }
        line = f"start-up {label}: {m * 1000:.0f} ms vs floor {f * 1000:.0f} ms ({m / f:.2f}x)"
        if cpu[mark] and b_cpu:
            row["cpu"], row["floor_cpu"] = median(cpu[mark]), median(b_cpu)
            row["cpu_ratio"] = row["cpu"] / row["floor_cpu"]
            line += (
                f"; CPU {row['cpu'] * 1000:.0f} ms vs {row['floor_cpu'] * 1000:.0f} ms "
                f"({row['cpu_ratio']:.2f}x)"
            )
        log(line)
        rows.append(row)
    return rows


def home_marks(size: int) -> dict[str, str]:
    return {
        "FIRST": f"Home first frame ({size:,} audits)",
        "LISTED": f"Home drafts listed ({size:,} audits)",
        "OPENED": f"Home database open, finalised listed ({size:,} audits)",
        "READY": f"Home figures ready ({size:,} audits)",
    }


def compile_bytecode() -> None:
    """Write the bytecode of audit_tui (and of the benchmark's own modules) before the
    start-up runs, as any installed package has it: pip compiles what it installs, and
    Python caches what it imports. Without this, a machine where PYTHONDONTWRITEBYTECODE is
    set (this one sets it) compiles our ~50 modules from source on every start, ~25 ms that no
    user pays, while the floor's Textual loads its installed bytecode."""
    root = Path(__file__).resolve().parent.parent
    for package in ("audit_tui", "bench"):
        if not compileall.compile_dir(str(root / package), quiet=1):
            raise RuntimeError(f"could not compile {package} to bytecode")


def bench_startup(small: tuple[int, str], big: tuple[int, str] | None, res: Results) -> None:
    compile_bytecode()
    cli = str(Path(PY).parent / "audit-tui")
    res.startup += paired(
        "`audit-tui --help`",
        "a bare click group",
        [cli, "--help"],
        [PY, "-m", "bench.min_cli", "--help"],
        9,
        {"END": "`audit-tui --help`"},
    )
    minimal = [PY, "-m", "bench.startup_child", "minimal"]
    for (size, url), repeats in [(small, 7)] + ([(big, 3)] if big else []):
        res.startup += paired(
            f"Home ({size:,} audits)",
            "a one-label Textual app",
            [PY, "-m", "bench.startup_child", "app", url],
            minimal,
            repeats,
            home_marks(size),
        )


# --- 4. answer latency ---------------------------------------------------------------------


def bench_latency(urls: dict[int, str], res: Results) -> None:
    times: dict[int, list[float]] = {size: [] for size in urls}
    for _ in range(4):  # alternate, so a busy spell on the machine hits both
        for size, url in urls.items():
            out = child_json(["bench.latency_child", url])
            times[size].extend(float(t) for t in out["times"])
    for size, ts in times.items():
        ts_sorted = sorted(ts)
        res.latency[size] = {
            "median": median(ts),
            "p90": ts_sorted[int(0.9 * (len(ts) - 1))],
            "max": ts_sorted[-1],
            "n": len(ts),
        }
        log(f"answer latency {size:,}: median {median(ts) * 1000:.1f} ms over {len(ts)} answers")


def bench_verify(backend: str, url: str, size: int, res: Results) -> None:
    """`db verify`: the whole log replayed against the whole database, streamed."""
    out = child_json(["bench.verify_child", url])
    if out["problems"]:
        raise RuntimeError(f"db verify found problems in the benchmark database: {out}")
    res.verify.append({"backend": backend, "size": size, **out})
    log(
        f"db verify {backend} {size:,}: {out['seconds']:.1f} s for {out['entries']:,} entries, "
        f"peak memory growth {out['rss_growth_mb']:.0f} MB"
    )


# --- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    # One event log key for every benchmark database, kept beside them (cached databases
    # outlive any one run; writing to one - the latency sessions - needs its key).
    os.environ.setdefault("AUDIT_TUI_KEY_FILE", str(data.DATA / "bench-log.key"))
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--startup-only",
        action="store_true",
        help="only the start-up figures, logged (RESULTS.md is left as it is)",
    )
    parser.add_argument(
        "--profile-only",
        action="store_true",
        help="only the profile against its floor, logged (RESULTS.md is left as it is)",
    )
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "RESULTS.md")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    res = Results(started=datetime.now())
    res.load.append(loadavg())
    began = time.perf_counter()

    sqlite_paths: dict[int, Path] = {}
    for size in sizes:
        built = data.sqlite_db(size, SEED, log)
        sqlite_paths[size] = built.path
        res.generation.append(
            {"backend": "SQLite", "size": size, "seconds": built.seconds, "file": built.path.name}
        )
    sqlite_urls = {size: f"sqlite:///{p}" for size, p in sqlite_paths.items()}
    if args.startup_only:
        big = (sizes[-1], sqlite_urls[sizes[-1]]) if len(sizes) > 1 else None
        bench_startup((sizes[0], sqlite_urls[sizes[0]]), big, res)
        return

    server = None
    pg_urls: dict[int, str] = {}
    if not args.no_postgres:
        from bench.pg import start_kept_server

        server = start_kept_server(data.DATA / "pg")
        if server is None:
            res.notes.append("PostgreSQL: no server binaries on this machine, not measured.")
    try:
        if server is not None:
            for size in sizes:
                url, seconds = data.pg_db(server, sqlite_paths[size], size, SEED, log)
                pg_urls[size] = url
                res.generation.append(
                    {"backend": "PostgreSQL", "size": size, "seconds": seconds, "file": url}
                )
        res.machine = machine(server.version() if server else None)

        for size in sizes:
            bench_profile("SQLite", sqlite_urls[size], size, res)
            if size in pg_urls:
                bench_profile("PostgreSQL", pg_urls[size], size, res)
        if args.profile_only:
            return
        for size in sizes:
            bench_verify("SQLite", sqlite_urls[size], size, res)
            if size in pg_urls:
                bench_verify("PostgreSQL", pg_urls[size], size, res)
    finally:
        if server is not None:
            server.stop()

    bench_fastrows_check(sqlite_urls[sizes[0]], res)
    floor_rate: dict[str, float] = {}
    for size in sizes:
        bench_export(sqlite_urls[size], size, res, floor_rate)

    big = (sizes[-1], sqlite_urls[sizes[-1]]) if len(sizes) > 1 else None
    bench_startup((sizes[0], sqlite_urls[sizes[0]]), big, res)
    bench_latency({sizes[0]: sqlite_urls[sizes[0]], sizes[-1]: sqlite_urls[sizes[-1]]}, res)

    res.total_seconds = time.perf_counter() - began
    res.load.append(loadavg())
    write_results(res, args.out)
    log(f"done in {res.total_seconds / 60:.1f} min: {args.out}")


if __name__ == "__main__":
    main()

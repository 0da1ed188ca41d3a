"""`db verify` on one database, in a process of its own so its peak memory can be measured
(see export_child.py for how).

    python -m bench.verify_child <db-url>      (prints one JSON line)
"""

from __future__ import annotations

import json
import sys
import time


def main(url: str) -> None:
    from audit_tui.services.integrity import verify_database
    from bench.data import context
    from bench.export_child import _maxrss_mb, _rss_mb

    ctx = context(url)
    before = _rss_mb()
    started = time.perf_counter()
    report = verify_database(ctx)
    seconds = time.perf_counter() - started
    ctx.db.dispose()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "entries": report.events,
                "audits": report.audits,
                "problems": report.problem_count,
                "minute": report.minute,
                "rss_growth_mb": _maxrss_mb() - before,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])

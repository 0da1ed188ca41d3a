"""A process that records answers in a loop, for the crash, concurrency and backup tests.

It prints `trying <audit> <question> <answer>` before each record_answer call and
`saved <audit> <question> <answer>` only after the call has returned, flushing each line, so
the test knows exactly what the process had reported as saved when it was killed (and which
single write was in flight).

    python writer.py DB_URL --framework tests/fixtures/mini.yaml [--audits 4 | --audit ID ...]
                     [--count N] [--seed S] [--actor NAME] [--go-file PATH]

The crash test starts it through forkserver.py (a fresh fork per run, without a second of
imports each time); the concurrency and backup tests start it with `python writer.py`.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time
from contextlib import suppress
from datetime import date
from pathlib import Path

from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry, load_framework_file
from audit_tui.services import audits
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.schemas import AnswerIn, NewAudit
from audit_tui.store.migrate import open_database

TEAM = "Reliability Team"
AUDIT_DATE = date(2026, 11, 20)


def say(line: str) -> None:
    # One write per line, flushed at once: a SIGKILL can cut a line short but never reorder.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def ensure_team(ctx: AppContext) -> None:
    with suppress(UserError):  # it exists already (an earlier run or the other writer)
        add_team(ctx, TEAM)


def own_drafts(ctx: AppContext, wanted: int) -> list[int]:
    """Resume this actor's drafts; start new ones until there are `wanted`."""
    fw_id = next(iter(fw.id for fw in ctx.frameworks.all()))
    ids = [
        a.id
        for a in audits.list_drafts(ctx, auditor=ctx.actor, limit=None)
        if a.framework_id == fw_id
    ]
    fw = ctx.frameworks.get(fw_id)
    for k in range(len(ids), wanted):
        case_type = fw.case_types[k % len(fw.case_types)]
        new = NewAudit(
            framework_id=fw_id,
            case_reference=f"{ctx.actor}-{os.getpid()}-{k}",
            case_type=case_type,
            team=TEAM,
            auditor=ctx.actor,
            audit_date=AUDIT_DATE,
        )
        audit_id = audits.start_audit(ctx, new).id
        say(f"started {audit_id}")
        ids.append(audit_id)
    return sorted(ids[:wanted])


def choices(ctx: AppContext, audit_id: int) -> list[tuple[str, list[str]]]:
    """(question id, answer codes allowed) for every question that applies to the audit."""
    detail = audits.get_audit(ctx, audit_id)
    fw = ctx.frameworks.get(detail.framework_id)
    out = []
    for q in fw.applicable_questions(detail.case_type):
        codes = [o.code for o in fw.scale(q.scale).options if q.na_allowed or not o.is_na]
        out.append((q.id, codes))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("db_url")
    p.add_argument("--framework", type=Path, required=True)
    p.add_argument("--actor", default="writer")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--audits", type=int, default=4, help="own drafts to cycle over")
    p.add_argument("--audit", type=int, action="append", default=[], help="write into this one")
    p.add_argument("--count", type=int, default=0, help="answers to record; 0: until killed")
    p.add_argument("--go-file", type=Path, help="start writing once this file exists")
    args = p.parse_args(argv)

    try:
        fw = load_framework_file(args.framework)
        ctx = AppContext(
            db=open_database(args.db_url),
            frameworks=FrameworkRegistry({fw.id: fw}),
            actor=args.actor,
        )
        ensure_team(ctx)
        audit_ids = args.audit or own_drafts(ctx, args.audits)
        plan = {audit_id: choices(ctx, audit_id) for audit_id in audit_ids}
        say("ready " + " ".join(str(a) for a in audit_ids))
        if args.go_file is not None:
            while not args.go_file.exists():
                time.sleep(0.005)
        rng = random.Random(args.seed)
        steps = range(args.count) if args.count else itertools.count()
        for i in steps:
            audit_id = audit_ids[i % len(audit_ids)]
            question_id, codes = rng.choice(plan[audit_id])
            code = rng.choice(codes)
            say(f"trying {audit_id} {question_id} {code}")
            audits.record_answer(ctx, audit_id, AnswerIn(question_id=question_id, answer=code))
            say(f"saved {audit_id} {question_id} {code}")
        say("done")
    except UserError as exc:
        # What a user would see: the test asserts this never happens under load.
        print(f"writer: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

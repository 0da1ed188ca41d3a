"""The export's fast row writer (export/fastrows.py) renders table rows as XML text itself for
speed; the workbook must be cell-for-cell what openpyxl's own writer gives: values, types,
number formats, the quote prefix that keeps formula-like text inert, wrap, bold and fills."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from audit_tui.services import audits
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import AnswerIn, Finalise, NewAudit
from bench.check_fastrows import check
from tests.export.fake_audits import seed_audits

AWKWARD_NOTES = [
    '=HYPERLINK("http://example.invalid","x")',
    "+1 then -2 @AB",
    "\tleading tab",
    "ampersand & <angle> \"quotes\" 'single'",
    "Welsh: Gwasanaethau Plant - ŵ ŷ â; emoji 🙂; control \x01 char",
    "x" * 3000,
]


def test_fast_rows_give_the_same_workbook_as_openpyxl(
    sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    seed_audits(sqlite_ctx, seed=5, audits=30, start=date(2025, 4, 1), end=date(2026, 3, 31))
    audit = audits.start_audit(
        sqlite_ctx,
        NewAudit(
            framework_id="case-file",
            case_reference="CMD-1",
            case_type="child_in_need",
            team="North",
            case_holder="@Worker",
            auditor="-Auditor",
            audit_date=date(2025, 6, 2),
        ),
    )
    fw = sqlite_ctx.frameworks.get("case-file")
    for i, q in enumerate(fw.applicable_questions("child_in_need")):
        code = "no" if i < len(AWKWARD_NOTES) else "yes"
        note = AWKWARD_NOTES[i] if i < len(AWKWARD_NOTES) else None
        audits.record_answer(
            sqlite_ctx, audit.id, AnswerIn(question_id=q.id, answer=code, note=note)
        )
    review = audits.review(sqlite_ctx, audit.id)
    audits.finalise(sqlite_ctx, audit.id, Finalise(judgement=review.suggested_judgement or "good"))
    verdict = check(sqlite_ctx, "2025-26", tmp_path)
    assert verdict.startswith("identical")


def test_the_fast_writer_is_the_one_in_use(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    """Without lxml the export takes the fast path (otherwise the test above compares openpyxl
    with itself)."""
    from openpyxl import Workbook

    from audit_tui.export import fastrows

    ws = Workbook(write_only=True).create_sheet("x")
    assert fastrows.LXML or fastrows.available(ws)

"""A seeded database for the moderation, actions and escalation UI tests: built once per test
process as a template SQLite file and copied for each test (the copy is cheap, the seeding is not).

The template: finalised child-in-need audits by two other auditors (notes on their No answers,
one of them a marker the blind screen must never show) and one complete draft by the test's
own user ("tester").
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services import audits, directory
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import AnswerIn, Finalise
from tests.conftest import make_context
from tests.ui.helpers import FRAMEWORK, start

CASE_TYPE = "child_in_need"
AUDITOR = "Alex Auditor"
OTHER_AUDITOR = "Blake Auditor"
HIDDEN_NOTE = "ZQ-hidden-auditor-note"  # the first auditor's note on their first No
DRAFT_REF = "CIN-DRAFT-1"


def original_code(i: int) -> str:
    """The first auditors' answer to the i-th question: mostly Yes, some No and Partly."""
    return "no" if i % 5 == 1 else "partly" if i % 5 == 3 else "yes"


def _finalised(ctx: AppContext, ref: str, team: str, when: date, auditor: str) -> int:
    fw = ctx.frameworks.get(FRAMEWORK)
    detail = start(ctx, ref, CASE_TYPE, team, when, auditor=auditor)
    for i, q in enumerate(fw.applicable_questions(CASE_TYPE)):
        code = original_code(i)
        note = (HIDDEN_NOTE if i == 1 else f"AA noted gap {i}") if code == "no" else None
        audits.record_answer(ctx, detail.id, AnswerIn(question_id=q.id, answer=code, note=note))
    rv = audits.review(ctx, detail.id)
    audits.finalise(
        ctx,
        detail.id,
        Finalise(
            judgement=rv.suggested_judgement or "good",
            strengths="Clear chronology",
            areas_for_development="Analysis of risk",
        ),
    )
    return detail.id


def build(ctx: AppContext) -> None:
    for team in ("Team A", "Team B"):
        directory.add_team(ctx, team)
    for n in range(3):
        _finalised(ctx, f"CIN-{3001 + n}", "Team A", date(2026, 10, 5 + 7 * n), AUDITOR)
    _finalised(ctx, "CIN-4001", "Team B", date(2026, 10, 9), OTHER_AUDITOR)
    fw = ctx.frameworks.get(FRAMEWORK)
    draft = start(ctx, DRAFT_REF, CASE_TYPE, "Team A", date(2026, 11, 18))
    for i, q in enumerate(fw.applicable_questions(CASE_TYPE)):
        code = "no" if i == 2 else "yes"
        audits.record_answer(ctx, draft.id, AnswerIn(question_id=q.id, answer=code))


@pytest.fixture(scope="session")
def loop_template(tmp_path_factory: pytest.TempPathFactory, registry: FrameworkRegistry) -> Path:
    path = tmp_path_factory.mktemp("loop-template") / "template.db"
    ctx = make_context(f"sqlite:///{path}", registry)
    build(ctx)
    ctx.db.dispose()
    return path


@pytest.fixture
def loop_ctx(
    loop_template: Path, tmp_path: Path, registry: FrameworkRegistry
) -> Iterator[AppContext]:
    """A fresh copy of the template for one test (SQLite's backup API: a consistent copy)."""
    target = tmp_path / "audits.db"
    src, dst = sqlite3.connect(loop_template), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    ctx = make_context(f"sqlite:///{target}", registry)
    yield ctx
    ctx.db.dispose()


def audit_id_of(ctx: AppContext, ref: str) -> int:
    found = [a.id for a in audits.list_finalised(ctx, limit=None) if a.case_reference == ref]
    found += [a.id for a in audits.list_drafts(ctx) if a.case_reference == ref]
    assert len(found) == 1, ref
    return found[0]


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """Everything visible on the terminal, as plain text."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def widget_text(screen) -> str:  # type: ignore[no-untyped-def]
    """The text every widget of a screen holds, scrolled into view or not."""
    from textual.widgets import DataTable, Input, OptionList, Static

    parts: list[str] = []
    for w in screen.query("*"):
        if isinstance(w, Static):
            parts.append(str(w.render()))
        elif isinstance(w, Input):
            parts.append(w.value)
        elif isinstance(w, DataTable):
            parts += [str(c) for i in range(w.row_count) for c in w.get_row_at(i)]
        elif isinstance(w, OptionList):
            parts += [str(w.get_option_at_index(i).prompt) for i in range(w.option_count)]
    return "\n".join(parts)

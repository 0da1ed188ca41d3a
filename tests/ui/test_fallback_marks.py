"""A framework text an authority wrote in one language only is shown in it, behind its mark,
on every screen - in an English interface too (issue 19: "falling back to the other with a
visible mark when a translation is missing"). The screens and dialogs all read the framework
through `ui.words.shown_framework`; before it marked English fallbacks, the audit view showed
a Welsh-only question in Welsh with no mark, while the walkthrough marked it."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml

from audit_tui.config import builtin_frameworks_dir
from audit_tui.domain.loader import FrameworkRegistry, load_framework_file
from audit_tui.services import audits, directory, framework_versions
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import Finalise
from audit_tui.ui.screens.audit_view import AuditViewScreen
from audit_tui.ui.words import shown_framework
from tests.conftest import make_context
from tests.ui.helpers import FRAMEWORK, answer_all, app_for, start
from tests.ui.loop_fixtures import screen_text

QUESTION = "CF-AD-01"


@pytest.fixture
def welsh_only_ctx(tmp_path: Path, registry: FrameworkRegistry) -> Iterator[AppContext]:
    """case-file with its first question's text in Welsh only, as an authority might write."""
    definition = yaml.safe_load((builtin_frameworks_dir() / "case-file.yaml").read_text())
    question = definition["sections"][0]["questions"][0]
    assert question["id"] == QUESTION
    question["text"] = {"cy": question["text"]["cy"]}
    own = tmp_path / "case-file.yaml"
    own.write_text(yaml.safe_dump(definition, allow_unicode=True))
    fw = load_framework_file(own)
    frameworks = FrameworkRegistry({**{f.id: f for f in registry.all()}, fw.id: fw})
    ctx = make_context(f"sqlite:///{tmp_path / 'audits.db'}", frameworks)
    yield ctx
    ctx.db.dispose()


def test_shown_framework_marks_a_welsh_only_text_in_english(
    welsh_only_ctx: AppContext,
) -> None:
    fw = shown_framework(welsh_only_ctx.frameworks.get(FRAMEWORK))
    text = fw.question(QUESTION).text
    assert str(text).startswith("[cy] A gafodd y penderfyniad")
    assert text.marked


async def test_the_audit_view_marks_a_welsh_only_question_in_english(
    welsh_only_ctx: AppContext,
) -> None:
    ctx = welsh_only_ctx
    directory.add_team(ctx, "Safeguarding North")
    detail = start(ctx, "CF-7001", "child_in_need", "Safeguarding North", date(2026, 10, 1))
    answer_all(ctx, detail.id, "child_in_need", random.Random(7))
    rv = audits.review(ctx, detail.id)
    audits.finalise(
        ctx, detail.id, Finalise(judgement=rv.suggested_judgement or "good", judgement_reason="x")
    )
    app = app_for(ctx)
    async with app.run_test(size=(120, 60)) as pilot:
        final = audits.get_audit(ctx, detail.id)
        fw = framework_versions.framework(ctx, final.framework_hash)
        app.push_screen(AuditViewScreen(final, fw))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AuditViewScreen)
        shown = screen_text(app)
        assert "[cy] A gafodd y penderfyniad" in shown, shown

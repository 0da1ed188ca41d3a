"""A draft whose framework file changed since it was started (issue 13): on opening it the
auditor is told and chooses - carry on with the version it was started on (the default, also
on Esc) or move it to the new one, carrying the answers both versions share. Never a mix."""

from __future__ import annotations

import dataclasses
from datetime import date

from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services import audits, directory
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import AnswerIn
from audit_tui.ui.dialogs.draft_version import DraftVersionModal
from audit_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.builders import MINI, new_audit, registry_with
from tests.services.test_framework_versions import revised
from tests.ui.helpers import app_for
from tests.ui.loop_fixtures import widget_text


async def test_the_auditor_chooses_to_carry_on_or_move(
    sqlite_ctx: AppContext, registry: FrameworkRegistry
) -> None:
    v1 = dataclasses.replace(sqlite_ctx, frameworks=registry_with(registry, MINI))
    directory.add_team(v1, "Intake")
    draft = audits.start_audit(v1, new_audit("CMS-D1", date(2026, 11, 2), "Intake")).id
    audits.record_answer(v1, draft, AnswerIn(question_id="M-01", answer="no"))
    audits.record_answer(v1, draft, AnswerIn(question_id="M-03", answer="yes"))
    v2 = dataclasses.replace(v1, frameworks=registry_with(registry, revised()))

    app = app_for(v2)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(WalkthroughScreen.load(v2, audits.get_audit(v2, draft)))
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, DraftVersionModal)
        text = widget_text(modal)
        assert "Framework mini has changed since this audit was started" in text
        assert "started on version 0.1; the framework file now holds version 0.2" in text
        assert "carries over the 1 answers" in text and "1 would be removed" in text
        assert "M-01" in text
        await pilot.press("escape")  # the default: carry on with 0.1
        await pilot.pause()
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        assert walk.fw.version == "0.1"
        assert [q.id for q in walk.walk.questions] == ["M-01", "M-02", "M-03"]
        await pilot.press("escape")
        await pilot.pause()

        await app.push_screen(WalkthroughScreen.load(v2, audits.get_audit(v2, draft)))
        await pilot.pause()
        assert isinstance(app.screen, DraftVersionModal)
        await pilot.press("m")
        await pilot.pause()
        moved = app.screen
        assert isinstance(moved, WalkthroughScreen) and moved is not walk
        assert moved.fw.version == "0.2"
        assert [q.id for q in moved.walk.questions] == ["M-02", "M-05", "M-03"]
        assert set(moved.walk.answers) == {"M-03"}
    detail = audits.get_audit(v2, draft)
    assert (detail.framework_version, set(detail.answers)) == ("0.2", {"M-03"})
    assert audits.draft_move(v2, draft) is None  # nothing more to ask

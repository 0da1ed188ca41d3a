"""A form's save refused in a demo database (issue 15: real work there only when the user
means to practise) asks, as New audit does, instead of showing a refusal the user cannot act
on: "Practise here" saves it, marked demo; "Cancel" leaves the form open and nothing saved."""

from __future__ import annotations

from audit_tui.services import actions
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import mark_kind
from audit_tui.ui.bases.dialog import ConfirmModal
from audit_tui.ui.dialogs.actions import NewActionModal
from tests.ui.helpers import app_for
from tests.ui.loop_fixtures import audit_id_of, widget_text
from tests.ui.test_actions_screen import open_finalised


async def test_add_action_in_a_demo_database_asks_then_practises(loop_ctx: AppContext) -> None:
    ctx = loop_ctx
    with ctx.db.write() as s:
        mark_kind(ctx, s, "demo")
    audit_id = audit_id_of(ctx, "CIN-3002")
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_finalised(pilot, "CIN-3002")
        await pilot.press("C")  # an action for the whole audit
        modal = app.screen
        assert isinstance(modal, NewActionModal)
        await pilot.press(*"Record the analysis with JB", "ctrl+s")
        asked = app.screen
        assert isinstance(asked, ConfirmModal)
        assert "This is the demo database" in widget_text(asked)
        await pilot.press("escape")  # Cancel: the form stays, nothing saved
        assert app.screen is modal
        assert actions.list_actions(ctx, audit_id=audit_id) == []
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")  # Practise here
        await pilot.pause()
        assert app.screen is view
    [action] = actions.list_actions(ctx, audit_id=audit_id)
    assert action.description == "Record the analysis with JB"
    assert ctx.demo_confirmed

"""The Profiles screen on demo data: periods and teams by keyboard, figures with n and band as
text, the comparison of two periods, drilling down to the audits and opening one; snapshots.

Snapshots: accept a change with `pytest tests/ui/test_profiles_screen.py --snapshot-update`
only after looking at the new SVGs.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from audit_tui.domain.periods import parse_period
from audit_tui.services import profiles
from audit_tui.services.context import AppContext
from audit_tui.ui.dialogs.prompts import MultiChoiceModal
from audit_tui.ui.screens.audit_view import AuditViewScreen
from audit_tui.ui.screens.audits_behind import AuditsBehindScreen
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.profiles import ProfilesScreen
from tests.ui.demo_template import settle
from tests.ui.helpers import app_for, stable_where

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def _cell(table: DataTable[object], row: int, column: str) -> str:
    return str(table.get_cell_at((row, table.get_column_index(column))))


async def test_profiles_change_period_and_team_then_drill_down_to_an_audit(
    demo_ctx: AppContext,
) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ProfilesScreen)
        assert screen.profile is not None and screen.profile.period.label == "2026-27"
        grid = screen.query_one("#pf-grid", DataTable)
        assert grid.row_count == 1 + len(screen.profile.teams)  # the authority, then teams
        whole = screen.profile.authority.percent_met
        assert _cell(grid, 0, "overall").startswith(
            f"{whole.band_label} {whole.percent:.0f}% n={whole.n}"
        )
        # The line below: the interval the JSON and the workbook show, said to allow for
        # clustering; the change said to be clear or chance; the year marked as to date.
        grid.move_cursor(row=0, column=grid.get_column_index("overall"))
        await pilot.pause()
        detail = str(screen.query_one("#pf-detail").render())
        assert f"95% CI {whole.low:.0f}-{whole.high:.0f}% (allows for answers alike" in detail
        change = screen.profile.authority.change
        assert change.verdict and f"{change.verdict} (" in " ".join(detail.split())
        assert "2026-27 to date (8 months)" in str(screen.query_one("#pf-scope").render())

        # The previous financial year, then its quarters: v switches the kind of period.
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert screen.profile.period.label == "2025-26"
        await pilot.press("v")
        await settle(app, pilot)
        assert screen.profile.period.label == "2025-26 Q4"
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert screen.profile.period.label == "2026-27 Q1"

        # One team (the first in the list: two audits that quarter), ticked with Space and
        # confirmed with Enter.
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, MultiChoiceModal)
        await pilot.press("space", "enter")
        await settle(app, pilot)
        team = screen.profile.teams_selected
        assert team == ["Care Leavers 16+ (demo)"] and screen.teams == team
        assert grid.row_count == 2
        figures = screen.profile.team(team[0])
        assert figures.too_few and figures.audits == 2
        # Too few audits is said in words beside the figure, not only by colour.
        assert _cell(grid, 1, "overall").endswith(f"(<{demo_ctx.small_sample} audits)")
        assert _cell(grid, 1, "audits") == f"2 (<{demo_ctx.small_sample})"

        # Drill into the team's first section with data, and open the newest audit there.
        section = next(s for s in figures.sections if s.percent_met.percent is not None)
        first_section = section.section_id
        grid.move_cursor(row=1, column=grid.get_column_index(f"s:{first_section}"))
        await pilot.press("enter")
        await settle(app, pilot)
        drill = app.screen
        assert isinstance(drill, AuditsBehindScreen)
        expected = profiles.audits_behind(
            demo_ctx,
            "case-file",
            parse_period("2026-27 Q1"),
            team[0],
            section_id=first_section,
        )
        assert expected, "the demo data has audits behind this figure"
        table = drill.query_one("#ab-table", DataTable)
        assert [int(str(k.value)) for k in table.rows] == [a.id for a in expected]
        await pilot.press("enter")
        view = app.screen
        assert isinstance(view, AuditViewScreen)
        assert view.audit_id == expected[0].id
        summary = str(view.query_one("#av-summary").render())
        assert expected[0].case_reference in summary and team[0] in summary
        await pilot.press("escape", "escape")
        assert app.screen is screen
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_profiles_questions_grid_and_comparison_of_two_periods(demo_ctx: AppContext) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ProfilesScreen) and screen.profile is not None
        grid = screen.query_one("#pf-grid", DataTable)
        # Every action is in the command palette by name.
        names = {c.title for c in app.get_system_commands(screen)}
        assert {
            "Previous period",
            "Next period",
            "Year/quarter/month",
            "Type a period",
            "Teams",
            "Framework",
            "Sections/questions",
            "Compare",
            "Compare with a period",
            "Audits behind the figure",
            "Export",
        } <= names
        # Team x question: one column per question after the four fixed ones.
        await pilot.press("s")
        assert len(grid.columns) == 4 + len(screen.profile.questions)
        qid = screen.profile.questions[0].id
        fig = screen.profile.authority.question(qid).percent_met
        expected = "no data" if fig.percent is None else f"{fig.percent:.0f}% n={fig.n}"
        assert expected in _cell(grid, 0, f"q:{qid}")
        await pilot.press("s")
        assert len(grid.columns) == 4 + len(screen.profile.sections)

        # Compare with the previous year: both figures with their n and the change.
        await pilot.press("c")
        await settle(app, pilot)
        assert screen.baseline is not None and screen.baseline.period.label == "2025-26"
        compare = screen.query_one("#pf-compare", DataTable)
        assert compare.display and not grid.display
        now, then = screen.profile.authority.percent_met, screen.baseline.authority.percent_met
        row = [str(c) for c in compare.get_row_at(0)]
        assert row[0] == "Whole authority"
        assert f"{then.percent:.0f}%" in row[1] and row[2] == str(then.n)
        assert f"{now.percent:.0f}%" in row[3] and row[4] == str(now.n)
        assert f"{now.percent - then.percent:+.1f} pts" in row[5]
        # ... against the same change the profile service reports.
        assert screen.profile.authority.change.points == pytest.approx(now.percent - then.percent)
        # Another period to compare with, typed in.
        await pilot.press("b", *"2024-25", "enter")
        await settle(app, pilot)
        assert screen.baseline.period.label == "2024-25"
        assert str(compare.columns[compare.ordered_columns[1].key].label) == "2024-25"


async def test_profiles_refuses_a_period_that_has_not_begun_and_a_bad_period(
    demo_ctx: AppContext,
) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ProfilesScreen)
        await pilot.press("right_square_bracket")  # 2027-28 starts after today
        await settle(app, pilot)
        assert screen.period.label == "2026-27"
        await pilot.press("e", *"2026-13", "enter")
        assert "2026-13" in str(app.screen.query_one("#prompt-error").render())
        await pilot.press("escape", "y")  # discard the typed period (asked: issue 15)
        assert app.screen is screen and screen.period.label == "2026-27"


async def _open_profiles(pilot: Pilot[object]) -> None:
    await pilot.press("p")
    await settle(pilot.app, pilot)


@pytest.mark.parametrize("size", SIZES)
def test_profiles_snapshot(
    snap_compare, demo_ctx: AppContext, size: tuple[int, int], monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    stable_where(monkeypatch)
    assert snap_compare(app_for(demo_ctx), terminal_size=size, run_before=_open_profiles)


async def test_profiles_of_a_framework_without_audits_say_no_data(demo_ctx: AppContext) -> None:
    ids = [f.id for f in demo_ctx.frameworks.all()]
    other = next(i for i in ids if i != "case-file")  # the demo audits are all case-file

    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ProfilesScreen)
        await pilot.press("f")
        steps = ids.index(other) - ids.index("case-file")
        await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
        await settle(app, pilot)
        assert screen.profile is not None and screen.profile.framework_id == other
        grid = screen.query_one("#pf-grid", DataTable)
        assert grid.row_count == 1 + len(screen.profile.teams)  # teams with no audits too
        for row in range(grid.row_count):
            assert _cell(grid, row, "overall") == "no data"  # never 0%
            assert _cell(grid, row, "audits") == f"0 (<{demo_ctx.small_sample})"
        # Drilling into nothing lists nothing, without an error.
        await pilot.press("enter")
        await settle(app, pilot)
        drill = app.screen
        assert isinstance(drill, AuditsBehindScreen)
        assert drill.query_one("#ab-table", DataTable).row_count == 0
        assert "0 audits" in str(drill.query_one("#ab-title").render())


async def test_switching_language_keeps_the_period_teams_and_view_chosen(
    demo_ctx: AppContext,
) -> None:
    """Issue 19: a switch of language redraws Profiles in the new words on the period, teams
    and comparison the user had chosen (drawing it as if newly opened went back to the period
    first asked for)."""
    from audit_tui import i18n

    app = app_for(demo_ctx)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("p")
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, ProfilesScreen)
            await pilot.press("left_square_bracket")  # the year before
            await settle(app, pilot)
            await pilot.press("c")  # compared with the period before it
            await settle(app, pilot)
            assert screen.profile is not None and screen.profile.period.label == "2025-26"
            assert screen.compare
            english = [
                _cell(screen.query_one("#pf-compare", DataTable), 0, c)
                for c in ("base_n", "current_n")
            ]
            await app.use_language("cy")
            await settle(app, pilot)
            assert app.screen is screen and screen.title == "Proffiliau"
            assert screen.profile is not None and screen.profile.period.label == "2025-26"
            assert screen.compare and screen.query_one("#pf-compare").display
            assert not screen.query_one("#pf-grid").display
            welsh = [
                _cell(screen.query_one("#pf-compare", DataTable), 0, c)
                for c in ("base_n", "current_n")
            ]
            assert welsh == english  # the same figures, read once
    finally:
        i18n.set_language("en")

"""The TUI's reporting and record screens in Welsh at 80x24 (issue 19, the UI round): the
audit view, its history, the practitioner's response, Profiles with its prompts and
comparison, the audits behind a figure, the export and the programme - nothing cut, headings
in Welsh, every footer key on the screen; the Welsh profile shows the same figures as the
English one in the framework's (and the Welsh workbook's) grade words. And, in both
languages: History shows the change at 80 columns, the export screen writes the CSV files
`audit-tui export --csv` writes, and the export follows the interface's language however it
was chosen (a Welsh system locale included)."""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select
from textual.widgets._footer import FooterKey

from audit_tui import i18n
from audit_tui.cli import main
from audit_tui.cli.language import choose_language
from audit_tui.config import Settings
from audit_tui.export import CsvResult
from audit_tui.export.words import Words
from audit_tui.services import profiles
from audit_tui.services.context import AppContext
from audit_tui.ui.app import AuditApp
from audit_tui.ui.screens.export import ExportModal
from audit_tui.ui.screens.history import HistoryScreen
from audit_tui.ui.screens.profiles import ProfilesScreen
from audit_tui.ui.widgets.figures import Area, figure_of
from tests.ui.cut_check import cut_widgets, screen_lines
from tests.ui.demo_template import settle
from tests.ui.helpers import app_for
from tests.ui.visits import Visit, a_finalised, keys, opening, pressing

SIZE = (80, 24)


@pytest.fixture
def welsh() -> Iterator[None]:
    with i18n.language("cy"):
        yield


async def back_home(app: AuditApp, pilot: Pilot[object]) -> None:
    while len(app.screen_stack) > 2:
        app.pop_screen()
        await pilot.pause()


def _footer_keys_on_screen(app: AuditApp) -> list[str]:
    """Footer keys that are not wholly on the screen."""
    width = app.size.width
    out = []
    for key in app.screen.query(FooterKey):
        if key.display and key.region.width and key.region.right > width:
            out.append(f"{key.key_display} {key.description}")
    return out


# Each stop: a name, how to get there from the one before, and Welsh the screen must show.
TOURS: list[list[tuple[str, Visit, str]]] = [
    [
        ("audit view", opening(a_finalised), "Cryfderau:"),
        ("response", pressing("r"), "Beth ddywedodd"),
        ("history", pressing("escape", "h"), "Hanes archwiliad"),
    ],
    [
        ("profiles", pressing("p"), "Cyffredinol"),
        ("teams", pressing("t"), "Timau i'w dangos"),
        ("period", pressing("escape", "e"), "Dewis cyfnod"),
        ("compare", pressing("escape", "c"), "Tîm a maes"),
        ("questions", pressing("c", "s"), "tîm x cwestiwn"),
        ("drill", pressing("enter"), "Archwiliadau y tu ôl i'r ffigur"),
    ],
    [("export", pressing("x"), "Allforio pecyn y bwrdd")],
    [("programme", pressing("g"), "Rhaglen archwilio"), ("rounds", pressing("r"), "Rownd")],
]


async def test_welsh_screens_at_80x24_show_welsh_and_cut_nothing(
    persona_ctx: AppContext, welsh: None
) -> None:
    problems: dict[str, list[str]] = {}
    app = app_for(persona_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for tour in TOURS:
            for name, visit, words in tour:
                await visit(app, pilot)
                await pilot.wait_for_scheduled_animations()
                await pilot.pause()
                found = cut_widgets(app) + _footer_keys_on_screen(app)
                shown = "\n".join(screen_lines(app))
                if words not in shown:
                    found.append(f"'{words}' is not on the screen")
                if found:
                    problems[f"{name} ({type(app.screen).__name__})"] = found
            await back_home(app, pilot)
    assert not problems, "\n".join(f"{k}: {line}" for k, v in problems.items() for line in v)


def _figures(screen: ProfilesScreen) -> list[tuple[object, ...]]:
    prof = screen.profile
    assert prof is not None
    out: list[tuple[object, ...]] = []
    for g in prof.groups:
        for area in [Area("overall", ""), *screen.areas()]:
            fig = figure_of(g, area)
            # A figure with no data says so in the screen's language ("dim data"): a word,
            # not a figure, so only the figures shown are compared.
            shown = fig.shown if fig.percent is not None else None
            out.append((area.key, fig.percent, fig.n, fig.band, shown))
        out.append(("audits", g.audits, [(j.code, j.n) for j in g.judgements]))
    return out


def _numbers(table: DataTable[object]) -> list[list[str]]:
    return [
        re.findall(r"\d+(?:\.\d+)?", " ".join(str(c) for c in table.get_row_at(i)))
        for i in range(table.row_count)
    ]


async def _profile(ctx: AppContext, lang: str) -> tuple[list[tuple[object, ...]], object, list]:
    with i18n.language(lang):
        app = app_for(ctx)
        async with app.run_test(size=SIZE) as pilot:
            await keys(app, pilot, "p")
            screen = app.screen
            assert isinstance(screen, ProfilesScreen)
            grid = screen.query_one("#pf-grid", DataTable)
            return _figures(screen), screen.profile, _numbers(grid)


async def test_the_welsh_profile_shows_the_english_figures_in_the_workbooks_welsh_words(
    persona_ctx: AppContext, tmp_path: Path
) -> None:
    english, en_prof, en_grid = await _profile(persona_ctx, "en")
    welsh, cy_prof, cy_grid = await _profile(persona_ctx, "cy")
    assert welsh == english and cy_grid == en_grid  # every figure, band and n the same
    assert en_prof is not None and cy_prof is not None
    fw = profiles.versions_in(persona_ctx, en_prof.framework_id, en_prof.period.to_period()).newest
    words = Words(fw, "cy")
    # The grades and bands in the framework's Welsh, as the Welsh workbook words them.
    assert [g.label for g in cy_prof.grades] == [words.grade(g.code) for g in en_prof.grades]
    assert [g.label for g in cy_prof.grades] != [g.label for g in en_prof.grades]
    band = cy_prof.authority.percent_met.band_label
    assert band == words.band(en_prof.authority.percent_met) and band != (
        en_prof.authority.percent_met.band_label
    )
    assert cy_prof.authority.name == "Yr awdurdod cyfan"
    # ...and the Welsh workbook of the same period says the same band word.
    from audit_tui.export import ExportSpec, write_workbook

    result = write_workbook(
        persona_ctx,
        ExportSpec(framework_id=fw.id, period=en_prof.period.label, lang="cy"),
        tmp_path / "cy.xlsx",
    )
    wb = openpyxl.load_workbook(result.path, read_only=True)
    try:
        cells = {
            str(c)
            for ws in wb.worksheets[:2]
            for row in ws.iter_rows(values_only=True)
            for c in row
        }
    finally:
        wb.close()
    assert band in cells


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_history_shows_the_change_at_80_columns(persona_ctx: AppContext, lang: str) -> None:
    with i18n.language(lang):
        app = app_for(persona_ctx)
        async with app.run_test(size=SIZE) as pilot:
            await opening(a_finalised, "h")(app, pilot)
            screen = app.screen
            assert isinstance(screen, HistoryScreen) and screen.history is not None
            table = screen.query_one("#hi-table", DataTable)
            lines = screen_lines(app)
            heading = next(line for line in lines if i18n._("When (UTC)") in line)
            assert i18n._("Change") in heading  # the column is on the screen, not beyond it
            assert not cut_widgets(app)
            # Every change the table holds starts on the screen, in the table's own row.
            changes = [e.change for e in screen.history.entries if e.change]
            assert changes
            for i in range(table.row_count):
                shown = str(table.get_row_at(i)[3])
                full = screen.history.entries[i].change
                assert full.startswith(shown.removesuffix("…")), (shown, full)
            # The last (highlighted) entry, whole, below the table.
            last = screen.history.entries[-1]
            entry = str(screen.query_one("#hi-entry").render())
            assert last.what in entry and last.change in entry
            if lang == "cy":
                assert "Dechreuwyd yr archwiliad" in [
                    str(table.get_row_at(i)[2]) for i in range(table.row_count)
                ]


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


async def test_the_export_screen_writes_the_csv_files_export_csv_writes(
    persona_ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="x"))
    persona_ctx.settings = Settings(exports=folder)
    app = app_for(persona_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await keys(app, pilot, "x")
        modal = app.screen
        assert isinstance(modal, ExportModal)
        modal.query_one("#ex-period", Input).value = "2026-27 Q3"
        modal.query_one("#ex-format", Select).value = "csv"
        await pilot.pause()
        assert modal.query_one("#ex-lang", Select).disabled  # CSV: English data
        assert not cut_widgets(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        result = modal.result
        assert isinstance(result, CsvResult), modal.error
        assert str(folder.resolve()) in str(modal.query_one("#ex-done").render())
    names = [p.name for p in result.paths]
    assert len(names) == 2 and names[0].endswith("_audits.csv")
    assert names[1].endswith("_answers.csv")
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)  # nothing else left

    # The command line, on the same database, the same period.
    cli_folder = tmp_path / "from-cli"
    with pytest.raises(SystemExit) as done:
        main(
            [
                "--db",
                f"sqlite:///{tmp_path / 'audits.db'}",
                "export",
                "--period",
                "2026-27 Q3",
                "--csv",
                str(cli_folder),
            ]
        )
    assert (done.value.code or 0) == 0, capsys.readouterr().err
    cli_files = sorted(cli_folder.iterdir())
    assert len(cli_files) == 2
    for screen_file in result.paths:
        kind = screen_file.name.rsplit("_", 1)[1]  # audits.csv or answers.csv
        twin = next(p for p in cli_files if p.name.endswith("_" + kind))
        rows = _rows(screen_file)
        assert len(rows) > 1 and rows == _rows(twin)
    assert result.audits == len(_rows(result.paths[0])) - 1


async def test_the_export_follows_an_interface_language_chosen_by_the_system_locale(
    persona_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AUDIT_TUI_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "cy_GB.UTF-8")
    folder = tmp_path / "exports"
    persona_ctx.settings = Settings(exports=folder)
    assert persona_ctx.settings.lang == ""  # nothing but the locale says Welsh
    try:
        assert choose_language([]) == "cy"  # as the command line chooses it at start
        app = app_for(persona_ctx)
        async with app.run_test(size=SIZE) as pilot:
            await keys(app, pilot, "x")
            modal = app.screen
            assert isinstance(modal, ExportModal)
            assert modal.query_one("#ex-lang", Select).value == "cy"
            assert "Allforio pecyn y bwrdd" in "\n".join(screen_lines(app))
            modal.query_one("#ex-period", Input).value = "2026-27 Q3"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            result = modal.result
            assert result is not None and not isinstance(result, CsvResult), modal.error
    finally:
        # The interface language is the process's base (i18n.language() only overrides it
        # for a block), so it is set back here.
        i18n.set_language("en")
    wb = openpyxl.load_workbook(result.path, read_only=True)
    try:
        assert wb.sheetnames[0] == "Crynodeb"  # the workbook in the language on the screen
    finally:
        wb.close()

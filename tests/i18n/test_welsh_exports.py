"""A workbook and a feedback document written in Welsh (or in both languages) say the same
figures as the English ones, in Welsh words: sheet names, headings, band words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from audit_tui import i18n
from audit_tui.cli import main
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.export import ExportSpec, render_feedback, write_workbook
from audit_tui.services.context import AppContext
from tests.conftest import make_context
from tests.export.fake_audits import FakeData, seed_audits

NOW = datetime(2026, 11, 20, 14, 30)
PERIOD = "2026-27"
SHEETS_CY = ["Crynodeb", "Timau", "Tuedd", "Cwestiynau"]
# The case-file framework's judgement words (CIW's, April 2025) in each language.
GRADES = {
    "en": {"Excellent", "Good", "Requires improvement", "Requires significant improvement"},
    "cy": {"Rhagorol", "Da", "Rhaid gwella", "Rhaid gwella'n sylweddol"},
}


# Words, not storage: SQLite is enough here (the figures are tested on both elsewhere).
@pytest.fixture(scope="module")
def seeded(
    tmp_path_factory: pytest.TempPathFactory, registry: FrameworkRegistry
) -> Iterator[tuple[AppContext, FakeData, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('welsh') / 'audits.db'}"
    c = make_context(url, registry)
    data = seed_audits(c, seed=19, audits=40, start=date(2025, 4, 1), end=date(2026, 11, 20))
    yield c, data, url
    c.db.dispose()


@pytest.fixture
def ctx(seeded: tuple[AppContext, FakeData, str]) -> AppContext:
    return seeded[0]


def _write(ctx: AppContext, folder: Path, lang: str | None, **more: Any) -> Path:
    folder.mkdir(exist_ok=True)
    spec = ExportSpec(period=PERIOD, lang=lang, **more)
    return write_workbook(ctx, spec, folder, now=NOW).path


def _cells(path: Path) -> list[list[tuple[Any, ...]]]:
    wb = load_workbook(path)
    return [list(ws.iter_rows(values_only=True)) for ws in wb.worksheets]


def _is_figure(v: Any) -> bool:
    return isinstance(v, int | float | date) and not isinstance(v, bool)


def _texts(path: Path, sheet: int) -> set[str]:
    ws = load_workbook(path).worksheets[sheet]
    return {v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)}


def test_a_welsh_workbook_has_welsh_words_and_the_same_figures(
    ctx: AppContext, tmp_path: Path
) -> None:
    en = _write(ctx, tmp_path / "en", "en")
    cy = _write(ctx, tmp_path / "cy", "cy")
    en_book, cy_book = load_workbook(en), load_workbook(cy)
    assert en_book.sheetnames[:4] == ["Summary", "Teams", "Trend", "Questions"]
    assert cy_book.sheetnames[:4] == SHEETS_CY
    assert "Archwiliadau" in cy_book.sheetnames and "Atebion" in cy_book.sheetnames
    assert len(en_book.sheetnames) == len(cy_book.sheetnames)
    # Every number and date in every cell is the same; only the words differ.
    en_cells, cy_cells = _cells(en), _cells(cy)
    compared = 0
    for en_rows, cy_rows in zip(en_cells, cy_cells, strict=True):
        assert len(en_rows) == len(cy_rows)
        for en_row, cy_row in zip(en_rows, cy_rows, strict=True):
            for a, b in zip(en_row, cy_row, strict=True):
                if _is_figure(a) or _is_figure(b):
                    assert a == b
                    compared += 1
    assert compared > 500
    # Headings and band words are Welsh; the English ones are gone.
    teams = _texts(cy, 1)
    assert {"Tîm", "Archwiliadau", "Canran a fodlonwyd", "n (atebion)", "Band"} <= teams
    assert "Percent met" not in teams and "Team" not in teams
    cy_bands, en_bands = GRADES["cy"] & teams, GRADES["en"] & _texts(en, 1)
    assert cy_bands and len(cy_bands) == len(en_bands)
    assert not GRADES["en"] & teams
    assert "Yr awdurdod cyfan" in teams
    summary = " ".join(_texts(cy, 0))
    assert "Prif ffigurau" in summary and "Tachwedd 2026" in summary  # Babel's month name


def test_band_words_stand_where_the_english_ones_do(ctx: AppContext, tmp_path: Path) -> None:
    """Cell by cell on the Teams sheet: an English band word has the same grade's Welsh
    word in the same cell."""
    en = load_workbook(_write(ctx, tmp_path / "en", "en"))["Teams"]
    cy = load_workbook(_write(ctx, tmp_path / "cy", "cy"))["Timau"]
    pairs = dict(
        zip(
            sorted(GRADES["en"]),
            ["Rhagorol", "Da", "Rhaid gwella", "Rhaid gwella'n sylweddol"],
            strict=True,
        )
    )
    seen = 0
    for en_row, cy_row in zip(en.iter_rows(), cy.iter_rows(), strict=True):
        for a, b in zip(en_row, cy_row, strict=True):
            if a.value in GRADES["en"]:
                assert b.value == pairs[a.value]
                assert a.fill.fgColor.rgb == b.fill.fgColor.rgb  # the same band colour
                seen += 1
    assert seen


def test_a_bilingual_workbook_puts_welsh_first(ctx: AppContext, tmp_path: Path) -> None:
    both = _write(ctx, tmp_path / "both", "cy+en")
    wb = load_workbook(both)
    # "/" may not stand in a sheet name: the pair is joined with a dash.
    assert wb.sheetnames[:4] == [
        "Crynodeb - Summary",
        "Timau - Teams",
        "Tuedd - Trend",
        "Cwestiynau - Questions",
    ]
    teams = _texts(both, 1)
    assert {
        "Tîm / Team",
        "Canran a fodlonwyd / Percent met",
        "Yr awdurdod cyfan / Whole authority",
    } <= teams
    assert {f"{cy} / {en}" for cy, en in (("Da", "Good"),)} & teams or "Da / Good" in " ".join(
        teams
    )
    en_cells = _cells(_write(ctx, tmp_path / "en", "en"))
    for en_rows, both_rows in zip(en_cells, _cells(both), strict=True):
        for en_row, both_row in zip(en_rows, both_rows, strict=True):
            assert [v for v in en_row if _is_figure(v)] == [v for v in both_row if _is_figure(v)]


def test_the_interface_language_is_the_default_and_is_restored(
    ctx: AppContext, tmp_path: Path
) -> None:
    i18n.set_language("cy")
    try:
        path = _write(ctx, tmp_path / "cy", None)
        assert load_workbook(path).sheetnames[0] == "Crynodeb"
        _write(ctx, tmp_path / "en", "en")
        assert i18n.current() == "cy"  # an English export leaves the interface in Welsh
    finally:
        i18n.set_language("en")


def test_an_unknown_export_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        ExportSpec(lang="fr")


def test_export_lang_on_the_command_line(
    seeded: tuple[AppContext, FakeData, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = seeded[2]
    out = tmp_path / "board.xlsx"
    with pytest.raises(SystemExit) as info:
        main(
            [
                "--db",
                url,
                "--user",
                "tester",
                "export",
                "--period",
                PERIOD,
                "--out",
                str(out),
                "--lang",
                "cy+en",
            ]
        )
    printed, err = capsys.readouterr()
    assert (info.value.code, err) == (0, "")
    # The interface stayed English; the workbook is bilingual.
    assert printed.startswith(f"wrote {out} (case-file {PERIOD}, all teams: ")
    assert load_workbook(out).sheetnames[0] == "Crynodeb - Summary"
    with pytest.raises(SystemExit) as info:
        main(
            [
                "--db",
                url,
                "--lang",
                "cy",
                "export",
                "--period",
                PERIOD,
                "--out",
                str(tmp_path / "x.xlsx"),
                "--lang",
                "fr",
            ]
        )
    assert info.value.code == 2
    assert capsys.readouterr()[1].count("\n") == 1


def test_feedback_in_welsh_and_in_both(
    ctx: AppContext, seeded: tuple[AppContext, FakeData]
) -> None:
    data = seeded[1]
    audit_id = next(a.id for a in data.audits if a.status == "finalised")
    en = render_feedback(ctx, audit_id, lang="en")
    cy = render_feedback(ctx, audit_id, lang="cy")
    both = render_feedback(ctx, audit_id, lang="cy+en")
    assert "## Strengths" in en and "## Cryfderau" in cy and "## Cryfderau / Strengths" in both
    assert "- Cyfeirnod yr achos: " in cy
    assert any(f"Dyfarniad: {g}" in cy for g in GRADES["cy"])
    # The same figures: every number in the English document is in the Welsh one, in order.
    import re

    numbers = re.compile(r"\d+(?:\.\d+)?%?")
    assert numbers.findall(
        en.split("## Agreed actions")[0].split("- Audited by")[1].split("\n", 1)[1]
    ) == numbers.findall(
        cy.split("## Camau gweithredu")[0].split("- Archwiliwyd gan")[1].split("\n", 1)[1]
    )


def test_an_untranslated_framework_text_is_marked_in_every_export_language() -> None:
    """An authority's framework partly in Welsh (tests/fixtures/own-words.yaml): where a text
    has no Welsh, a Welsh export shows the English behind "[en] ", as the screens do, and a
    bilingual export shows the one language it has, marked; translated texts are unmarked."""
    from audit_tui.domain.loader import load_framework_file
    from audit_tui.export.words import Words

    fw = load_framework_file(Path(__file__).resolve().parent.parent / "fixtures" / "own-words.yaml")
    texts = [q.text for q in fw.questions]
    missing = [t for t in texts if "cy" not in t.translations]
    both = [t for t in texts if {"cy", "en"} <= set(t.translations)]
    assert missing and both, "the fixture must have translated and untranslated questions"
    for lang in ("cy", "cy+en"):
        words = Words(fw, lang)
        assert all(words.text(t) == "[en] " + t.get("en") for t in missing)
        assert not any(words.text(t).startswith("[") for t in both)
    assert all(Words(fw, "en").text(t) == t.get("en") for t in texts)


def _profile_text(url: str, lang: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as info:
        main(["--db", url, "--lang", lang, "profile", "--period", PERIOD, "--weakest", "5"])
    out, err = capsys.readouterr()
    assert (info.value.code, err) == (0, "")
    return out


def test_the_profile_table_in_welsh_has_every_word_welsh_and_the_same_figures(
    seeded: tuple[AppContext, FakeData, str],
    registry: FrameworkRegistry,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`audit-tui --lang cy profile` said its grades, sections, questions, answers and "Whole
    authority" in English: the framework's words now come from its Welsh text, the tool's
    from the catalogue; the figures are the English table's, in the same places."""
    import re

    english = _profile_text(seeded[2], "en", capsys)
    welsh = _profile_text(seeded[2], "cy", capsys)
    fw = registry.get("case-file")
    sections = [s.title.get("en") for s in fw.sections]
    questions = [q.text.get("en")[:60] for q in fw.questions]
    grades_en = GRADES["en"] | {"Good or better".upper(), "RI", "RSI"}
    assert "Whole authority" in english and any(s in english for s in sections)
    assert any(q in english for q in questions)  # the weakest questions are listed
    present = [g for g in grades_en if re.search(rf"\b{re.escape(g)}\b", english)]
    assert present  # what the Welsh table must not say
    for word in [*present, "Whole authority", *sections, *questions]:
        assert word not in welsh, word
    assert "Yr awdurdod cyfan" in welsh and "DA NEU WELL" in welsh
    assert any(g in welsh for g in GRADES["cy"])
    assert any(s.title.get("cy") in welsh for s in fw.sections)
    figures = re.compile(r"\d+(?:\.\d+)?%|n=\d+|\[\d+-\d+\]")
    assert figures.findall(welsh) == figures.findall(english)

"""Hostile and damaged case lists: each is refused with one line naming the file (and the row
where there is one), read in bounded time and memory, with nothing written. Also the privacy
and text-hygiene rules of the import: name-like and birth-date headings, control characters,
and a CSV whose encoding is not consistent."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from audit_tui.services.case_import import import_cases
from audit_tui.services.context import AppContext
from tests.services.test_case_import import (
    cases,
    refusing_ctx,
    rejected,
    write_csv,
    write_xlsx,
)

__all__ = ["refusing_ctx"]  # the fixture, shared with test_case_import

HEADER = ["Reference", "Case type", "Team", "Worker"]


def _workbook(tmp_path: Path, rows: list[list[object]] | None = None) -> Path:
    return write_xlsx(tmp_path, "cases.xlsx", rows or [HEADER, ["A-1", "CP", "North", "Ann"]])


def rewrite_member(path: Path, member: str, change: object) -> Path:
    """The workbook at `path` with one zip member's bytes passed through `change`."""
    out = path.with_name("edited.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == member:
                data = change(data)  # type: ignore[operator]
            dst.writestr(item, data)
    return out


SHEET = "xl/worksheets/sheet1.xml"


# --- headings that carry a child's name or birth date -------------------------------------


@pytest.mark.parametrize(
    "heading",
    ["Nickname", "Known as", "Preferred name", "Alias", "Birthday", "AKA", "a.k.a.",
     "Also known as", "Given name", "Middle name", "D.O.B.", "Place of birth", "Born",
     "Enw", "Cyfenw", "Llysenw", "Dyddiad geni", "Pen-blwydd", "Child's alias", "Née"],
)  # fmt: skip
def test_every_guise_of_a_child_name_or_birth_date_refuses_the_file(
    refusing_ctx: AppContext, tmp_path: Path, heading: str
) -> None:
    text = f"Reference,Case type,Team,Worker,{heading}\nA-1,CP,North,Ann,x\n"
    exc = rejected(refusing_ctx, write_csv(tmp_path, "names.csv", text))
    assert exc.errors == [
        f"names.csv: column '{heading}' looks like a child's name or date of birth: "
        "remove the column and import again (audit-tui never stores them)"
    ]


def test_staff_and_harmless_headings_are_not_mistaken_for_a_child(
    sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    text = (
        "Reference,Case type,Team,Worker name,Worker known as,Preferred language,Ward\n"
        "A-1,CP,North,Ann,Annie,Welsh,Castle\n"
    )
    report = import_cases(sqlite_ctx, write_csv(tmp_path, "staff.csv", text))
    assert report.ignored_columns == ["Worker known as", "Preferred language", "Ward"]


# --- control characters in names and references --------------------------------------------


def test_control_characters_in_names_are_refused_with_the_row(
    refusing_ctx: AppContext, tmp_path: Path
) -> None:
    text = (
        "Reference,Case type,Team,Worker,Legal status\n"
        "A-1,CP,North\x1b[31m,Ann,S47\n"
        "A-2,CP,North,Bo\x07b,S47\n"
        "A-3,CP,North,Ann,S\x9b2J\n"
        "A-4\x1b,CP,North,Ann,S47\n"
    )
    exc = rejected(refusing_ctx, write_csv(tmp_path, "esc.csv", text))
    assert exc.errors == [
        "esc.csv: row 2: team 'North?[31m' contains a control character "
        "(U+001B, ESC, which starts a terminal escape sequence)",
        "esc.csv: row 3: case-holder 'Bo?b' contains a control character (U+0007)",
        "esc.csv: row 4: legal status 'S?2J' contains a control character (U+009B)",
        "esc.csv: row 5: case reference 'A-4\x1b' is not a case management system id "
        "(letters, digits and / _ . - only, at most 64 characters)",
    ]


def test_control_characters_in_a_workbook_are_refused(
    refusing_ctx: AppContext, tmp_path: Path
) -> None:
    # XML cannot hold ESC itself (Excel writes it as the text _x001B_, which openpyxl leaves
    # as it is), but it can hold C1 characters such as U+009B, a one-byte escape sequence start.
    path = _workbook(tmp_path, [HEADER, ["A-1", "CP", "North", "Ann"], ["A-2", "CP", "X", "Bo"]])

    def hostile(data: bytes) -> bytes:
        data = data.replace(b">North<", ">North\u009b2J<".encode())
        return data.replace(b">Bo<", "><![CDATA[Bo\u009b31m]]><".encode())

    exc = rejected(refusing_ctx, rewrite_member(path, SHEET, hostile))
    assert exc.errors == [
        "edited.xlsx: row 2: team 'North?2J' contains a control character (U+009B)",
        "edited.xlsx: row 3: case-holder 'Bo?31m' contains a control character (U+009B)",
    ]


# --- encodings ------------------------------------------------------------------------------


def test_utf8_with_one_bad_byte_is_refused_not_garbled(
    refusing_ctx: AppContext, tmp_path: Path
) -> None:
    # Before: the whole file was decoded as Windows-1252, so 'Tîm Môn' became 'TÃ®m MÃ´n'.
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "Reference,Case type,Team,Worker\nA-1,CP,Tîm Môn,Ann\n".encode() + b"A-2,CP,North,Si\xe2n\n"
    )
    exc = rejected(refusing_ctx, path)
    assert exc.errors == [
        "mixed.csv: row 3: byte 69 of the file (0xE2) is not valid UTF-8, though the rest of "
        "the file is UTF-8: correct that cell, or save the file again as CSV UTF-8"
    ]


def test_a_byte_windows_1252_does_not_have_is_refused(
    refusing_ctx: AppContext, tmp_path: Path
) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(b"Reference,Case type,Team,Worker\nA-1,CP,North,Si\x81n\n")
    exc = rejected(refusing_ctx, path)
    assert exc.errors == [
        "odd.csv: row 2: byte 48 of the file (0x81) is neither UTF-8 nor Windows-1252 text: "
        "save the file as CSV UTF-8"
    ]


def test_a_file_wholly_in_windows_1252_is_still_read(
    sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    text = "Reference,Case type,Team,Worker\nA-1,CP,Tîm Môn,Siân Bowen\n"
    import_cases(sqlite_ctx, write_csv(tmp_path, "excel.csv", text, "cp1252"))
    assert cases(sqlite_ctx)["A-1"]["team"] == "Tîm Môn"
    assert cases(sqlite_ctx)["A-1"]["case_holder"] == "Siân Bowen"


# --- damaged and unusual workbooks ----------------------------------------------------------


def test_a_truncated_sheet_is_one_line(refusing_ctx: AppContext, tmp_path: Path) -> None:
    rows = [HEADER, *([f"A-{i}", "CP", "North", "Ann"] for i in range(1, 40))]
    path = rewrite_member(_workbook(tmp_path, rows), SHEET, lambda b: b[: len(b) // 2])
    (error,) = rejected(refusing_ctx, path).errors
    assert error.startswith("edited.xlsx: not a readable Excel workbook (.xlsx): the sheet is ")
    assert "damaged after row " in error


def test_the_header_is_checked_before_the_rest_is_read(
    refusing_ctx: AppContext, tmp_path: Path
) -> None:
    """A name column is reported even though the sheet is damaged further down: the header
    is read and checked first, and nothing after it is."""
    rows = [[*HEADER, "Child name"], *([f"A-{i}", "CP", "North", "Ann", "x"] for i in range(60))]
    path = rewrite_member(_workbook(tmp_path, rows), SHEET, lambda b: b[: len(b) // 2])
    assert rejected(refusing_ctx, path).errors == [
        "edited.xlsx: column 'Child name' looks like a child's name or date of birth: "
        "remove the column and import again (audit-tui never stores them)"
    ]


def test_a_chart_as_the_first_sheet_is_one_line(refusing_ctx: AppContext, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["A-1", "CP", "North", "Ann"])
    chart_sheet = wb.create_chartsheet("Chart")
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=2))
    chart_sheet.add_chart(chart)
    wb.active = 1
    path = tmp_path / "chart.xlsx"
    wb.save(path)
    assert rejected(refusing_ctx, path).errors == [
        "chart.xlsx: the sheet that opens first ('Chart') is a chart, not a table: open the "
        "case list's sheet, save the workbook and import it again"
    ]


def zip_bomb(path: Path, megabytes: int) -> Path:
    """A workbook of a few hundred KB whose sheet unpacks to `megabytes` MB of XML."""
    template = _workbook(path.parent)
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item)
            if item.filename != SHEET:
                z.writestr(item, data)
                continue
            head, tail = data.split(b"</sheetData>")
            info = zipfile.ZipInfo(SHEET)
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as out:
                out.write(head)
                cell = b"A" * (1024 * 1024)
                for r in range(3, 3 + megabytes):
                    out.write(f'<row r="{r}"><c r="E{r}" t="inlineStr"><is><t>'.encode())
                    out.write(cell + b"</t></is></c></row>")
                out.write(b"</sheetData>" + tail)
    return path


def test_a_zip_bomb_is_refused_by_its_declared_size(
    refusing_ctx: AppContext, tmp_path: Path
) -> None:
    # Before: 860 MB of XML in 3.3 MB ran for minutes to a MemoryError.
    path = zip_bomb(tmp_path / "bomb.xlsx", 210)
    assert path.stat().st_size < 2 * 1024 * 1024
    assert rejected(refusing_ctx, path).errors == [
        "bomb.xlsx: the workbook unpacks to 210 MB, more than a case list needs (the limit is "
        "200 MB): save the case list alone as .xlsx or CSV"
    ]


def test_too_many_rows_are_refused(refusing_ctx: AppContext, tmp_path: Path) -> None:
    text = "Reference,Case type,Team,Worker\n" + "A-1,CP,North,Ann\n" * 100_001
    assert rejected(refusing_ctx, write_csv(tmp_path, "huge.csv", text)).errors == [
        "huge.csv: the file has more than 100,000 rows: a case list is one row per open case; "
        "split it or remove the rows that are not cases"
    ]


def test_a_far_away_empty_row_and_a_stray_far_column_cost_nothing(
    sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    """A formatted but empty last row (1,048,576) and a cell in column XFD: the rows between
    are passed over and only the first 256 columns are read, so the list imports as usual."""
    path = _workbook(tmp_path, [HEADER, ["A-1", "CP", "North", "Ann"]])

    def far(data: bytes) -> bytes:
        far_row = b'<row r="1048576"><c r="XFD1048576" s="0"/></row>'
        return data.replace(b"</sheetData>", far_row + b"</sheetData>")

    report = import_cases(sqlite_ctx, rewrite_member(path, SHEET, far))
    assert report.rows == 1


def test_a_row_number_past_excels_last_row_is_damage(
    refusing_ctx: AppContext, tmp_path: Path
) -> None:
    path = _workbook(tmp_path)

    def beyond(data: bytes) -> bytes:
        return data.replace(
            b"</sheetData>", b'<row r="999999999"><c r="A999999999"/></row></sheetData>'
        )

    (error,) = rejected(refusing_ctx, rewrite_member(path, SHEET, beyond)).errors
    assert error == (
        "edited.xlsx: not a readable Excel workbook (.xlsx): the sheet is damaged (it has a row "
        "past row 1,048,576, the last row Excel has)"
    )


# --- files that are not files ---------------------------------------------------------------


def test_a_fifo_is_refused_without_waiting(refusing_ctx: AppContext, tmp_path: Path) -> None:
    fifo = tmp_path / "cases.csv"
    os.mkfifo(fifo)
    assert rejected(refusing_ctx, fifo).errors == [
        "cases.csv: not a regular file (a pipe, device or socket cannot be read here)"
    ]


def test_a_device_is_refused(refusing_ctx: AppContext) -> None:
    assert rejected(refusing_ctx, Path("/dev/zero")).errors == [
        "zero: not a regular file (a pipe, device or socket cannot be read here)"
    ]

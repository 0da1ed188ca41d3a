"""Importing the case list: valid and invalid CSV and XLSX files, all or nothing."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services.case_import import ImportRejected, import_cases
from audit_tui.services.context import AppContext
from audit_tui.store.models import Case, Event, Team, Worker
from tests.conftest import make_context


@pytest.fixture(scope="module")
def refusing_ctx(
    tmp_path_factory: pytest.TempPathFactory, registry: FrameworkRegistry
) -> Iterator[AppContext]:
    """One SQLite database shared by tests whose file is refused: they never write to it,
    and each checks it is still empty. Reading a file does not depend on the database."""
    context = make_context(f"sqlite:///{tmp_path_factory.mktemp('refused') / 'a.db'}", registry)
    yield context
    context.db.dispose()


def write_csv(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(tmp_path: Path, name: str, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    path = tmp_path / name
    wb.save(path)
    return path


def count(ctx: AppContext, model: type) -> int:
    with ctx.db.read() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def cases(ctx: AppContext) -> dict[str, dict[str, Any]]:
    with ctx.db.read() as s:
        return {
            c.reference: {
                "case_type": c.case_type,
                "team": c.team.name,
                "case_holder": c.worker.name if c.worker else None,
                "legal_status": c.legal_status,
                "age_band": c.age_band,
                "open_date": c.open_date,
            }
            for c in s.execute(select(Case)).scalars()
        }


def rejected(ctx: AppContext, path: Path) -> ImportRejected:
    with pytest.raises(ImportRejected) as info:
        import_cases(ctx, path)
    assert count(ctx, Case) == 0
    assert count(ctx, Team) == 0
    assert count(ctx, Worker) == 0
    assert count(ctx, Event) == 0
    return info.value


VALID_CSV = """\
Case Reference,Case type,Team,Social Worker,Legal status,Age band,Open date,Notes
WCC-1001,Child protection,North Team,Ann Jones,S47,5-9,01/04/2025,first
WCC-1002,LAC,North Team,Ann Jones,S31,10-15,2024-11-30,
WCC-1003,CIN,South Team,,,,,unallocated
"""


def test_valid_csv_creates_cases_teams_and_case_holders(ctx: AppContext, tmp_path: Path) -> None:
    report = import_cases(ctx, write_csv(tmp_path, "cases.csv", VALID_CSV))
    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    assert report.ignored_columns == ["Notes"]
    assert report.teams_created == ["North Team", "South Team"]
    assert report.workers_created == ["Ann Jones"]
    assert report.notes == [
        "column 'Notes' ignored (not a known column)",
        "created team 'North Team'",
        "created team 'South Team'",
        "added 1 case-holder",
    ]
    assert cases(ctx) == {
        "WCC-1001": {
            "case_type": "child_protection",
            "team": "North Team",
            "case_holder": "Ann Jones",
            "legal_status": "S47",
            "age_band": "5-9",
            "open_date": date(2025, 4, 1),
        },
        "WCC-1002": {
            "case_type": "looked_after",
            "team": "North Team",
            "case_holder": "Ann Jones",
            "legal_status": "S31",
            "age_band": "10-15",
            "open_date": date(2024, 11, 30),
        },
        "WCC-1003": {
            "case_type": "child_in_need",
            "team": "South Team",
            "case_holder": None,
            "legal_status": None,
            "age_band": None,
            "open_date": None,
        },
    }
    with ctx.db.read() as s:
        actions = [e.action for e in s.execute(select(Event).order_by(Event.id)).scalars()]
    # teams and the worker as they appear, one event per case, one summary
    assert actions.count("import") == 3
    assert actions.count("import_cases") == 1
    assert actions.count("create") == 3


def test_semicolon_csv_with_bom_and_other_headings(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    ctx = sqlite_ctx
    text = "CLIENT ID;Category;team;Allocated worker\r\n5501;CWD;Disability Team;Bo Li\r\n"
    report = import_cases(ctx, write_csv(tmp_path, "export.csv", text, "utf-8-sig"))
    assert report.created == 1
    assert cases(ctx)["5501"]["case_type"] == "disabled_children"


def test_windows_1252_csv_is_read(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    ctx = sqlite_ctx
    text = "case_id,case_type,team,worker\nM-1,care leaver,Tîm Môn,Siân Ellis\n"
    import_cases(ctx, write_csv(tmp_path, "excel.csv", text, "cp1252"))
    assert cases(ctx)["M-1"]["team"] == "Tîm Môn"
    assert cases(ctx)["M-1"]["case_holder"] == "Siân Ellis"


def test_valid_xlsx_with_numbers_dates_and_blank_rows(ctx: AppContext, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        "cases.xlsx",
        [
            ["Case ref", "Case type", "Team", "Case holder", "Open date"],
            [70001, "CP", "North Team", "Ann Jones", datetime(2025, 6, 2)],
            [None, None, None, None, None],
            ["70002", "Looked after", "North Team", "Ann Jones", None],
        ],
    )
    report = import_cases(ctx, path)
    assert (report.created, report.ignored_columns) == (2, [])
    got = cases(ctx)
    assert got["70001"]["open_date"] == date(2025, 6, 2)
    assert got["70002"]["case_type"] == "looked_after"


def test_title_rows_above_the_header_are_skipped(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    ctx = sqlite_ctx
    path = write_xlsx(
        tmp_path,
        "report.xlsx",
        [
            ["Open cases report"],
            ["Run 2026-11-19", None, "Children's Services"],
            [None],
            ["Case ref", "Case type", "Team", "Case holder"],
            ["T-1", "CP", "North", "Ann"],
            ["T-2", "Typo", "North", "Ann"],
        ],
    )
    exc = rejected(ctx, path)
    assert exc.errors[0].startswith("report.xlsx: row 6: unknown case type 'Typo'")
    assert len(exc.errors) == 1


def test_reimport_updates_instead_of_duplicating(ctx: AppContext, tmp_path: Path) -> None:
    import_cases(ctx, write_csv(tmp_path, "cases.csv", VALID_CSV))
    changed = """\
Case Reference,Case type,Team,Social Worker
WCC-1001,Child protection,North Team,Ann Jones
WCC-1002,LAC,South Team,Cai Evans
WCC-1004,Care leaver,South Team,Cai Evans
"""
    report = import_cases(ctx, write_csv(tmp_path, "cases2.csv", changed))
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert count(ctx, Case) == 4
    got = cases(ctx)
    assert got["WCC-1002"]["team"] == "South Team"
    assert got["WCC-1002"]["case_holder"] == "Cai Evans"
    # optional columns the second file does not have are left as they were
    assert got["WCC-1002"]["legal_status"] == "S31"
    with ctx.db.read() as s:
        last_case_event = s.execute(
            select(Event).where(Event.action == "import").order_by(Event.id.desc()).limit(1)
        ).scalar_one()
        assert last_case_event.reason == "cases2.csv"
    # the same file again changes nothing
    again = import_cases(ctx, write_csv(tmp_path, "cases2.csv", changed))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_invalid_rows_list_every_problem_and_import_nothing(
    ctx: AppContext, tmp_path: Path
) -> None:
    text = """\
Reference,Case type,Team,Worker,Open date
A-1,Child protection,North,Ann
A-2,Fostering,North,Ann
,CP,North,Ann
A-4,,,Ann
A-5,CIN,North,Ann,31/02/2025
Jane Smith,CIN,North,Ann
A-1,CIN,South,Bo
"""
    exc = rejected(ctx, write_csv(tmp_path, "list.csv", text))
    assert exc.errors == [
        "list.csv: row 3: unknown case type 'Fostering' (framework case-file has: Child in "
        "need, Child protection, Looked after, Care leaver, Disabled children)",
        "list.csv: row 4: missing case reference",
        "list.csv: row 5: missing case type",
        "list.csv: row 5: missing team",
        "list.csv: row 6: open date '31/02/2025' is not a date "
        "(write it like 2025-04-01 or 01/04/2025)",
        "list.csv: row 7: case reference 'Jane Smith' is not a case management system id "
        "(letters, digits and / _ . - only, at most 64 characters)",
        "list.csv: row 8: duplicate case reference 'A-1' (also on row 2)",
    ]
    assert str(exc) == "list.csv: nothing imported: 7 problems in rows 3, 4, 5, 6, 7, 8"
    assert isinstance(exc, UserError)


def test_invalid_xlsx_rows_are_numbered_as_the_spreadsheet_shows(
    ctx: AppContext, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path,
        "cases.xlsx",
        [
            ["Case ref", "Category", "Team", "Worker"],
            ["X1", "CP", "North", "Ann"],
            [None, None, None, None],
            ["X2", "Adoption", "North", "Ann"],
            ["X1", "CP", "North", "Ann"],
        ],
    )
    exc = rejected(ctx, path)
    assert exc.errors[0].startswith("cases.xlsx: row 4: unknown case type 'Adoption'")
    assert exc.errors[1] == "cases.xlsx: row 5: duplicate case reference 'X1' (also on row 2)"
    assert len(exc.errors) == 2


def test_wrong_headers_name_the_missing_columns(ctx: AppContext, tmp_path: Path) -> None:
    text = "Reference,Kind,Worker\nA-1,CP,Ann\n"
    exc = rejected(ctx, write_csv(tmp_path, "wrong.csv", text))
    assert exc.errors == [
        "wrong.csv: row 1: no case type column (name it 'case type', 'type', 'category', "
        "'case category' or another documented heading)",
        "wrong.csv: row 1: no team column (name it 'team', 'team name', 'allocated team', "
        "'service team' or another documented heading)",
    ]


def test_two_columns_for_one_field_are_refused(refusing_ctx: AppContext, tmp_path: Path) -> None:
    ctx = refusing_ctx
    text = "Reference,Case ID,Case type,Team,Worker\nA-1,1,CP,North,Ann\n"
    exc = rejected(ctx, write_csv(tmp_path, "twice.csv", text))
    assert exc.errors == [
        "twice.csv: row 1: columns 'Reference' and 'Case ID' both give the case reference: keep one"
    ]


@pytest.mark.parametrize(
    "heading", ["Child name", "Child's Name", "First name", "Surname", "Forename", "DOB",
                "Date of birth", "Full name", "name"]
)  # fmt: skip
def test_a_child_name_column_refuses_the_whole_file(
    refusing_ctx: AppContext, tmp_path: Path, heading: str
) -> None:
    ctx = refusing_ctx
    text = f"Reference,Case type,Team,Worker,{heading}\nA-1,CP,North,Ann,x\n"
    exc = rejected(ctx, write_csv(tmp_path, "names.csv", text))
    assert exc.errors == [
        f"names.csv: column '{heading}' looks like a child's name or date of birth: "
        "remove the column and import again (audit-tui never stores them)"
    ]
    assert str(exc) == exc.errors[0]


def test_staff_name_columns_are_not_mistaken_for_a_child(
    sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    ctx = sqlite_ctx
    text = "Reference,Case type,Team name,Worker name,Team manager name\nA-1,CP,North,Ann,Mo\n"
    report = import_cases(ctx, write_csv(tmp_path, "staff.csv", text))
    # Not refused as a child's name: the team manager column (issue 15) is read as such.
    assert report.ignored_columns == []
    assert cases(ctx)["A-1"]["case_holder"] == "Ann"
    assert "Mo marked as a manager of North" in report.notes


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("empty.csv", b"", "empty.csv: the file is empty"),
        ("blank.csv", b" \r\n\r\n", "blank.csv: the file is empty"),
        (
            "header.csv",
            b"Reference,Case type,Team,Worker\r\n",
            "header.csv: the file has a header row but no cases",
        ),
        (
            "random.xlsx",
            bytes(range(7, 200)) * 3,
            "random.xlsx: not an Excel workbook (the file's contents are not .xlsx)",
        ),
        (
            "picture.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
            "picture.csv: not a CSV or Excel file (it holds binary data)",
        ),
        (
            "old.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "old.xls: an old-style .xls or password-protected workbook cannot be read: "
            "save it as .xlsx without a password, or as CSV",
        ),
        ("nothing.csv", None, "nothing.csv: no such file"),
    ],
)
def test_files_that_are_not_case_lists(
    refusing_ctx: AppContext, tmp_path: Path, name: str, content: bytes | None, error: str
) -> None:
    ctx = refusing_ctx
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    exc = rejected(ctx, path)
    assert exc.errors == [error]
    assert str(exc) == error


def test_a_zip_that_is_not_a_workbook(refusing_ctx: AppContext, tmp_path: Path) -> None:
    ctx = refusing_ctx
    path = tmp_path / "cases.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    assert rejected(ctx, path).errors == ["cases.xlsx: not a readable Excel workbook (.xlsx)"]


def test_an_empty_workbook(refusing_ctx: AppContext, tmp_path: Path) -> None:
    ctx = refusing_ctx
    assert rejected(ctx, write_xlsx(tmp_path, "e.xlsx", [])).errors == ["e.xlsx: the file is empty"]


def test_header_only_workbook(refusing_ctx: AppContext, tmp_path: Path) -> None:
    ctx = refusing_ctx
    path = write_xlsx(tmp_path, "h.xlsx", [["Reference", "Case type", "Team", "Worker"]])
    assert rejected(ctx, path).errors == ["h.xlsx: the file has a header row but no cases"]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Child protection", "child_protection"),
        ("CP", "child_protection"),
        ("child_protection", "child_protection"),
        ("LAC", "looked_after"),
        ("Looked After", "looked_after"),
        ("CLA", "looked_after"),
        ("cin", "child_in_need"),
        ("Care leaver", "care_leaver"),
        ("Disabled children", "disabled_children"),
        ("CWD", "disabled_children"),
        ("Adoption", None),
    ],
)
def test_case_type_labels_codes_and_abbreviations(
    registry: FrameworkRegistry, value: str, code: str | None
) -> None:
    assert registry.get("case-file").case_type_code(value) == code

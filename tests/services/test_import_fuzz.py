"""Whatever a file holds, importing it gives a report or a UserError: never a traceback."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from itertools import count
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services.case_import import ImportReport, import_cases
from audit_tui.services.context import AppContext
from tests.conftest import make_context

HEADINGS = [
    "Case reference",
    "case_id",
    "Client ID",
    "Case type",
    "Category",
    "Team",
    "Worker",
    "Social worker",
    "Legal status",
    "Age band",
    "Open date",
    "Child name",
    "DOB",
    "Notes",
    "",
]
VALUES = ["CP", "LAC", "CIN", "Care leaver", "North", "A-1", "A-2", "01/04/2025", "2025-13-01"]

cell = st.one_of(st.sampled_from(VALUES), st.text(max_size=12))
heading = st.one_of(st.sampled_from(HEADINGS), st.text(max_size=12))


REQUIRED = ["Case reference", "Case type", "Team", "Worker"]


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        # Close to a real list, so some imports get through to the database.
        extra = st.sampled_from(["Notes", "Legal status", "Age band", "Open date", "Ward"])
        header = draw(st.permutations(REQUIRED + draw(st.lists(extra, max_size=2, unique=True))))
        by_heading = {
            "Case reference": st.from_regex(r"[A-Z]{1,2}-[0-9]{1,3}", fullmatch=True),
            "Case type": st.sampled_from(["CP", "LAC", "CIN", "Care leaver", "CWD"]),
            "Team": st.sampled_from(["North", "South", "Tîm Môn"]),
            "Worker": st.sampled_from(["Ann", "Bo Li", ""]),
        }
        row = st.tuples(*(by_heading.get(h, cell) for h in header))
        n_rows = draw(st.integers(min_value=0, max_value=6))
        rows = [list(draw(row)) for _ in range(n_rows)]
    else:
        header = draw(st.lists(heading, min_size=0, max_size=7))
        rows = draw(st.lists(st.lists(cell, max_size=8), max_size=6))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([",", ";", "\t"])))
    for row in [header, *rows]:
        writer.writerow(row)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    return out.getvalue().encode(encoding, errors="replace")


xlsx_cell = st.one_of(
    st.none(),
    st.sampled_from(VALUES + HEADINGS),
    st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=10),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2199, 1, 1)),
)


@st.composite
def xlsx_bytes(draw: st.DrawFn) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    header = draw(st.one_of(st.just(REQUIRED), st.lists(xlsx_cell, max_size=6)))
    for c, value in enumerate(header, 1):
        ws.cell(row=1, column=c, value=value)
    for r, row in enumerate(draw(st.lists(st.lists(xlsx_cell, max_size=6), max_size=5)), 2):
        for c, value in enumerate(row, 1):
            ws.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


contents = st.one_of(csv_bytes(), xlsx_bytes(), st.binary(max_size=600))


@pytest.fixture(scope="module")
def fuzz_ctx(
    tmp_path_factory: pytest.TempPathFactory, registry: FrameworkRegistry
) -> Iterator[AppContext]:
    # One database for every example: an import that succeeds only adds or updates cases.
    folder = tmp_path_factory.mktemp("fuzz")
    context = make_context(f"sqlite:///{folder / 'audits.db'}", registry)
    yield context
    context.db.dispose()


_names = count()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=contents, suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_any_file_gives_a_report_or_a_user_error(
    fuzz_ctx: AppContext, tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = Path(tmp_path_factory.getbasetemp()) / f"fuzz-{next(_names)}{suffix}"
    path.write_bytes(data)
    try:
        result = import_cases(fuzz_ctx, path)
    except UserError as exc:
        event(str(exc).split(": ", 1)[-1][:30])
        assert str(exc).strip()
        assert "\n" not in str(exc)
    else:
        event("imported")
        assert isinstance(result, ImportReport)
        assert result.rows == result.created + result.updated + result.unchanged
    finally:
        path.unlink()

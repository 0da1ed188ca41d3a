"""`audit-tui db verify` in Welsh, through the real entry point, on a real database (a SQLite
file and the test PostgreSQL server) damaged with SQL as someone with file or owner access
would: each kind of problem is one Welsh line naming the entry or audit, with the exit status
and the number of lines of the English run. And a Welsh run writes the same log as an English
one: nothing hashed into the chain depends on the interface language."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from audit_tui import i18n
from audit_tui.config import config_dir
from audit_tui.demo import generate_demo
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.store.database import Database
from audit_tui.store.migrate import open_database
from tests.cli.test_db_cmd import run
from tests.conftest import make_context

# Words of the English report that a Welsh line must not carry (codes and column names it
# quotes, such as 'draft' or M-01, are the database's own and stay as they are).
ENGLISH = re.compile(
    r"\b(the log|but the log|is missing|does not|problem\(s\)|log entries|not in the log|"
    r"append-only trigger|entries that|more problems|intact|Verified)\b"
)


@pytest.fixture
def demo(db_url: str, registry: FrameworkRegistry) -> str:
    """A database (SQLite or PostgreSQL) holding a little demo data and its keyed log."""
    ctx = make_context(db_url, registry)
    try:
        generate_demo(ctx, audits=12, seed=3, drafts=1)
    finally:
        ctx.db.dispose()
    return db_url


def _damage(url: str, *statements: str) -> None:
    """SQL straight at the database, after dropping the log's append-only guard."""
    db = open_database(url)
    try:
        guard = (
            ["DROP TRIGGER IF EXISTS events_no_update", "DROP TRIGGER IF EXISTS events_no_delete"]
            if db.is_sqlite
            else ["DROP TRIGGER IF EXISTS events_append_only ON events"]
        )
        with db.write_engine.begin() as conn:
            for statement in [*guard, *statements]:
                conn.execute(text(statement))
    finally:
        db.dispose()


def _one(url: str, sql: str) -> tuple:
    db: Database = open_database(url)
    try:
        with db.write_engine.begin() as conn:
            return tuple(conn.execute(text(sql)).one())
    finally:
        db.dispose()


def _verify_both(
    capsys: pytest.CaptureFixture[str], url: str
) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    english = run(capsys, "--db", url, "db", "verify")
    welsh = run(capsys, "--lang", "cy", "--db", url, "db", "verify")
    return english, welsh


def _same_shape(english: tuple[int, str, str], welsh: tuple[int, str, str]) -> list[str]:
    """The Welsh run exits as the English one does, with as many lines, none of them in
    English; its problem lines are returned."""
    (code_en, out_en, err_en), (code_cy, out_cy, err_cy) = english, welsh
    assert code_cy == code_en
    assert len(err_cy.splitlines()) == len(err_en.splitlines())
    assert len(out_cy.splitlines()) == len(out_en.splitlines())
    for line in [*err_cy.splitlines(), *out_cy.splitlines()]:
        assert not ENGLISH.search(line), line
        assert line not in err_en and line not in out_en, line
    return err_cy.splitlines()


def test_a_clean_database_is_reported_in_welsh(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    english, welsh = _verify_both(capsys, demo)
    assert english[0] == 0 and english[1].startswith("OK: ")
    _same_shape(english, welsh)
    code, out, err = welsh
    (events,) = _one(demo, "SELECT count(*) FROM events")
    summary, minute = out.splitlines()
    assert (code, err) == (0, "")
    assert summary.startswith(f"Iawn: gwiriwyd {events} cofnod log (cofnod olaf ")
    assert "archwiliad terfynol â'r log" in summary
    # The line for the QA minutes: Welsh words, the same ENTRY:HASH a later --expect reads.
    anchor = re.search(r"last entry (\d+:[0-9a-f]{16})", english[1])
    assert anchor is not None
    assert minute.startswith("Dilyswyd ") and minute.endswith(": cyfan")
    assert f"cofnod olaf {anchor[1]}" in minute
    again = run(capsys, "--lang", "cy", "--db", demo, "db", "verify", "--expect", anchor[1])
    assert again[0] == 0


def _first_finalise(url: str) -> tuple[int, int]:
    return _one(
        url, "SELECT id, audit_id FROM events WHERE action = 'finalise' ORDER BY id LIMIT 1"
    )  # type: ignore[return-value]


def tampered_entry(url: str) -> list[str]:
    event, _audit = _first_finalise(url)
    _damage(url, f"UPDATE events SET reason = 'changed later' WHERE id = {event}")
    trigger = "events_no_update" if url.startswith("sqlite") else "events_append_only"
    return [
        f"cofnod {event}: nid yw ei gynnwys yn cyfateb i'w hash (newidiwyd y rhes)",
        f"mae sbardun ychwanegu-yn-unig y log digwyddiadau, {trigger}, ar goll (fe'i "
        "gollyngwyd: gellid newid neu ddileu cofnodion y log)",
    ]


def broken_chain(url: str) -> list[str]:
    event, audit = _first_finalise(url)
    _damage(url, f"DELETE FROM events WHERE id = {event}")
    return [
        f"cofnod {event + 1}: nid yw'n dilyn y cofnod o'i flaen (tynnwyd neu fewnosodwyd rhes)",
        f"archwiliad {audit}: mae'r log yn dweud 'draft', ond 'finalised' ydyw",
    ]


def answer_not_replayed(url: str) -> list[str]:
    answer, audit, qid = _one(
        url,
        "SELECT an.id, an.audit_id, an.question_id FROM answers an JOIN audits a "
        "ON a.id = an.audit_id WHERE a.status = 'finalised' AND an.answer = 'yes' "
        "AND an.kind = 'original' ORDER BY an.id LIMIT 1",
    )
    _damage(url, f"UPDATE answers SET answer = 'no', points = 0 WHERE id = {answer}")
    return [
        f"archwiliad {audit}: cwestiwn {qid} yw 'no' ond mae'r log yn dweud 'yes'",
        f"archwiliad {audit}: nid ei ffigurau (",
    ]


def key_record_removed(url: str) -> list[str]:
    # Every keyed entry now carries a key the database has no record of: twenty are listed,
    # the rest counted in one line.
    _damage(url, "DELETE FROM database_info WHERE key = 'log_key'")
    return [
        "mae gan y log gofnod allwedd, ond nid oes cofnod allwedd yn database_info (fe'i "
        "tynnwyd: gallai cofnodion wedyn basio fel rhai rhyddhad cynharach)",
        "mae ganddo allwedd (MAC) ond nid oes gan y gronfa ddata gofnod allwedd (tynnwyd "
        "database_info log_key)",
        "... a ",
        " cofnod arall â'r un broblem: mae ganddo allwedd (MAC)",
    ]


def key_file_missing(url: str) -> list[str]:
    (database_id,) = _one(url, "SELECT value FROM database_info WHERE key = 'database_id'")
    key = config_dir() / "keys" / f"{database_id}.key"
    key.unlink()
    return ["nid yw allwedd y log (hôl bys ", f") yn {key}: ni wiriwyd allweddi'r cofnodion"]


ATTACKS: list[Callable[[str], list[str]]] = [
    tampered_entry,
    broken_chain,
    answer_not_replayed,
    key_record_removed,
    key_file_missing,
]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.__name__ for a in ATTACKS])
def test_each_kind_of_problem_is_one_welsh_line(
    demo: str, attack: Callable[[str], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    expected = attack(demo)
    english, welsh = _verify_both(capsys, demo)
    assert english[0] == 1
    lines = _same_shape(english, welsh)
    err = "\n".join(lines)
    for fragment in expected:
        assert fragment in err, (fragment, err)
    *_notes, summary, minute = welsh[1].splitlines()
    assert re.match(r"\d+ problem: gwiriwyd \d+ cofnod log", summary), summary
    assert re.search(r": DDIM YN GYFAN, \d+ problem$", minute), minute


def test_a_rewritten_log_and_a_bad_anchor_in_welsh(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    event, _audit = _first_finalise(demo)
    (digest,) = _one(demo, f"SELECT hash FROM events WHERE id = {event}")
    _damage(demo, f"UPDATE events SET hash = '{'0' * 64}' WHERE id = {event}")
    code, _out, err = run(
        capsys, "--lang", "cy", "--db", demo, "db", "verify", "--expect", f"{event}:{digest[:16]}"
    )
    assert code == 1
    assert (
        f"cofnod {event}: ei hash yn awr yw {'0' * 16}, ond cofnodwyd {digest[:16]} "
        "(ailysgrifennwyd y log o'r cofnod hwn neu cyn hynny)"
    ) in err
    # A mistyped ENTRY:HASH: one Welsh line, exit status 2, as in English.
    english = run(capsys, "--db", demo, "db", "verify", "--expect", "12:zz")
    welsh = run(capsys, "--lang", "cy", "--db", demo, "db", "verify", "--expect", "12:zz")
    assert english[0] == welsh[0] == 2
    assert "'12:zz' is not ENTRY:HASH" in english[2]
    assert "nid yw '12:zz' ar ffurf COFNOD:HASH (e.e. 1204:3f9a0c1b2d4e5f60)" in welsh[2]
    assert "Traceback" not in welsh[2]


def test_db_key_in_welsh(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--lang", "cy", "--db", demo, "db", "key")
    assert code == 0
    head, advice = out.splitlines()
    assert head.startswith("hôl bys allwedd y log ") and ": yn " in head
    assert advice.startswith("Gwnewch gopi wrth gefn ohoni")


# --- the log itself does not depend on the language ---------------------------------------

# What differs from one database to the next whatever the language: the times the tool
# stamps as it writes, and each database's random id and key (its fingerprint).
_TIMES = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?")
_RANDOM = re.compile(r"\b[0-9a-f]{16,}\b")
_LOGGED = "actor, action, entity, entity_id, audit_id, field, old_value, new_value, reason"


def _log(url: str) -> list[tuple[str | None, ...]]:
    db = open_database(url)
    try:
        with db.write_engine.begin() as conn:
            rows = conn.execute(text(f"SELECT {_LOGGED} FROM events ORDER BY id")).all()
    finally:
        db.dispose()
    return [
        tuple(None if v is None else _RANDOM.sub("R", _TIMES.sub("T", str(v))) for v in r)
        for r in rows
    ]


def test_a_welsh_run_writes_the_same_log_as_an_english_one(tmp_path: Path) -> None:
    """Every kind of change made through the services (answers, notes, N/A reasons,
    finalising, amending, escalation, moderation and agreement, actions, imported cases and
    a sampled round), once in English and once in Welsh: the entries are the same, value for
    value, so what is hashed into the chain never depends on the reader's language."""
    from tests.reliability.test_tamper import _build

    logs = {}
    for lang in ("en", "cy"):
        folder = tmp_path / lang
        folder.mkdir()
        url = f"sqlite:///{folder / 'audits.db'}"
        with i18n.language(lang):
            _build(url, folder)
        logs[lang] = _log(url)
    assert len(logs["en"]) > 50
    assert logs["cy"] == logs["en"]


def test_an_audits_history_names_a_changed_entry_in_welsh(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The history's check of one audit's log said "event N:" in English before its Welsh
    problem; it now says the same line as `db verify`."""
    event, audit = _first_finalise(demo)
    _damage(demo, f"UPDATE events SET reason = 'changed later' WHERE id = {event}")
    english = run(capsys, "--db", demo, "history", str(audit))
    code, out, _err = run(capsys, "--lang", "cy", "--db", demo, "history", str(audit))
    assert code == english[0]
    assert f"cofnod {event}: nid yw ei gynnwys yn cyfateb i'w hash (newidiwyd y rhes)" in out
    assert "event " not in out and "does not" not in out

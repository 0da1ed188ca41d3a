"""`audit-tui history AUDIT_ID` on demo data, and the framework-version commands
(`frameworks check --against-db`, `frameworks store`, the backfill in `db upgrade`), through
the real entry point."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete

from audit_tui.domain.loader import FrameworkRegistry, load_framework_file
from audit_tui.services import audits, framework_versions
from audit_tui.services.schemas import Amend, AnswerIn
from audit_tui.store.models import DatabaseInfo, FrameworkVersion
from tests.cli.test_db_cmd import audited, run, sql  # noqa: F401 - the fixture is used
from tests.conftest import make_context

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini.yaml"


def test_history_of_a_demo_audit_lists_every_change_and_ends_with_the_check(
    audited: Path,  # noqa: F811
    registry: FrameworkRegistry,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{audited}"
    ctx = make_context(url, registry, actor="Ann Auditor")
    try:
        # The oldest: from the demo's history (this term's work, the most recent, has more
        # entries - moderation, actions - made through the services).
        audit_id = audits.list_finalised(ctx, limit=None)[-1].id
        detail = audits.get_audit(ctx, audit_id)
        qid = next(q for q, a in detail.answers.items() if a.answer == "yes")
        audits.amend(ctx, audit_id, Amend(question_id=qid, answer="no", reason="file re-read"))
        draft = audits.list_drafts(ctx, limit=1)[0].id
        audits.record_answer(ctx, draft, AnswerIn(question_id=qid, answer="partly", note="AB"))
    finally:
        ctx.db.dispose()
    code, out, err = run(capsys, "--db", url, "history", str(audit_id))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"History of audit {audit_id} ({detail.case_reference}), times in UTC:"
    assert f"Started the audit: framework case-file {detail.framework_version}, case " in lines[1]
    assert f"team {detail.team}, case-holder {detail.case_holder}, auditor" in lines[1]
    assert "Finalised the audit: draft -> judgement" in lines[2]
    amended = next(i for i, ln in enumerate(lines) if f"Amended {qid}" in ln)
    assert lines[amended].endswith(f"Ann Auditor  Amended {qid}: Yes -> No")
    assert lines[amended + 1].strip() == "reason: file re-read"
    entries = sum(1 for ln in lines[1:-1] if not ln.startswith(" "))
    assert lines[-1].startswith(f"Log intact: {entries} entries for this audit")

    code, out, _ = run(capsys, "--db", url, "history", str(draft))
    answered = [ln for ln in out.splitlines() if f"Ann Auditor  Answered {qid}: " in ln]
    assert code == 0 and len(answered) == 1 and answered[0].endswith("Partly")

    sql(
        audited,
        "DROP TRIGGER events_no_update",
        f"UPDATE events SET actor = 'Someone Else' WHERE audit_id = {audit_id} "
        "AND action = 'amend' AND entity = 'answer'",
    )
    code, out, err = run(capsys, "--db", url, "history", str(audit_id))
    assert code == 1
    assert "Someone Else  Amended" in out
    assert out.splitlines()[-1].startswith("LOG NOT INTACT: 1 problem(s) - event ")
    assert "its content does not match its hash" in out

    code, _, err = run(capsys, "--db", url, "history", "99999")
    assert (code, err) == (2, "audit-tui: error: no audit 99999\n")


def test_check_against_the_database_and_store_an_old_version(
    audited: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{audited}"
    code, out, err = run(capsys, "--db", url, "frameworks", "store", str(MINI))
    assert (code, err) == (0, "")
    assert out.startswith(f"{MINI}: stored (mini 0.1, hash ")
    code, out, _ = run(capsys, "--db", url, "frameworks", "store", str(MINI))
    assert out.startswith(f"{MINI}: already stored (mini 0.1")

    edited = tmp_path / "mini.yaml"
    edited.write_text(
        MINI.read_text(encoding="utf-8").replace("Was the child seen alone?", "Seen alone?"),
        encoding="utf-8",
    )
    # A valid file on its own; against the database, its version needs bumping.
    code, out, _ = run(capsys, "--db", url, "frameworks", "check", str(edited))
    assert code == 0 and out.startswith(f"{edited}: ok")
    code, out, err = run(capsys, "--db", url, "frameworks", "check", "--against-db", str(edited))
    assert (code, out) == (2, "")
    assert err == (
        f"{edited}: framework mini version 0.1 is already in this database with different "
        f"content (hash {load_framework_file(MINI).content_hash}); give the changed file a new "
        "version number\n"
    )
    code, _, err = run(capsys, "--db", url, "frameworks", "store", str(edited))
    assert code == 2 and err.startswith(f"audit-tui: error: {edited}: framework mini version")
    edited.write_text(
        edited.read_text(encoding="utf-8").replace('version: "0.1"', 'version: "0.2"'),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--db", url, "frameworks", "check", "--against-db", str(edited))
    assert code == 0 and out.startswith(f"{edited}: ok (mini 0.2")
    code, out, _ = run(capsys, "--db", url, "frameworks", "store", str(edited))
    assert code == 0 and out.startswith(f"{edited}: stored (mini 0.2")


def test_db_upgrade_stores_the_versions_of_earlier_audits(
    audited: Path,  # noqa: F811
    registry: FrameworkRegistry,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{audited}"
    ctx = make_context(url, registry)
    with ctx.db.write() as s:  # as written before versions were stored
        s.execute(delete(FrameworkVersion))
        s.execute(delete(DatabaseInfo))
    ctx.db.dispose()
    framework_versions._BY_HASH.clear()
    code, out, _ = run(capsys, "--db", url, "db", "upgrade")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].endswith("stored 1 framework version that earlier audits were done on")
    assert "log key fingerprint" in lines[2]  # its first write with this release: keyed
    code, out, _ = run(capsys, "--db", url, "db", "upgrade")
    assert "stored" not in out

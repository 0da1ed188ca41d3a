"""A framework revised under finished audits and drafts (issue 13, point 3), on SQLite and
PostgreSQL.

The authority bumps `mini` from 0.1 to 0.2, removing the critical M-01, rewording M-03 and
adding M-05. Nothing done on 0.1 may change: every old audit's percent met, suggested
judgement, feedback document and counted answers are the same before the revision, after it,
and after an amended note. A draft started on 0.1 and finished after the change is scored
against 0.1 throughout (or, moved, against 0.2 throughout - never a mix). Profiles and the
workbook name both versions with their counts and read each question in its own words.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry, load_framework_text
from audit_tui.domain.periods import parse_period
from audit_tui.export import ExportSpec, write_workbook
from audit_tui.export.feedback import render_feedback
from audit_tui.services import audits, framework_versions, integrity, profiles
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.schemas import Amend, AnswerIn, Finalise, NewAudit
from audit_tui.store.models import DatabaseInfo, Event, FrameworkVersion
from tests import builders as mini
from tests.builders import MINI, finalised_mini, registry_with

TEAM = "Intake"
PERIOD = "2026-27 Q2"


def revised(text: str = MINI) -> str:
    """mini 0.2: M-01 (critical) removed, M-03 reworded, M-05 added."""
    start = text.index("      - id: M-01")
    end = text.index("      - id: M-02")
    out = text[:start] + text[end:]
    out = out.replace('version: "0.1"', 'version: "0.2"')
    out = out.replace(
        "text: Is the plan outcome-focused?", "text: Does the plan say what will change?"
    )
    return out.replace(
        "  - id: plans\n    title: Plans\n    questions:\n",
        "  - id: plans\n    title: Plans\n    questions:\n"
        "      - id: M-05\n"
        "        text: Is the child's own view recorded?\n"
        "        guidance: {good: In their words., look_for: Visit notes.}\n"
        "        evidence:\n"
        '          - {source: npt-2013, paragraph: "45", quote: "a quotation"}\n',
    )


@pytest.fixture
def v1(ctx: AppContext, registry: FrameworkRegistry) -> Iterator[AppContext]:
    c = dataclasses.replace(ctx, frameworks=registry_with(registry, MINI))
    add_team(c, TEAM)
    yield c


def v2_of(v1: AppContext) -> AppContext:
    """The same database, after the authority revised its framework file."""
    return dataclasses.replace(v1, frameworks=registry_with(v1.frameworks, revised()))


def new_audit(ref: str, when: date) -> NewAudit:
    return mini.new_audit(ref, when, TEAM)


def done(ctx: AppContext, ref: str, answers: dict[str, str], when: date) -> int:
    notes = {q: f"{ref} {q} noted" for q, code in answers.items() if code in ("no", "partly")}
    return finalised_mini(ctx, ref, answers, when, TEAM, notes=notes)


OLD = {
    # M-01 is critical: a No caps the suggestion at Requires improvement.
    "CMS-1": {"M-01": "no", "M-02": "yes", "M-03": "yes"},
    "CMS-2": {"M-01": "yes", "M-02": "yes", "M-03": "partly"},
    "CMS-3": {"M-01": "no", "M-02": "partly", "M-03": "no"},
    "CMS-4": {"M-01": "yes", "M-02": "na", "M-03": "yes"},
}


def snapshot(ctx: AppContext, audit_id: int) -> dict[str, object]:
    """What an old audit reads as, everywhere it is read."""
    d = audits.get_audit(ctx, audit_id)
    rv = audits.review(ctx, audit_id)
    counted = profiles.counted_answers(ctx, audit_id)
    return {
        "figures": (d.percent_met, d.critical_failures, d.suggested_judgement, d.judgement),
        "counted_figures": d.counted,
        "reason": d.judgement_reason,
        "version": (d.framework_version, d.framework_hash),
        "review": (rv.percent_met, rv.critical_failures, rv.suggested_judgement, rv.missing),
        "answered": (d.answered, d.applicable),
        "counted": {q: (a.answer, a.points, a.note) for q, a in counted.items()},
        "feedback": render_feedback(ctx, audit_id),
    }


def test_revising_a_framework_changes_nothing_already_done(v1: AppContext, tmp_path: Path) -> None:
    when = date(2026, 8, 3)
    old = {ref: done(v1, ref, answers, when) for ref, answers in OLD.items()}
    # A draft started on 0.1 before the change (M-01 answered No).
    draft = audits.start_audit(v1, new_audit("CMS-D1", date(2026, 8, 10))).id
    audits.record_answer(v1, draft, AnswerIn(question_id="M-01", answer="no"))
    audits.record_answer(v1, draft, AnswerIn(question_id="M-02", answer="yes"))
    moved = audits.start_audit(v1, new_audit("CMS-D2", date(2026, 8, 11))).id
    audits.record_answer(v1, moved, AnswerIn(question_id="M-01", answer="no"))
    audits.record_answer(v1, moved, AnswerIn(question_id="M-03", answer="yes"))
    before = {ref: snapshot(v1, i) for ref, i in old.items()}
    assert before["CMS-1"]["figures"][2] == "requires_improvement"  # capped by M-01

    v2 = v2_of(v1)
    after = {ref: snapshot(v2, i) for ref, i in old.items()}
    assert after == before

    # Amending only a note re-scores nothing and writes nothing into the judgement's reason.
    audits.amend(
        v2,
        old["CMS-1"],
        Amend(question_id="M-02", note="AB seen at school", reason="typo in the note"),
    )
    amended = snapshot(v2, old["CMS-1"])
    assert amended["counted"]["M-02"] == ("yes", 1.0, "AB seen at school")  # type: ignore[index]
    amended["counted"]["M-02"] = before["CMS-1"]["counted"]["M-02"]  # type: ignore[index]
    assert amended == before["CMS-1"]
    # The removed question's "No" is still in the feedback, in its own words.
    assert "M-01 Was the child seen alone?" in str(after["CMS-1"]["feedback"])
    assert "**No**" in str(after["CMS-1"]["feedback"])

    # The draft carried on with 0.1: every answer, the review and the record agree on 0.1.
    v1_hash = v1.frameworks.get("mini").content_hash
    with pytest.raises(UserError, match="question 'M-05' is not in framework mini"):
        audits.record_answer(v2, draft, AnswerIn(question_id="M-05", answer="yes"))
    audits.record_answer(v2, draft, AnswerIn(question_id="M-03", answer="yes"))
    rv = audits.review(v2, draft)
    assert rv.missing == [] and rv.critical_failures == ["M-01"]
    final = audits.finalise(
        v2, draft, Finalise(judgement=rv.suggested_judgement or "good", judgement_reason="x")
    )
    assert (final.framework_version, final.framework_hash) == ("0.1", v1_hash)
    # yes, yes with a critical No: 2/3 = 66.7%, capped at Requires improvement.
    assert final.percent_met == pytest.approx(200 / 3)
    assert final.suggested_judgement == "requires_improvement"
    assert (final.answered, final.applicable) == (3, 3)

    # The other draft moves to 0.2: M-01 is dropped (logged), M-03 carries, M-05 is asked.
    move = audits.draft_move(v2, moved)
    assert move is not None
    assert (move.from_version, move.to_version) == ("0.1", "0.2")
    assert (move.carried, move.dropped, move.refused) == (["M-03"], ["M-01"], None)
    detail = audits.move_draft(v2, moved, move.to_hash)
    assert (detail.framework_version, set(detail.answers)) == ("0.2", {"M-03"})
    assert audits.draft_move(v2, moved) is None
    for qid in ("M-02", "M-05"):
        audits.record_answer(v2, moved, AnswerIn(question_id=qid, answer="yes"))
    rv = audits.review(v2, moved)
    assert rv.missing == [] and rv.percent_met == 100.0
    audits.finalise(v2, moved, Finalise(judgement="outstanding"))
    with v2.db.read() as s:
        logged = s.execute(
            select(Event).where(Event.audit_id == moved, Event.action == "move_version")
        ).scalar_one()
        assert json.loads(logged.new_value or "")["dropped"] == {"M-01": "no"}
    # New audits on 0.2 in the same period: a mixed period.
    done(v2, "CMS-5", {"M-02": "yes", "M-03": "no", "M-05": "yes"}, date(2026, 9, 1))
    assert integrity.verify_database(v2).problems == []

    prof = profiles.profile(v2, "mini", parse_period(PERIOD), trend=1, min_answers=1)
    assert [(v.version, v.audits) for v in prof.framework_versions] == [("0.1", 5), ("0.2", 2)]
    assert prof.versions_line == "0.1: 5 audits, 0.2: 2 audits"
    assert prof.framework_version == "0.2"
    texts = {q.id: (q.text, q.in_framework) for q in prof.questions}
    assert texts["M-03"] == ("Does the plan say what will change?", True)  # the newest words
    assert texts["M-01"] == ("Was the child seen alone?", False)  # retired: its own words
    assert texts["M-05"] == ("Is the child's own view recorded?", True)
    labels = {n.answer_label for f in prof.authority.weakest for n in f.notes}
    assert labels and labels <= {"Yes", "Partly", "No", "Not applicable"}

    result = write_workbook(v2, ExportSpec(framework_id="mini", period=PERIOD), tmp_path)
    wb = load_workbook(result.path, read_only=True)
    summary = " ".join(
        str(c) for row in wb["Summary"].iter_rows(values_only=True) for c in row if c is not None
    )
    assert "versions 0.1: 5 audits, 0.2: 2 audits" in summary
    audit_rows = list(wb["Audits"].iter_rows(values_only=True))
    head = audit_rows[0]
    col = head.index("Framework version")
    assert sorted(r[col] for r in audit_rows[1:]) == ["0.1"] * 5 + ["0.2"] * 2
    answer_rows = list(wb["Answers"].iter_rows(values_only=True))
    ahead = answer_rows[0]
    by = {name: ahead.index(name) for name in ("Framework version", "Question id", "Question")}
    words = {
        (r[by["Framework version"]], r[by["Question id"]]): r[by["Question"]]
        for r in answer_rows[1:]
    }
    assert words[("0.1", "M-03")] == "Is the plan outcome-focused?"  # as it was answered
    assert words[("0.2", "M-03")] == "Does the plan say what will change?"
    assert words[("0.1", "M-01")] == "Was the child seen alone?"
    answers_col = ahead.index("Answer")
    assert {r[answers_col] for r in answer_rows[1:]} <= {"Yes", "Partly", "No", "Not applicable"}


def test_a_changed_file_with_the_same_version_is_refused_in_one_line(
    v1: AppContext, registry: FrameworkRegistry
) -> None:
    done(v1, "CMS-1", OLD["CMS-1"], date(2026, 8, 3))
    edited = dataclasses.replace(
        v1,
        frameworks=registry_with(
            registry, MINI.replace("Was the child seen alone?", "Seen alone?"), "edited.yaml"
        ),
    )
    with pytest.raises(UserError) as refused:
        audits.start_audit(edited, new_audit("CMS-9", date(2026, 8, 4)))
    assert str(refused.value) == (
        "edited.yaml: framework mini version 0.1 is already in this database with different "
        f"content (hash {v1.frameworks.get('mini').content_hash}); give the changed file a new "
        "version number"
    )
    # Only new work on that framework stops: the old audit still reads, and other frameworks
    # start audits as before.
    assert audits.get_audit(edited, 1).framework_version == "0.1"
    other = audits.start_audit(
        edited,
        NewAudit(
            framework_id="supervision",
            case_reference="SUP-1",
            case_type=edited.frameworks.get("supervision").case_types[0],
            team=TEAM,
            auditor="Ceri Jones",
            audit_date=date(2026, 8, 4),
        ),
    )
    assert other.framework_id == "supervision"
    # `frameworks check --against-db` says the same.
    fw = edited.frameworks.get("mini")
    assert framework_versions.check_against_database(edited, [fw]) == {"mini": str(refused.value)}


def test_a_retired_question_id_cannot_come_back_as_another_question(v1: AppContext) -> None:
    done(v1, "CMS-1", OLD["CMS-1"], date(2026, 8, 3))
    v2 = v2_of(v1)
    done(v2, "CMS-2", {"M-02": "yes", "M-03": "yes", "M-05": "yes"}, date(2026, 8, 4))
    # 0.3 brings M-01 back for something else: refused at load against the database.
    back = (
        revised()
        .replace('version: "0.2"', 'version: "0.3"')
        .replace(
            "      - id: M-05\n        text: Is the child's own view recorded?",
            "      - id: M-01\n        text: Is the chronology up to date?",
        )
    )
    v3 = dataclasses.replace(v1, frameworks=registry_with(v1.frameworks, back, "v3.yaml"))
    with pytest.raises(
        UserError, match=r"v3.yaml: question M-01 was \"Was the child seen alone\?\""
    ):
        audits.start_audit(v3, new_audit("CMS-3", date(2026, 8, 5)))
    # Rewording a current question in a new version is a revision, not a reuse.
    reworded = (
        revised()
        .replace('version: "0.2"', 'version: "0.3"')
        .replace(
            "Does the plan say what will change?", "Does the plan say what will change, and when?"
        )
    )
    v3b = dataclasses.replace(v1, frameworks=registry_with(v1.frameworks, reworded))
    assert audits.start_audit(v3b, new_audit("CMS-4", date(2026, 8, 5))).framework_version == "0.3"


def test_an_id_a_stored_version_declared_retired_is_never_used_again(v1: AppContext) -> None:
    """Issue 17: `retired:` in a version is kept by the database. A later file that drops the
    id from its list and asks it again - even in the same words - is refused."""
    retiring = revised().replace("sections:\n", "retired: [M-01]\nsections:\n", 1)
    v2 = dataclasses.replace(v1, frameworks=registry_with(v1.frameworks, retiring))
    done(v2, "CMS-2", {"M-02": "yes", "M-03": "yes", "M-05": "yes"}, date(2026, 8, 4))
    back = MINI.replace('version: "0.1"', 'version: "0.3"')  # M-01 back, as it was
    v3 = dataclasses.replace(v1, frameworks=registry_with(v1.frameworks, back, "v3.yaml"))
    line = (
        "v3.yaml: question M-01 is listed as retired in version 0.2; a retired id is never "
        "reused: give the question a new id"
    )
    with pytest.raises(UserError) as refused:
        audits.start_audit(v3, new_audit("CMS-3", date(2026, 8, 5)))
    assert str(refused.value) == line
    fw = v3.frameworks.get("mini")
    assert framework_versions.check_against_database(v3, [fw]) == {"mini": line}


def test_versions_of_a_database_written_before_versions_were_stored(
    v1: AppContext, registry: FrameworkRegistry
) -> None:
    """Audits whose version matches a file on disk get it stored on first open; an audit whose
    version is nowhere still lists and counts, and says what to do where it must be read."""
    a = done(v1, "CMS-1", OLD["CMS-1"], date(2026, 8, 3))
    with v1.db.write() as s:  # as a database from before this change: nothing stored
        for row in s.execute(select(FrameworkVersion)).scalars():
            s.delete(row)
    framework_versions._BY_HASH.clear()
    assert framework_versions.stored(v1) == []
    assert audits.get_audit(v1, a).framework_version == "0.1"  # read from the file by hash
    assert framework_versions.store_legacy_versions(v1) == 1
    assert framework_versions.store_legacy_versions(v1) == 0  # once per database
    assert [v.version for v in framework_versions.stored(v1, "mini")] == ["0.1"]
    with v1.db.read() as s:
        assert s.get(DatabaseInfo, framework_versions.LEGACY_KEY) is not None

    # Lost: neither stored nor on disk.
    with v1.db.write() as s:
        for row in s.execute(select(FrameworkVersion)).scalars():
            s.delete(row)
    framework_versions._BY_HASH.clear()
    gone = dataclasses.replace(v1, frameworks=registry_with(registry, revised()))
    with pytest.raises(UserError, match="store that version with `audit-tui frameworks store"):
        audits.review(gone, a)
    listed = [x for x in audits.list_finalised(gone) if x.id == a]
    assert listed and listed[0].percent_met is not None
    report = integrity.verify_database(gone)
    # The log says the version was stored: its row going is a change behind the tool's back.
    (missing,) = report.problems
    assert missing.startswith("framework mini: the log says version hash") and "missing" in missing
    assert any("version 0.1" in n and "were not checked" in n for n in report.notes)
    # Stored again from the file kept in version control: readable again.
    old_file = load_framework_text(MINI, "old/mini.yaml")
    assert framework_versions.store_file_version(gone, old_file) is True
    assert audits.review(gone, a).percent_met is not None


def test_a_stored_definition_changed_in_the_database_is_reported(v1: AppContext) -> None:
    done(v1, "CMS-1", OLD["CMS-1"], date(2026, 8, 3))
    with v1.db.write() as s:
        row = s.execute(select(FrameworkVersion)).scalar_one()
        row.definition = row.definition.replace("Was the child seen alone?", "Seen?")
    framework_versions._BY_HASH.clear()
    problems = integrity.verify_database(v1).problems
    assert any("the stored definition does not match its hash" in p for p in problems)


def test_db_verify_reads_each_audit_against_its_own_version(v1: AppContext) -> None:
    """A finalised audit whose stored figures were scored against another version (as an
    amend on the old code did) is reported."""
    a = done(v1, "CMS-1", OLD["CMS-1"], date(2026, 8, 3))
    v2 = v2_of(v1)
    done(v2, "CMS-2", {"M-02": "yes", "M-03": "yes", "M-05": "yes"}, date(2026, 8, 4))
    assert integrity.verify_database(v2).problems == []
    with v2.db.write() as s:  # 0.2 would not cap it: 100% and Outstanding
        from audit_tui.store.models import Audit

        audit = s.get(Audit, a)
        assert audit is not None
        audit.percent_met, audit.critical_failures = 100.0, 0
        audit.suggested_judgement = "outstanding"
    problems = integrity.verify_database(v2).problems
    assert problems == [
        f"audit {a}: its figures (100.00% met, 0 critical failure(s), suggested outstanding) "
        "are not those of its answers scored against its own framework version 0.1 "
        "(66.67% met, 1 critical failure(s), suggested requires_improvement)"
    ]

"""The audit services against real databases (SQLite and PostgreSQL through the `ctx` fixture).

Most tests use tests/fixtures/mini.yaml: four questions are enough to know every percentage by
hand. mini: M-01 critical, N/A forbidden; M-02 N/A needs a reason; M-03 plain; M-04 child
protection only, weight 2. Ofsted scale, thresholds 90/75/50/0, a critical "No" caps at
requires improvement.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import event, func, select, update

from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services import audit_rules, audits
from audit_tui.services.audits import Conflict, FinaliseRefused
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.schemas import Amend, AnswerIn, Finalise, NewAudit, NoteIn, SummaryIn
from audit_tui.store.models import Answer, Audit, Base, Event
from tests import builders
from tests.builders import answer_all
from tests.conftest import make_context

TEAM = "Intake & Assessment"


@pytest.fixture
def actx(ctx: AppContext, frameworks: FrameworkRegistry) -> Iterator[AppContext]:
    """`ctx` with the mini framework added and one team."""
    c = dataclasses.replace(ctx, frameworks=frameworks)
    add_team(c, TEAM)
    yield c


def new_audit(**overrides: object) -> NewAudit:
    data: dict[str, object] = {
        "framework_id": "mini",
        "case_reference": "CMS-100234",
        "case_type": "child_protection",
        "team": TEAM,
        "case_holder": "Alun Price",
        "auditor": "Ceri Jones",
        "audit_date": date(2026, 11, 2),
    }
    data.update(overrides)
    return NewAudit(**data)  # type: ignore[arg-type]


GOOD = {"M-01": "yes", "M-02": "yes", "M-03": "partly", "M-04": "yes"}  # 4.5 of 5 weighted -> 90%


def finalised(ctx: AppContext, case_reference: str = "CMS-100234") -> int:
    """new_audit's case, answered GOOD and judged outstanding."""
    return builders.finalised(
        ctx,
        case_reference,
        GOOD,
        date(2026, 11, 2),
        TEAM,
        case_type="child_protection",
        case_holder="Alun Price",
        judgement="outstanding",
    )


def row_counts(ctx: AppContext) -> dict[str, int]:
    with ctx.db.read() as s:
        return {
            t.name: s.execute(select(func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables
        }


def events(ctx: AppContext, audit_id: int, action: str | None = None) -> list[Event]:
    with ctx.db.read() as s:
        q = select(Event).where(Event.audit_id == audit_id).order_by(Event.id)
        if action:
            q = q.where(Event.action == action)
        return list(s.execute(q).scalars())


def url_of(ctx: AppContext) -> str:
    return ctx.db.url.render_as_string(hide_password=False)


# --- start, answer, notes --------------------------------------------------------------------


def test_start_audit_creates_a_draft_and_logs_it(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit())
    assert audit.status == "draft"
    assert (audit.framework_id, audit.framework_version) == ("mini", "0.1")
    assert audit.framework_hash == actx.frameworks.get("mini").content_hash
    assert (audit.case_reference, audit.team, audit.auditor) == ("CMS-100234", TEAM, "Ceri Jones")
    assert audit.case_holder == "Alun Price"
    assert (audit.answered, audit.applicable) == (0, 4)
    started = events(actx, audit.id, "start")
    assert len(started) == 1 and started[0].actor == "tester"
    assert "CMS-100234" in (started[0].new_value or "")


def test_applicable_questions_follow_the_case_type(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit(case_type="child_in_need"))
    assert audit.applicable == 3  # M-04 is for child protection only


def test_an_answer_is_committed_at_once(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit())
    saved = audits.record_answer(
        actx, audit.id, AnswerIn(question_id="M-03", answer="partly", note="No outcomes - AP.")
    )
    assert (saved.answer, saved.points, saved.section_id) == ("partly", 0.5, "plans")
    # A brand-new context on the same database: nothing was held back in a session.
    other = make_context(url_of(actx), actx.frameworks, actor="reader")
    try:
        seen = audits.get_audit(other, audit.id).answers["M-03"]
        assert (seen.answer, seen.points, seen.note) == ("partly", 0.5, "No outcomes - AP.")
    finally:
        other.db.dispose()
    logged = events(actx, audit.id, "answer")
    assert [(e.field, e.old_value, e.new_value) for e in logged] == [("M-03", None, "partly")]


def test_an_answer_and_its_cleared_note_are_one_transaction(
    actx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The walkthrough saves the answer with the note field as it stands: emptied, the note
    # goes with the answer in the same commit (it once took a second call and a second commit).
    audit = audits.start_audit(actx, new_audit())
    audits.record_answer(actx, audit.id, AnswerIn(question_id="M-03", answer="no", note="AB"))
    commits: list[object] = []

    def count(conn: object) -> None:
        commits.append(conn)

    event.listen(actx.db.write_engine, "commit", count)
    try:
        saved = audits.record_answer(
            actx, audit.id, AnswerIn(question_id="M-03", answer="yes", note=None)
        )
    finally:
        event.remove(actx.db.write_engine, "commit", count)
    assert (saved.answer, saved.note) == ("yes", None)
    assert len(commits) == 1
    assert [(e.old_value, e.new_value) for e in events(actx, audit.id, "note")] == [
        (None, "AB"),
        ("AB", None),
    ]

    # A failure while the note is written leaves neither the answer nor the note changed.
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(audit_rules, "log_event", broken)
    with pytest.raises(RuntimeError):
        audits.record_answer(
            actx, audit.id, AnswerIn(question_id="M-03", answer="partly", note="CD")
        )
    monkeypatch.undo()
    kept = audits.get_audit(actx, audit.id).answers["M-03"]
    assert (kept.answer, kept.note) == ("yes", None)
    assert [e.new_value for e in events(actx, audit.id, "answer")] == ["no", "yes"]


def test_changing_a_draft_answer_logs_old_and_new(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit())
    audits.record_answer(actx, audit.id, AnswerIn(question_id="M-03", answer="no"))
    audits.record_answer(actx, audit.id, AnswerIn(question_id="M-03", answer="yes"))
    detail = audits.get_audit(actx, audit.id)
    assert detail.answers["M-03"].answer == "yes" and detail.answered == 1
    logged = [(e.old_value, e.new_value) for e in events(actx, audit.id, "answer")]
    assert logged == [(None, "no"), ("no", "yes")]


def test_notes_and_na_reasons(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit())
    audits.record_answer(actx, audit.id, AnswerIn(question_id="M-01", answer="no"))
    audits.record_note(
        actx, audit.id, NoteIn(question_id="M-01", note="  Not seen alone on any visit - CJ.  ")
    )
    audits.record_answer(actx, audit.id, AnswerIn(question_id="M-02", answer="na"))
    audits.record_note(
        actx, audit.id, NoteIn(question_id="M-02", note=None, na_reason="Closed at first contact.")
    )
    detail = audits.get_audit(actx, audit.id)
    assert detail.answers["M-01"].note == "Not seen alone on any visit - CJ."
    assert detail.answers["M-02"].na_reason == "Closed at first contact."
    assert detail.answers["M-02"].points is None
    notes = events(actx, audit.id, "note")
    assert [(e.field, e.old_value, e.new_value) for e in notes] == [
        ("M-01", None, "Not seen alone on any visit - CJ.")
    ]
    assert [e.new_value for e in events(actx, audit.id, "na_reason")] == [
        "Closed at first contact."
    ]
    # Answering again with a real answer drops the N/A reason.
    audits.record_answer(actx, audit.id, AnswerIn(question_id="M-02", answer="yes"))
    assert audits.get_audit(actx, audit.id).answers["M-02"].na_reason is None


def test_note_rules(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit())
    with pytest.raises(UserError, match="answer question M-03 before"):
        audits.record_note(actx, audit.id, NoteIn(question_id="M-03", note="note"))
    audits.record_answer(actx, audit.id, AnswerIn(question_id="M-03", answer="yes"))
    with pytest.raises(UserError, match="not answered 'not applicable'"):
        audits.record_note(
            actx, audit.id, NoteIn(question_id="M-03", note=None, na_reason="a reason")
        )


def test_list_and_resume_drafts(actx: AppContext) -> None:
    first = audits.start_audit(actx, new_audit())
    audits.record_answer(actx, first.id, AnswerIn(question_id="M-01", answer="yes"))
    second = audits.start_audit(actx, new_audit(case_reference="CMS-5", auditor="Bethan Rees"))
    done = finalised(actx, case_reference="CMS-6")

    drafts = audits.list_drafts(actx)
    assert {d.id for d in drafts} == {first.id, second.id}
    assert done not in {d.id for d in drafts}
    assert [d.id for d in audits.list_drafts(actx, auditor="ceri jones")] == [first.id]
    assert [d.id for d in audits.list_finalised(actx)] == [done]

    resumed = audits.get_audit(actx, first.id)
    assert (resumed.status, resumed.answered, list(resumed.answers)) == ("draft", 1, ["M-01"])


# --- review --------------------------------------------------------------------------------


def test_review_sections_with_n_and_na_excluded(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit())
    answer_all(
        actx,
        audit.id,
        {"M-01": "yes", "M-02": "na", "M-03": "partly", "M-04": "yes"},
        na_reasons={"M-02": "No risk identified at contact."},
    )
    rv = audits.review(actx, audit.id)
    by_id = {s.section_id: s for s in rv.sections}
    # Assessment: M-01 yes; M-02 N/A is left out of the denominator, not counted as zero.
    assert (by_id["assessment"].answered, by_id["assessment"].scored_n) == (2, 1)
    assert by_id["assessment"].percent_met == pytest.approx(100.0)
    # Plans: partly (0.5 x 1) and yes (1 x weight 2) out of 3.
    assert by_id["plans"].scored_n == 2
    assert by_id["plans"].percent_met == pytest.approx(250 / 3)
    assert rv.scored_n == 3
    assert rv.percent_met == pytest.approx(3.5 / 4 * 100)
    assert rv.suggested_judgement == "good"
    assert rv.critical_failures == [] and rv.missing == []


def test_a_section_of_only_na_answers_has_no_data(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit(case_type="child_in_need"))
    answer_all(actx, audit.id, {"M-01": "yes", "M-02": "yes", "M-03": "na"})
    plans = {s.section_id: s for s in audits.review(actx, audit.id).sections}["plans"]
    assert (plans.scored_n, plans.percent_met) == (0, None)


def test_a_critical_no_caps_the_suggestion(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit())
    answer_all(actx, audit.id, {"M-01": "no", "M-02": "yes", "M-03": "yes", "M-04": "yes"})
    rv = audits.review(actx, audit.id)
    assert rv.percent_met == pytest.approx(80.0)  # "good" by percentage alone...
    assert rv.critical_failures == ["M-01"]
    assert rv.suggested_judgement == "requires_improvement"  # ...capped by the critical No


# --- finalise ------------------------------------------------------------------------------


def test_finalise_stores_the_scores_and_locks(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit())
    answer_all(actx, audit.id, GOOD)
    out = audits.finalise(
        actx, audit.id, Finalise(judgement="outstanding", strengths="Clear plan.")
    )
    assert out.status == "finalised" and out.finalised_at is not None
    assert out.percent_met == pytest.approx(90.0)
    assert (out.suggested_judgement, out.judgement, out.strengths) == (
        "outstanding",
        "outstanding",
        "Clear plan.",
    )
    (final,) = events(actx, audit.id, "finalise")
    assert json.loads(final.new_value or "{}")["answers"] == GOOD


def test_finalise_names_every_missing_item(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit())
    answer_all(actx, audit.id, {"M-01": "yes", "M-02": "na", "M-04": "no"})
    with actx.db.write() as s:
        s.execute(update(Audit).where(Audit.id == audit.id).values(concern_open=True))
    before = row_counts(actx)
    with pytest.raises(FinaliseRefused) as info:
        audits.finalise(actx, audit.id, Finalise(judgement="outstanding"))
    problems = {(m.question_id, m.problem) for m in info.value.missing}
    assert ("M-03", "not answered") in problems
    assert ("M-02", "not applicable needs a reason") in problems
    whole = [p for q, p in problems if q is None]
    assert any("give a reason for judging Outstanding" in p for p in whole)
    assert any("safeguarding concern is open" in p for p in whole)
    assert len(problems) == 4
    assert str(info.value).startswith("cannot finalise: ")
    assert audits.get_audit(actx, audit.id).status == "draft"
    assert row_counts(actx) == before


def test_finalise_with_a_different_judgement_needs_a_reason(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit())
    answer_all(actx, audit.id, GOOD)
    with pytest.raises(FinaliseRefused, match="give a reason for judging Good"):
        audits.finalise(actx, audit.id, Finalise(judgement="good"))
    with pytest.raises(FinaliseRefused, match="judgement 'brilliant' is not one of"):
        audits.finalise(actx, audit.id, Finalise(judgement="brilliant"))
    out = audits.finalise(
        actx, audit.id, Finalise(judgement="good", judgement_reason="Drift not reflected.")
    )
    assert (out.judgement, out.suggested_judgement) == ("good", "outstanding")
    assert out.judgement_reason == "Drift not reflected."


def test_an_escalated_concern_allows_finalising(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit())
    answer_all(actx, audit.id, GOOD)
    with actx.db.write() as s:
        s.execute(
            update(Audit)
            .where(Audit.id == audit.id)
            .values(concern_open=True, escalated_to="Team manager")
        )
    assert audits.finalise(actx, audit.id, Finalise(judgement="outstanding")).concern_open


# --- a finalised audit is locked -------------------------------------------------------------


def test_a_finalised_audit_refuses_every_change_but_amend(actx: AppContext) -> None:
    audit_id = finalised(actx)
    before = row_counts(actx)
    detail_before = audits.get_audit(actx, audit_id)
    attempts = [
        lambda: audits.record_answer(actx, audit_id, AnswerIn(question_id="M-03", answer="no")),
        lambda: audits.record_note(
            actx, audit_id, NoteIn(question_id="M-03", note="changed quietly")
        ),
        lambda: audits.update_summary(actx, audit_id, SummaryIn(strengths="rewritten")),
        lambda: audits.delete_draft(actx, audit_id),
        lambda: audits.finalise(actx, audit_id, Finalise(judgement="good", judgement_reason="x")),
    ]
    for attempt in attempts:
        with pytest.raises(UserError, match="finalised and locked"):
            attempt()
    assert row_counts(actx) == before
    assert audits.get_audit(actx, audit_id) == detail_before


def test_amend_needs_a_real_reason() -> None:
    with pytest.raises(ValidationError):
        Amend(reason="", question_id="M-03", answer="no")
    with pytest.raises(ValidationError):
        Amend(reason="    ", question_id="M-03", answer="no")


def test_amend_changes_a_finalised_audit_and_logs_it(actx: AppContext) -> None:
    audit_id = finalised(actx)
    version = audits.get_audit(actx, audit_id).version
    out = audits.amend(
        actx,
        audit_id,
        Amend(
            reason="Second look: no outcomes in the plan",
            expected_version=version,
            question_id="M-03",
            answer="no",
        ),
    )
    assert out.answers["M-03"].answer == "no"
    assert out.percent_met == pytest.approx(80.0)  # 4 of 5
    assert out.suggested_judgement == "good"
    assert out.judgement == "outstanding"  # unchanged, so the reason is kept as its reason
    assert out.judgement_reason == "Second look: no outcomes in the plan"
    assert out.version > version
    # The answer, and the reason the kept judgement now needs (set by the amendment: logged).
    logged, reason = events(actx, audit_id, "amend")
    assert (logged.entity, logged.field, logged.old_value, logged.new_value) == (
        "answer",
        "M-03",
        "partly",
        "no",
    )
    assert logged.reason == "Second look: no outcomes in the plan"
    assert (reason.entity, reason.field, reason.old_value, reason.new_value) == (
        "audit",
        "judgement_reason",
        None,
        "Second look: no outcomes in the plan",
    )

    audits.amend(actx, audit_id, Amend(reason="Moderation agreed", judgement="good"))
    judged = next(e for e in events(actx, audit_id, "amend")[2:] if e.field == "judgement")
    assert (judged.field, judged.old_value, judged.new_value) == (
        "judgement",
        "outstanding",
        "good",
    )
    assert audits.get_audit(actx, audit_id).judgement == "good"


def test_amend_with_a_stale_version_is_a_conflict(actx: AppContext) -> None:
    audit_id = finalised(actx)
    seen = audits.get_audit(actx, audit_id).version
    audits.amend(
        actx, audit_id, Amend(reason="First change", expected_version=seen, judgement="good")
    )
    before = row_counts(actx)
    with pytest.raises(Conflict, match="changed by someone else"):
        audits.amend(
            actx,
            audit_id,
            Amend(reason="Second change", expected_version=seen, question_id="M-03", answer="no"),
        )
    assert audits.get_audit(actx, audit_id).answers["M-03"].answer == "partly"
    assert row_counts(actx) == before


def test_amend_refuses_drafts_and_bad_answers(actx: AppContext) -> None:
    draft = audits.start_audit(actx, new_audit(case_reference="CMS-7"))
    with pytest.raises(UserError, match="is a draft"):
        audits.amend(actx, draft.id, Amend(reason="a reason", judgement="good"))
    audit_id = finalised(actx)
    before = row_counts(actx)
    with pytest.raises(UserError, match="'maybe' is not an answer to M-03"):
        audits.amend(actx, audit_id, Amend(reason="a reason", question_id="M-03", answer="maybe"))
    with pytest.raises(UserError, match="judgement 'brilliant' is not on ofsted"):
        audits.amend(actx, audit_id, Amend(reason="a reason", judgement="brilliant"))
    assert row_counts(actx) == before


# --- delete --------------------------------------------------------------------------------


def test_delete_draft_removes_it_and_its_answers(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit())
    answer_all(actx, audit.id, {"M-01": "yes", "M-03": "no"})
    audits.delete_draft(actx, audit.id)
    with pytest.raises(UserError, match=f"no audit {audit.id}"):
        audits.get_audit(actx, audit.id)
    with actx.db.read() as s:
        n = s.execute(select(func.count()).where(Answer.audit_id == audit.id)).scalar_one()
    assert n == 0
    (deleted,) = events(actx, audit.id, "delete_draft")
    assert json.loads(deleted.old_value or "{}") == {"case": "CMS-100234", "answers": 2}


# --- bad input: a clear error and nothing written ----------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"framework_id": "no-such"}, "unknown framework 'no-such'"),
        ({"team": "Nonexistent Team"}, "unknown team 'Nonexistent Team'"),
        ({"case_type": "looked_after"}, "does not cover case type 'looked_after'"),
        ({"round_case_id": 999}, "no assigned case 999"),
    ],
    ids=["framework", "team", "case-type", "round-case"],
)
def test_start_audit_bad_input_writes_nothing(
    actx: AppContext, overrides: dict[str, object], message: str
) -> None:
    before = row_counts(actx)
    with pytest.raises(UserError, match=message) as info:
        audits.start_audit(actx, new_audit(**overrides))
    assert "\n" not in str(info.value)
    assert row_counts(actx) == before


@pytest.mark.parametrize(
    ("case_type", "answer", "message"),
    [
        ("child_protection", AnswerIn(question_id="M-03", answer="maybe"), "'maybe' is not an"),
        ("child_protection", AnswerIn(question_id="M-01", answer="na"), "must be answered"),
        ("child_in_need", AnswerIn(question_id="M-04", answer="yes"), "does not apply to Child"),
        ("child_protection", AnswerIn(question_id="M-99", answer="yes"), "'M-99' is not in"),
    ],
    ids=["off-scale", "na-forbidden", "not-applicable", "unknown-question"],
)
def test_record_answer_bad_input_writes_nothing(
    actx: AppContext, case_type: str, answer: AnswerIn, message: str
) -> None:
    audit = audits.start_audit(actx, new_audit(case_type=case_type))
    audits.record_answer(actx, audit.id, AnswerIn(question_id="M-02", answer="yes"))
    before = row_counts(actx)
    with pytest.raises(UserError, match=message) as info:
        audits.record_answer(actx, audit.id, answer)
    assert "\n" not in str(info.value)
    assert row_counts(actx) == before
    assert list(audits.get_audit(actx, audit.id).answers) == ["M-02"]


def test_off_scale_answer_lists_the_choices(actx: AppContext) -> None:
    audit = audits.start_audit(actx, new_audit())
    with pytest.raises(UserError, match=r"choose one of: yes, partly, no, na"):
        audits.record_answer(actx, audit.id, AnswerIn(question_id="M-03", answer="Y"))


def test_a_case_reference_must_look_like_one() -> None:
    with pytest.raises(ValidationError):
        new_audit(case_reference="Jane Smith")  # a space: not a case management reference


# --- the real framework --------------------------------------------------------------------


def test_a_case_file_audit_end_to_end(actx: AppContext) -> None:
    fw = actx.frameworks.get("case-file")
    audit = audits.start_audit(
        actx, new_audit(framework_id="case-file", case_type="looked_after", case_reference="LAC-1")
    )
    questions = fw.applicable_questions("looked_after")
    assert audit.applicable == len(questions)
    for q in questions:
        audits.record_answer(actx, audit.id, AnswerIn(question_id=q.id, answer="yes"))
    rv = audits.review(actx, audit.id)
    assert rv.percent_met == pytest.approx(100.0)
    assert rv.suggested_judgement == fw.judgements.codes[0]
    out = audits.finalise(actx, audit.id, Finalise(judgement=fw.judgements.codes[0]))
    assert out.answered == len(questions) and out.status == "finalised"

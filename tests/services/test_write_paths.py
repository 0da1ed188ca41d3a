"""Every path that writes to the record logs what it changed, in the same transaction, so that
`db verify`'s replay of the log matches the database after each step - on SQLite and
PostgreSQL. The steps follow docs/reliability-and-privacy.md's list of write paths; a path
that changed a row without logging it (or logged it in a shape the replay does not read)
would leave verify reporting a difference, or a note, after its step.

Notes and N/A reasons get their own test below: through every service path that stores one,
each is in the log as its own entry."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from audit_tui.domain.loader import FrameworkRegistry, load_framework_text
from audit_tui.services import (
    actions,
    audits,
    escalation,
    framework_versions,
    moderation,
    staff,
)
from audit_tui.services.actions import NewAction, ReauditIn
from audit_tui.services.case_import import import_cases
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.integrity import verify_database
from audit_tui.services.moderation import ModerationSelection
from audit_tui.services.moderation_schemas import AgreeIn
from audit_tui.services.sampling import SampleRequest, draw_sample
from audit_tui.services.schemas import Amend, AnswerIn, Finalise, NewAudit, NoteIn, SummaryIn
from audit_tui.store.models import Answer, Event, ModerationAnswer
from tests.builders import registry_with
from tests.services.test_framework_versions import revised

TEAM = "North"
DAY = date(2026, 11, 2)


@pytest.fixture
def wctx(ctx: AppContext, registry: FrameworkRegistry) -> Iterator[AppContext]:
    yield dataclasses.replace(ctx, frameworks=registry_with(registry), actor="Ann Auditor")


def n_events(ctx: AppContext) -> int:
    with ctx.db.read() as s:
        return int(s.execute(select(func.count(Event.id))).scalar_one())


class Steps:
    """Runs one write at a time: each must log at least one entry and leave `db verify`
    clean, with nothing it could not replay."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.done: list[str] = []

    def __call__(self, name: str, write: Callable[[], object]) -> object:
        before = n_events(self.ctx)
        result = write()
        assert n_events(self.ctx) > before, f"{name}: nothing logged"
        report = verify_database(self.ctx)
        assert report.problems == [] and report.notes == [], (name, report.problems, report.notes)
        self.done.append(name)
        return result


def new_audit(ref: str, **extra: object) -> NewAudit:
    fields: dict[str, object] = {
        "framework_id": "mini",
        "case_reference": ref,
        "case_type": "child_in_need",
        "team": TEAM,
        "auditor": "Ann Auditor",
        "audit_date": DAY,
    }
    return NewAudit(**{**fields, **extra})  # type: ignore[arg-type]


def test_every_write_path_is_logged_and_replays(wctx: AppContext, tmp_path: Path) -> None:
    ctx = wctx
    step = Steps(ctx)
    step("add a team", lambda: add_team(ctx, TEAM))
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "reference,case type,team,case holder,legal status\n"
        "IMP-1,child_in_need,North,Cara Holder,Care and support plan\n"
        "IMP-2,child_in_need,South,Cara Holder,\n",
        encoding="utf-8",
    )
    step("import cases (new team, case-holder, cases)", lambda: import_cases(ctx, cases, "mini"))
    cases.write_text(
        "reference,case type,team,case holder,legal status,team manager\n"
        "IMP-1,child_in_need,North,Cara Holder,Section 47,Tom Lead\n",
        encoding="utf-8",
    )
    step(
        "import cases again (a case changed, a team manager)",
        lambda: import_cases(ctx, cases, "mini"),
    )

    a = step("start an audit (a new case)", lambda: audits.start_audit(ctx, new_audit("CMS-1")))
    aid = a.id  # type: ignore[attr-defined]
    step(
        "answer", lambda: audits.record_answer(ctx, aid, AnswerIn(question_id="M-01", answer="yes"))
    )
    step(
        "answer with a note",
        lambda: audits.record_answer(
            ctx, aid, AnswerIn(question_id="M-03", answer="partly", note="Tasks only - AB")
        ),
    )
    step(
        "answer N/A with its reason",
        lambda: audits.record_answer(
            ctx, aid, AnswerIn(question_id="M-02", answer="na", na_reason="No assessment yet")
        ),
    )
    step(
        "answer again: no longer N/A (its reason goes)",
        lambda: audits.record_answer(ctx, aid, AnswerIn(question_id="M-02", answer="no")),
    )
    step(
        "answer N/A again, with a reason",
        lambda: audits.record_answer(
            ctx, aid, AnswerIn(question_id="M-02", answer="na", na_reason="Closed in May")
        ),
    )
    step(
        "change a note",
        lambda: audits.record_note(
            ctx, aid, NoteIn(question_id="M-03", note="Tasks, not outcomes")
        ),
    )
    step(
        "change an N/A reason",
        lambda: audits.record_note(
            ctx, aid, NoteIn(question_id="M-02", note=None, na_reason="Closed")
        ),
    )
    step(
        "strengths and areas",
        lambda: audits.update_summary(
            ctx, aid, SummaryIn(strengths="Voice clear", areas_for_development="Plans")
        ),
    )
    step("raise a concern", lambda: escalation.raise_concern(ctx, aid, "Risk at home - AB"))
    step("withdraw it", lambda: escalation.withdraw_concern(ctx, aid, "raised in error"))
    step(
        "record an escalation",
        lambda: escalation.record_escalation(ctx, aid, "Duty manager", DAY, note="by phone"),
    )
    received = dataclasses.replace(ctx, actor="Dee Tee")  # who received it acknowledges it
    step("acknowledge it", lambda: escalation.acknowledge_escalation(received, aid))
    step(
        "finalise, with a summary and an overridden judgement",
        lambda: audits.finalise(
            ctx,
            aid,
            Finalise(
                judgement="inadequate",
                judgement_reason="Drift",
                strengths="Voice very clear",
                areas_for_development="Plans and contingency",
            ),
        ),
    )
    step(
        "amend an answer",
        lambda: audits.amend(
            ctx, aid, Amend(reason="re-read", question_id="M-01", answer="partly")
        ),
    )
    step(
        "amend a note",
        lambda: audits.amend(
            ctx, aid, Amend(reason="initials only", question_id="M-03", note="Tasks - AB")
        ),
    )
    step(
        "amend the judgement",
        lambda: audits.amend(ctx, aid, Amend(reason="panel", judgement="requires_improvement")),
    )
    step(
        "practitioner's response",
        lambda: escalation.record_practitioner_response(ctx, aid, "disagree", "On paper"),
    )
    act = step(
        "add an action",
        lambda: actions.create_action(
            ctx,
            NewAction(
                audit_id=aid,
                question_id="M-03",
                description="Outcomes",
                owner="Sam",
                due_date=DAY,
                reaudit_by=date(2027, 1, 1),
            ),
        ),
    )
    step("action done", lambda: actions.complete_action(ctx, act.id))  # type: ignore[attr-defined]
    other = step(
        "another action",
        lambda: actions.create_action(
            ctx, NewAction(audit_id=aid, description="Supervision", owner="Sam", due_date=DAY)
        ),
    )
    step("action not needed", lambda: actions.mark_not_needed(ctx, other.id, "done already"))  # type: ignore[attr-defined]
    step(
        "start the re-audit",
        lambda: actions.start_reaudit(
            ctx,
            act.id,
            ReauditIn(auditor="Ben Auditor", audit_date=date(2026, 11, 19)),  # type: ignore[attr-defined]
        ),
    )

    # Moderation, all the way to agreement; and one cancelled.
    sel = ModerationSelection(moderator="Dana Moss", audit_ids=[aid])
    mid = (
        step("select for moderation", lambda: moderation.select_for_moderation(ctx, sel))
        .moderations[0]
        .id
    )  # type: ignore[attr-defined]
    step(
        "moderator's answer with a note",
        lambda: moderation.record_moderation_answer(
            ctx, mid, AnswerIn(question_id="M-01", answer="no", note="Not seen - DM")
        ),
    )
    step(
        "moderator's answer changed, note changed",
        lambda: moderation.record_moderation_answer(
            ctx, mid, AnswerIn(question_id="M-01", answer="yes", note="Seen - DM")
        ),
    )
    for qid, code in (("M-02", "na"), ("M-03", "no")):
        step(
            f"moderator's answer {qid}",
            lambda qid=qid, code=code: moderation.record_moderation_answer(
                ctx, mid, AnswerIn(question_id=qid, answer=code)
            ),
        )
    step("moderator's judgement", lambda: moderation.record_moderator_judgement(ctx, mid, "good"))
    step(
        "submit, with another judgement",
        lambda: moderation.submit_moderation(ctx, mid, "inadequate"),
    )
    qa = dataclasses.replace(ctx, actor="Quinn Lead")  # not the audit's own auditor
    step(
        "agree",
        lambda: moderation.agree(
            qa,
            mid,
            AgreeIn(
                answers={"M-01": "yes", "M-02": "na", "M-03": "partly"},
                judgement="good",
                comment="Panel",
            ),
        ),
    )
    second = step("a second audit", lambda: audits.start_audit(ctx, new_audit("CMS-2"))).id  # type: ignore[attr-defined]
    for qid in ("M-01", "M-02", "M-03"):
        audits.record_answer(ctx, second, AnswerIn(question_id=qid, answer="yes"))
    step(
        "finalise as suggested",
        lambda: audits.finalise(ctx, second, Finalise(judgement="outstanding")),
    )
    cancelled = (
        step(
            "select a share for moderation",
            lambda: moderation.select_for_moderation(
                ctx, ModerationSelection(moderator="Dana Moss", share=1.0, seed=4)
            ),
        )
        .moderations[0]
        .id
    )  # type: ignore[attr-defined]
    step(
        "cancel a moderation",
        lambda: moderation.cancel_moderation(ctx, cancelled, "moderator away"),
    )

    # An audit round; an audit started from it, then deleted.
    round_report = step(
        "draw a sample",
        lambda: draw_sample(ctx, SampleRequest(per_team=1, seed=9, framework_id="mini", auditors=["Ann Auditor"], exclude_audited_within_days=0)),
    )  # fmt: skip
    picked = round_report.cases[0]  # type: ignore[attr-defined]
    started = step(
        "start an assigned case",
        lambda: audits.start_audit(
            ctx,
            new_audit(picked.reference, team=picked.team, case_holder=picked.case_holder,
                      round_case_id=picked.round_case_id),
        ),
    )  # fmt: skip
    step("delete the draft", lambda: audits.delete_draft(ctx, started.id))  # type: ignore[attr-defined]
    step(
        "a case-holder audits: made an auditing manager",
        lambda: audits.start_audit(ctx, new_audit("CMS-3", auditor="Cara Holder")),
    )

    # The staff directory, by hand and from a staff list; a draft taken over.
    step("add a person", lambda: staff.add_person(ctx, "Mo Khan", "North", auditor=True))
    step("move them to another team", lambda: staff.set_team(ctx, "Mo Khan", "South"))
    step("make them a manager", lambda: staff.set_manager(ctx, "Mo Khan"))
    step("their login", lambda: staff.set_login(ctx, "Mo Khan", "mkhan"))
    step("not an auditor", lambda: staff.set_auditor(ctx, "Cara Holder", False))
    step("a leaver", lambda: staff.mark_leaver(ctx, "Mo Khan", date(2026, 11, 1)))
    people = tmp_path / "staff.csv"
    people.write_text(
        "Name,Team,Manager,Auditor\nPat Lo,North,yes,yes\nRae Boyd,East,no,yes\n",
        encoding="utf-8",
    )
    step(
        "import a staff list (a new team, people, changes)", lambda: staff.import_staff(ctx, people)
    )
    theirs = step(
        "Pat's draft", lambda: audits.start_audit(ctx, new_audit("CMS-5", auditor="Pat Lo"))
    ).id  # type: ignore[attr-defined]
    step("take over Pat's draft", lambda: audits.take_over(ctx, theirs))

    # A draft moved to a new framework version; a version stored from a file.
    draft_id = step("a draft", lambda: audits.start_audit(ctx, new_audit("CMS-4"))).id  # type: ignore[attr-defined]
    for qid in ("M-01", "M-03"):
        audits.record_answer(ctx, draft_id, AnswerIn(question_id=qid, answer="yes", note="n"))
    moved = dataclasses.replace(ctx, frameworks=registry_with(ctx.frameworks, revised()))
    to = audits.draft_move(moved, draft_id)
    assert to is not None and to.dropped == ["M-01"]
    step("move a draft to a new version", lambda: audits.move_draft(moved, draft_id, to.to_hash))
    newer = load_framework_text(revised().replace('version: "0.2"', 'version: "0.3"'), "m.yaml")
    step("store a framework version", lambda: framework_versions.store_file_version(ctx, newer))
    assert len(step.done) == 54


def _entries(ctx: AppContext, action: str, audit_id: int) -> list[tuple[str | None, str | None]]:
    with ctx.db.read() as s:
        rows = s.execute(
            select(Event.field, Event.new_value)
            .where(Event.audit_id == audit_id, Event.action == action)
            .order_by(Event.id)
        ).all()
    return [(f, v) for f, v in rows]


def test_notes_and_na_reasons_are_logged_through_every_service_path(wctx: AppContext) -> None:
    """The walkthrough's own save path (an answer with its note and reason) logged nothing of
    them: 4 note and reason changes, 0 entries. Now every path logs each change."""
    ctx = wctx
    add_team(ctx, TEAM)
    aid = audits.start_audit(ctx, new_audit("CMS-1")).id
    audits.record_answer(ctx, aid, AnswerIn(question_id="M-01", answer="no", note="Not seen - AB"))
    audits.record_answer(
        ctx, aid, AnswerIn(question_id="M-02", answer="na", na_reason="No assessment", note="n2")
    )
    audits.record_answer(ctx, aid, AnswerIn(question_id="M-01", answer="yes", note="Seen - AB"))
    audits.record_note(
        ctx, aid, NoteIn(question_id="M-02", note="n2 again", na_reason="Assessment not due")
    )
    audits.record_answer(ctx, aid, AnswerIn(question_id="M-02", answer="yes"))  # reason goes
    assert _entries(ctx, "note", aid) == [
        ("M-01", "Not seen - AB"),
        ("M-02", "n2"),
        ("M-01", "Seen - AB"),
        ("M-02", "n2 again"),
    ]
    assert _entries(ctx, "na_reason", aid) == [
        ("M-02", "No assessment"),
        ("M-02", "Assessment not due"),
        ("M-02", None),
    ]
    audits.record_answer(ctx, aid, AnswerIn(question_id="M-03", answer="yes"))
    audits.finalise(ctx, aid, Finalise(judgement="outstanding"))
    audits.amend(ctx, aid, Amend(reason="initials", question_id="M-01", note="  Seen - A.B. "))
    assert _entries(ctx, "amend_note", aid) == [("M-01", "Seen - A.B.")]

    # The moderator's notes, and the note an agreed answer keeps.
    mid = (
        moderation.select_for_moderation(
            ctx, ModerationSelection(moderator="Dana Moss", audit_ids=[aid])
        )
        .moderations[0]
        .id
    )
    moderation.record_moderation_answer(
        ctx, mid, AnswerIn(question_id="M-01", answer="no", note="Not seen - DM")
    )
    moderation.record_moderation_answer(
        ctx, mid, AnswerIn(question_id="M-01", answer="no", note="Never seen - DM")
    )
    for qid in ("M-02", "M-03"):
        moderation.record_moderation_answer(ctx, mid, AnswerIn(question_id=qid, answer="yes"))
    moderation.submit_moderation(ctx, mid, "good")
    assert _entries(ctx, "moderate_note", aid) == [
        ("M-01", "Not seen - DM"),
        ("M-01", "Never seen - DM"),
    ]
    before = len(_entries(ctx, "note", aid))
    qa = dataclasses.replace(ctx, actor="Quinn Lead")  # not the audit's own auditor
    moderation.agree(
        qa, mid, AgreeIn(answers={"M-01": "no"}, judgement="requires_improvement", comment="Panel")
    )
    # Each agreed answer keeps the note of the side it came from, logged as its own.
    assert _entries(ctx, "note", aid)[before:] == [
        ("M-01", "Never seen - DM"),
        ("M-02", "n2 again"),
    ]

    with ctx.db.read() as s:
        notes = {
            (a.question_id, a.kind): a.note
            for a in s.execute(select(Answer).where(Answer.audit_id == aid)).scalars()
        }
        mod_note = s.execute(
            select(ModerationAnswer.note).where(ModerationAnswer.moderation_id == mid,
                                                ModerationAnswer.question_id == "M-01")
        ).scalar_one()  # fmt: skip
    assert notes[("M-01", "original")] == "Seen - A.B." and notes[("M-01", "agreed")] == mod_note
    assert verify_database(ctx).problems == []


def test_the_walkthroughs_unchanged_note_logs_nothing(wctx: AppContext) -> None:
    """Saving the same note again is no change: no entry, and the answer keeps its time."""
    ctx = wctx
    add_team(ctx, TEAM)
    aid = audits.start_audit(ctx, new_audit("CMS-1")).id
    first = audits.record_answer(ctx, aid, AnswerIn(question_id="M-01", answer="no", note="AB"))
    before = n_events(ctx)
    again = audits.record_note(ctx, aid, NoteIn(question_id="M-01", note="AB"))
    assert n_events(ctx) == before
    assert again.answered_at.replace(tzinfo=None) == first.answered_at.replace(tzinfo=None)

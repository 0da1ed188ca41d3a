"""The learning-loop sheets, re-opened: Actions, Moderation and Programme hold what the services
give for the same scope, and the Audits sheet carries the practitioner's response and the
escalation. Data made through the services (mini framework, child_in_need: M-01 critical,
M-02, M-03; Ofsted scale), on SQLite and PostgreSQL.

The export runs on 1 December 2026: the round (due 25 November) is overdue by then, and so is
an action due 10 November, while an action due that very day is not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.domain.periods import parse_period
from audit_tui.export import ExportSpec, write_workbook
from audit_tui.export.sheets import moderation as moderation_sheet
from audit_tui.services import actions, agreement, audits, escalation, moderation, programme
from audit_tui.services.actions import NewAction, ReauditIn
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.moderation import ModerationSelection
from audit_tui.services.moderation_schemas import AgreeIn
from audit_tui.services.sampling import SampleRequest, draw_sample
from audit_tui.services.schemas import AnswerIn, Finalise, NewAudit
from tests.conftest import DB_PARAMS, FIXED_TODAY, make_context
from tests.services.test_sampling import add_team as add_cases

EXPORT_DAY = date(2026, 12, 1)
PERIOD = "2026-27"
NOW = datetime(2026, 12, 1, 9, 0)
EVIL_ACTION = '=HYPERLINK("http://example.invalid","x")'
WEAK = {"M-01": "yes", "M-02": "no", "M-03": "partly"}
STRONG = {"M-01": "yes", "M-02": "yes", "M-03": "yes"}
GRADE = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
}


@dataclasses.dataclass
class Loop:
    ctx: AppContext  # today is EXPORT_DAY
    path: Path
    escalated: int  # audit with a practitioner disagreement and an escalation
    agreeing: int  # audit with a practitioner agreement (and an agreed moderation)
    blind: int  # audit whose moderation is still blind
    blind_judgement: str
    overdue_action: int
    due_today_action: int
    reaudit_action: int
    mini_round: int
    other_round: int
    draft_auditor: str  # of the round case whose audit is a draft
    finalised_auditor: str  # of the round case whose audit is finalised


def audit(
    c: AppContext,
    ref: str,
    answers: dict[str, str],
    judgement: str,
    *,
    team: str = "Intake",
    auditor: str = "Ceri Jones",
    day: date = date(2026, 11, 2),
) -> int:
    a = audits.start_audit(
        c,
        NewAudit(
            framework_id="mini",
            case_reference=ref,
            case_type="child_in_need",
            team=team,
            case_holder="Alun Price",
            auditor=auditor,
            audit_date=day,
        ),
    )
    finish(c, a.id, answers, judgement)
    return a.id


def finish(c: AppContext, audit_id: int, answers: dict[str, str], judgement: str) -> None:
    for qid, code in answers.items():
        audits.record_answer(c, audit_id, AnswerIn(question_id=qid, answer=code))
    audits.finalise(c, audit_id, Finalise(judgement=judgement, judgement_reason="as seen"))


def moderate(
    c: AppContext, audit_id: int, answers: dict[str, str], judgement: str | None, agreed: bool
) -> int:
    sel = ModerationSelection(moderator="Dana Moss", audit_ids=[audit_id])
    mid = moderation.select_for_moderation(c, sel).moderations[0].id
    for qid, code in answers.items():
        moderation.record_moderation_answer(c, mid, AnswerIn(question_id=qid, answer=code))
    if judgement is not None:
        moderation.submit_moderation(c, mid, judgement)
    if agreed:
        moderation.agree(
            c,
            mid,
            AgreeIn(
                answers=answers,
                judgement=judgement or "good",
                comment="Agreed at the moderation panel",
            ),
        )
    return mid


def build(c: AppContext, tmp: Path) -> Loop:
    add_team(c, "Intake")
    add_team(c, "Disabled Children")

    # An audit with actions, a disagreeing practitioner and a safeguarding escalation.
    first = audits.start_audit(
        c,
        NewAudit(
            framework_id="mini",
            case_reference="CMS-A1",
            case_type="child_in_need",
            team="Intake",
            case_holder="Alun Price",
            auditor="Ceri Jones",
            audit_date=date(2026, 11, 2),
        ),
    )
    escalation.record_escalation(c, first.id, "Duty team manager", date(2026, 11, 3))
    finish(c, first.id, WEAK, "good")
    escalation.record_practitioner_response(c, first.id, "disagree", "+the plan was reviewed")

    def act(description: str, due: date, qid: str | None = None, **kw: Any) -> int:
        new = NewAction(
            audit_id=first.id,
            description=description,
            owner="Alun Price",
            due_date=due,
            question_id=qid,
            **kw,
        )
        return actions.create_action(c, new).id

    overdue = act(EVIL_ACTION, date(2026, 11, 10), "M-02")
    due_today = act("Review the plan with the family", EXPORT_DAY)
    not_needed = act("Record the chronology", date(2026, 11, 5), "M-03")
    actions.mark_not_needed(c, not_needed, "Chronology was on the paper file")
    done = act("Supervision on file", date(2026, 11, 6))
    actions.complete_action(c, done)
    reaudit = act(
        "Re-audit after the plan review",
        date(2026, 12, 15),
        "M-02",
        reaudit_by=date(2026, 12, 15),
    )
    second = actions.start_reaudit(
        c, reaudit, ReauditIn(auditor="Ceri Jones", audit_date=date(2026, 11, 15))
    )
    finish(c, second.id, STRONG, "outstanding")

    # Moderations: Ceri grades above the moderator twice in three (flagged as generous),
    # and one of Alun's audits is still with the moderator, blind.
    agreeing = audit(c, "CMS-M1", STRONG, "outstanding")
    moderate(c, agreeing, {**STRONG, "M-03": "partly"}, "good", agreed=True)
    escalation.record_practitioner_response(c, agreeing, "agree")
    m2 = audit(c, "CMS-M2", WEAK, "good", team="Disabled Children")
    moderate(c, m2, {**WEAK, "M-03": "no"}, "requires_improvement", agreed=False)
    m3 = audit(c, "CMS-M3", STRONG, "good", team="Disabled Children")
    moderate(c, m3, STRONG, "good", agreed=True)
    blind = audit(c, "CMS-B1", STRONG, "outstanding", auditor="Alun Price")
    moderate(c, blind, {"M-01": "no"}, None, agreed=False)

    # The programme: a mini round due 25 November with one case started and one finalised,
    # and a case-file round that the mini workbook leaves out.
    # Two managers in Intake, so its two sampled cases go to two auditors. (Auditing an
    # audit no longer makes someone a team manager, as it once did for Alun Price.)
    add_cases(c, "Intake", 3, managers=("Ann", "Bo"), holder="Pat", prefix="IN")
    add_cases(c, "Disabled Children", 2, managers=("Cat",), holder="Sam", prefix="DC")
    due = FIXED_TODAY + timedelta(days=5)
    mini_round = draw_sample(
        c, SampleRequest(per_team=2, seed=3, framework_id="mini", due_date=due)
    )
    other_round = draw_sample(
        c, SampleRequest(per_team=1, seed=3, due_date=due, name="Case-file round")
    )
    intake = [
        a for a in programme.assigned_cases(c, round_id=mini_round.round_id) if a.team == "Intake"
    ]
    assert len(intake) == 2
    audits.start_audit(c, intake[0].new_audit(date(2026, 11, 19)))
    done_case = audits.start_audit(c, intake[1].new_audit(date(2026, 11, 19)))
    finish(c, done_case.id, STRONG, "outstanding")

    ectx = dataclasses.replace(c, today=lambda: EXPORT_DAY)
    result = write_workbook(ectx, ExportSpec(framework_id="mini", period=PERIOD), tmp, now=NOW)
    return Loop(
        ctx=ectx,
        path=result.path,
        escalated=first.id,
        agreeing=agreeing,
        blind=blind,
        blind_judgement="outstanding",
        overdue_action=overdue,
        due_today_action=due_today,
        reaudit_action=reaudit,
        mini_round=mini_round.round_id,
        other_round=other_round.round_id,
        draft_auditor=intake[0].auditor,
        finalised_auditor=intake[1].auditor,
    )


@pytest.fixture(scope="module", params=DB_PARAMS)
def loop(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    frameworks: FrameworkRegistry,
) -> Iterator[Loop]:
    tmp = tmp_path_factory.mktemp("loop")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'audits.db'}"
    else:
        url = request.getfixturevalue("pg_server").create_database()
    c = dataclasses.replace(make_context(url, frameworks), frameworks=frameworks)
    yield build(c, tmp)
    c.db.dispose()


@pytest.fixture(scope="module")
def wb(loop: Loop) -> Workbook:
    return load_workbook(loop.path)


# --- reading a sheet back -------------------------------------------------------------------


def table(ws: Worksheet, first_header: str) -> list[dict[str, Any]]:
    """The rows of the table whose header row starts with `first_header`, up to a blank row."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    headers = rows[start]
    out = []
    for r in rows[start + 1 :]:
        if not r or all(v is None for v in r):
            break
        out.append({h: v for h, v in zip(headers, r, strict=False) if h is not None})
    return out


def day(v: Any) -> Any:
    return v.date() if isinstance(v, datetime) else v


def percent(v: float | None) -> Any:
    return None if v is None else pytest.approx(v / 100, abs=1e-12)


def first_column(ws: Worksheet) -> list[Any]:
    return [r[0] for r in ws.iter_rows(max_col=1, values_only=True)]


# --- Actions --------------------------------------------------------------------------------


def test_actions_sheet_equals_the_service_rows(loop: Loop, wb: Workbook) -> None:
    expected = actions.action_rows(loop.ctx, "mini", parse_period(PERIOD))
    assert len(expected) == 5
    got = table(wb["Actions"], "Action id")
    assert [
        (
            g["Action id"],
            g["Case reference"],
            g["Team"],
            g["Auditor"],
            g["Audit id"],
            day(g["Audit date"]),
            g["Question id"],
            g["Question"],
            g["Action"],
            g["Owner"],
            day(g["Due date"]),
            g["Status"],
            g["Overdue"] == "OVERDUE",
            g["Reason (not needed)"],
            day(g["Re-audit by"]),
            g["Re-audit id"],
        )
        for g in got
    ] == [
        (
            r.action_id,
            r.case_reference,
            r.team,
            r.auditor,
            r.audit_id,
            r.audit_date,
            r.question_id or "(whole audit)",
            r.question_text,
            r.description,
            r.owner,
            r.due_date,
            {"open": "Open", "done": "Done", "not_needed": "Not needed"}[r.status],
            r.overdue,
            r.status_reason,
            r.reaudit_by,
            r.reaudit_audit_id,
        )
        for r in expected
    ]
    by_id = {g["Action id"]: g for g in got}
    # Overdue is written out, and computed against the export's today: an open action due
    # 10 November is OVERDUE on 1 December, one due on 1 December is not.
    assert by_id[loop.overdue_action]["Overdue"] == "OVERDUE"
    assert by_id[loop.due_today_action]["Overdue"] == "no"
    assert sum(g["Overdue"] == "OVERDUE" for g in got) == 1
    # The re-audit's outcome: finalised Outstanding after Good.
    out = actions.reaudit_outcome(loop.ctx, loop.reaudit_action)
    row = by_id[loop.reaudit_action]
    assert out.grade_change == 1
    assert row["Re-audit status"] == "finalised"
    assert (row["Grade before"], row["Grade after re-audit"]) == ("Good", "Outstanding")
    assert row["Change in grade"] == "better by 1 grade"
    assert row["Change in percent met"] == pytest.approx(out.percent_change)
    intro = first_column(wb["Actions"])[0]
    assert "5 actions, 3 open, 1 OVERDUE" in intro and "1 December 2026" in intro


def test_a_welsh_actions_sheet_says_ar_agor_for_an_open_action(loop: Loop, tmp_path: Path) -> None:
    """ "Open" as a status is "Ar agor" ("is open"), told apart by its context from "Open"
    the key ("Agor"): the Welsh workbook's status words follow the action's status."""
    spec = ExportSpec(framework_id="mini", period=PERIOD, lang="cy")
    welsh = load_workbook(write_workbook(loop.ctx, spec, tmp_path, now=NOW).path)
    got = table(welsh["Camau gweithredu"], "Rhif y cam gweithredu")
    rows = actions.action_rows(loop.ctx, "mini", parse_period(PERIOD))
    status = {r.action_id: r.status for r in rows}
    words = {"open": "Ar agor", "done": "Wedi'i wneud", "not_needed": "Dim angen"}
    assert {g["Rhif y cam gweithredu"]: g["Statws"] for g in got} == {
        i: words[s] for i, s in status.items()
    }
    assert "Ar agor" in {g["Statws"] for g in got}


def test_an_action_starting_with_equals_is_text(loop: Loop, wb: Workbook) -> None:
    cells = [c for row in wb["Actions"].iter_rows() for c in row if c.value == EVIL_ACTION]
    assert len(cells) == 1
    assert cells[0].data_type == "s" and cells[0].quotePrefix


# --- Moderation -----------------------------------------------------------------------------


def test_moderation_list_equals_the_service_rows_and_keeps_blind_ones_blind(
    loop: Loop, wb: Workbook
) -> None:
    expected = moderation.moderation_rows(loop.ctx, "mini", parse_period(PERIOD))
    got = table(wb["Moderations"], "Moderation id")
    assert len(got) == len(expected) == 4

    def label(code: str | None, status: str) -> str | None:
        if status == "requested":
            return moderation_sheet.HIDDEN
        return None if code is None else GRADE[code]

    assert [
        (
            g["Moderation id"],
            g["Audit id"],
            g["Case reference"],
            g["Team"],
            g["Auditor"],
            g["Moderator"],
            day(g["Audit date"]),
            g["Auditor's judgement"],
            g["Moderator's judgement (blind)"],
            g["Agreed judgement"],
            g["Questions compared (n)"],
            g["Questions agreeing (n)"],
            g["Answer agreement"],
            g["Comment"],
        )
        for g in got
    ] == [
        (
            r.moderation_id,
            r.audit_id,
            r.case_reference,
            r.team,
            r.auditor,
            r.moderator,
            r.audit_date,
            label(r.original_judgement, r.status),
            label(r.moderator_judgement, r.status),
            None if r.agreed_judgement is None else GRADE[r.agreed_judgement],
            r.questions_compared,
            r.questions_agreeing,
            percent(r.answer_agreement_percent),
            r.comment,
        )
        for r in expected
    ]
    blind = next(g for g in got if g["Audit id"] == loop.blind)
    assert blind["Status"] == "Requested (blind)"
    assert GRADE[loop.blind_judgement] not in blind.values()
    assert blind["Questions compared (n)"] == 0 and blind["Answer agreement"] is None


def test_agreement_table_equals_the_agreement_report(loop: Loop, wb: Workbook) -> None:
    report = agreement.agreement_report(loop.ctx, "mini", parse_period(PERIOD))
    got = table(wb["Moderation"], "Scope")
    too_few = f"too few pairs (under {agreement.AGREEMENT_MIN_PAIRS})"
    groups = [("Overall", report.overall, "All moderated audits")]
    groups += [("Auditor", g, g.name) for g in report.auditors]
    groups += [("Team", g, g.name) for g in report.teams]
    # Three pairs: under the minimum, so no kappa or AC1 anywhere, and the sheet says why.
    assert report.overall.n == 3 and report.overall.kappa is None and report.overall.too_few_pairs
    grade_rows = [g for g in got if g["Scope"] != "Question"]
    assert [
        (
            g["Scope"],
            g["Name"],
            g["Judgement pairs (n)"],
            g["Exact agreement"],
            g["Within one grade"],
            g["Weighted kappa"],
            g["Gwet's AC1"],
            g["Mean difference (auditor - moderator, grades)"],
            g["Answers compared (n)"],
            g["Answers agreeing"],
        )
        for g in grade_rows
    ] == [
        (
            scope,
            name,
            r.n,
            percent(r.exact_percent),
            percent(r.within_one_percent),
            too_few if r.too_few_pairs else r.kappa,
            too_few if r.too_few_pairs else r.ac1,
            None if r.mean_difference is None else pytest.approx(r.mean_difference),
            r.answers_n,
            percent(r.answers_agree_percent),
        )
        for scope, r, name in groups
    ]
    flags = {g["Name"]: g["More generous than moderator?"] for g in grade_rows}
    assert [a.name for a in report.auditors if a.generous] == ["Ceri Jones"]
    assert flags["Ceri Jones"] == moderation_sheet.GENEROUS
    questions = [(g["Name"].split()[0], g["Answers compared (n)"]) for g in got[len(groups) :]]
    assert questions == [(q.question_id, q.n) for q in report.questions]


# --- Programme ------------------------------------------------------------------------------


def test_programme_sheet_equals_the_service_rows_for_rounds_due_in_the_period(
    loop: Loop, wb: Workbook
) -> None:
    every = programme.programme_rows(loop.ctx)
    assert {r.round_id for r in every} == {loop.mini_round, loop.other_round}
    expected = [r for r in every if r.round_id == loop.mini_round]
    got = table(wb["Programme"], "Round")
    fields = ("assigned", "not_started", "started", "finalised", "overdue")
    headers = ("Assigned", "Not started", "Started (draft)", "Finalised", "Overdue")
    assert [(g["Round id"], g["Auditor"], g["Team"], *(g[h] for h in headers)) for g in got] == [
        (r.round_id, r.auditor, r.team, *(getattr(r, f) for f in fields)) for r in expected
    ]
    intake = {g["Auditor"]: g for g in got if g["Team"] == "Intake"}
    draft, done = intake[loop.draft_auditor], intake[loop.finalised_auditor]
    assert (draft["Started (draft)"], draft["Overdue"]) == (1, 1)
    assert draft["Progress"] == "OVERDUE: 1 not finalised by the due date"
    assert (done["Finalised"], done["Overdue"], done["Progress"]) == (1, 0, "complete")
    cat = next(g for g in got if g["Auditor"] == "Cat")
    assert (cat["Assigned"], cat["Not started"], cat["Overdue"]) == (2, 2, 2)
    assert "Case-file round" not in {g["Round"] for g in got}
    intro = first_column(wb["Programme"])
    assert any(isinstance(v, str) and "4 assigned" in v and "3 OVERDUE" in v for v in intro), intro


# --- Audits ---------------------------------------------------------------------------------


def test_audits_sheet_has_the_practitioner_response_and_escalation(
    loop: Loop, wb: Workbook
) -> None:
    rows = {r["Audit id"]: r for r in table(wb["Audits"], "Audit id")}
    first = rows[loop.escalated]
    assert first["Practitioner response"] == "Disagree"
    assert first["Practitioner comment"] == "+the plan was reviewed"
    assert (first["Escalated"], first["Escalated to"]) == ("escalated", "Duty team manager")
    assert first["Escalated at"] is not None
    assert rows[loop.agreeing]["Practitioner response"] == "Agree"
    assert rows[loop.agreeing]["Escalated"] == "not escalated"
    assert rows[loop.blind]["Practitioner response"] is None
    assert rows[loop.agreeing]["Moderated judgement"] == "Good"
    ws = wb["Audits"]
    comment = next(c for row in ws.iter_rows() for c in row if c.value == "+the plan was reviewed")
    assert comment.data_type == "s" and comment.quotePrefix


def test_audits_sheet_carries_the_counted_figures_of_a_moderated_audit(
    loop: Loop, wb: Workbook
) -> None:
    """The agreed answers (M-03 Partly where the auditor said Yes) count everywhere: the
    Audits sheet's percent met, critical failures and suggested judgement are theirs, as in
    the audit view and the Answers sheet; the auditor's own judgement has a column of its own."""
    rows = {r["Audit id"]: r for r in table(wb["Audits"], "Audit id")}
    row = rows[loop.agreeing]
    detail = audits.get_audit(loop.ctx, loop.agreeing)
    assert detail.counted is not None
    assert detail.counted.percent_met == pytest.approx(250 / 3)  # yes, yes, partly
    assert row["Percent met"] == percent(detail.counted.percent_met)
    assert row["Critical failures"] == detail.counted.critical_failures == 0
    assert row["Suggested judgement"] == "Good"  # 83.3%: Good, not the original Outstanding
    assert (row["Judgement given"], row["Judgement that counts"]) == ("Outstanding", "Good")
    assert row["Framework version"] == "0.1"
    answers = [r for r in table(wb["Answers"], "Audit id") if r["Audit id"] == loop.agreeing]
    assert {r["Question id"]: r["Answer"] for r in answers} == {
        "M-01": "Yes",
        "M-02": "Yes",
        "M-03": "Partly",
    }
    # An audit nobody moderated reads as finalised.
    plain = rows[loop.escalated]
    first = audits.get_audit(loop.ctx, loop.escalated)
    assert plain["Percent met"] == percent(first.percent_met)
    assert plain["Judgement given"] == plain["Judgement that counts"]


# --- no rows --------------------------------------------------------------------------------


def test_loop_sheets_say_so_when_empty(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    add_team(sqlite_ctx, "Intake")
    a = audits.start_audit(
        sqlite_ctx,
        NewAudit(
            framework_id="case-file",
            case_reference="CMS-9",
            case_type="child_in_need",
            team="Intake",
            auditor="Ceri Jones",
            audit_date=date(2026, 11, 2),
        ),
    )
    fw = sqlite_ctx.frameworks.get("case-file")
    for q in fw.applicable_questions("child_in_need"):
        best = max(
            (o for o in fw.scale(q.scale).options if o.points is not None),
            key=lambda o: o.points,  # type: ignore[arg-type, return-value]
        )
        audits.record_answer(sqlite_ctx, a.id, AnswerIn(question_id=q.id, answer=best.code))
    audits.finalise(sqlite_ctx, a.id, Finalise(judgement="excellent", judgement_reason="all met"))
    path = write_workbook(sqlite_ctx, ExportSpec(period=PERIOD), tmp_path, now=NOW).path
    wb = load_workbook(path)
    assert "No actions recorded for audits in 2026-27." in first_column(wb["Actions"])
    assert table(wb["Actions"], "Action id") == []
    moderation_text = first_column(wb["Moderation"])
    assert "No moderations recorded for audits in 2026-27." in first_column(wb["Moderations"])
    assert any(
        isinstance(v, str) and v.startswith("No moderation has been submitted")
        for v in moderation_text
    )
    assert table(wb["Moderations"], "Moderation id") == []
    assert "No audit round exists yet: draw one with `audit-tui sample`." in first_column(
        wb["Programme"]
    )
    assert table(wb["Programme"], "Round") == []

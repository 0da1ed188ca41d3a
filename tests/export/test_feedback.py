"""The practitioner feedback document, from audits made through the services (mini framework:
M-01 critical; M-02 N/A needs a reason; M-03 plain; M-04 child protection only, weight 2)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert, update

from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.export import render_feedback, write_feedback
from audit_tui.services import audits
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.schemas import AnswerIn, Finalise, NewAudit
from audit_tui.store.models import Answer, Audit

NOTE = "No analysis of risk: AB's assessment describes incidents only"


@pytest.fixture
def mctx(ctx: AppContext, frameworks: FrameworkRegistry) -> AppContext:
    c = dataclasses.replace(ctx, frameworks=frameworks)
    add_team(c, "Intake")
    return c


def make_audit(c: AppContext, *, finalise: bool = True) -> int:
    audit = audits.start_audit(
        c,
        NewAudit(
            framework_id="mini",
            case_reference="CMS-100234",
            case_type="child_protection",
            team="Intake",
            case_holder="Alun Price",
            auditor="Ceri Jones",
            audit_date=date(2026, 11, 2),
        ),
    )
    given = [("M-01", "yes", None), ("M-02", "no", NOTE), ("M-03", "partly", None)]
    given.append(("M-04", "yes", None))
    for qid, code, note in given:
        audits.record_answer(c, audit.id, AnswerIn(question_id=qid, answer=code, note=note))
    if finalise:
        rv = audits.review(c, audit.id)
        audits.finalise(
            c,
            audit.id,
            Finalise(
                judgement="good",
                judgement_reason="Analysis gap is isolated" if rv.suggested_judgement else None,
                strengths="Child seen alone every visit; plan written with the family.",
                areas_for_development="Write down the analysis of risk.",
            ),
        )
    return audit.id


def test_feedback_names_each_shortfall_with_what_good_looks_like(mctx: AppContext) -> None:
    text = render_feedback(mctx, make_audit(mctx))
    mini = mctx.frameworks.get("mini")
    assert text.startswith("# Case file audit feedback: CMS-100234\n")
    assert "- Team: Intake" in text and "- Case-holder: Alun Price" in text
    assert "- Audited by: Ceri Jones on 2 November 2026" in text
    assert "- Judgement: Good" in text
    assert "Child seen alone every visit; plan written with the family." in text
    assert "Write down the analysis of risk." in text
    # No and Partly are listed with what good looks like; Yes answers are not.
    assert f"#### M-02 {mini.question('M-02').text}" in text
    assert "Answer: **No**" in text and NOTE in text
    assert f"What good looks like: {mini.question('M-02').guidance.good}" in text
    assert f"#### M-03 {mini.question('M-03').text}" in text
    assert "Answer: **Partly**" in text
    assert "M-01" not in text and "M-04" not in text
    assert "## Agreed actions" in text and "## Your response" in text
    assert "| Assessment | 50% | 2 |" in text


def test_feedback_follows_the_moderated_answers(mctx: AppContext) -> None:
    audit_id = make_audit(mctx)
    # What moderation does: the original no longer counts, the agreed answer does.
    with mctx.db.write() as s:
        s.execute(
            update(Answer)
            .where(Answer.audit_id == audit_id, Answer.question_id == "M-03")
            .values(counted=False)
        )
        s.execute(
            insert(Answer).values(
                audit_id=audit_id,
                question_id="M-03",
                section_id="plans",
                kind="agreed",
                counted=True,
                answer="yes",
                points=1.0,
                weight=1.0,
            )
        )
        s.execute(
            update(Audit).where(Audit.id == audit_id).values(moderated_judgement="outstanding")
        )
    text = render_feedback(mctx, audit_id)
    assert "M-03" not in text
    assert "M-02" in text
    assert "- Judgement: Outstanding (after moderation; the auditor judged Good" in text


def test_feedback_refuses_a_draft(mctx: AppContext) -> None:
    audit_id = make_audit(mctx, finalise=False)
    with pytest.raises(UserError, match="is a draft"):
        render_feedback(mctx, audit_id)
    with pytest.raises(UserError, match="no audit 999"):
        render_feedback(mctx, 999)


def test_write_feedback_never_replaces_silently(mctx: AppContext, tmp_path: Path) -> None:
    audit_id = make_audit(mctx)
    out = tmp_path / "feedback"  # created on first use
    first = write_feedback(mctx, audit_id, out)
    second = write_feedback(mctx, audit_id, out)
    assert first.name == f"feedback_CMS-100234_audit-{audit_id}.md"
    assert second.name == f"feedback_CMS-100234_audit-{audit_id}-2.md"
    assert first.read_text(encoding="utf-8") == render_feedback(mctx, audit_id)
    mine = out / "for-alun.md"
    mine.write_text("keep")
    with pytest.raises(UserError, match="already exists"):
        write_feedback(mctx, audit_id, mine)
    assert mine.read_text() == "keep"
    assert write_feedback(mctx, audit_id, mine, overwrite=True) == mine
    assert mine.read_text(encoding="utf-8").startswith("# Case file audit feedback")
    with pytest.raises(UserError, match=r"must end in \.md or \.txt"):
        write_feedback(mctx, audit_id, out / "feedback.docx")
    assert sorted(p.name for p in out.iterdir()) == sorted([first.name, second.name, "for-alun.md"])

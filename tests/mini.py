"""The small test framework (tests/fixtures/mini.yaml) beside the shipped ones, and audits on
it made through the services. mini: Ofsted scale, thresholds 90/75/50/0; for child_in_need
three questions apply - M-01 (critical, N/A not allowed), M-02 (N/A needs a reason), M-03."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from audit_tui.domain.loader import FrameworkRegistry, load_framework_text
from audit_tui.services import audits
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import AnswerIn, Finalise, NewAudit

MINI_FILE = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"
MINI = MINI_FILE.read_text(encoding="utf-8")


def registry_with(
    base: FrameworkRegistry, text: str = MINI, name: str = "mini.yaml"
) -> FrameworkRegistry:
    """`base` and the framework in `text` (mini by default, or a version of it)."""
    fw = load_framework_text(text, name)
    return FrameworkRegistry({**{f.id: f for f in base.all()}, fw.id: fw})


def new_audit(ref: str, when: date, team: str, case_type: str = "child_in_need") -> NewAudit:
    return NewAudit(
        framework_id="mini",
        case_reference=ref,
        case_type=case_type,
        team=team,
        auditor="Ceri Jones",
        audit_date=when,
    )


def finalised_mini(
    ctx: AppContext,
    ref: str,
    answers: dict[str, str],
    when: date,
    team: str,
    *,
    judgement: str | None = None,
    notes: dict[str, str] | None = None,
) -> int:
    """A finalised mini audit with these answers (and notes, and a reason for each N/A);
    judged as suggested unless `judgement` is given."""
    a = audits.start_audit(ctx, new_audit(ref, when, team))
    for qid, code in answers.items():
        reason = "not in the period" if code == "na" else None
        audits.record_answer(
            ctx,
            a.id,
            AnswerIn(question_id=qid, answer=code, note=(notes or {}).get(qid), na_reason=reason),
        )
    grade = judgement or audits.review(ctx, a.id).suggested_judgement or "good"
    audits.finalise(ctx, a.id, Finalise(judgement=grade, judgement_reason="as seen"))
    return a.id

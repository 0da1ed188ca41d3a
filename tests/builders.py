"""Test data made through the services, in one place: the small test framework
(tests/fixtures/mini.yaml) beside the shipped ones, and drafts and finalised audits on it.

mini: Ofsted scale, thresholds 90/75/50/0; for child_in_need three questions apply - M-01
(critical, N/A not allowed), M-02 (N/A needs a reason), M-03. tests/conftest.py exposes these
as fixtures (`frameworks`, `build`); tests that build data at module level import them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from audit_tui.domain.loader import FrameworkRegistry, load_framework_text
from audit_tui.services import audits
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import AnswerIn, Finalise, NewAudit

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_FILE = FIXTURES / "mini.yaml"
MINI = MINI_FILE.read_text(encoding="utf-8")

AUDIT_DAY = date(2026, 11, 2)
AUDITOR = "Ceri Jones"


def registry_with(
    base: FrameworkRegistry, text: str = MINI, name: str = "mini.yaml"
) -> FrameworkRegistry:
    """`base` and the framework in `text` (mini by default, or a version of it)."""
    fw = load_framework_text(text, name)
    return FrameworkRegistry({**{f.id: f for f in base.all()}, fw.id: fw})


def new_audit(
    ref: str,
    when: date = AUDIT_DAY,
    team: str = "Intake",
    case_type: str = "child_in_need",
    *,
    auditor: str = AUDITOR,
    case_holder: str | None = None,
    framework_id: str = "mini",
) -> NewAudit:
    return NewAudit(
        framework_id=framework_id,
        case_reference=ref,
        case_type=case_type,
        team=team,
        case_holder=case_holder,
        auditor=auditor,
        audit_date=when,
    )


def draft(
    ctx: AppContext,
    ref: str,
    when: date = AUDIT_DAY,
    team: str = "Intake",
    case_type: str = "child_in_need",
    **who: Any,
) -> int:
    """A new draft (`who`: new_audit's auditor, case_holder or framework_id)."""
    return audits.start_audit(ctx, new_audit(ref, when, team, case_type, **who)).id


def answer_all(
    ctx: AppContext,
    audit_id: int,
    answers: dict[str, str],
    *,
    notes: dict[str, str] | None = None,
    na_reasons: dict[str, str] | None = None,
) -> None:
    """Record each answer (with its note and N/A reason, where given), one call each, as
    the walkthrough does."""
    for qid, code in answers.items():
        audits.record_answer(
            ctx,
            audit_id,
            AnswerIn(
                question_id=qid,
                answer=code,
                note=(notes or {}).get(qid),
                na_reason=(na_reasons or {}).get(qid),
            ),
        )


def finalise(
    ctx: AppContext, audit_id: int, judgement: str | None = None, reason: str | None = None
) -> None:
    """Finalise on `judgement`, or on the suggestion (else "good") when None."""
    grade = judgement or audits.review(ctx, audit_id).suggested_judgement or "good"
    audits.finalise(ctx, audit_id, Finalise(judgement=grade, judgement_reason=reason))


def finalised(
    ctx: AppContext,
    ref: str,
    answers: dict[str, str],
    when: date = AUDIT_DAY,
    team: str = "Intake",
    *,
    judgement: str | None = None,
    reason: str | None = None,
    notes: dict[str, str] | None = None,
    na_reasons: dict[str, str] | None = None,
    **fields: Any,
) -> int:
    """A finalised audit with these answers; judged as suggested unless `judgement` is
    given (`fields`: draft's case_type, auditor, case_holder or framework_id)."""
    audit_id = draft(ctx, ref, when, team, **fields)
    answer_all(ctx, audit_id, answers, notes=notes, na_reasons=na_reasons)
    finalise(ctx, audit_id, judgement, reason)
    return audit_id


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
    """A finalised mini audit with these answers (and notes, and a reason for each N/A),
    judged "as seen"."""
    reasons = {q: "not in the period" for q, code in answers.items() if code == "na"}
    return finalised(
        ctx,
        ref,
        answers,
        when,
        team,
        judgement=judgement,
        reason="as seen",
        notes=notes,
        na_reasons=reasons,
    )


@dataclass(frozen=True)
class Builder:
    """The builders bound to one context: what the `build` fixture gives a test."""

    ctx: AppContext

    def draft(self, ref: str, *args: Any, **kw: Any) -> int:
        return draft(self.ctx, ref, *args, **kw)

    def answered_draft(self, ref: str, answers: dict[str, str], *args: Any, **kw: Any) -> int:
        """A draft with these answers recorded, not finalised."""
        audit_id = draft(self.ctx, ref, *args, **kw)
        answer_all(self.ctx, audit_id, answers)
        return audit_id

    def answer_all(self, audit_id: int, answers: dict[str, str], **kw: Any) -> None:
        answer_all(self.ctx, audit_id, answers, **kw)

    def finalised(self, ref: str, answers: dict[str, str], *args: Any, **kw: Any) -> int:
        return finalised(self.ctx, ref, answers, *args, **kw)

"""Practitioner feedback: a short Markdown document for the case-holder about one finalised
audit - the judgement, strengths, areas for development, for every answer short of full marks what
the auditor noted and what good looks like, the agreed actions and the practitioner's
response. Plain text that reads well unrendered too."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from audit_tui.domain import wording
from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.scoring import banded_percent, format_percent
from audit_tui.export.files import place, reason, resolve_target, temp_beside
from audit_tui.services import actions, audits, framework_versions, profiles
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import is_demo
from audit_tui.services.schemas import AnswerOut, AuditDetail

WIDTH = 88
SUFFIXES = (".md", ".txt")


def _para(text: str | None, empty: str = "None recorded.") -> list[str]:
    if not text or not text.strip():
        return [f"_{empty}_"]
    out: list[str] = []
    for block in text.strip().split("\n\n"):
        out.append(textwrap.fill(" ".join(block.split()), WIDTH))
        out.append("")
    return out[:-1]


def _item(label: str, text: str) -> list[str]:
    return textwrap.wrap(f"- {label}: {' '.join(text.split())}", WIDTH, subsequent_indent="  ")


def _long_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _judgement_line(fw: Framework, audit: AuditDetail) -> str:
    label = fw.judgements.label
    counted = audit.counted
    judgement = counted.judgement if counted else audit.judgement
    suggested = counted.suggested_judgement if counted else audit.suggested_judgement
    line = label(judgement)
    extra = []
    if audit.moderated_judgement and audit.moderated_judgement != audit.judgement:
        extra.append(f"after moderation; the auditor judged {label(audit.judgement)}")
    if suggested and suggested != judgement:
        extra.append(f"the scores suggested {label(suggested)}")
    return line + (f" ({'; '.join(extra)})" if extra else "")


def _findings(fw: Framework, answers: dict[str, AnswerOut]) -> list[str]:
    out: list[str] = []
    for section in fw.sections:
        lines: list[str] = []
        for q in section.questions:
            a = answers.get(q.id)
            if a is None or a.points is None or a.points >= 1:
                continue
            option = fw.option(q, a.answer)
            answer = option.label if option else a.answer
            lines += ["", f"#### {q.id} {q.text}", "", f"Answer: **{answer}**", ""]
            if a.note:
                lines += _item("Auditor's note", a.note)
            lines += _item("What good looks like", q.guidance.good)
        if lines:
            out += ["", f"### {section.title}", *lines]
    return out


ACTION_STATUS = {"open": "open", "done": "done", "not_needed": "not needed"}


def _agreed_actions(ctx: AppContext, audit_id: int) -> list[str]:
    """Each action on the audit: what, who, by when and where it stands."""
    found = actions.list_actions(ctx, audit_id=audit_id)
    if not found:
        return [
            "_No actions recorded yet. To be agreed with your manager: what will be done, by "
            "whom and by when, for each area for development above._"
        ]
    out: list[str] = []
    for a in found:
        status = ACTION_STATUS.get(a.status, a.status)
        if a.status == "not_needed" and a.status_reason:
            status += f" ({' '.join(a.status_reason.split())})"
        elif a.overdue:
            status += ", OVERDUE"
        about = f" (question {a.question_id})" if a.question_id else ""
        out += _item(f"Action{about}", a.description)
        more = f"Owner: {a.owner}. Due: {_long_date(a.due_date)}. Status: {status}."
        if a.reaudit_by is not None:
            more += f" The case will be audited again by {_long_date(a.reaudit_by)}."
        out += textwrap.wrap(more, WIDTH, initial_indent="  ", subsequent_indent="  ")
    return out


def _response(audit: AuditDetail) -> list[str]:
    if not audit.practitioner_response:
        return [
            "Do you agree with this audit?  [ ] Agree   [ ] Disagree",
            "",
            "Your comments:",
            "",
        ]
    word = {"agree": "Agree", "disagree": "Disagree"}.get(
        audit.practitioner_response, audit.practitioner_response
    )
    return [
        f"Response recorded: **{word}**",
        "",
        *_para(audit.practitioner_comment, "No comment recorded."),
    ]


def render_feedback(ctx: AppContext, audit_id: int) -> str:
    """The feedback document for a finalised audit, as Markdown."""
    audit = audits.get_audit(ctx, audit_id)
    if audit.status != "finalised":
        raise UserError(f"audit {audit_id} is a draft: finalise it before writing feedback")
    # The audit's own version, never the file on disk now: the document reads the same
    # however the framework has changed since.
    fw = framework_versions.framework(ctx, audit.framework_hash, what=f"audit {audit_id}")
    answers = profiles.counted_answers(ctx, audit_id)
    review = audits.review(ctx, audit_id)
    demo = "DEMO DATA, MADE UP - " if is_demo(ctx) else ""
    out = [
        f"# {demo}Case file audit feedback: {audit.case_reference}",
        "",
        f"- Case reference: {audit.case_reference}",
        f"- Case type: {fw.case_type_label(audit.case_type)}",
        f"- Team: {audit.team}",
        f"- Case-holder: {audit.case_holder or 'not recorded'}",
        f"- Audited by: {audit.auditor} on {_long_date(audit.audit_date)}",
        f"- Framework: {fw.title}, version {audit.framework_version}",
        f"- Judgement: {_judgement_line(fw, audit)}",
        f"- Percent met: {banded_percent(fw, review.percent_met)} "
        f"(of {review.scored_n} questions that applied)",
        "",
        "## Strengths",
        "",
        *_para(audit.strengths),
        "",
        "## Areas for development",
        "",
        *_para(audit.areas_for_development),
        "",
        "## By section",
        "",
        "| Section | Percent met | Questions scored |",
        "|---|---|---|",
        *(
            f"| {s.title} | {format_percent(s.percent_met)} | {s.scored_n} |"
            for s in review.sections
        ),
    ]
    found = _findings(fw, answers)
    out += ["", "## Where the file fell short", ""]
    if found:
        out += [
            textwrap.fill(
                f"Each question answered {wording.short_of_met_words(fw)} (short of full "
                "marks), with the auditor's note and what good looks like.",
                WIDTH,
            ),
            *found,
        ]
    else:
        out.append(f"_Every question that applied was answered {wording.full_marks(fw)}._")
    out += ["", "## Agreed actions", "", *_agreed_actions(ctx, audit_id), ""]
    out += ["## Your response", "", *_response(audit)]
    return "\n".join(out).rstrip() + "\n"


def default_feedback_name(ctx: AppContext, audit_id: int) -> str:
    audit = audits.get_audit(ctx, audit_id)
    ref = "".join(c if c.isalnum() or c in "-_" else "-" for c in audit.case_reference)
    return f"{'DEMO_' if is_demo(ctx) else ''}feedback_{ref}_audit-{audit_id}.md"


def write_feedback(
    ctx: AppContext, audit_id: int, out_path: Path, *, overwrite: bool = False
) -> Path:
    """Write the feedback to `out_path` (a .md or .txt file, or a folder for the default
    name) without replacing an existing file unless `overwrite`. Returns the path."""
    text = render_feedback(ctx, audit_id)
    final, auto = resolve_target(
        out_path, default_feedback_name(ctx, audit_id), SUFFIXES, overwrite=overwrite
    )
    tmp = temp_beside(final)
    try:
        tmp.write_text(text, encoding="utf-8")
        return place(tmp, final, overwrite=overwrite, auto_named=auto)
    except OSError as exc:
        raise UserError(f"{final}: could not be written ({reason(exc)})") from None
    finally:
        tmp.unlink(missing_ok=True)

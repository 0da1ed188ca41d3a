"""Practitioner feedback: a short Markdown document for the case-holder about one finalised
audit - the judgement, strengths, areas for development, for every answer short of full marks what
the auditor noted and what good looks like, the agreed actions and the practitioner's
response. Plain text that reads well unrendered too."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from audit_tui import i18n
from audit_tui.domain import wording
from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.scoring import banded_percent, format_percent
from audit_tui.export.files import place, reason, resolve_target, temp_beside
from audit_tui.export.words import Words
from audit_tui.i18n import N_, _, format_date
from audit_tui.services import actions, audits, framework_versions, profiles
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import is_demo
from audit_tui.services.schemas import AnswerOut, AuditDetail

WIDTH = 88
SUFFIXES = (".md", ".txt")


def _para(text: str | None, empty: str = N_("None recorded.")) -> list[str]:
    if not text or not text.strip():
        return [f"_{_(empty)}_"]
    out: list[str] = []
    for block in text.strip().split("\n\n"):
        out.append(textwrap.fill(" ".join(block.split()), WIDTH))
        out.append("")
    return out[:-1]


def _item(label: str, text: str) -> list[str]:
    return textwrap.wrap(f"- {label}: {' '.join(text.split())}", WIDTH, subsequent_indent="  ")


def _long_date(d: date) -> str:
    return format_date(d)


def _judgement_line(words: Words, audit: AuditDetail) -> str:
    label = words.grade
    counted = audit.counted
    judgement = counted.judgement if counted else audit.judgement
    suggested = counted.suggested_judgement if counted else audit.suggested_judgement
    line = label(judgement)
    extra = []
    if audit.moderated_judgement and audit.moderated_judgement != audit.judgement:
        extra.append(
            _("after moderation; the auditor judged {grade}").format(grade=label(audit.judgement))
        )
    if suggested and suggested != judgement:
        extra.append(_("the scores suggested {grade}").format(grade=label(suggested)))
    return line + (f" ({'; '.join(extra)})" if extra else "")


def _findings(fw: Framework, words: Words, answers: dict[str, AnswerOut]) -> list[str]:
    out: list[str] = []
    for section in fw.sections:
        lines: list[str] = []
        for q in section.questions:
            a = answers.get(q.id)
            if a is None or a.points is None or a.points >= 1:
                continue
            option = fw.option(q, a.answer)
            answer = words.text(option.label) if option else a.answer
            lines += [
                "",
                f"#### {q.id} {words.text(q.text)}",
                "",
                _("Answer: **{answer}**").format(answer=answer),
                "",
            ]
            if a.note:
                lines += _item(_("Auditor's note"), a.note)
            lines += _item(_("What good looks like"), words.text(q.guidance.good))
        if lines:
            out += ["", f"### {words.text(section.title)}", *lines]
    return out


ACTION_STATUS = {"open": N_("open"), "done": N_("done"), "not_needed": N_("not needed")}


def _agreed_actions(ctx: AppContext, audit_id: int) -> list[str]:
    """Each action on the audit: what, who, by when and where it stands."""
    found = actions.list_actions(ctx, audit_id=audit_id)
    if not found:
        return [
            "_"
            + _(
                "No actions recorded yet. To be agreed with your manager: what will be done, "
                "by whom and by when, for each area for development above."
            )
            + "_"
        ]
    out: list[str] = []
    for a in found:
        status = _(ACTION_STATUS[a.status]) if a.status in ACTION_STATUS else a.status
        if a.status == "not_needed" and a.status_reason:
            status += f" ({' '.join(a.status_reason.split())})"
        elif a.overdue:
            status += _(", OVERDUE")
        label = _("Action")
        if a.question_id:
            label = _("Action (question {question})").format(question=a.question_id)
        out += _item(label, a.description)
        more = _("Owner: {owner}. Due: {due}. Status: {status}.").format(
            owner=a.owner, due=_long_date(a.due_date), status=status
        )
        if a.reaudit_by is not None:
            more += " " + _("The case will be audited again by {date}.").format(
                date=_long_date(a.reaudit_by)
            )
        out += textwrap.wrap(more, WIDTH, initial_indent="  ", subsequent_indent="  ")
    return out


def _response(audit: AuditDetail) -> list[str]:
    if not audit.practitioner_response:
        return [
            _("Do you agree with this audit?  [ ] Agree   [ ] Disagree"),
            "",
            _("Your comments:"),
            "",
        ]
    responses = {"agree": N_("Agree"), "disagree": N_("Disagree")}
    response = audit.practitioner_response
    word = _(responses[response]) if response in responses else response
    return [
        _("Response recorded: **{response}**").format(response=word),
        "",
        *_para(audit.practitioner_comment, N_("No comment recorded.")),
    ]


def render_feedback(ctx: AppContext, audit_id: int, *, lang: str | None = None) -> str:
    """The feedback document for a finalised audit, as Markdown, in `lang` (en, cy or cy+en;
    default: the interface language)."""
    with i18n.language(lang or i18n.current()):
        return _render(ctx, audit_id)


def _render(ctx: AppContext, audit_id: int) -> str:
    audit = audits.get_audit(ctx, audit_id)
    if audit.status != "finalised":
        raise UserError(
            _("audit {id} is a draft: finalise it before writing feedback").format(id=audit_id)
        )
    # The audit's own version, never the file on disk now: the document reads the same
    # however the framework has changed since.
    fw = framework_versions.framework(ctx, audit.framework_hash, what=f"audit {audit_id}")
    answers = profiles.counted_answers(ctx, audit_id)
    review = audits.review(ctx, audit_id)
    words = Words(fw, i18n.current())
    # The answers' names in the document's language (the first, in a bilingual one).
    fw_words = fw.in_language("en" if i18n.current() == "en" else "cy")
    demo = _("DEMO DATA, MADE UP - ") if is_demo(ctx) else ""
    case_type = next((ct for ct in fw.case_type_list if ct.id == audit.case_type), None)
    out = [
        "# " + demo + _("Case file audit feedback: {case}").format(case=audit.case_reference),
        "",
        "- " + _("Case reference: {case}").format(case=audit.case_reference),
        "- "
        + _("Case type: {type}").format(
            type=words.text(case_type.label) if case_type else audit.case_type
        ),
        "- " + _("Team: {team}").format(team=audit.team),
        "- " + _("Case-holder: {name}").format(name=audit.case_holder or _("not recorded")),
        "- "
        + _("Audited by: {auditor} on {date}").format(
            auditor=audit.auditor, date=_long_date(audit.audit_date)
        ),
        "- "
        + _("Framework: {title}, version {version}").format(
            title=words.text(fw.title), version=audit.framework_version
        ),
        "- " + _("Judgement: {judgement}").format(judgement=_judgement_line(words, audit)),
        "- "
        + _("Percent met: {percent} (of {n} questions that applied)").format(
            percent=banded_percent(fw, review.percent_met), n=review.scored_n
        ),
        "",
        "## " + _("Strengths"),
        "",
        *_para(audit.strengths),
        "",
        "## " + _("Areas for development"),
        "",
        *_para(audit.areas_for_development),
        "",
        "## " + _("By section"),
        "",
        "| {} | {} | {} |".format(_("Section"), _("Percent met"), _("Questions scored")),
        "|---|---|---|",
        *(
            f"| {words.section(getattr(s, 'section_id', ''), s.title)}"
            f" | {format_percent(s.percent_met)} | {s.scored_n} |"
            for s in review.sections
        ),
    ]
    found = _findings(fw, words, answers)
    out += ["", "## " + _("Where the file fell short"), ""]
    if found:
        out += [
            textwrap.fill(
                _(
                    "Each question answered {answers} (short of full marks), with the auditor's "
                    "note and what good looks like."
                ).format(answers=wording.short_of_met_words(fw_words)),
                WIDTH,
            ),
            *found,
        ]
    else:
        out.append(
            "_"
            + _("Every question that applied was answered {answer}.").format(
                answer=wording.full_marks(fw_words)
            )
            + "_"
        )
    out += ["", "## " + _("Agreed actions"), "", *_agreed_actions(ctx, audit_id), ""]
    out += ["## " + _("Your response"), "", *_response(audit)]
    return "\n".join(out).rstrip() + "\n"


def default_feedback_name(ctx: AppContext, audit_id: int) -> str:
    audit = audits.get_audit(ctx, audit_id)
    ref = "".join(c if c.isalnum() or c in "-_" else "-" for c in audit.case_reference)
    return f"{'DEMO_' if is_demo(ctx) else ''}feedback_{ref}_audit-{audit_id}.md"


def write_feedback(
    ctx: AppContext,
    audit_id: int,
    out_path: Path,
    *,
    overwrite: bool = False,
    lang: str | None = None,
) -> Path:
    """Write the feedback to `out_path` (a .md or .txt file, or a folder for the default
    name) without replacing an existing file unless `overwrite`. Returns the path."""
    text = render_feedback(ctx, audit_id, lang=lang)
    final, auto = resolve_target(
        out_path, default_feedback_name(ctx, audit_id), SUFFIXES, overwrite=overwrite
    )
    tmp = temp_beside(final)
    try:
        tmp.write_text(text, encoding="utf-8")
        return place(tmp, final, overwrite=overwrite, auto_named=auto)
    except OSError as exc:
        raise UserError(
            _("{path}: could not be written ({reason})").format(path=final, reason=reason(exc))
        ) from None
    finally:
        tmp.unlink(missing_ok=True)

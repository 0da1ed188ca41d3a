"""Dialogs for actions: add one (from an answer short of full marks or the whole audit), close
one as not needed, start the re-audit an action asked for."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from audit_tui.domain import wording
from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.i18n import N_, _
from audit_tui.services import actions
from audit_tui.services.actions import ActionOut, NewAction, ReauditIn
from audit_tui.services.schemas import AuditDetail
from audit_tui.ui.bases.form import FormModal, parse_date, parse_optional_date
from audit_tui.ui.format import NOTE_HELP, answer_content
from audit_tui.ui.words import shown_framework

DUE_IN_DAYS = 28  # the default time to put an action right


def actionable(fw: Framework, question: Question, code: str | None) -> bool:
    """Whether an answer can carry an action: one short of full marks (Partly, No)."""
    option = fw.option(question, code) if code is not None else None
    return option is not None and option.kind in actions.ACTIONABLE


def warn_unless_actionable(
    screen: Screen[Any], fw: Framework, question: Question, code: str | None
) -> bool:
    """`actionable`, saying on `screen` why not (and that C adds one for the whole audit)."""
    if actionable(fw, question, code):
        return True
    screen.notify(
        _(
            "An action comes from an answer short of full marks ({answers}); {id} is not one. "
            "C (shift+c) adds an action for the whole audit."
        ).format(answers=wording.short_of_met_words(shown_framework(fw)), id=question.id),
        severity="warning",
    )
    return False


def add_action(
    screen: Screen[Any],
    detail: AuditDetail,
    fw: Framework,
    question: Question | None,
    then: Callable[[], None] | None = None,
) -> None:
    """Open the add-action dialog for `question` (None: the whole audit); once an action is
    added, say so and run `then`."""

    def added(action: ActionOut | None) -> None:
        if action is not None:
            screen.notify(
                _("Action added: due {due}, owner {owner}.").format(
                    due=action.due_date.isoformat(), owner=action.owner
                ),
                title=_("Action"),
            )
            if then is not None:
                then()

    screen.app.push_screen(NewActionModal(detail, fw, question), added)


class NewActionModal(FormModal[ActionOut | None]):
    """What must change, who owns it, by when; optionally a re-audit of the case by a date."""

    TITLE_TEXT = N_("Add an action")
    SAVE_LABEL = N_("Add action")
    # The names of the fields in errors: marked, translated where an error is shown.
    LABELS = {
        "description": N_("What must change"),
        "owner": N_("Owner"),
        "due_date": N_("Due date"),
    }

    def __init__(
        self, detail: AuditDetail, fw: Framework, question: Question | None = None
    ) -> None:
        super().__init__()
        self.detail, self.fw, self.question = detail, fw, question
        self._past_due_seen: str | None = None  # a past due date, already warned about

    def fields(self) -> Iterable[Widget]:
        # The question and its answer in the interface language.
        fw = shown_framework(self.fw)
        q = fw.question(self.question.id) if self.question is not None else None
        if q is not None:
            answer = self.detail.answers.get(q.id)
            yield Static(
                Content.assemble(
                    _("From {id}:").format(id=q.id) + " ",
                    answer_content(fw, q, answer.answer if answer else None),
                ),
                classes="form-info",
            )
            yield Static(q.text, classes="form-info", markup=False)
        else:
            yield Static(
                _("For the audit of {case} as a whole.").format(case=self.detail.case_reference),
                classes="form-info",
            )
        yield self.label(_("What must change - {help}").format(help=_(NOTE_HELP)))
        yield Input(placeholder=_("e.g. Record the risk analysis with JB"), id="act-description")
        yield self.label(_("Owner (who will do it)"))
        yield Input(value=self.detail.case_holder or "", id="act-owner")
        yield self.label(_("Due date (YYYY-MM-DD)"))
        due = self.ctx.today() + timedelta(days=DUE_IN_DAYS)
        yield Input(value=due.isoformat(), id="act-due")
        yield self.label(_("Re-audit the case by (optional, YYYY-MM-DD)"))
        yield Input(placeholder=_("leave blank for no re-audit"), id="act-reaudit")

    def save(self) -> ActionOut:
        new = NewAction(
            audit_id=self.detail.id,
            question_id=self.question.id if self.question else None,
            description=self.value("act-description"),
            owner=self.value("act-owner"),
            due_date=parse_date(self.value("act-due"), _("due date")),
            reaudit_by=parse_optional_date(self.value("act-reaudit"), _("re-audit by")),
        )
        due = new.due_date.isoformat()
        if new.due_date < self.ctx.today() and self._past_due_seen != due:
            # Said once; the same date again means it is meant (an action recorded late).
            self._past_due_seen = due
            raise UserError(
                _(
                    "due date {due} is already past: the action would be OVERDUE at once. "
                    "Change it, or press ctrl+s again to add it as it is"
                ).format(due=due)
            )
        return actions.create_action(self.ctx, new)


class NotNeededModal(FormModal[ActionOut | None]):
    TITLE_TEXT = N_("Close the action as not needed")
    SAVE_LABEL = N_("Not needed")

    def __init__(self, action: ActionOut) -> None:
        super().__init__()
        self.action = action

    def fields(self) -> Iterable[Widget]:
        yield Static(
            f"{self.action.case_reference}: {self.action.description}",
            classes="form-info",
            markup=False,
        )
        yield self.label(_("Why is it not needed? (required, logged)"))
        yield Input(placeholder=_("e.g. case closed"), id="act-reason")

    def save(self) -> ActionOut:
        return actions.mark_not_needed(self.ctx, self.action.id, self.value("act-reason"))


class ReauditModal(FormModal[AuditDetail | None]):
    """Start the re-audit: the case, case type and team come from the first audit."""

    TITLE_TEXT = N_("Start the re-audit")
    SAVE_LABEL = N_("Start re-audit")

    def __init__(self, action: ActionOut, first: AuditDetail) -> None:
        super().__init__()
        self.action, self.first = action, first

    def fields(self) -> Iterable[Widget]:
        a = self.action
        yield Static(
            _(
                "Re-audit of case {case} (first audited {first}, audit {id}), asked for by "
                "{by}. The new audit links back to the first, so the change in grade shows "
                "once it is finalised."
            ).format(
                case=a.case_reference, first=self.first.audit_date, id=a.audit_id, by=a.reaudit_by
            ),
            classes="form-info",
            markup=False,
        )
        yield self.label(_("Auditor"))
        yield Input(value=self.ctx.me, id="re-auditor")
        yield self.label(_("Audit date (YYYY-MM-DD)"))
        yield Input(value=self.ctx.today().isoformat(), id="re-date")
        yield self.label(_("Case-holder"))
        yield Input(value=self.first.case_holder or "", id="re-holder")

    def save(self) -> AuditDetail:
        details = ReauditIn(
            auditor=self.value("re-auditor"),
            audit_date=parse_date(self.value("re-date"), _("audit date")),
            case_holder=self.value("re-holder").strip() or None,
        )
        return actions.start_reaudit(self.ctx, self.action.id, details)

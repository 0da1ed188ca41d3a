"""The moderator's and the agreement's dialogs: submit the blind answers with the moderator's
judgement; choose the agreed answer for one question; record the agreement."""

from __future__ import annotations

import string
from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.i18n import N_, _, ngettext
from audit_tui.services import moderation
from audit_tui.services.moderation import (
    ComparedQuestion,
    Comparison,
    ModerationSummary,
    ModerationView,
)
from audit_tui.services.moderation_schemas import AgreeIn
from audit_tui.ui.bases.dialog import DialogBody, dialog_css
from audit_tui.ui.bases.form import FormModal
from audit_tui.ui.format import NOTE_HELP, option_text, percent
from audit_tui.ui.words import shown_framework

DIFFER = "≠"  # a differing answer or judgement: a symbol, not only a colour


def styled(pattern: str, **fields: str | tuple[str, str]) -> Content:
    """A translated `pattern` with each {field} filled in, a (text, style) field keeping its
    style: the translator may put the fields in any order."""
    parts: list[str | tuple[str, str]] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(pattern):
        if literal:
            parts.append(literal)
        if name is not None:
            parts.append(fields[name])
    return Content.assemble(*parts)


class SubmitModal(FormModal[ModerationSummary | None]):
    """The moderator's own judgement, then submission (which closes the blind answers)."""

    TITLE_TEXT = N_("Submit the moderation")
    SAVE_LABEL = N_("Submit")

    def __init__(self, view: ModerationView, fw: Framework) -> None:
        super().__init__()
        self.view, self.fw = view, fw

    def fields(self) -> Iterable[Widget]:
        v = self.view
        # The grades in the interface language (the codes are what is saved).
        grades = shown_framework(self.fw).judgements.choices
        label = dict(grades)
        missing = v.applicable - v.answered
        answered = (
            _("Your answers: {answered} of {applicable} questions ({missing} still to answer)")
            if missing
            else _("Your answers: {answered} of {applicable} questions")
        )
        yield Static(
            answered.format(answered=v.answered, applicable=v.applicable, missing=missing)
            + " · "
            + _("{percent} met · suggested {grade}").format(
                percent=percent(v.percent_met, fw=self.fw),
                grade=label.get(v.suggested_judgement or "", _("none")),
            ),
            classes="form-info",
            markup=False,
        )
        yield Static(
            _(
                "After submitting, your answers are closed and the first auditor's grading is "
                "shown beside yours."
            ),
            classes="form-info",
        )
        yield self.label(_("Your judgement"))
        yield Select(
            [(text, code) for code, text in grades],
            value=v.moderator_judgement or v.suggested_judgement or Select.NULL,
            prompt=_("Choose your judgement"),
            id="sub-judgement",
        )

    def save(self) -> ModerationSummary:
        judgement = self.value("sub-judgement")
        if not judgement:
            raise UserError(_("choose your judgement"))
        return moderation.submit_moderation(self.ctx, self.view.id, judgement)


class ChooseAnswerModal(ModalScreen[str | None]):
    """The agreed answer for one question: any option of its scale, each marked with who gave
    it."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), key_display="esc")]
    DEFAULT_CSS = dialog_css("ChooseAnswerModal")

    def __init__(self, fw: Framework, row: ComparedQuestion, current: str | None) -> None:
        super().__init__()
        self.fw, self.row, self.current = fw, row, current

    def compose(self) -> ComposeResult:
        q = self.fw.question(self.row.question_id)
        options = []
        for option in self.fw.answer_scale(q).options:
            if option.is_na and not q.na_allowed:
                continue
            by_auditor = option.code == self.row.original
            by_moderator = option.code == self.row.moderator
            who = (
                _("auditor and moderator")
                if by_auditor and by_moderator
                else _("auditor")
                if by_auditor
                else _("moderator")
                if by_moderator
                else ""
            )
            mark = f"  ← {who}" if who else ""
            options.append(Option(f"{option_text(option)}{mark}", id=option.code))
        with DialogBody():
            yield Static(_("Agreed answer for {id}").format(id=q.id), classes="dialog-title")
            yield Static(q.text, markup=False)
            yield OptionList(*options, id="choose-options")

    def on_mount(self) -> None:
        box = self.query_one("#choose-options", OptionList)
        codes = [box.get_option_at_index(i).id for i in range(box.option_count)]
        box.highlighted = codes.index(self.current) if self.current in codes else 0
        box.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AgreeModal(FormModal[Comparison | None]):
    TITLE_TEXT = N_("Record the agreement")
    SAVE_LABEL = N_("Agree")

    def __init__(self, comparison: Comparison, fw: Framework, agreed: dict[str, str]) -> None:
        super().__init__()
        self.comparison, self.fw, self.agreed = comparison, fw, agreed

    def fields(self) -> Iterable[Widget]:
        c, fw = self.comparison, self.fw
        label = fw.judgements.label
        yield Static(
            _("Auditor judged {auditor}, moderator {moderator}.").format(
                auditor=label(c.original_judgement), moderator=label(c.moderator_judgement)
            )
            + " "
            + ngettext(
                "{n} answer agreed where they differed.",
                "{n} answers agreed where they differed.",
                len(self.agreed),
            ).format(n=len(self.agreed)),
            classes="form-info",
            markup=False,
        )
        default = c.original_judgement if not c.judgements_differ else None
        yield self.label(_("Agreed judgement"))
        yield Select(
            [(text, code) for code, text in fw.judgements.choices],
            value=default or Select.NULL,
            prompt=_("Choose the agreed judgement"),
            id="agree-judgement",
        )
        yield self.label(
            _("How was the agreement reached? (required) - {help}").format(help=_(NOTE_HELP))
        )
        yield Input(id="agree-comment")

    def save(self) -> Comparison:
        judgement = self.value("agree-judgement")
        if not judgement:
            raise UserError(_("choose the agreed judgement"))
        return moderation.agree(
            self.ctx,
            self.comparison.moderation_id,
            AgreeIn(
                answers=dict(self.agreed),
                judgement=judgement,
                comment=self.value("agree-comment"),
            ),
        )

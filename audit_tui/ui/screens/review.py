"""Review and finalise: scores per section with n, critical failures, the suggested and the
auditor's judgement, strengths and areas for development, then a confirmation.

A refused finalise lists what is missing; choosing an item goes back to that question.
"""

from __future__ import annotations

import textwrap

from rich.cells import cell_len as cell_width
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.i18n import N_, _, format_number, ngettext, shown_language
from audit_tui.services import audits, framework_versions
from audit_tui.services.audits import FinaliseRefused
from audit_tui.services.context import AppContext
from audit_tui.services.escalation import EscalationStatus
from audit_tui.services.schemas import AuditDetail, Finalise, MissingItem, Review, SummaryIn
from audit_tui.ui.bases.dialog import ConfirmModal
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.dialogs.escalation import EscalationModal
from audit_tui.ui.format import percent
from audit_tui.ui.messages import ReviewOutcome
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.concern_banner import ConcernBanner

# Columns the review's body takes from the screen's width (padding, scroll bar), and the
# narrowest a section title is wrapped to.
TABLE_MARGIN = 4
MIN_TITLE_WIDTH = 16
JUDGEMENT_ITEM = "__judgement__"
CONCERN_ITEM = "__concern__"
CONCERN_WORD = "safeguarding"  # in the service's refusal: that item opens the escalation
CONCERN_MISSING = N_("a safeguarding concern is open: record the escalation first")
CHOOSE_JUDGEMENT = N_("choose your judgement")


class ReviewScreen(AuditScreen[ReviewOutcome | None]):
    """Dismisses with how the review closed: finalised, back to a question, or just back."""

    HELP_TITLE = N_("Review and finalise")
    # Focus starts at the top (the scores), not on a field further down the page.
    AUTO_FOCUS = "#rv-sections"
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    #rv-body { padding: 0 1; }
    #rv-overall { padding: 1 1 0 1; height: auto; }
    #rv-sections { height: auto; margin: 1 0 0 0; }
    #rv-critical { padding: 1 1 0 1; height: auto; }
    #rv-missing-box { height: auto; margin: 1 0 0 0; }
    #rv-missing { height: auto; max-height: 10; }
    #rv-form { height: auto; margin: 1 0 0 0; }
    #rv-form Select, #rv-form Input { width: 70; max-width: 100%; }
    #rv-form TextArea { height: 5; }
    """
    BINDINGS = [
        Binding("ctrl+f", "finalise", N_("Finalise")),
        Binding(
            "exclamation_mark", "concern", N_("Safeguarding concern"), key_display="!", show=False
        ),
        Binding("escape", "back", N_("Back to questions"), key_display="esc"),
    ]

    def __init__(self, detail: AuditDetail, fw: Framework, review: Review) -> None:
        super().__init__()
        self.audit_id = detail.id
        self.detail, self.framework_read, self.review = detail, fw, review
        self._shown: tuple[str, Framework] | None = None

    @property
    def fw(self) -> Framework:
        """The framework as the interface language shows it (made again after a switch)."""
        lang = shown_language()
        if self._shown is None or self._shown[0] != lang:
            self._shown = (lang, self.framework_read.shown_in(lang))
        return self._shown[1]

    @classmethod
    def load(cls, ctx: AppContext, audit_id: int) -> ReviewScreen:
        detail = audits.get_audit(ctx, audit_id)
        fw = framework_versions.framework(ctx, detail.framework_hash)
        return cls(detail, fw, audits.review(ctx, audit_id))

    def compose(self) -> ComposeResult:
        rv, fw = self.review, self.fw
        yield AppHeader()
        with VerticalScroll(id="rv-body"):
            yield ConcernBanner(id="rv-concern")
            yield Static(id="rv-overall")
            yield DataTable(id="rv-sections", cursor_type="none", zebra_stripes=True)
            yield Static(id="rv-critical")
            with Vertical(id="rv-missing-box"):
                yield Static(id="rv-missing-title", classes="panel-title")
                yield OptionList(id="rv-missing")
            with Vertical(id="rv-form"):
                yield Label(_("Your judgement"), classes="field-label")
                yield Select(
                    [(label, code) for code, label in fw.judgements.choices],
                    value=rv.suggested_judgement or Select.NULL,
                    prompt=_("Choose your judgement"),
                    id="rv-judgement",
                )
                yield Label("", id="rv-reason-label", classes="field-label")
                yield Input(
                    value=self.detail.judgement_reason or "",
                    placeholder=_("Why your judgement differs from the suggestion"),
                    id="rv-reason",
                )
                yield Label(_("Strengths"), classes="field-label")
                yield TextArea(self.detail.strengths or "", id="rv-strengths")
                yield Label(_("Areas for development"), classes="field-label")
                yield TextArea(self.detail.areas_for_development or "", id="rv-areas")
                yield Static("", id="rv-error", classes="field-error", markup=False)
                with Horizontal(classes="form-buttons"):
                    yield Button(_("Back (esc)"), id="rv-back")
                    yield Button(_("Finalise (ctrl+f)"), id="rv-finalise", variant="primary")
        yield AppFooter()

    def on_mount(self) -> None:
        d = self.detail
        self.title = _("Review {case}").format(case=d.case_reference)
        self.sub_title = f"{self.fw.case_type_label(d.case_type)} · {d.team} · {self.fw.title}"
        table = self.query_one("#rv-sections", DataTable)
        # Narrow figures first, the section title last; which critical questions failed is
        # listed in full below the table ("! Crit" counts them).
        table.add_columns(_("Answered"), _("% met (n)"), _("! Crit"), _("Section"))
        self._show_review()
        self._show_reason_label()
        self._show_concern()
        # Focusing the table scrolls it into view; the overall line above it should show too.
        self.call_after_refresh(
            self.query_one("#rv-body", VerticalScroll).scroll_home, animate=False
        )

    def _show_review(self) -> None:
        rv, fw = self.review, self.fw
        suggested = fw.judgements.label(rv.suggested_judgement)
        self.query_one("#rv-overall", Static).update(
            Content.assemble(
                (_("Overall") + " ", "bold"),
                (percent(rv.percent_met, fw=fw), "bold"),
                " ",
                ngettext(
                    "met (n={n} scored answer)", "met (n={n} scored answers)", rv.scored_n
                ).format(n=format_number(rv.scored_n)),
                " · ",
                _("Suggested judgement:") + " ",
                (suggested, "bold"),
            )
        )
        table = self.query_one("#rv-sections", DataTable)
        table.clear()
        # The service's section titles are the framework's English: shown in the language.
        titles = {section.id: str(section.title) for section in fw.sections}
        rows = []
        for s in rv.sections:
            done = f"{s.answered}/{s.applicable}" + (" ✓" if s.answered == s.applicable else "")
            crit = f"✗ {len(s.critical_failures)}" if s.critical_failures else "-"
            rows.append((done, percent(s.percent_met, s.scored_n), crit))
        # A section title longer than the room the figures leave (Welsh titles are longer)
        # wraps in its row rather than pushing the table off the screen.
        headings = [str(column.label) for column in table.ordered_columns[:3]]
        used = sum(
            max(cell_width(h), *(cell_width(r[i]) for r in rows)) + 2
            for i, h in enumerate(headings)
        )
        room = max(self.app.size.width - TABLE_MARGIN - used - 2, MIN_TITLE_WIDTH)
        for s, row in zip(rv.sections, rows, strict=True):
            title = titles.get(s.section_id, s.title)
            table.add_row(*row, "\n".join(textwrap.wrap(title, room)) or title, height=None)
        critical = self.query_one("#rv-critical", Static)
        if rv.critical_failures:
            lines = [
                Content.assemble(
                    ("! " + _("Critical failures"), "bold $text-error"),
                    " ",
                    _("(each caps the suggestion: {grades}):").format(grades=self._caps()),
                )
            ]
            for qid in rv.critical_failures:
                lines.append(Content(f"  ✗ {qid} {self.fw.question(qid).text}"))
            critical.update(Content("\n").join(lines))
        else:
            critical.update(_("No critical failures."))
        self._show_missing(rv.missing)

    def _caps(self) -> str:
        """The grades the audit's critical failures cap the suggestion at."""
        fw = self.fw
        caps = [
            fw.judgements.label(fw.question(qid).critical_cap or fw.critical_cap)
            for qid in self.review.critical_failures
        ]
        return _(" or ").join(dict.fromkeys(caps))

    def _show_missing(self, missing: list[MissingItem]) -> None:
        title = self.query_one("#rv-missing-title", Static)
        options = self.query_one("#rv-missing", OptionList)
        options.clear_options()
        if not missing:
            title.update(_("Nothing missing: every applicable question is answered."))
            options.display = False
            return
        title.update(
            Content.assemble(
                (_("Still missing ({n})").format(n=len(missing)), "bold $text-warning"),
                ("  " + _("Enter on an item goes to it"), "$text-muted"),
            )
        )
        for i, m in enumerate(missing):
            if m.question_id and self.fw.has_question(m.question_id):
                text = self.fw.question(m.question_id).text
                options.add_option(
                    Option(f"✗ {m.question_id} {m.problem}: {text}", id=m.question_id)
                )
            elif m.problem == CONCERN_MISSING:
                options.add_option(Option(f"✗ {_(m.problem)}", id=CONCERN_ITEM))
            else:
                # The screen's own problems are marked with N_; the service's are its words.
                options.add_option(Option(f"✗ {_(m.problem)}", id=f"{JUDGEMENT_ITEM}{i}"))
        options.display = True
        options.highlighted = 0

    def _show_reason_label(self) -> None:
        chosen = self.query_one("#rv-judgement", Select).value
        suggested = self.review.suggested_judgement
        label = self.query_one("#rv-reason-label", Label)
        if chosen is not Select.NULL and suggested and chosen != suggested:
            label.update(
                _("Reason - required: your judgement differs from the suggested {grade}").format(
                    grade=self.fw.judgements.label(suggested)
                )
            )
        else:
            label.update(
                _("Reason (required only when your judgement differs from the suggestion)")
            )

    # --- events -----------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        self._show_reason_label()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id == CONCERN_ITEM or CONCERN_WORD in str(event.option.prompt):
            self.action_concern()
            return
        if option_id.startswith(JUDGEMENT_ITEM):
            reason_needed = "reason" in str(event.option.prompt)  # the service's words
            self.query_one("#rv-reason" if reason_needed else "#rv-judgement").focus()
            return
        self._save_summary()
        self.dismiss(ReviewOutcome(go_to=option_id))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "rv-finalise":
            self.action_finalise()
        elif event.button.id == "rv-back":
            self.action_back()

    # --- actions ----------------------------------------------------------------------

    def _save_summary(self) -> None:
        try:
            audits.update_summary(
                self.ctx,
                self.audit_id,
                SummaryIn(
                    strengths=self.query_one("#rv-strengths", TextArea).text,
                    areas_for_development=self.query_one("#rv-areas", TextArea).text,
                ),
            )
        except UserError as exc:
            self.notify(str(exc), severity="error")

    def action_back(self) -> None:
        self._save_summary()
        self.dismiss(None)

    def _finalise_data(self) -> Finalise | None:
        judgement = self.query_one("#rv-judgement", Select).value
        if judgement is Select.NULL:
            return None
        return Finalise(
            judgement=str(judgement),
            judgement_reason=self.query_one("#rv-reason", Input).value,
            strengths=self.query_one("#rv-strengths", TextArea).text,
            areas_for_development=self.query_one("#rv-areas", TextArea).text,
        )

    def action_finalise(self) -> None:
        self._save_summary()
        self.review = audits.review(self.ctx, self.audit_id)
        self._show_review()
        data = self._finalise_data()
        concern = self._show_concern()
        unescalated = concern.state == "not_escalated"
        if data is None:
            self._refused(
                [
                    *self.review.missing,
                    MissingItem(question_id=None, problem=CHOOSE_JUDGEMENT),
                    *(
                        [MissingItem(question_id=None, problem=CONCERN_MISSING)]
                        if unescalated
                        else []
                    ),
                ]
            )
            return
        if self.review.missing or unescalated:
            # It will be refused: let the service say exactly what is missing.
            self._try_finalise(data)
            return
        label = self.fw.judgements.label(data.judgement)
        self.app.push_screen(
            ConfirmModal(
                _("Finalise this audit?"),
                _("Case {case}, judgement {grade}.").format(
                    case=self.detail.case_reference, grade=label
                )
                + "\n\n"
                + _(
                    "A finalised audit is locked: changing it later needs an amendment with a "
                    "reason, which is logged."
                ),
                yes=_("Finalise"),
            ),
            lambda ok: self._try_finalise(data) if ok else None,
        )

    def action_concern(self) -> None:
        def done(status: EscalationStatus | None) -> None:
            self._show_concern()
            if status is not None and status.state != "not_escalated":
                # The concern no longer blocks finalising: drop it from the missing list.
                self.review = audits.review(self.ctx, self.audit_id)
                self._show_missing(self.review.missing)
                error = self.query_one("#rv-error", Static)
                error.update("")
                error.display = False

        self.app.push_screen(EscalationModal.for_audit(self.ctx, self.audit_id), done)

    def _show_concern(self) -> EscalationStatus:
        return self.query_one("#rv-concern", ConcernBanner).show_for(self.ctx, self.audit_id)

    def _try_finalise(self, data: Finalise) -> None:
        error = self.query_one("#rv-error", Static)
        try:
            detail = audits.finalise(self.ctx, self.audit_id, data)
        except FinaliseRefused as exc:
            self._refused(exc.missing)
            return
        except UserError as exc:
            error.update(f"✗ {exc}")
            error.display = True
            return
        error.update("")
        error.display = False
        self.notify(
            _("Audit {case} finalised: {grade}.").format(
                case=detail.case_reference, grade=self.fw.judgements.label(detail.judgement)
            ),
            title=_("Finalised"),
        )
        self.dismiss(ReviewOutcome(finalised=True))

    def _refused(self, missing: list[MissingItem]) -> None:
        self._show_missing(missing)
        error = self.query_one("#rv-error", Static)
        n = len(missing)
        error.update(
            "✗ "
            + ngettext(
                "Not finalised: {n} item missing - listed under 'Still missing'.",
                "Not finalised: {n} items missing - listed under 'Still missing'.",
                n,
            ).format(n=n)
        )
        error.display = True
        self.notify(
            ngettext(
                "Not finalised: {n} item missing.", "Not finalised: {n} items missing.", n
            ).format(n=n),
            severity="warning",
            title=_("Finalise"),
        )
        box = self.query_one("#rv-missing", OptionList)
        box.focus()
        box.scroll_visible()

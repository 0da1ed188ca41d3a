"""Review and finalise: scores per section with n, critical failures, the suggested and the
auditor's judgement, strengths and areas for development, then a confirmation.

A refused finalise lists what is missing; choosing an item goes back to that question.
"""

from __future__ import annotations

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

JUDGEMENT_ITEM = "__judgement__"
CONCERN_WORD = "safeguarding"  # in the service's refusal: that item opens the escalation
CONCERN_MISSING = "a safeguarding concern is open: record the escalation first"


class ReviewScreen(AuditScreen[ReviewOutcome | None]):
    """Dismisses with how the review closed: finalised, back to a question, or just back."""

    HELP_TITLE = "Review and finalise"
    # Focus starts at the top (the scores), not on a field further down the page.
    AUTO_FOCUS = "#rv-sections"
    BINDINGS = [
        Binding("ctrl+f", "finalise", "Finalise"),
        Binding("exclamation_mark", "concern", "Safeguarding concern", key_display="!", show=False),
        Binding("escape", "back", "Back to questions", key_display="esc"),
    ]

    def __init__(self, detail: AuditDetail, fw: Framework, review: Review) -> None:
        super().__init__()
        self.audit_id = detail.id
        self.detail, self.fw, self.review = detail, fw, review

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
                yield Label("Your judgement", classes="field-label")
                yield Select(
                    [(label, code) for code, label in fw.judgements.choices],
                    value=rv.suggested_judgement or Select.NULL,
                    prompt="Choose your judgement",
                    id="rv-judgement",
                )
                yield Label("", id="rv-reason-label", classes="field-label")
                yield Input(
                    value=self.detail.judgement_reason or "",
                    placeholder="Why your judgement differs from the suggestion",
                    id="rv-reason",
                )
                yield Label("Strengths", classes="field-label")
                yield TextArea(self.detail.strengths or "", id="rv-strengths")
                yield Label("Areas for development", classes="field-label")
                yield TextArea(self.detail.areas_for_development or "", id="rv-areas")
                yield Static("", id="rv-error", classes="field-error", markup=False)
                with Horizontal(classes="form-buttons"):
                    yield Button("Back (esc)", id="rv-back")
                    yield Button("Finalise (ctrl+f)", id="rv-finalise", variant="primary")
        yield AppFooter()

    def on_mount(self) -> None:
        d = self.detail
        self.title = f"Review {d.case_reference}"
        self.sub_title = f"{self.fw.case_type_label(d.case_type)} · {d.team} · {self.fw.title}"
        table = self.query_one("#rv-sections", DataTable)
        # Narrow figures first, the section title last; which critical questions failed is
        # listed in full below the table ("! Crit" counts them).
        table.add_columns("Answered", "% met (n)", "! Crit", "Section")
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
                ("Overall ", "bold"),
                (percent(rv.percent_met, fw=fw), "bold"),
                f" met (n={rv.scored_n} scored answers) · Suggested judgement: ",
                (suggested, "bold"),
            )
        )
        table = self.query_one("#rv-sections", DataTable)
        table.clear()
        for s in rv.sections:
            done = f"{s.answered}/{s.applicable}" + (" ✓" if s.answered == s.applicable else "")
            crit = f"✗ {len(s.critical_failures)}" if s.critical_failures else "-"
            table.add_row(done, percent(s.percent_met, s.scored_n), crit, s.title)
        critical = self.query_one("#rv-critical", Static)
        if rv.critical_failures:
            lines = [
                Content.assemble(
                    ("! Critical failures", "bold $text-error"),
                    f" (each caps the suggestion: {self._caps()}):",
                )
            ]
            for qid in rv.critical_failures:
                lines.append(Content(f"  ✗ {qid} {self.fw.question(qid).text}"))
            critical.update(Content("\n").join(lines))
        else:
            critical.update("No critical failures.")
        self._show_missing(rv.missing)

    def _caps(self) -> str:
        """The grades the audit's critical failures cap the suggestion at."""
        fw = self.fw
        caps = [
            fw.judgements.label(fw.question(qid).critical_cap or fw.critical_cap)
            for qid in self.review.critical_failures
        ]
        return " or ".join(dict.fromkeys(caps))

    def _show_missing(self, missing: list[MissingItem]) -> None:
        title = self.query_one("#rv-missing-title", Static)
        options = self.query_one("#rv-missing", OptionList)
        options.clear_options()
        if not missing:
            title.update("Nothing missing: every applicable question is answered.")
            options.display = False
            return
        title.update(
            Content.assemble(
                (f"Still missing ({len(missing)})", "bold $text-warning"),
                ("  Enter on an item goes to it", "$text-muted"),
            )
        )
        for i, m in enumerate(missing):
            if m.question_id and self.fw.has_question(m.question_id):
                text = self.fw.question(m.question_id).text
                options.add_option(
                    Option(f"✗ {m.question_id} {m.problem}: {text}", id=m.question_id)
                )
            else:
                options.add_option(Option(f"✗ {m.problem}", id=f"{JUDGEMENT_ITEM}{i}"))
        options.display = True
        options.highlighted = 0

    def _show_reason_label(self) -> None:
        chosen = self.query_one("#rv-judgement", Select).value
        suggested = self.review.suggested_judgement
        label = self.query_one("#rv-reason-label", Label)
        if chosen is not Select.NULL and suggested and chosen != suggested:
            label.update(
                f"Reason - required: your judgement differs from the suggested "
                f"{self.fw.judgements.label(suggested)}"
            )
        else:
            label.update("Reason (required only when your judgement differs from the suggestion)")

    # --- events -----------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        self._show_reason_label()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if CONCERN_WORD in str(event.option.prompt):
            self.action_concern()
            return
        if option_id.startswith(JUDGEMENT_ITEM):
            reason_needed = "reason" in str(event.option.prompt)
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
                    MissingItem(question_id=None, problem="choose your judgement"),
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
                "Finalise this audit?",
                f"Case {self.detail.case_reference}, judgement {label}.\n\n"
                "A finalised audit is locked: changing it later needs an amendment with a "
                "reason, which is logged.",
                yes="Finalise",
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
            f"Audit {detail.case_reference} finalised: "
            f"{self.fw.judgements.label(detail.judgement)}.",
            title="Finalised",
        )
        self.dismiss(ReviewOutcome(finalised=True))

    def _refused(self, missing: list[MissingItem]) -> None:
        self._show_missing(missing)
        error = self.query_one("#rv-error", Static)
        error.update(
            f"✗ Not finalised: {len(missing)} item(s) missing - listed under 'Still missing'."
        )
        error.display = True
        self.notify(
            f"Not finalised: {len(missing)} item(s) missing.", severity="warning", title="Finalise"
        )
        box = self.query_one("#rv-missing", OptionList)
        box.focus()
        box.scroll_visible()

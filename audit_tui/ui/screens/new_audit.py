"""New audit: which framework, which case file, whose, by whom, when. Validated inline.

Opened from the audit programme with an assigned case, the form comes pre-filled and the audit
it starts is linked to the round (as long as the case reference is left as assigned).
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from audit_tui.domain.errors import UserError
from audit_tui.domain.messages import plain_error
from audit_tui.i18n import N_, _
from audit_tui.services import audits, directory, framework_choice
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import DemoDatabaseRefused, is_demo
from audit_tui.services.programme import AssignedCase
from audit_tui.services.schemas import NewAudit
from audit_tui.ui import messages
from audit_tui.ui.bases.dialog import ConfirmModal, GuardTyped
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.dialogs.prompts import TextPromptModal
from audit_tui.ui.format import CASE_REF_HELP, shown
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader

# The same rule as the service schema, said in words.
CASE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$")
CASE_REF_RULE = N_(
    "use 1-64 letters, digits and - _ . / only, starting with a letter or digit "
    "(no spaces, no names)"
)
FIELDS = ("framework", "case_reference", "case_type", "team", "case_holder", "auditor", "date")
LABELS = {
    "framework_id": N_("Framework"),
    "case_reference": N_("Case reference"),
    "case_type": N_("Case type"),
    "team": N_("Team"),
    "case_holder": N_("Case-holder"),
    "auditor": N_("Auditor"),
    "audit_date": N_("Audit date"),
}


def problem(field: str, what: str) -> str:
    """'Case reference: choose one': the field's label and what is wrong, translated."""
    return _("{field}: {problem}").format(field=_(LABELS[field]), problem=what)


class NewAuditScreen(GuardTyped, AuditScreen[None]):
    HELP_TITLE = N_("New audit")
    AUTO_FOCUS = "#case_reference"
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    #new-audit { padding: 0 2; }
    #new-audit Input, #new-audit Select { width: 60; max-width: 100%; }
    #team-row { height: auto; }
    #team-row Select { width: 1fr; max-width: 46; }
    #team-row Button { margin: 0 0 0 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "start", N_("Start audit")),
        Binding("ctrl+t", "add_team", N_("Add team")),
        Binding("escape", "cancel", N_("Cancel"), key_display="esc"),
    ]

    def __init__(
        self, prefill: NewAudit | None = None, assigned: AssignedCase | None = None
    ) -> None:
        super().__init__()
        self.prefill = prefill
        self.assigned = assigned

    @classmethod
    def load(cls, ctx: AppContext, prefill: NewAudit | AssignedCase | None) -> NewAuditScreen:
        """The form, filled from `prefill`; an assigned case (the programme) links the audit to
        its round. UserError: the case's framework is not installed."""
        if not isinstance(prefill, AssignedCase):
            return cls(prefill)
        if prefill.framework_id not in ctx.frameworks:
            raise UserError(
                _("framework '{framework}' is not installed").format(framework=prefill.framework_id)
            )
        return cls(prefill.new_audit(ctx.today()), prefill)

    def compose(self) -> ComposeResult:
        ctx = self.ctx
        pre = self.prefill
        frameworks = framework_choice.offered(ctx, also=pre.framework_id if pre else None)
        default_fw = framework_choice.preferred(ctx, frameworks)
        if pre is not None and pre.framework_id in ctx.frameworks:
            default_fw = pre.framework_id
        # You: the session's identity, never whoever started the last audit.
        auditor = pre.auditor if pre is not None else ctx.me
        yield AppHeader()
        with VerticalScroll(id="new-audit"):
            yield Static(_("Start an audit"), classes="form-title")
            if self.assigned is not None:
                a = self.assigned
                yield Static(
                    _(
                        "Assigned in {round} (due {due}): starting it marks the case as "
                        "started in the programme."
                    ).format(round=a.round_name, due=a.due_date.isoformat()),
                    id="round-note",
                    classes="field-help",
                    markup=False,
                )
            yield from self._field(
                "framework",
                _("Framework"),
                Select(
                    [(f"{shown(f.title)} (v{f.version})", f.id) for f in frameworks],
                    value=default_fw if default_fw else Select.NULL,
                    allow_blank=False,
                    id="framework",
                ),
            )
            yield from self._field(
                "case_reference",
                _("Case reference"),
                Input(
                    value=pre.case_reference if pre is not None else "",
                    placeholder=_("e.g. CP-2026-0412"),
                    id="case_reference",
                    max_length=64,
                ),
                help_text=_(CASE_REF_HELP),
            )
            yield from self._field(
                "case_type",
                _("Case type"),
                Select([], prompt=_("Choose the case type"), id="case_type"),
            )
            with Vertical(classes="field", id="field-team"):
                yield Label(_("Team"), classes="field-label")
                with Horizontal(id="team-row"):
                    yield Select([], prompt=_("Choose a team"), id="team")
                    yield Button(_("Add team (ctrl+t)"), id="add-team")
                yield Static("", classes="field-error", id="error-team", markup=False)
            yield from self._field(
                "case_holder",
                _("Case-holder (optional)"),
                Input(
                    value=(pre.case_holder or "") if pre is not None else "",
                    placeholder=_("The allocated worker"),
                    id="case_holder",
                ),
            )
            yield from self._field(
                "auditor",
                _("Auditor (you, unless you record a colleague's audit)"),
                Input(value=auditor, placeholder=_("Your name"), id="auditor"),
            )
            yield from self._field(
                "date",
                _("Audit date"),
                Input(
                    value=(pre.audit_date if pre is not None else ctx.today()).isoformat(),
                    placeholder="YYYY-MM-DD",  # not translated: the format typed
                    id="date",
                ),
                help_text=_("The date you audit the file, as YYYY-MM-DD."),
            )
            yield Static("", classes="field-error", id="error-form", markup=False)
            with Horizontal(classes="form-buttons"):
                yield Button(_("Cancel (esc)"), id="cancel")
                yield Button(_("Start audit (ctrl+s)"), id="start", variant="primary")
        yield AppFooter()

    def _field(
        self, name: str, label: str, widget: Input | Select[str], help_text: str | None = None
    ) -> ComposeResult:
        with Vertical(classes="field", id=f"field-{name}"):
            yield Label(label, classes="field-label")
            yield widget
            if help_text:
                yield Static(help_text, classes="field-help", markup=False)
            yield Static("", classes="field-error", id=f"error-{name}", markup=False)

    def on_mount(self) -> None:
        self.title = _("New audit")
        self.sub_title = _("no child's name anywhere: a case reference only")
        self._load_case_types()
        self.call_after_refresh(self.remember_typed)
        pre = self.prefill
        if pre is None:
            self._load_teams()
            return
        # Pre-filled: Enter starts it (set now, so AUTO_FOCUS leaves it there).
        self.set_focus(self.query_one("#start", Button))
        fw_id = self._value("#framework")
        if (
            fw_id in self.ctx.frameworks
            and pre.case_type in self.ctx.frameworks.get(fw_id).case_type_codes
        ):
            self.query_one("#case_type", Select).value = pre.case_type
        known = {
            t.name for t in directory.list_teams(self.ctx) if is_demo(self.ctx) or not t.is_demo
        }
        self._load_teams(choose=pre.team if pre.team in known else None)

    # --- choices ----------------------------------------------------------------------

    def _load_case_types(self) -> None:
        ctx = self.ctx
        fw_id = self.query_one("#framework", Select).value
        select = self.query_one("#case_type", Select)
        if not isinstance(fw_id, str) or fw_id not in ctx.frameworks:
            select.set_options([])
            return
        fw = ctx.frameworks.get(fw_id)
        previous = select.value
        select.set_options([(shown(ct.label), ct.id) for ct in fw.case_type_list])
        if previous in fw.case_type_codes:
            select.value = previous
        elif len(fw.case_type_codes) == 1:
            select.value = fw.case_type_codes[0]

    def _load_teams(self, choose: str | None = None) -> None:
        ctx = self.ctx
        # A real audit is never filed under a demo team (a database that once took demo data).
        demo = is_demo(ctx)
        teams = [t for t in directory.list_teams(ctx) if demo or not t.is_demo]
        select = self.query_one("#team", Select)
        select.set_options([(t.name, t.name) for t in teams])
        if choose:
            select.value = choose
        elif len(teams) == 1:
            select.value = teams[0].name
        select.prompt = _("Choose a team") if teams else _("No teams yet: add one (ctrl+t)")

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "framework":
            self._load_case_types()
        self._error(str(event.select.id), "")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "case_reference":
            value = event.value.strip()
            self._error(
                "case_reference",
                ""
                if not value or CASE_REF.match(value)
                else problem("case_reference", _(CASE_REF_RULE)),
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter in a field moves on; Enter in the last one starts the audit.
        if event.input.id == "date":
            self.action_start()
        else:
            self.focus_next()

    # --- actions ----------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        elif event.button.id == "cancel":
            self.action_cancel()
        elif event.button.id == "add-team":
            self.action_add_team()

    def action_cancel(self) -> None:
        self.leave(lambda: self.dismiss(None))

    def action_add_team(self) -> None:
        ctx = self.ctx

        def submit(name: str) -> str:
            return directory.add_team(ctx, name).name

        def added(name: str | None) -> None:
            if name:
                self._load_teams(choose=name)
                self._error("team", "")
                self.notify(_("Team '{name}' added.").format(name=name))
                self.query_one("#case_holder", Input).focus()

        self.app.push_screen(
            TextPromptModal(
                _("Add a team"),
                _("Team name (as it appears in your service structure)"),
                submit,
                placeholder=_("e.g. Safeguarding Team North"),
            ),
            added,
        )

    def _error(self, name: str, message: str) -> None:
        error = self.query_one(f"#error-{name}", Static)
        error.update(f"✗ {message}" if message else "")
        error.display = bool(message)

    def _value(self, select_id: str) -> str:
        value = self.query_one(select_id, Select).value
        return "" if value is Select.NULL else str(value)

    def _collect(self) -> tuple[dict[str, str], dict[str, object]]:
        errors: dict[str, str] = {}
        ref = self.query_one("#case_reference", Input).value.strip()
        if not ref:
            errors["case_reference"] = problem(
                "case_reference", _("enter the reference from the case system")
            )
        elif not CASE_REF.match(ref):
            errors["case_reference"] = problem("case_reference", _(CASE_REF_RULE))
        if not self._value("#framework"):
            errors["framework"] = problem("framework_id", _("choose one"))
        if not self._value("#case_type"):
            errors["case_type"] = problem("case_type", _("choose one"))
        if not self._value("#team"):
            errors["team"] = problem("team", _("choose one, or add one with ctrl+t"))
        auditor = self.query_one("#auditor", Input).value.strip()
        if not auditor:
            errors["auditor"] = problem("auditor", _("enter your name"))
        text = self.query_one("#date", Input).value.strip()
        audit_date: date | None = None
        try:
            audit_date = date.fromisoformat(text)
        except ValueError:
            errors["date"] = problem(
                "audit_date", _("'{text}' is not a date written YYYY-MM-DD").format(text=text)
            )
        ctx = self.ctx
        if audit_date is not None and audit_date > ctx.today():
            errors["date"] = problem("audit_date", _("cannot be in the future"))
        values: dict[str, object] = {
            "framework_id": self._value("#framework"),
            "case_reference": ref,
            "case_type": self._value("#case_type"),
            "team": self._value("#team"),
            "case_holder": self.query_one("#case_holder", Input).value.strip() or None,
            "auditor": auditor,
            "audit_date": audit_date,
        }
        pre = self.prefill
        # The assignment is for this case file: keep the link only while the reference is its.
        if (
            pre is not None
            and pre.round_case_id is not None
            and ref.lower() == pre.case_reference.lower()
        ):
            values["round_case_id"] = pre.round_case_id
        return errors, values

    def action_start(self) -> None:
        errors, values = self._collect()
        for name in FIELDS:
            self._error(name, errors.get(name, ""))
        self._error("form", "")
        if errors:
            first = next(n for n in FIELDS if n in errors)
            self.query_one(f"#field-{first}").scroll_visible()
            self.notify(_("Some fields need attention."), severity="warning")
            return
        ctx = self.ctx
        try:
            new = NewAudit.model_validate(values)
            detail = audits.start_audit(ctx, new)
        except ValidationError as exc:
            err = exc.errors()[0]
            name = str(err["loc"][0]) if err["loc"] else "form"
            field = {"framework_id": "framework", "audit_date": "date"}.get(name, name)
            labels = {name: _(label) for name, label in LABELS.items()}
            self._error(field if field in FIELDS else "form", plain_error(exc, labels))
            return
        except DemoDatabaseRefused as exc:
            self._confirm_demo(str(exc))
            return
        except UserError as exc:
            self._error("form", str(exc))
            return
        self.post_message(messages.OpenAudit(detail.id, replace=True))

    def _confirm_demo(self, why: str) -> None:
        """In the demo database: say so, and go on only if the user means to practise."""

        def answered(practise: bool | None) -> None:
            if practise:
                self.ctx.demo_confirmed = True
                self.action_start()

        self.app.push_screen(
            ConfirmModal(
                _("This is the demo database"),
                _(
                    "{why}. Start this audit here anyway, as practice? It will be marked as "
                    "demo data."
                ).format(why=why),
                yes=_("Practise here"),
                no=_("Cancel"),
            ),
            answered,
        )

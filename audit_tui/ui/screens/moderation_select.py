"""Choose finalised audits for moderation: marked in a list, typed as ids, or a random share
of each auditor's (or team's) audits with a seed, so the pick can be repeated.

The list shows no grades: the QA lead choosing may be the moderator, who must stay blind.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from audit_tui import i18n
from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.i18n import N_, _
from audit_tui.services import audits, framework_versions, moderation
from audit_tui.services.moderation import ModerationSelection, SelectionResult
from audit_tui.services.schemas import AuditSummary
from audit_tui.ui.bases.dialog import GuardTyped
from audit_tui.ui.bases.form import first_error
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.tables import Col, fill_table, table_room

MARKED = "✓"


def parse_ids(text: str) -> list[int]:
    ids = []
    for part in text.replace(",", " ").split():
        try:
            ids.append(int(part))
        except ValueError:
            raise UserError(
                _("audit ids: '{value}' is not an audit number").format(value=part)
            ) from None
    return ids


def parse_share(text: str) -> float | None:
    clean = text.strip().removesuffix("%").strip()
    if not clean:
        return None
    try:
        value = float(clean)
    except ValueError:
        raise UserError(
            _("share: '{value}' is not a percentage, e.g. 10").format(value=text.strip())
        ) from None
    if not 0 < value <= 100:
        raise UserError(_("share: give a percentage above 0 and at most 100"))
    return value / 100


def parse_seed(text: str) -> int | None:
    clean = text.strip()
    if not clean:
        return None
    try:
        return int(clean)
    except ValueError:
        raise UserError(_("seed: '{value}' is not a whole number").format(value=clean)) from None


class ModerationSelectScreen(GuardTyped, AuditScreen[SelectionResult | None]):
    HELP_TITLE = N_("Select audits for moderation")
    AUTO_FOCUS = "#ms-audits"
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    #ms-body { padding: 0 1; }
    #ms-body Input, #ms-body Select { width: 70; max-width: 100%; }
    #ms-audits { height: auto; max-height: 10; }
    #ms-share-row { height: auto; }
    #ms-share-row Input, #ms-share-row Select { width: 1fr; }
    """
    BINDINGS = [
        Binding("space", "mark", N_("Mark/unmark"), key_display="space"),
        Binding("ctrl+s", "save", N_("Select")),
        Binding("escape", "cancel", N_("Cancel"), key_display="esc"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.eligible: list[AuditSummary] = []  # read on mount
        self.marked: set[int] = set()

    def compose(self) -> ComposeResult:
        # The title here, not on mount: a change of language composes the screen again.
        self.title = _("Select audits for moderation")
        yield AppHeader()
        with VerticalScroll(id="ms-body"):
            yield Label(_("Moderator (who will answer blind)"), classes="field-label")
            yield Input(value=self.ctx.me, id="ms-moderator")
            # Near the top, so a refusal is seen where ctrl+s was pressed, not below the fold.
            yield Static("", id="ms-error", classes="field-error", markup=False)
            yield Static(id="ms-list-title", classes="panel-title")
            yield DataTable(id="ms-audits", cursor_type="row", zebra_stripes=True)
            yield Label(_("Or type audit ids, separated by commas"), classes="field-label")
            yield Input(placeholder=_("e.g. 12, 15"), id="ms-ids")
            yield Label(
                _("Or a random share of each auditor's (or team's) finalised audits"),
                classes="field-label",
            )
            with Horizontal(id="ms-share-row"):
                yield Input(placeholder=_("percent, e.g. 10"), id="ms-share")
                yield Select(
                    [(_("per auditor"), "auditor"), (_("per team"), "team")],
                    value="auditor",
                    allow_blank=False,
                    id="ms-per",
                )
                yield Input(placeholder=_("seed (blank: random)"), id="ms-seed")
            yield Input(
                placeholder=_("period for a share, e.g. 2026-27 Q2 (blank: all)"), id="ms-period"
            )
            with Horizontal(classes="form-buttons"):
                yield Button(_("Cancel (esc)"), id="ms-cancel")
                yield Button(_("Select (ctrl+s)"), id="ms-save", variant="primary")
        yield AppFooter()

    def on_mount(self) -> None:
        in_moderation = {m.audit_id for m in moderation.list_moderations(self.ctx)}
        self.eligible = [
            a for a in audits.list_finalised(self.ctx, limit=None) if a.id not in in_moderation
        ]
        self._fill()
        self._show_title()
        # The list has the focus, so the first Space marks a row (never types into a box);
        # focusing it scrolls it into view, and the moderator field above should show too.
        self.query_one("#ms-audits", DataTable).focus()
        self.call_after_refresh(
            self.query_one("#ms-body", VerticalScroll).scroll_home, animate=False
        )
        self.call_after_refresh(self.remember_typed)

    def _case_types(self) -> Callable[[AuditSummary], str]:
        """Each audit's case type in the interface language, in its own framework version's
        words (the service gives them in English)."""
        lang = i18n.current()
        if lang == i18n.DEFAULT:
            return lambda a: a.case_type_label
        read: dict[str, Framework] = {}

        def label(a: AuditSummary) -> str:
            if a.framework_hash not in read:
                fw = framework_versions.framework(self.ctx, a.framework_hash)
                read[a.framework_hash] = fw.shown_in(lang)
            fw = read[a.framework_hash]
            return (
                fw.case_type_label(a.case_type)
                if a.case_type in fw.case_type_codes
                else (a.case_type_label)
            )

        return label

    def _fill(self) -> None:
        table = self.query_one("#ms-audits", DataTable)
        case_type = self._case_types()
        row = table.cursor_row
        fill_table(
            table,
            [
                Col(MARKED, "marked"),
                Col(_("Id"), "id"),
                Col(_("Case"), "case"),
                Col(_("Type"), "type", priority=3),
                Col(_("Auditor"), "auditor", priority=1),
                Col(_("Team"), "team", priority=2),
                Col(_("Audit date"), "date", priority=4),
            ],
            [
                (
                    (
                        MARKED if a.id in self.marked else "",
                        str(a.id),
                        a.case_reference,
                        case_type(a),
                        a.auditor,
                        a.team,
                        a.audit_date.isoformat(),
                    ),
                    str(a.id),
                )
                for a in self.eligible
            ],
            width=table_room(table),
        )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)

    def on_resize(self) -> None:
        self._fill()

    def _show_title(self) -> None:
        if not self.eligible:
            text = Content(_("No finalised audits are waiting for moderation."))
        else:
            text = Content.assemble(
                (
                    _("Finalised audits not in moderation ({n})").format(n=len(self.eligible)),
                    "bold",
                ),
                " · ",
                _("{n} marked").format(n=len(self.marked)),
                ("  " + _("space marks, ctrl+s selects"), "$text-muted"),
            )
        self.query_one("#ms-list-title", Static).update(text)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_mark()

    def action_mark(self) -> None:
        table = self.query_one("#ms-audits", DataTable)
        if not self.eligible or self.focused is not table:
            return
        audit = self.eligible[table.cursor_row]
        self.marked ^= {audit.id}
        table.update_cell(str(audit.id), "marked", MARKED if audit.id in self.marked else "")
        self._show_title()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ms-save":
            self.action_save()
        elif event.button.id == "ms-cancel":
            self.action_cancel()

    def action_save(self) -> None:
        error = self.query_one("#ms-error", Static)
        try:
            ids = sorted(self.marked) + parse_ids(self.query_one("#ms-ids", Input).value)
            # Validated as a whole: `per` is one of the model's words (auditor or team).
            selection = ModerationSelection.model_validate(
                {
                    "moderator": self.query_one("#ms-moderator", Input).value,
                    "audit_ids": ids or None,
                    "share": parse_share(self.query_one("#ms-share", Input).value),
                    "seed": parse_seed(self.query_one("#ms-seed", Input).value),
                    "per": str(self.query_one("#ms-per", Select).value),
                    "period": self.query_one("#ms-period", Input).value.strip() or None,
                }
            )
            result = moderation.select_for_moderation(self.ctx, selection)
        except ValidationError as exc:
            message = first_error(exc, {"moderator": _("moderator"), "audit_ids": _("audit ids")})
        except UserError as exc:
            message = str(exc)
        else:
            self.dismiss(result)
            return
        error.update(f"✗ {message}")
        error.display = True
        error.scroll_visible(animate=False)
        self.notify(message, severity="error", title=_("Not selected"))

    def action_cancel(self) -> None:
        self.leave(lambda: self.dismiss(None))

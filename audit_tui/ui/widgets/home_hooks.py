"""Home's hook panels: safeguarding escalations (at the very top, until acknowledged), overdue
actions, and moderation waiting for the current user. Each stays hidden while it is empty.

Every item starts with a word marker (⚠ ESCALATION, OVERDUE, BLIND, AGREE) so nothing depends on
colour. Enter on a line acts on it: records or acknowledges the escalation, opens the action
in the Actions screen, opens the moderation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from audit_tui.services import actions, escalation, moderation
from audit_tui.services.escalation import EscalationStatus
from audit_tui.services.moderation import ModerationSummary

if TYPE_CHECKING:
    from audit_tui.ui.screens.base import AuditScreen

ESCALATION = "⚠ ESCALATION"


def _local(st: EscalationStatus) -> str:
    return st.escalated_at.astimezone().strftime("%Y-%m-%d %H:%M") if st.escalated_at else ""


class HookPanel(Vertical):
    """A titled list that shows only when it has something in it."""

    DEFAULT_CSS = """
    HookPanel { height: auto; }
    HookPanel > OptionList {
        height: auto; max-height: 4; border: none; padding: 0; background: transparent;
    }
    HookPanel > OptionList:focus { border: none; background: $boost; }
    """
    LIST_ID = ""

    def compose(self) -> ComposeResult:
        yield Static(classes="panel-title hook-title")
        yield OptionList(id=self.LIST_ID)

    @property
    def audit_screen(self) -> AuditScreen[None]:
        return self.screen  # type: ignore[return-value]

    def fill(self, title: Content, options: list[Option]) -> bool:
        self.query_one(".hook-title", Static).update(title)
        box = self.query_one(OptionList)
        highlighted = box.highlighted
        box.clear_options()
        box.add_options(options)
        if options:
            box.highlighted = min(highlighted or 0, len(options) - 1)
        self.set_class(bool(options), "-has-content")
        return bool(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.act(event.option.id)

    def act(self, option_id: str) -> None:
        raise NotImplementedError

    def refresh_home(self, *_: object) -> None:
        refresh = getattr(self.screen, "refresh_data", None)
        if refresh is not None:
            refresh()


class EscalationsHook(HookPanel):
    LIST_ID = "home-escalations-list"

    def load(self) -> bool:
        items = escalation.open_escalations(self.audit_screen.ctx)
        options = []
        for st in items:
            if st.state == "not_escalated":
                what = "NOT ESCALATED yet - Enter records to whom and when"
            else:
                what = f"escalated to {st.escalated_to} {_local(st)} - Enter acknowledges"
            options.append(
                Option(
                    Content.assemble(
                        (ESCALATION, "bold $text-error"),
                        f" {st.case_reference} ({st.team}, audit {st.audit_id}): {what}",
                    ),
                    id=str(st.audit_id),
                )
            )
        title = Content.assemble(
            (f"{ESCALATION}: a child may be at risk now ({len(items)})", "bold $text-error"),
            ("  shown until acknowledged", "$text-muted"),
        )
        return self.fill(title, options)

    def act(self, option_id: str) -> None:
        from audit_tui.ui.screens.escalation import EscalationModal

        screen = self.audit_screen
        screen.app.push_screen(EscalationModal(screen.ctx, int(option_id)), self.refresh_home)


class OverdueActionsHook(HookPanel):
    LIST_ID = "home-actions-list"

    def load(self) -> bool:
        ctx = self.audit_screen.ctx
        # Mine first: the actions I own are the ones I can put right.
        overdue = sorted(
            actions.overdue_actions(ctx), key=lambda a: not actions.owned_by(a, ctx.me)
        )
        mine = sum(1 for a in overdue if actions.owned_by(a, ctx.me))
        options = [
            Option(
                Content.assemble(
                    ("OVERDUE", "bold $text-error"),
                    f" due {a.due_date.isoformat()} · {a.case_reference} · "
                    f"{'you' if actions.owned_by(a, ctx.me) else a.owner}: {a.description}",
                ),
                id=str(a.id),
            )
            for a in overdue
        ]
        title = Content.assemble(
            (f"Overdue actions ({len(overdue)}; {mine} yours)", "bold"),
            ("  Enter opens it in Actions", "$text-muted"),
        )
        return self.fill(title, options)

    def act(self, option_id: str) -> None:
        from audit_tui.ui.screens.actions import ActionsScreen

        self.audit_screen.app.push_screen(ActionsScreen(focus_action=int(option_id)))


def waiting_for(rows: list[ModerationSummary], me: str) -> list[ModerationSummary]:
    """Mine to answer blind, then mine awaiting agreement. Not my own audits: their auditor
    never records the agreement (separation of duties)."""
    from audit_tui.ui.screens.moderation import ordered
    from audit_tui.ui.screens.open_audit import same_person

    mine = [
        m
        for m in rows
        if m.status in ("requested", "submitted")
        and same_person(m.moderator, me)
        and not same_person(m.auditor, me)
    ]
    return ordered(mine, me)


class ModerationHook(HookPanel):
    LIST_ID = "home-moderation-list"

    def load(self) -> bool:
        ctx = self.audit_screen.ctx
        self.rows = {m.id: m for m in waiting_for(moderation.list_moderations(ctx), ctx.me)}
        options = []
        for m in self.rows.values():
            if m.status == "requested":
                marker, what = "BLIND", f"answer the audit again, requested by {m.requested_by}"
            else:
                marker, what = "AGREE", f"moderated by {m.moderator}: compare and agree"
            options.append(
                Option(
                    Content.assemble(
                        (marker, "bold"), f" {m.case_reference} ({m.team}, {m.auditor}): {what}"
                    ),
                    id=str(m.id),
                )
            )
        title = Content.assemble(
            (f"Moderation for you ({len(options)})", "bold"),
            ("  Enter opens it", "$text-muted"),
        )
        return self.fill(title, options)

    def act(self, option_id: str) -> None:
        from audit_tui.ui.screens.moderation import open_moderation

        m = self.rows.get(int(option_id))
        if m is not None:
            open_moderation(self.audit_screen, m)


def refresh_hooks(screen: AuditScreen[None]) -> None:
    """Reload every hook panel of Home. When an escalation is listed and nothing on Home has
    been chosen yet, the escalation list takes the focus: it is the most urgent thing here."""
    escalations = screen.query_one(EscalationsHook)
    urgent = escalations.load()
    for hook in screen.query(HookPanel):
        if hook is not escalations:
            hook.load()  # type: ignore[attr-defined]
    focused = screen.focused
    panel = (
        next((a for a in focused.ancestors if isinstance(a, HookPanel)), None) if focused else None
    )
    if panel is not None and panel.has_class("-has-content"):
        # Home's own refresh moves the focus to its tables: a list still shown keeps it.
        focused.focus()  # type: ignore[union-attr]
    elif urgent and (panel is not None or focused is None or focused.id == "load-demo"):
        escalations.query_one(OptionList).focus()

"""Home's hook panels: safeguarding escalations (at the very top, until acknowledged), overdue
actions, and moderation waiting for the current user. Each stays hidden while it is empty.

Every item starts with a word marker (⚠ ESCALATION, OVERDUE, BLIND, AGREE) so nothing depends on
colour. Enter on a line acts on it: the escalation posts `EscalationsHook.Chosen` (Home opens
the escalation dialog), an overdue action posts `OpenActions`, a moderation `OpenModeration`
(the app routes both). The panels never load anything: Home hands them their rows
(`HookRows`, read in Home's worker).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from audit_tui.i18n import _
from audit_tui.ui import messages
from audit_tui.ui.widgets.concern_banner import MARK, local

if TYPE_CHECKING:
    # Home's first frame holds these panels empty; the services load with the database
    # (ui/startup.py).
    from audit_tui.services.actions import ActionOut
    from audit_tui.services.context import AppContext
    from audit_tui.services.escalation import EscalationStatus
    from audit_tui.services.moderation import ModerationSummary


@dataclass
class HookRows:
    """What the hook panels list, for the person `me`."""

    me: str
    escalations: list[EscalationStatus] = field(default_factory=list)
    overdue: list[ActionOut] = field(default_factory=list)
    moderations: list[ModerationSummary] = field(default_factory=list)

    @classmethod
    def read(cls, ctx: AppContext) -> HookRows:
        from audit_tui.services import actions, escalation, moderation
        from audit_tui.services.actions import owned_by
        from audit_tui.ui.moderation_rows import waiting_for

        me = ctx.me
        # Mine first: the actions I own are the ones I can put right.
        overdue = sorted(actions.overdue_actions(ctx), key=lambda a: not owned_by(a, me))
        return cls(
            me=me,
            escalations=escalation.open_escalations(ctx),
            overdue=overdue,
            moderations=waiting_for(moderation.list_moderations(ctx), me),
        )


class HookPanel(Vertical):
    """A titled list that shows only when it has something in it (and is composed empty:
    `fill` mounts the title and list with the first items)."""

    # not translated: CSS
    DEFAULT_CSS = """
    HookPanel { height: auto; }
    HookPanel > OptionList {
        height: auto; max-height: 4; border: none; padding: 0; background: transparent;
    }
    HookPanel > OptionList:focus { border: none; background: $boost; }
    """
    LIST_ID = ""

    async def show(self, rows: HookRows) -> bool:
        """List what `rows` hold for this panel; whether it has anything."""
        raise NotImplementedError

    async def fill(self, title: Content, options: list[Option]) -> bool:
        # The title and list are mounted the first time there is something to list: most
        # sessions never show a panel, and Home's first frame (drawn before anything is read)
        # would style three hidden lists for nothing (bench/RESULTS.md, start-up).
        if not self.children:
            if not options:
                return False  # nothing shown yet, nothing to take away
            # Awaited, so that the list can take the focus as soon as this returns.
            title_box = Static(classes="panel-title hook-title")  # not translated: CSS classes
            await self.mount_all([title_box, OptionList(id=self.LIST_ID)])
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


class EscalationsHook(HookPanel):
    LIST_ID = "home-escalations-list"

    class Chosen(Message):
        """Enter on an escalation: record it (to whom, when) or acknowledge it."""

        def __init__(self, audit_id: int) -> None:
            super().__init__()
            self.audit_id = audit_id

    async def show(self, rows: HookRows) -> bool:
        items = rows.escalations
        options = []
        for st in items:
            if st.state == "not_escalated":
                what = _("NOT ESCALATED yet - Enter records to whom and when")
            else:
                what = _("escalated to {person} {time} - Enter acknowledges").format(
                    person=st.escalated_to, time=local(st.escalated_at)
                )
            options.append(
                Option(
                    Content.assemble(
                        (_(MARK), "bold $text-error"),
                        " "
                        + _("{case} ({team}, audit {id}): {what}").format(
                            case=st.case_reference, team=st.team, id=st.audit_id, what=what
                        ),
                    ),
                    id=str(st.audit_id),
                )
            )
        title = Content.assemble(
            (
                _("{mark}: a child may be at risk now ({n})").format(mark=_(MARK), n=len(items)),
                "bold $text-error",
            ),
            ("  " + _("shown until acknowledged"), "$text-muted"),
        )
        return await self.fill(title, options)

    def act(self, option_id: str) -> None:
        self.post_message(self.Chosen(int(option_id)))


class OverdueActionsHook(HookPanel):
    LIST_ID = "home-actions-list"

    async def show(self, rows: HookRows) -> bool:
        from audit_tui.services.actions import owned_by

        me = rows.me
        mine = sum(1 for a in rows.overdue if owned_by(a, me))
        options = [
            Option(
                Content.assemble(
                    (_("OVERDUE"), "bold $text-error"),
                    " "
                    + _("due {date}").format(date=a.due_date.isoformat())
                    + f" · {a.case_reference} · "
                    + f"{_('you') if owned_by(a, me) else a.owner}: {a.description}",
                ),
                id=str(a.id),
            )
            for a in rows.overdue
        ]
        title = Content.assemble(
            (
                _("Overdue actions ({n}; {mine} yours)").format(n=len(rows.overdue), mine=mine),
                "bold",
            ),
            ("  " + _("Enter opens it in Actions"), "$text-muted"),
        )
        return await self.fill(title, options)

    def act(self, option_id: str) -> None:
        self.post_message(messages.OpenActions(focus_action=int(option_id)))


class ModerationHook(HookPanel):
    LIST_ID = "home-moderation-list"

    async def show(self, rows: HookRows) -> bool:
        self.rows = {m.id: m for m in rows.moderations}
        options = []
        for m in self.rows.values():
            if m.status == "requested":
                marker = _("BLIND")
                what = _("answer the audit again, requested by {person}").format(
                    person=m.requested_by
                )
            else:
                marker = _("AGREE")
                what = _("moderated by {person}: compare and agree").format(person=m.moderator)
            options.append(
                Option(
                    Content.assemble(
                        (marker, "bold"), f" {m.case_reference} ({m.team}, {m.auditor}): {what}"
                    ),
                    id=str(m.id),
                )
            )
        title = Content.assemble(
            (_("Moderation for you ({n})").format(n=len(options)), "bold"),
            ("  " + _("Enter opens it"), "$text-muted"),
        )
        return await self.fill(title, options)

    def act(self, option_id: str) -> None:
        m = self.rows.get(int(option_id))
        if m is not None:
            self.post_message(messages.OpenModeration(m))


async def show_hooks(screen: Screen[Any], rows: HookRows, *, first: Callable[[], bool]) -> None:
    """Fill every hook panel of Home. A listed escalation takes the focus on Home's `first`
    showing (it is the most urgent thing here; Home says first only while the user has not
    moved the focus yet, asked once the panels are filled: a key pressed while they were
    mounted may have moved it); later, a list still shown keeps the focus it had."""
    escalations = screen.query_one(EscalationsHook)
    urgent = await escalations.show(rows)
    for hook in screen.query(HookPanel):
        if hook is not escalations:
            await hook.show(rows)
    focused = screen.focused
    panel = (
        next((a for a in focused.ancestors if isinstance(a, HookPanel)), None) if focused else None
    )
    if focused is not None and panel is not None and panel.has_class("-has-content"):
        # Home's own refresh moves the focus to its tables: a list still shown keeps it.
        focused.focus()
    elif urgent and (first() or panel is not None or focused is None or focused.id == "load-demo"):
        escalations.query_one(OptionList).focus()

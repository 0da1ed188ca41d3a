"""The header of every screen: the screen's title on the left; on the right which database is
open and who you are, with DEMO DATABASE in words on a demo database.

What does not fit is left out whole (the sub-title first, then the folder of the database
file, then the tool's name), never cut: `ctrl+p` "Database" shows everything in full.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from audit_tui.i18n import N_, _

if TYPE_CHECKING:
    from audit_tui.services.context import AppContext

DEMO_MARK = N_("DEMO DATABASE")  # translated where shown
SEP = " · "


def session_texts(ctx: AppContext) -> list[Content]:
    """The right-hand part, richest first."""
    from audit_tui.services.database_info import describe  # once the database is open

    info = describe(ctx)
    demo: list[tuple[str, str]] = (
        [(_(DEMO_MARK), "bold reverse $warning")] if info.is_demo else []  # not translated: style
    )
    me = ctx.me
    variants: list[list[str | tuple[str, str]]] = [
        [*demo, SEP if demo else "", _("you:") + " ", (me, "bold"), SEP, info.where],
        [*demo, SEP if demo else "", (me, "bold"), SEP, info.short],
        [*demo, SEP if demo else "", (me, "bold")],
        [*demo] if demo else [(me, "bold")],
    ]
    return [Content.assemble(*v) for v in variants]


def title_texts(title: str, sub_title: str) -> list[tuple[str, bool, bool]]:
    """(text, has the sub-title, has the tool's name)."""
    out = [(title, False, False), (f"audit-tui{SEP}{title}", False, True)]
    if sub_title:
        out += [(f"{title}{SEP}{sub_title}", True, False)]
        out += [(f"audit-tui{SEP}{title}{SEP}{sub_title}", True, True)]
    return out


def choose(
    width: int, titles: list[tuple[str, bool, bool]], sessions: list[Content]
) -> tuple[str, Content]:
    """The best title and session that fit side by side in `width` (a space between): who
    you are and the database's name first, then the sub-title, then the database's full
    path, then the tool's name."""
    best: tuple[tuple[int, ...], str, Content] | None = None
    for level, session in enumerate(sessions):  # 0: full path, 1: name, 2: who, 3: minimal
        for text, has_sub, has_name in titles:
            if len(text) + 1 + session.cell_length > width:
                continue
            rank = (int(level <= 1), int(level <= 2), int(has_sub), int(level == 0), int(has_name))
            if best is None or rank > best[0]:
                best = (rank, text, session)
    if best is None:
        plain = titles[0][0]
        return plain[: max(width - sessions[-1].cell_length - 1, 0)], sessions[-1]
    return best[1], best[2]


class AppHeader(Widget):
    # not translated: CSS
    DEFAULT_CSS = """
    AppHeader {
        dock: top; width: 100%; height: 1; background: $panel; color: $foreground;
        layout: horizontal; padding: 0 1;
    }
    AppHeader > #hd-title { width: 1fr; height: 1; text-style: bold; }
    AppHeader > #hd-session { width: auto; height: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="hd-title", markup=False)
        yield Static(id="hd-session")

    def on_mount(self) -> None:
        for obj, name in ((self.screen, "title"), (self.screen, "sub_title")):
            self.watch(obj, name, self.show, init=False)
        self.show()

    def on_resize(self, event: events.Resize) -> None:
        self.show()

    def show(self, *_: object) -> None:
        # Until the database is open (ui/startup.py), the title alone.
        ctx = getattr(self.app, "ctx", None)
        screen = self.screen
        title = screen.title if screen.title is not None else self.app.title
        # A screen without a sub-title of its own shows the app's: the framework in use.
        sub = screen.sub_title if screen.sub_title is not None else self.app.sub_title
        width = (self.size.width or self.app.size.width) - 2
        text, session = choose(
            width,
            title_texts(title or "", sub or ""),
            session_texts(ctx) if ctx is not None else [Content("")],
        )
        self.query_one("#hd-title", Static).update(text)
        self.query_one("#hd-session", Static).update(session)

"""Is anything on the screen cut? Each widget's rendered text is checked against its content.

A widget is cut when part of what it holds cannot be read: a label truncated or ellipsised at
its own width, a widget hanging over the edge of a container that cannot scroll there, a table
column narrower than its widest cell (or a table wider than its room, unless it keeps its key
column fixed while the rest scrolls sideways), an input whose default value does not fit, a
footer key that runs off the screen. Below the fold of a container that scrolls is not cut:
the keyboard reaches it.
"""

from __future__ import annotations

from textual.app import App
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, DataTable, Footer, Input, OptionList, Static
from textual.widgets._footer import FooterKey, FooterLabel

ELLIPSIS = "…"


def _plain(text: str) -> str:
    return "".join(text.split())


def _shown(widget: Widget) -> bool:
    node: object = widget
    while isinstance(node, Widget):
        if not node.display or not node.visible:
            return False
        node = node.parent
    return True


def _rendered(widget: Widget) -> str:
    """The widget's own rendering at its own size (what its box can show)."""
    width, height = widget.outer_size
    if width <= 0 or height <= 0:
        return ""
    lines = widget.render_lines(Region(0, 0, width, height))
    return "\n".join(strip.text for strip in lines)


def _content(widget: Widget) -> str | None:
    if isinstance(widget, Button):
        return str(widget.label)
    if isinstance(widget, FooterKey):
        return f"{widget.key_display} {widget.description}".strip()
    if isinstance(widget, FooterLabel | Static):
        visual = widget.render()
        return str(visual) if isinstance(visual, Content | str) else None
    return None


def _in_footer(widget: Widget) -> bool:
    return any(isinstance(a, Footer) for a in widget.ancestors)


def _clipped(app: App[object], widget: Widget) -> str | None:
    """Where the widget hangs over the edge of what shows it, and nothing scrolls there."""
    screen = app.screen
    try:
        geometry = screen.find_widget(widget)
    except Exception:  # laid out but wholly outside what shows it
        region, clip = Region(0, screen.size.height, 1, 1), screen.region
    else:
        region, clip = geometry.region, geometry.clip
    if not region.area or clip.contains_region(region):
        return None
    side_cut = region.x < clip.x or region.right > clip.right
    top_cut = region.y < clip.y or region.bottom > clip.bottom
    scrolls_x = scrolls_y = False
    if not _in_footer(widget):  # the footer scrolls, but nobody can scroll it
        for a in widget.ancestors:
            if isinstance(a, Widget):
                scrolls_x = scrolls_x or a.allow_horizontal_scroll
                scrolls_y = scrolls_y or a.allow_vertical_scroll
    if side_cut and not scrolls_x:
        return "runs off the side"
    if top_cut and not scrolls_y:
        return "runs off the bottom"
    return None


def _table_problems(table: DataTable[object]) -> list[str]:
    out: list[str] = []
    columns = table.ordered_columns
    for column in columns:
        label_lines = str(column.label).split("\n")
        if len(label_lines) > table.header_height:
            out.append(f"heading '{column.label}' has more lines than the header")
        widest = max([Content(line).cell_length for line in label_lines], default=0)
        width = column.content_width if column.auto_width else column.width
        if column.content_width > width or widest > width:
            out.append(f"column '{column.label}' is narrower than its text")
    padding = 2 * table.cell_padding
    widths = [c.content_width if c.auto_width else c.width for c in columns]
    total = sum(w + padding for w in widths)
    room = table.scrollable_content_region.width
    if total > room:
        fixed = sum(w + padding for w in widths[: table.fixed_columns])
        if not table.fixed_columns or fixed > room:
            names = ", ".join(str(c.label).replace("\n", " ") for c in columns)
            out.append(f"columns ({names}) are {total} wide in {room}")
    return out


def _list_problems(box: OptionList) -> list[str]:
    if box.styles.text_wrap != "nowrap":
        return []
    room = box.scrollable_content_region.width
    return [
        f"option '{box.get_option_at_index(i).prompt}' is cut"
        for i in range(box.option_count)
        if Content(str(box.get_option_at_index(i).prompt)).cell_length > room
    ]


def screen_lines(app: App[object]) -> list[str]:
    """The terminal as plain text, a line per row, spaces as they are on screen."""
    import io

    from rich.console import Console

    update = app.screen._compositor.render_update(full=True)
    console = Console(
        file=io.StringIO(), width=app.size.width, color_system=None, force_terminal=False
    )
    console.print(update)
    return console.file.getvalue().splitlines()  # type: ignore[attr-defined]


def cut_widgets(app: App[object]) -> list[str]:
    """One line per cut widget on the top screen: what it is and what is wrong."""
    problems: list[str] = []
    screen = app.screen
    for widget in screen.query("*"):
        if not _shown(widget) or widget.size.area == 0:
            continue
        name = f"{type(widget).__name__}#{widget.id or '?'}"
        found: list[str] = []
        where = _clipped(app, widget)
        if where and not isinstance(widget, Footer):
            found.append(where)
        if isinstance(widget, DataTable):
            found += _table_problems(widget)
        elif isinstance(widget, OptionList):
            found += _list_problems(widget)
        elif isinstance(widget, Input):
            room = widget.content_region.width - 1  # and the cursor
            if Content(widget.value).cell_length > room:
                found.append(f"value '{widget.value}' is wider than the box ({room})")
        else:
            content = _content(widget)
            if content:
                rendered = _rendered(widget)
                if _plain(content) not in _plain(rendered) or (
                    ELLIPSIS in rendered and ELLIPSIS not in content
                ):
                    found.append(f"shows {rendered!r} of {content!r}")
        problems += [f"{name}: {f}" for f in found]
    return problems

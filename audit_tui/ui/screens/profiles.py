"""Profiles: team quality per period - a team x section (or team x question) grid of percent met
with n and band, a trend per team, two periods side by side, and a drill-down to the audits.

Figures come from services.profiles, computed in a worker thread so the screen never freezes;
a newer request supersedes an older one still running (only the newest reports back).
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Static

from audit_tui import i18n
from audit_tui.domain.framework import Framework
from audit_tui.domain.periods import Period, comparison_period, parse_period
from audit_tui.i18n import N_, _, ngettext
from audit_tui.services import directory, framework_choice, profiles
from audit_tui.services.context import AppContext
from audit_tui.services.profile_schemas import GroupProfile, PercentMet, PeriodOut, Profile
from audit_tui.ui import messages, words
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.dialogs.prompts import ChoiceModal, MultiChoiceModal, TextPromptModal
from audit_tui.ui.periods import describe, next_kind, span, step
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.figures import (
    FIXED,
    MUTED,
    NO_DATA,
    Area,
    band_style,
    band_text,
    figure_cell,
    figure_lines,
    figure_of,
    heading,
    points_text,
    short_caption,
    sparkline,
    sparkline_range,
    too_few_text,
)
from audit_tui.ui.widgets.tables import Col, fill_table
from audit_tui.ui.workers import WorkFailed

TREND = 4  # periods in each team's trend, this one included
PERIOD_HELP = N_("2025-26 (financial year), 2025-26 Q1, 2025-07 or 2025-04-01..2025-09-30")
PERIOD = Binding.Group(N_("Period"))


class ProfilesScreen(AuditScreen[None]):
    HELP_TITLE = N_("Profiles")
    period: Period  # the period shown (set on mount)
    AUTO_FOCUS = "#pf-grid"
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    #pf-body { height: 1fr; }
    #pf-scope { height: auto; padding: 0 1; background: $boost; }
    #pf-error { height: auto; padding: 0 1; color: $text-error; }
    #pf-tables { height: 1fr; }
    #pf-grid, #pf-compare { height: 1fr; }
    #pf-detail { height: auto; padding: 0 1; border-top: hkey $primary 50%; }
    #pf-legend { height: auto; max-height: 2; padding: 0 1; }
    """
    BINDINGS = [
        Binding(
            "left_square_bracket",
            "step(-1)",
            N_("Previous period"),
            key_display="[",
            group=PERIOD,
        ),
        Binding(
            "right_square_bracket", "step(1)", N_("Next period"), key_display="]", group=PERIOD
        ),
        Binding("v", "period_kind", N_("Year/quarter/month"), show=False),
        Binding("e", "enter_period", N_("Type a period"), show=False),
        Binding("f", "framework", N_("Framework"), show=False),
        Binding("t", "teams", N_("Teams")),
        Binding("s", "toggle_questions", N_("Sections/questions")),
        Binding("c", "toggle_compare", N_("Compare")),
        Binding("b", "baseline", N_("Compare with a period"), show=False),
        Binding("o", "drill", N_("Audits behind the figure"), show=False),
        Binding("x", "export", N_("Export")),
        Binding("f5", "refresh", N_("Refresh"), show=False),
        Binding("escape,q", "back", N_("Back"), key_display="esc"),
    ]

    class Loaded(Message):
        """The profile of the period asked for, and of the period it is compared with, and
        the framework version whose words label them (the workbook's: the newest the
        period's audits were done on)."""

        def __init__(self, profile: Profile, baseline: Profile | None, fw: Framework) -> None:
            super().__init__()
            self.profile = profile
            self.baseline = baseline
            self.fw = fw

    def __init__(
        self,
        framework_id: str | None = None,
        period: Period | None = None,
        teams: list[str] | None = None,
    ) -> None:
        super().__init__()
        # Until mounted (on_mount): then, when not given, the framework in use and the
        # current quarter.
        self.framework_id = framework_id or ""
        self._asked_period = period
        self.teams: list[str] = list(teams or [])
        self.questions_mode = False
        self.compare = False
        self.baseline_period: Period | None = None  # None: the period before
        self.profile: Profile | None = None
        self.baseline: Profile | None = None
        # As the service gives them (English), and the framework that words them: `profile`
        # and `baseline` are these in the language they were last shown in.
        self._read: tuple[Profile, Profile | None, Framework] | None = None
        self._shown_lang = ""
        self.error: str | None = None

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(id="pf-body"):
            yield Static(id="pf-scope")
            yield Static("", id="pf-error", markup=False)
            with Vertical(id="pf-tables"):
                yield DataTable(id="pf-grid", cursor_type="cell", fixed_columns=1)
                yield DataTable(
                    id="pf-compare", cursor_type="row", zebra_stripes=True, fixed_columns=1
                )
            yield Static(id="pf-detail")
            yield Static(id="pf-legend")
        yield AppFooter()

    def on_mount(self) -> None:
        self.framework_id = self.framework_id or framework_choice.preferred(self.ctx) or ""
        self.period = self._asked_period or profiles.resolve_period(self.ctx)
        self.title, self.sub_title = _("Profiles"), _("percent met per team, with n")
        self.query_one("#pf-compare").display = False
        self.query_one("#pf-error").display = False
        self.load()

    def language_changed(self) -> None:
        # The same period, teams and view in the new words (on_mount would reset the period).
        self.title, self.sub_title = _("Profiles"), _("percent met per team, with n")
        self._show_tables()
        self._shown_lang = ""
        if self._read is None and self.error is None:
            self.load()  # still reading: shown in the new language when it arrives
        else:
            self._finish()

    # --- loading, in a worker ---------------------------------------------------------------

    @property
    def baseline_of(self) -> Period:
        # A year or quarter in progress: the same months of the year before.
        return self.baseline_period or comparison_period(self.period, self.ctx.today())

    def load(self) -> None:
        self.query_one("#pf-tables").loading = True
        self._show_scope()
        # Only the latest request reports: an older one still running is superseded.
        self._fetch(
            self.ctx,
            self.framework_id,
            self.period,
            list(self.teams),
            self.baseline_of if self.compare else None,
        )

    @work(
        thread=True,
        exclusive=True,
        group="profile",
        exit_on_error=False,
        description=N_("Could not load the profile"),
    )
    def _fetch(
        self,
        ctx: AppContext,
        framework_id: str,
        period: Period,
        teams: list[str],
        baseline: Period | None,
    ) -> ProfilesScreen.Loaded:
        prof = profiles.profile(ctx, framework_id, period, teams or None, trend=TREND)
        base = (
            profiles.profile(ctx, framework_id, baseline, teams or None, trend=1)
            if baseline is not None
            else None
        )
        fw = profiles.versions_in(ctx, prof.framework_id, period).newest
        return self.Loaded(prof, base, fw)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.error = None
        self._read = (message.profile, message.baseline, message.fw)
        self._shown_lang = ""
        self._finish()

    def _in_language(self) -> None:
        """The profile in the interface's language (again after a switch of language)."""
        lang = i18n.current()
        if self._read is None or lang == self._shown_lang:
            return
        prof, base, fw = self._read
        self.profile = words.in_language(prof, fw, lang)
        self.baseline = words.in_language(base, fw, lang) if base is not None else None
        self._shown_lang = lang

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.error = message.text
        self._finish()

    def _finish(self) -> None:
        self._in_language()
        self.query_one("#pf-tables").loading = False
        error = self.query_one("#pf-error", Static)
        error.update(f"✗ {self.error}" if self.error else "")
        error.display = self.error is not None
        self._show_legend()
        self._finish_view()

    # --- showing ----------------------------------------------------------------------------

    def areas(self) -> list[Area]:
        prof = self.profile
        if prof is None:
            return []
        if self.questions_mode:
            return [Area(f"q:{q.id}", f"{q.id} {q.text}") for q in prof.questions]
        return [Area(f"s:{s.id}", s.title) for s in prof.sections]

    def _fw_title(self) -> str:
        if self.profile is not None:
            return self.profile.framework_title
        ctx = self.ctx
        if self.framework_id in ctx.frameworks:
            return words.framework_title(ctx.frameworks.get(self.framework_id))
        return self.framework_id

    def _show_scope(self) -> None:
        teams = ", ".join(self.teams) if self.teams else _("all teams")
        prof = self.profile
        n = prof.scope_audits if prof is not None else 0
        audits = " · " + ngettext("{n} audit", "{n} audits", n).format(n=i18n.format_number(n))
        audits = audits if prof is not None else ""
        view = _("team x question") if self.questions_mode else _("team x section")
        first = Content.assemble(
            (self._fw_title(), "bold"),
            " · ",
            (describe(self.period, self.ctx.today()), "bold"),
            f" · {view}",
        )
        second = _("{span} · teams: {teams}").format(span=span(self.period), teams=teams) + audits
        if self.compare:
            base = PeriodOut.of(self.baseline_of)
            second += " · " + _("vs {period}").format(period=base.caption)
        if prof is not None and len(prof.framework_versions) == 1:
            second += " · " + _("version {version}").format(version=prof.framework_version)
        lines: list[Content | str] = [first, second]
        if prof is not None and len(prof.framework_versions) > 1:
            # A period that mixes versions says so: each audit counts on its own version.
            lines.append(words.versions_line(prof))
        self.query_one("#pf-scope", Static).update(Content("\n").join(lines))

    def _show_grid(self) -> None:
        table = self.query_one("#pf-grid", DataTable)
        row, column = table.cursor_coordinate
        prof = self.profile
        if prof is None:
            table.clear(columns=True)
            return
        areas = self.areas()
        columns = [
            Col(_("Team"), "group"),
            Col(_("Audits"), "audits"),
            Col(_("Trend"), "trend"),
            Col(_("Overall"), "overall"),
        ]
        for area in areas:
            label = area.key[2:] if area.question_id else heading(area.title)
            columns.append(Col(label, area.key))
        table.header_height = max((c.label.count("\n") + 1 for c in columns), default=1)
        low, high = sparkline_range([self._trend(g) for g in prof.groups])
        limit = prof.small_sample
        rows: list[tuple[list[object], str]] = []
        for i, g in enumerate(prof.groups):
            few = g.too_few
            cells: list[object] = [
                Content.styled(g.name, "bold") if g.is_authority else g.name,
                f"{g.audits} (<{limit})" if few else str(g.audits),
                sparkline(self._trend(g), low, high),
                figure_cell(g.percent_met, prof.grades, too_few=few, limit=limit),
            ]
            cells += [
                figure_cell(figure_of(g, area), prof.grades, too_few=few, limit=limit)
                for area in areas
            ]
            rows.append((cells, str(i)))
        fill_table(table, columns, rows)
        table.move_cursor(
            row=min(row, table.row_count - 1), column=min(column, len(table.columns) - 1)
        )

    @staticmethod
    def _trend(g: GroupProfile) -> list[float | None]:
        return [tp.percent_met.percent for tp in g.trend]

    def _show_compare(self) -> None:
        table = self.query_one("#pf-compare", DataTable)
        row = table.cursor_row
        prof, base = self.profile, self.baseline
        if not self.compare or prof is None or base is None:
            table.clear(columns=True)
            return
        columns = [
            Col(_("Team and area"), "area"),
            Col(short_caption(base.period), "base"),
            Col("n", "base_n"),
            Col(short_caption(prof.period), "current"),
            Col("n", "current_n"),
            Col(_("Change"), "change"),
            Col(_("Note"), "note"),
        ]
        limit = prof.small_sample
        rows: list[tuple[list[object], str]] = []
        for i, g in enumerate(prof.groups):
            before = self._baseline_group(g)
            for j, area in enumerate([Area("overall", _("Overall")), *self.areas()]):
                now = figure_of(g, area)
                then = figure_of(before, area) if before is not None else None
                points = (
                    now.percent - then.percent
                    if then is not None and now.percent is not None and then.percent is not None
                    else None
                )
                few = g.too_few or before is None or before.too_few
                label = (
                    Content.styled(g.name, "bold")
                    if j == 0
                    else "  " + (area.key[2:] if area.question_id else area.title)
                )
                cells: list[object] = [
                    label,
                    self._compare_cell(then),
                    str(then.n) if then is not None else "0",
                    self._compare_cell(now),
                    str(now.n),
                    points_text(points),
                    too_few_text(limit) if few else "",
                ]
                rows.append((cells, f"{i}|{area.key}"))
        table.header_height = max((c.label.count("\n") + 1 for c in columns), default=1)
        fill_table(table, columns, rows)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _baseline_group(self, g: GroupProfile) -> GroupProfile | None:
        base = self.baseline
        if base is None:
            return None
        if g.is_authority:
            return base.authority
        return next((t for t in base.teams if t.name == g.name), None)

    def _compare_cell(self, fig: PercentMet | None) -> Content:
        prof = self.profile
        if fig is None or prof is None or fig.percent is None:
            return Content.styled(NO_DATA, MUTED)
        return Content.styled(band_text(fig, prof.grades), band_style(prof.grades, fig.band))

    def _show_legend(self) -> None:
        text = words.legend_text(self.profile) if self.profile is not None else ""
        self.query_one("#pf-legend", Static).update(Content.styled(text, "$text-muted"))

    # --- the highlighted figure, in words ---------------------------------------------------

    def target(self) -> tuple[GroupProfile, Area | None] | None:
        """The group and area (None: the whole group) under the cursor of the visible table."""
        prof = self.profile
        if prof is None:
            return None
        if self.compare:
            table = self.query_one("#pf-compare", DataTable)
            if table.row_count == 0:
                return None
            row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
            index, key = str(row_key.value).split("|", 1)
            group = prof.groups[int(index)]
            area = next((a for a in self.areas() if a.key == key), Area("overall", _("Overall")))
            return group, area
        table = self.query_one("#pf-grid", DataTable)
        if table.row_count == 0:
            return None
        row_key, column_key = table.coordinate_to_cell_key(table.cursor_coordinate)
        group = prof.groups[int(str(row_key.value))]
        key = str(column_key.value)
        if key == "overall":
            return group, Area("overall", _("Overall"))
        if key in FIXED:
            return group, None
        return group, next(a for a in self.areas() if a.key == key)

    def _show_detail(self) -> None:
        detail = self.query_one("#pf-detail", Static)
        prof, target = self.profile, self.target()
        if prof is None or target is None:
            detail.update("")
            return
        group, area = target
        column = self._grid_column()
        if area is None and column == "trend" and not self.compare:
            lines = words.trend_lines(group)
        elif area is None:
            lines = words.group_lines(prof, group)
        else:
            lines = figure_lines(prof, group, area)
        hint = _("Enter: the audits behind this figure · v year/quarter/month · e type a period")
        if group.too_few:
            few = _("Fewer than {n} audits: a dip may be chance").format(n=prof.small_sample)
            hint = f"{few} · {hint}"
        lines.append(Content.styled(hint, "$text-muted"))
        detail.update(Content("\n").join(lines))

    def _grid_column(self) -> str | None:
        table = self.query_one("#pf-grid", DataTable)
        if table.row_count == 0:
            return None
        _row, column_key = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(column_key.value)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_drill()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_drill()

    # --- actions ----------------------------------------------------------------------------

    def action_drill(self) -> None:
        prof, target = self.profile, self.target()
        if prof is None or target is None:
            return
        group, area = target
        self.post_message(
            messages.OpenAuditsBehind(
                prof.framework_id,
                self.period,
                None if group.is_authority else group.name,
                area.section_id if area else None,
                area.question_id if area else None,
                area.title if area else None,
            )
        )

    def action_step(self, by: int) -> None:
        nxt = step(self.period, by, self.ctx.today())
        if nxt is None:
            self.notify(
                _("{period} is the latest period: the next has not begun.").format(
                    period=self.period.label
                )
            )
            return
        self._set_period(nxt)

    def action_period_kind(self) -> None:
        self._set_period(next_kind(self.period, self.ctx.today()))

    def _set_period(self, period: Period) -> None:
        self.period = period
        self.baseline_period = None
        self.load()

    def action_enter_period(self) -> None:
        def submit(text: str) -> str:
            return parse_period(text).label

        def chosen(label: str | None) -> None:
            if label:
                self._set_period(parse_period(label))

        self.app.push_screen(
            TextPromptModal(
                _("Choose a period"), _(PERIOD_HELP), submit, placeholder=self.period.label
            ),
            chosen,
        )

    def action_baseline(self) -> None:
        def submit(text: str) -> str:
            return parse_period(text).label

        def chosen(label: str | None) -> None:
            if label:
                self.baseline_period = parse_period(label)
                self.compare = True
                self._show_tables()
                self.load()

        self.app.push_screen(
            TextPromptModal(
                _("Compare {period} with which period?").format(period=self.period.label),
                _(PERIOD_HELP),
                submit,
                placeholder=self.baseline_of.label,
            ),
            chosen,
        )

    def action_framework(self) -> None:
        frameworks = framework_choice.offered(self.ctx, also=self.framework_id)

        def chosen(fw_id: str | None) -> None:
            if fw_id and fw_id != self.framework_id:
                self.framework_id = fw_id
                self.load()

        self.app.push_screen(
            ChoiceModal(
                _("Framework"),
                [(f"{words.framework_title(f)} (v{f.version})", f.id) for f in frameworks],
                current=self.framework_id,
            ),
            chosen,
        )

    def action_teams(self) -> None:
        names = [t.name for t in directory.list_teams(self.ctx)]

        def chosen(teams: list[str] | None) -> None:
            if teams is not None:
                self.teams = teams
                self.load()

        self.app.push_screen(
            MultiChoiceModal(_("Teams to show"), [(n, n) for n in names], self.teams), chosen
        )

    def action_toggle_questions(self) -> None:
        self.questions_mode = not self.questions_mode
        self.query_one("#pf-grid", DataTable).move_cursor(column=0)
        self._finish_view()

    def action_toggle_compare(self) -> None:
        self.compare = not self.compare
        self._show_tables()
        if self.compare and (self.baseline is None or self.baseline.period != self._baseline_out()):
            self.load()
        else:
            self._finish_view()

    def _baseline_out(self) -> PeriodOut:
        return PeriodOut.of(self.baseline_of)

    def _show_tables(self) -> None:
        grid = self.query_one("#pf-grid", DataTable)
        compare = self.query_one("#pf-compare", DataTable)
        grid.display = not self.compare
        compare.display = self.compare
        (compare if self.compare else grid).focus()

    def _finish_view(self) -> None:
        self._show_scope()
        self._show_grid()
        self._show_compare()
        self._show_detail()

    def action_export(self) -> None:
        self.post_message(
            messages.OpenExport(self.framework_id, self.period.label, list(self.teams))
        )

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(None)

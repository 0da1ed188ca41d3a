"""Agreement statistics: how far first auditors and moderators agree, per auditor, per team and
per question, each figure with its n. An auditor who grades consistently above the moderator
is flagged in words ("MORE GENEROUS"), not by colour."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from audit_tui import i18n
from audit_tui.domain.framework import Framework
from audit_tui.i18n import N_, _
from audit_tui.services.agreement import (
    AGREEMENT_MIN_PAIRS,
    AgreementReport,
    GradeAgreement,
    agreement_report,
)
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.dialogs.prompts import TextPromptModal
from audit_tui.ui.format import percent
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader

GENEROUS = N_("MORE GENEROUS")
TABS = ("ag-auditors", "ag-teams", "ag-questions")


def kappa_text(k: float | None, g: GradeAgreement | None = None) -> str:
    """Kappa or AC1; below the minimum pairs says so rather than show a number."""
    if g is not None and g.too_few_pairs:
        return f"n<{g.min_pairs}"
    return "-" if k is None else f"{k:.2f}"


def diff_text(d: float | None) -> str:
    return "-" if d is None else f"{d:+.2f}"


def grade_cells(g: GradeAgreement) -> tuple[object, ...]:
    return (
        g.name,
        str(g.n),
        percent(g.exact_percent),
        percent(g.within_one_percent),
        kappa_text(g.kappa, g),
        kappa_text(g.ac1, g),
        diff_text(g.mean_difference),
        Content.assemble((_(GENEROUS), "bold $text-warning")) if g.generous else "-",
        percent(g.answers_agree_percent, g.answers_n),
    )


def question_texts(frameworks: Iterable[Framework]) -> dict[tuple[str, str], str]:
    """Each framework's question texts in the interface language, by (framework, question):
    the report's own words (the newest version that asked the question) are English."""
    lang = i18n.current()
    if lang == i18n.DEFAULT:
        return {}
    return {
        (fw.id, q.id): str(q.text)
        for fw in (f.shown_in(lang) for f in frameworks)
        for q in fw.questions
    }


class AgreementScreen(AuditScreen[None]):
    HELP_TITLE = N_("Moderation: agreement statistics")
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    #ag-body { height: 1fr; }
    #ag-legend { height: auto; padding: 0 1; color: $text-muted; }
    #ag-overall { height: auto; padding: 0 1; }
    #ag-tabs { height: 1fr; }
    #ag-tabs TabPane { height: 1fr; padding: 0; }
    #ag-tabs DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("1", "tab(0)", N_("Auditors"), show=False),
        Binding("2", "tab(1)", N_("Teams"), show=False),
        Binding("3", "tab(2)", N_("Questions"), show=False),
        Binding("f", "cycle_framework", N_("Framework")),
        Binding("p", "period", N_("Period")),
        Binding("escape,q", "back", N_("Back"), key_display="esc"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.framework_id: str | None = None
        self.period: str | None = None
        self.report: AgreementReport | None = None

    def compose(self) -> ComposeResult:
        # The title here, not on mount: a change of language composes the screen again.
        self.title = _("Agreement statistics")
        yield AppHeader()
        with Vertical(id="ag-body"):
            yield Static(id="ag-overall")
            with TabbedContent(id="ag-tabs"):
                with TabPane(_("1 Auditors"), id="ag-auditors"):
                    yield DataTable(
                        id="ag-auditors-table",
                        cursor_type="row",
                        zebra_stripes=True,
                        fixed_columns=1,
                    )
                with TabPane(_("2 Teams"), id="ag-teams"):
                    yield DataTable(
                        id="ag-teams-table", cursor_type="row", zebra_stripes=True, fixed_columns=1
                    )
                with TabPane(_("3 Questions"), id="ag-questions"):
                    yield DataTable(
                        id="ag-questions-table",
                        cursor_type="row",
                        zebra_stripes=True,
                        fixed_columns=1,
                    )
            yield Static(
                _(
                    "n: judgement pairs (auditor's grade, moderator's blind grade). Kappa: linear "
                    "weighted; AC1: Gwet's, steadier when one grade is very common; 1 = perfect, "
                    "0 = chance; not given under {min} pairs (n<{min}). "
                    "Mean diff < 0: the auditor grades more generously."
                ).format(min=AGREEMENT_MIN_PAIRS),
                id="ag-legend",
            )
        yield AppFooter()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#ag-auditors-table").focus()

    def load(self) -> None:
        report = agreement_report(self.ctx, self.framework_id, self.period)
        self.report = report
        o = report.overall
        self.sub_title = " · ".join(
            [report.framework_id or _("all frameworks"), report.period or _("all periods")]
        )
        self.query_one("#ag-overall", Static).update(
            Content.assemble(
                (_("Everyone:") + " ", "bold"),
                _(
                    "n={n} pairs · exact {exact} · within one grade {within} · kappa {kappa} · "
                    "AC1 {ac1} · answers alike {alike}"
                ).format(
                    n=o.n,
                    exact=percent(o.exact_percent),
                    within=percent(o.within_one_percent),
                    kappa=kappa_text(o.kappa, o),
                    ac1=kappa_text(o.ac1, o),
                    alike=percent(o.answers_agree_percent, o.answers_n),
                ),
                ("  " + _("f framework, p period"), "$text-muted"),
            )
        )
        # The headings with the rows: in the language of the moment, whenever they are shown.
        columns = (
            _("Name"),
            "n",
            _("Exact"),
            _("Within 1"),
            "Kappa",
            "AC1",
            _("Mean diff"),
            _("Generous?"),
            _("Answers"),
        )
        for table_id, rows in (
            ("#ag-auditors-table", report.auditors),
            ("#ag-teams-table", report.teams),
        ):
            table = self.query_one(table_id, DataTable)
            table.clear(columns=True)
            table.add_columns(*columns)
            for g in rows:
                table.add_row(*grade_cells(g))
        table = self.query_one("#ag-questions-table", DataTable)
        table.clear(columns=True)
        table.add_columns(_("Question"), "n", _("Alike"), _("% alike"), _("Text"))
        texts = question_texts(
            self.ctx.frameworks.get(f)
            for f in {q.framework_id for q in report.questions}
            if f in self.ctx.frameworks
        )
        for q in report.questions:
            table.add_row(
                q.question_id,
                str(q.n),
                str(q.agree),
                percent(q.percent_agree),
                texts.get((q.framework_id, q.question_id), q.text or ""),
            )

    def action_tab(self, index: int) -> None:
        self.query_one("#ag-tabs", TabbedContent).active = TABS[index]
        self.query_one(f"#{TABS[index]}-table").focus()

    def action_cycle_framework(self) -> None:
        ids: list[str | None] = [None, *sorted(fw.id for fw in self.ctx.frameworks.all())]
        self.framework_id = ids[(ids.index(self.framework_id) + 1) % len(ids)]
        self.load()

    def action_period(self) -> None:
        def check(text: str) -> str:
            clean = text.strip()
            agreement_report(self.ctx, self.framework_id, clean or None)  # a bad period raises
            return clean

        def chosen(result: str | None) -> None:
            if result is not None:
                self.period = result or None
                self.load()

        self.app.push_screen(
            TextPromptModal(
                _("Period"),
                _("A period such as 2026-27, 2026-27 Q2 or 2026-07 (blank: all)"),
                check,
            ),
            chosen,
        )

    def action_back(self) -> None:
        self.dismiss(None)

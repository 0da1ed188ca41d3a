"""Agreement statistics: how far first auditors and moderators agree, per auditor, per team and
per question, each figure with its n. An auditor who grades consistently above the moderator
is flagged in words ("MORE GENEROUS"), not by colour."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static, TabbedContent, TabPane

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

GENEROUS = "MORE GENEROUS"
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
        Content.assemble((GENEROUS, "bold $text-warning")) if g.generous else "-",
        percent(g.answers_agree_percent, g.answers_n),
    )


class AgreementScreen(AuditScreen[None]):
    HELP_TITLE = "Moderation: agreement statistics"
    BINDINGS = [
        Binding("1", "tab(0)", "Auditors", show=False),
        Binding("2", "tab(1)", "Teams", show=False),
        Binding("3", "tab(2)", "Questions", show=False),
        Binding("f", "cycle_framework", "Framework"),
        Binding("p", "period", "Period"),
        Binding("escape,q", "back", "Back", key_display="esc"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.framework_id: str | None = None
        self.period: str | None = None
        self.report: AgreementReport | None = None

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(id="ag-body"):
            yield Static(id="ag-overall")
            with TabbedContent(id="ag-tabs"):
                with TabPane("1 Auditors", id="ag-auditors"):
                    yield DataTable(
                        id="ag-auditors-table",
                        cursor_type="row",
                        zebra_stripes=True,
                        fixed_columns=1,
                    )
                with TabPane("2 Teams", id="ag-teams"):
                    yield DataTable(
                        id="ag-teams-table", cursor_type="row", zebra_stripes=True, fixed_columns=1
                    )
                with TabPane("3 Questions", id="ag-questions"):
                    yield DataTable(
                        id="ag-questions-table",
                        cursor_type="row",
                        zebra_stripes=True,
                        fixed_columns=1,
                    )
            yield Static(
                "n: judgement pairs (auditor's grade, moderator's blind grade). Kappa: linear "
                "weighted; AC1: Gwet's, steadier when one grade is very common; 1 = perfect, "
                f"0 = chance; not given under {AGREEMENT_MIN_PAIRS} pairs (n<{AGREEMENT_MIN_PAIRS}). "
                "Mean diff < 0: the auditor grades more generously.",
                id="ag-legend",
            )
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = "Agreement statistics"
        columns = (
            "Name",
            "n",
            "Exact",
            "Within 1",
            "Kappa",
            "AC1",
            "Mean diff",
            "Generous?",
            "Answers",
        )
        for table_id in ("#ag-auditors-table", "#ag-teams-table"):
            self.query_one(table_id, DataTable).add_columns(*columns)
        self.query_one("#ag-questions-table", DataTable).add_columns(
            "Question", "n", "Alike", "% alike", "Text"
        )
        self.load()
        self.query_one("#ag-auditors-table").focus()

    def load(self) -> None:
        report = agreement_report(self.ctx, self.framework_id, self.period)
        self.report = report
        o = report.overall
        scope = f"{report.framework_id or 'all frameworks'} · {report.period or 'all periods'}"
        self.sub_title = scope
        self.query_one("#ag-overall", Static).update(
            Content.assemble(
                ("Everyone: ", "bold"),
                f"n={o.n} pairs · exact {percent(o.exact_percent)} · within one grade "
                f"{percent(o.within_one_percent)} · kappa {kappa_text(o.kappa, o)} · "
                f"AC1 {kappa_text(o.ac1, o)} · answers alike "
                f"{percent(o.answers_agree_percent, o.answers_n)}",
                ("  f framework, p period", "$text-muted"),
            )
        )
        for table_id, rows in (
            ("#ag-auditors-table", report.auditors),
            ("#ag-teams-table", report.teams),
        ):
            table = self.query_one(table_id, DataTable)
            table.clear()
            for g in rows:
                table.add_row(*grade_cells(g))
        table = self.query_one("#ag-questions-table", DataTable)
        table.clear()
        for q in report.questions:
            table.add_row(
                q.question_id, str(q.n), str(q.agree), percent(q.percent_agree), q.text or ""
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
                "Period", "A period such as 2026-27, 2026-27 Q2 or 2026-07 (blank: all)", check
            ),
            chosen,
        )

    def action_back(self) -> None:
        self.dismiss(None)

"""After the blind stage: the first auditor's and the moderator's gradings side by side.

Differing answers are marked "≠" (a symbol, not only a colour). For each one the agreed answer
is chosen (Enter lists the options; `o` takes the auditor's, `m` the moderator's); `s` then
records the agreed judgement with a comment. The agreed version is what profiles count; the
original stays on record.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from audit_tui import i18n
from audit_tui.domain.framework import Framework
from audit_tui.domain.people import same_person
from audit_tui.i18n import N_, _, ngettext
from audit_tui.services import audits, framework_versions, moderation
from audit_tui.services.context import AppContext
from audit_tui.services.moderation import ComparedQuestion, Comparison
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.dialogs.moderation import DIFFER, AgreeModal, ChooseAnswerModal, styled
from audit_tui.ui.format import answer_content, percent
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.tables import Col, fill_table, table_room
from audit_tui.ui.words import shown_framework

AGREED_COLUMN = "agreed"
# A comparison's state in words (the sub-title): submitted, then agreed.
STATUS_WORDS = {"submitted": N_("submitted"), "agreed": N_("agreed")}


class ComparisonScreen(AuditScreen[None]):
    HELP_TITLE = N_("Moderation: comparison and agreement")
    AUTO_FOCUS = "#mc-table"
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    #mc-body { height: 1fr; }
    #mc-table { height: 1fr; }
    #mc-notes { height: auto; padding: 0 1; border-top: hkey $primary 50%; }
    #mc-summary { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("enter", "choose", N_("Agreed answer")),
        Binding("o", "take('original')", N_("Take auditor's")),
        Binding("m", "take('moderator')", N_("Take moderator's")),
        Binding("n", "next_difference", N_("Next ≠"), key_display="n"),
        Binding("s,ctrl+s", "agree", N_("Agree…"), key_display="s"),
        Binding("escape,q", "back", N_("Back"), key_display="esc"),
    ]

    def __init__(self, comparison: Comparison, fw: Framework, *, own_audit: bool) -> None:
        super().__init__()
        self.moderation_id = comparison.moderation_id
        self.comparison = comparison
        self.fw = fw
        self.agreed: dict[str, str] = {}
        self._words: tuple[str, Framework] | None = None  # the framework read in a language
        # Separation of duties: the audit's own auditor sees the comparison, never agrees it.
        self.own_audit = own_audit

    @classmethod
    def load(cls, ctx: AppContext, moderation_id: int) -> ComparisonScreen:
        """The comparison of `moderation_id` (UserError before it is submitted)."""
        comparison = moderation.comparison(ctx, moderation_id)
        # Shown only after submission (comparison refuses before), so the audit may be read.
        audit = audits.get_audit(ctx, comparison.audit_id)
        fw = framework_versions.framework(ctx, audit.framework_hash)
        return cls(comparison, fw, own_audit=same_person(comparison.auditor, ctx.me))

    def compose(self) -> ComposeResult:
        # The title here, not on mount: a change of language composes the screen again.
        self.title = _("Moderation of {case}").format(case=self.comparison.case_reference)
        yield AppHeader()
        with Vertical(id="mc-body"):
            yield Static(id="mc-summary")
            yield DataTable(id="mc-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="mc-notes")
        yield AppFooter()

    def on_mount(self) -> None:
        self.show()

    @property
    def words(self) -> Framework:
        """The framework as the interface's language reads it (titles, answers, grades)."""
        lang = i18n.current()
        if self._words is None or self._words[0] != lang:
            self._words = (lang, shown_framework(self.fw))
        return self._words[1]

    def question_text(self, row: ComparedQuestion) -> str:
        """The question's words in the interface language; the comparison's own (English)
        where this version of the framework does not ask it."""
        if i18n.current() == i18n.DEFAULT or not self.fw.has_question(row.question_id):
            return row.text
        return str(self.words.question(row.question_id).text)

    @property
    def locked(self) -> bool:
        return self.comparison.status == "agreed"

    def _agreed(self, row: ComparedQuestion) -> str | None:
        if self.locked:
            return row.agreed
        if row.question_id in self.agreed:
            return self.agreed[row.question_id]
        return None if row.differ else row.original

    def _agreed_cell(self, r: ComparedQuestion) -> Content:
        agreed = self._agreed(r)
        if agreed is None:
            return Content.assemble(("? " + _("to agree"), "bold $text-warning"))
        fw = self.words
        q = fw.question(r.question_id) if fw.has_question(r.question_id) else None
        return answer_content(fw, q, agreed)

    def show_summary(self) -> None:
        c, label = self.comparison, self.words.judgements.label
        status = _(STATUS_WORDS[c.status]) if c.status in STATUS_WORDS else c.status
        self.sub_title = _("{status} · auditor {auditor} · moderator {moderator}").format(
            status=status, auditor=c.auditor, moderator=c.moderator
        )
        open_rows = [r for r in c.questions if r.differ and self._agreed(r) is None]
        judge_mark = f" {DIFFER} " if c.judgements_differ else " = "
        differ = ngettext(
            "{n} answer differs ({mark})", "{n} answers differ ({mark})", c.differences
        ).format(n=c.differences, mark=DIFFER)
        lines = [
            Content.assemble(
                (f"{c.case_reference}", "bold"),
                " · ",
                _("audit {id} · auditor {auditor} · moderator {moderator}").format(
                    id=c.audit_id, auditor=c.auditor, moderator=c.moderator
                ),
            ),
            # Each side's words styled apart: assembled from a translated pattern's parts.
            styled(
                _(
                    "Judgement: auditor {auditor}{mark}moderator {moderator} · % met: "
                    "auditor {auditor_met}, moderator {moderator_met}"
                ),
                auditor=(label(c.original_judgement), "bold"),
                mark=judge_mark,
                moderator=(label(c.moderator_judgement), "bold"),
                auditor_met=percent(c.original_percent_met),
                moderator_met=percent(c.moderator_percent_met),
            ),
        ]
        if self.own_audit and not self.locked:
            lines.append(
                Content.assemble(
                    (differ + ". ", "bold"),
                    _(
                        "This is your own audit: the moderator or the QA lead records the "
                        "agreement, not you."
                    ),
                )
            )
        elif self.locked:
            lines.append(
                Content.assemble(
                    ("✓ " + _("Agreed:") + " ", "bold $text-success"),
                    (label(c.agreed_judgement), "bold"),
                    f" - {c.comment}",
                )
            )
        else:
            lines.append(
                Content.assemble(
                    (differ, "bold"),
                    ", ",
                    _("{n} still to agree.").format(n=len(open_rows)),
                    " ",
                    (
                        _("Enter/o/m sets the agreed answer, s records the agreement."),
                        "$text-muted",
                    ),
                )
            )
        self.query_one("#mc-summary", Static).update(Content("\n").join(lines))

    def show(self) -> None:
        c = self.comparison
        self.show_summary()
        table = self.query_one("#mc-table", DataTable)
        row_index = table.cursor_row
        rows: list[tuple[list[object], str]] = []
        fw = self.words
        for r in c.questions:
            q = fw.question(r.question_id) if fw.has_question(r.question_id) else None
            rows.append(
                (
                    [
                        DIFFER if r.differ else "",
                        r.question_id,
                        answer_content(fw, q, r.original),
                        answer_content(fw, q, r.moderator),
                        self._agreed_cell(r),
                        self.question_text(r),
                    ],
                    r.question_id,
                )
            )
        # The question's text only where it fits whole; it is always below, in full.
        fill_table(
            table,
            [
                Col(DIFFER, "differ"),
                Col(_("Question"), "question"),
                Col(_("Auditor"), "auditor"),
                Col(_("Moderator"), "moderator"),
                Col(_("Agreed"), AGREED_COLUMN),
                Col(_("Text"), "text", priority=1),
            ],
            rows,
            width=table_room(table),
        )
        if table.row_count:
            table.move_cursor(row=min(row_index, table.row_count - 1))
        self._show_notes()
        self.refresh_bindings()

    def selected(self) -> ComparedQuestion | None:
        table = self.query_one("#mc-table", DataTable)
        rows = self.comparison.questions
        return rows[table.cursor_row] if rows and table.cursor_row < len(rows) else None

    def _show_notes(self) -> None:
        r = self.selected()
        notes = self.query_one("#mc-notes", Static)
        if r is None:
            notes.update("")
            return
        # The table cuts the question text at 80 columns: here it reads in full.
        notes.update(
            Content.assemble(
                (f"{r.question_id} ", "bold"),
                f"{self.question_text(r)}\n",
                (_("Auditor's note:") + " ", "bold"),
                f"{r.original_note or '-'}\n",
                (_("Moderator's note:") + " ", "bold"),
                r.moderator_note or "-",
            )
        )

    # --- events -----------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_notes()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_choose()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("choose", "take", "agree"):
            return not self.read_only
        return True

    @property
    def read_only(self) -> bool:
        return self.locked or self.own_audit

    # --- actions ----------------------------------------------------------------------

    def _set(self, row: ComparedQuestion, code: str | None) -> None:
        if code is None:
            return
        self.agreed[row.question_id] = code
        # Filled again, not one cell changed: the column then stays wide enough for it.
        self.show()

    def action_choose(self) -> None:
        r = self.selected()
        if r is None or self.read_only:
            return
        self.app.push_screen(
            ChooseAnswerModal(self.words, r, self._agreed(r)), lambda code: self._set(r, code)
        )

    def action_take(self, side: str) -> None:
        r = self.selected()
        if r is None or self.read_only:
            return
        code = r.original if side == "original" else r.moderator
        if code is None:
            self.notify(_("Nothing was answered there: choose the answer with Enter."))
            return
        self._set(r, code)

    def action_next_difference(self) -> None:
        rows = self.comparison.questions
        table = self.query_one("#mc-table", DataTable)
        start = table.cursor_row
        for step in range(1, len(rows) + 1):
            i = (start + step) % len(rows)
            if rows[i].differ:
                table.move_cursor(row=i)
                return
        self.notify(_("No answers differ."))

    def action_agree(self) -> None:
        if self.read_only:
            return
        open_rows = [r for r in self.comparison.questions if r.differ and self._agreed(r) is None]
        if open_rows:
            first = self.comparison.questions.index(open_rows[0])
            self.query_one("#mc-table", DataTable).move_cursor(row=first)
            self.notify(
                ngettext(
                    "Agree an answer for {n} differing question first ({ids}).",
                    "Agree an answer for {n} differing questions first ({ids}).",
                    len(open_rows),
                ).format(n=len(open_rows), ids=", ".join(r.question_id for r in open_rows[:3])),
                severity="warning",
            )
            return

        def done(result: Comparison | None) -> None:
            if result is None:
                return
            self.comparison = result
            self.agreed.clear()
            self.notify(
                _("Agreed: {grade}. Profiles count the agreed answers from now on.").format(
                    grade=self.words.judgements.label(result.agreed_judgement)
                ),
                title=_("Moderation"),
            )
            self.show()

        self.app.push_screen(AgreeModal(self.comparison, self.words, dict(self.agreed)), done)

    def action_back(self) -> None:
        self.dismiss(None)

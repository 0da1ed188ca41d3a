"""Export an Excel workbook - or the raw audits and answers as CSV files, as `export --csv`
writes them: the scope, the format and the workbook's language (English, Cymraeg or both;
by default the interface's), where to save it (the exports folder and a file name, each
shown in full), progress while it is written (in a worker thread), then the path of the
file. An existing file is replaced only when confirmed;
an error is one line; a cancelled or failed export leaves no file behind (the export module
writes to a temporary file and moves it into place at the end)."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from audit_tui import i18n
from audit_tui.domain.errors import UserError
from audit_tui.domain.periods import Period
from audit_tui.export import (
    CsvResult,
    ExportProgress,
    ExportResult,
    ExportSpec,
    default_file_name,
)
from audit_tui.i18n import N_, _, ngettext
from audit_tui.services import framework_choice, profiles
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import is_demo
from audit_tui.ui.bases.dialog import ConfirmModal, DialogBody, GuardTyped, dialog_css
from audit_tui.ui.bases.screen import InApp
from audit_tui.ui.words import framework_title
from audit_tui.ui.workers import ReportsWork, WorkFailed

PERIOD_HELP = N_("2025-26, 2025-26 Q1, 2025-07 or 2025-04-01..2025-09-30")
XLSX, CSV = "xlsx", "csv"
FORMATS = ((N_("Excel workbook"), XLSX), (N_("CSV files"), CSV))
# Each language named in its own words, as a language choice is (not translated).
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg", i18n.BILINGUAL: "Cymraeg + English"}


# What is locked while an export runs.
FIELDS = (
    "#ex-framework",
    "#ex-period",
    "#ex-format",
    "#ex-lang",
    "#ex-folder",
    "#ex-path",
    "#ex-export",
)


class ExportCancelled(Exception):
    """Raised from the progress callback: the export module then removes its partial file."""


class ExportModal(InApp, ReportsWork, GuardTyped, ModalScreen[Path | None]):
    """Returns the path written, or None."""

    class Written(Message):
        """The workbook (or the CSV files) saved."""

        def __init__(self, result: ExportResult | CsvResult) -> None:
            super().__init__()
            self.result = result

    class Stopped(Message):
        """The export was stopped (Esc): no file was written."""

    BINDINGS = [
        Binding("ctrl+s", "export", N_("Export")),
        Binding("escape", "close", N_("Cancel/close"), key_display="esc"),
    ]
    DEFAULT_CSS = (
        dialog_css("ExportModal")  # not translated: CSS
        + """
    ExportModal > DialogBody { width: 76; }
    ExportModal .ex-row { height: auto; margin: 0 0 1 0; }
    ExportModal .ex-row Label { width: 11; color: $text-secondary; }
    ExportModal .ex-row Select, ExportModal .ex-row Input { width: 1fr; }
    ExportModal .ex-row #ex-lang-label { margin: 0 1 0 2; width: auto; }
    ExportModal #ex-csv-help { display: none; }
    ExportModal.-csv #ex-csv-help { display: block; }
    ExportModal.-csv #ex-name-row { display: none; }
    ExportModal #ex-period-row { margin: 0; }
    ExportModal .ex-help { color: $text-muted; height: auto; margin: 0 0 1 11; }
    ExportModal #ex-folder-row { margin: 0; }
    ExportModal #ex-scope { height: auto; margin: 0 0 1 0; }
    ExportModal #ex-progress-row { height: auto; display: none; }
    ExportModal #ex-progress-row.-running, ExportModal #ex-progress-row.-shown { display: block; }
    ExportModal #ex-stage { color: $text-secondary; height: auto; }
    ExportModal #ex-done { height: auto; }
    """
    )

    def __init__(
        self,
        framework_id: str | None = None,
        period: str | None = None,
        teams: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.framework_id = framework_id
        self.period_text = period
        self.teams = list(teams or [])
        self.result: ExportResult | CsvResult | None = None
        self.error: str | None = None
        self.running = False
        self._cancel = threading.Event()
        self._auto_name = ""

    def _now(self) -> datetime:
        return self.audit_app.clock()

    # --- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ctx = self.ctx
        frameworks = framework_choice.offered(ctx, also=self.framework_id)
        ids = [f.id for f in frameworks]
        fw_id = self.framework_id if self.framework_id in ids else None
        if fw_id is None:
            fw_id = framework_choice.preferred(ctx, frameworks)
        period = self.period_text or profiles.resolve_period(ctx).label
        with DialogBody():
            yield Static(_("Export the board pack"), classes="dialog-title")
            with Horizontal(classes="ex-row"):
                yield Label(_("Framework"))
                yield Select(
                    [(f"{framework_title(f)} (v{f.version})", f.id) for f in frameworks],
                    value=fw_id if fw_id else Select.NULL,
                    allow_blank=False,
                    compact=True,
                    id="ex-framework",
                )
            with Horizontal(classes="ex-row", id="ex-period-row"):
                yield Label(_("Period"))
                yield Input(value=period, compact=True, id="ex-period")
            yield Static(_(PERIOD_HELP), classes="ex-help")
            yield Static(id="ex-scope")
            with Horizontal(classes="ex-row", id="ex-folder-row"):
                yield Label(_("Folder"))
                yield Input(str(self.exports_folder()), compact=True, id="ex-folder")
            with Horizontal(classes="ex-row", id="ex-name-row"):
                yield Label(_("File name"))
                yield Input(compact=True, id="ex-path")
            yield Static(
                _("Two files, audits and answers, named for you (English column names)."),
                classes="ex-help",
                id="ex-csv-help",
            )
            with Horizontal(classes="ex-row", id="ex-format-row"):
                yield Label(_("Format"))
                yield Select(
                    [(_(label), value) for label, value in FORMATS],
                    value=XLSX,
                    allow_blank=False,
                    compact=True,
                    id="ex-format",
                )
                yield Label(_("Language"), id="ex-lang-label")
                # The interface's language by default (whatever chose it: --lang, the
                # settings or the system locale): the workbook says what the screen says.
                yield Select(
                    [(name, code) for code, name in LANGUAGE_NAMES.items()],
                    value=i18n.current(),
                    allow_blank=False,
                    compact=True,
                    id="ex-lang",
                )
            yield Static("", id="ex-error", classes="dialog-error", markup=False)
            with Horizontal(id="ex-progress-row"):
                yield ProgressBar(total=100, show_eta=False, id="ex-progress")
            yield Static("", id="ex-stage", markup=False)
            yield Static("", id="ex-done")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Cancel (esc)"), id="ex-close", compact=True)
                yield Button(_("Export (ctrl+s)"), id="ex-export", variant="primary", compact=True)

    def exports_folder(self) -> Path:
        """The session's exports folder (AUDIT_TUI_EXPORTS or the settings file; by default
        the documents folder's audit-tui folder)."""
        return Path(self.ctx.settings.exports).expanduser()

    def on_mount(self) -> None:
        self._show_scope()
        self._suggest_path()
        self.query_one("#ex-path", Input).focus()
        self.remember_typed()

    # --- scope and the suggested file name -----------------------------------------------------

    def _framework(self) -> str:
        value = self.query_one("#ex-framework", Select).value
        return "" if value is Select.NULL else str(value)

    def _format(self) -> str:
        return str(self.query_one("#ex-format", Select).value)

    def _lang(self) -> str:
        return str(self.query_one("#ex-lang", Select).value)

    def _period(self) -> Period:
        return profiles.resolve_period(self.ctx, self.query_one("#ex-period", Input).value)

    def _show_scope(self) -> None:
        teams = ", ".join(self.teams) if self.teams else _("all teams")
        self.query_one("#ex-scope", Static).update(
            Content.assemble(
                _("Teams: "),
                (teams, "bold"),
                _(" (figures for the whole authority are always included to compare against)"),
            )
        )

    def _suggest_path(self) -> None:
        """The default file name follows the framework and period until the user edits it."""
        path_input = self.query_one("#ex-path", Input)
        if path_input.value and path_input.value != self._auto_name:
            return
        try:
            period = self._period()
        except UserError:
            return
        self._auto_name = default_file_name(
            self._framework(), period, self._now(), self.teams or None, demo=is_demo(self.ctx)
        )
        path_input.value = self._auto_name

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "ex-format":
            # CSV files are data for scripts: named for the user, English column names.
            csv = self._format() == CSV
            self.set_class(csv, "-csv")
            self.query_one("#ex-lang", Select).disabled = csv
        self._suggest_path()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "ex-period":
            self._suggest_path()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    # --- exporting ----------------------------------------------------------------------------

    def _show_error(self, message: str | None) -> None:
        self.error = message
        self.query_one("#ex-error", Static).update(f"✗ {message}" if message else "")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ex-export":
            self.action_export()
        else:
            self.action_close()

    def action_export(self) -> None:
        if self.running:
            return
        if self.result is not None:
            self.dismiss(self.written)
            return
        self._show_error(None)
        try:
            period = self._period()
        except UserError as exc:
            self._show_error(str(exc))
            self.query_one("#ex-period", Input).focus()
            return
        text = self.query_one("#ex-path", Input).value.strip()
        folder = Path(self.query_one("#ex-folder", Input).value.strip() or ".").expanduser()
        spec = ExportSpec(
            framework_id=self._framework(), period=period.label, teams=self.teams, lang=self._lang()
        )
        if self._format() == CSV:
            self._start(spec, folder)  # into the folder, under names never taken before
            return
        if not text:
            self._show_error(_("File name: give a file name ending in .xlsx"))
            return
        if text == self._auto_name:
            # The suggested name: hand the export its folder (created if need be), so a name
            # taken meanwhile becomes "-2", "-3"... and nothing is replaced.
            self._start(spec, folder)
            return
        out = folder / Path(text).expanduser()  # a full path typed here wins over the folder
        if out.suffix.lower() == ".xlsx" and out.is_file():

            def replace(yes: bool | None) -> None:
                if yes:
                    self._start(spec.model_copy(update={"overwrite": True}), out)
                else:
                    self._show_error(
                        _("{path} already exists: not replaced; choose another name").format(
                            path=out
                        )
                    )
                    self.query_one("#ex-path", Input).focus()

            self.app.push_screen(
                ConfirmModal(
                    _("Replace the file?"),
                    _("{path} already exists. Replace it with the new workbook?").format(path=out),
                    yes=_("Replace"),
                    no=_("Keep it"),
                ),
                replace,
            )
            return
        self._start(spec, out)

    def _start(self, spec: ExportSpec, out: Path) -> None:
        self.running = True
        self._cancel.clear()
        for selector in FIELDS:
            self.query_one(selector).disabled = True
        self.query_one("#ex-progress-row").add_class("-running")
        self.query_one("#ex-progress", ProgressBar).update(progress=0)
        self.query_one("#ex-stage", Static).update(_("Starting..."))
        self.query_one("#ex-close", Button).label = _("Stop (esc)")
        self.query_one("#ex-close", Button).focus()
        self._write(self.ctx, spec, out, self._now(), self._format() == CSV)

    @work(
        thread=True,
        exclusive=True,
        group="export",
        exit_on_error=False,
        description=N_("Could not export"),
    )
    def _write(
        self, ctx: AppContext, spec: ExportSpec, out: Path, now: datetime, csv: bool = False
    ) -> ExportModal.Written | ExportModal.Stopped:
        """The workbook (or the CSV files: the command line's `export --csv`), or Stopped. A
        stop is an answer, not a failure: the worker ends successfully, so nothing waiting on
        it (or on every worker) sees an error."""
        from audit_tui.export import write_csv, write_workbook

        if csv:
            return self.Written(write_csv(ctx, spec, out, now=now))

        def progress(p: ExportProgress) -> None:
            if self._cancel.is_set():
                raise ExportCancelled
            self.app.call_from_thread(self._show_progress, p)

        try:
            return self.Written(write_workbook(ctx, spec, out, progress, now=now))
        except ExportCancelled:
            return self.Stopped()

    def _show_progress(self, p: ExportProgress) -> None:
        if not self.running:
            return
        self.query_one("#ex-progress", ProgressBar).update(progress=int(100 * p.fraction))
        if p.stage == "saving":
            stage = _("Saving the file...")
        elif p.stage == "done":
            stage = _("Done...")
        else:
            stage = _("Writing {sheet}...").format(sheet=p.stage)
        self.query_one("#ex-stage", Static).update(stage)

    @on(Written)
    def _written(self, message: Written) -> None:
        self.running = False
        self._done(message.result)

    @on(Stopped)
    def _stopped(self) -> None:
        self._not_written(_("Export stopped: no file was written."))

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self._not_written(message.text)

    def _not_written(self, why: str) -> None:
        self.running = False
        self._show_error(why)
        self.query_one("#ex-progress-row").remove_class("-running")
        self.query_one("#ex-stage", Static).update("")
        for selector in FIELDS:
            self.query_one(selector).disabled = False
        self.query_one("#ex-lang", Select).disabled = self._format() == CSV
        self.query_one("#ex-close", Button).label = _("Cancel (esc)")
        self.query_one("#ex-path", Input).focus()

    def _done(self, result: ExportResult | CsvResult) -> None:
        self.result = result
        counts = ", ".join(
            (
                ngettext("{n} audit", "{n} audits", result.audits).format(
                    n=i18n.format_number(result.audits)
                ),
                ngettext("{n} answer", "{n} answers", result.answers).format(
                    n=i18n.format_number(result.answers)
                ),
            )
        )
        if isinstance(result, CsvResult):
            path = result.paths[0].parent.resolve()
            what = _("files {names}").format(names=", ".join(p.name for p in result.paths))
            saved = _("CSV files saved: {path}").format(path=path)
        else:
            path = result.path.resolve()
            what = _("sheets {names}").format(names=", ".join(result.sheets))
            saved = _("Workbook saved: {path}").format(path=path)
        self.query_one("#ex-progress", ProgressBar).update(progress=100)
        self.query_one("#ex-stage", Static).update(
            _("Done: {counts}; {what}.").format(counts=counts, what=what)
        )
        self.query_one("#ex-done", Static).update(
            Content.assemble((_("✓ Saved to "), "bold $text-success"), (str(path), "bold"))
        )
        close = self.query_one("#ex-close", Button)
        close.label = _("Close (esc)")
        export = self.query_one("#ex-export", Button)
        export.label = _("Done (enter)")
        export.disabled = False
        export.focus()
        self.notify(saved, title=_("Export"))

    @property
    def written(self) -> Path | None:
        """The workbook written, or the folder of the CSV files; None before."""
        if isinstance(self.result, CsvResult):
            return self.result.paths[0].parent
        return self.result.path if self.result is not None else None

    def action_close(self) -> None:
        if self.running:
            self._cancel.set()
            self.query_one("#ex-stage", Static).update(_("Stopping..."))
            return
        if self.result is not None:
            self.dismiss(self.written)
            return
        self.leave(lambda: self.dismiss(None))

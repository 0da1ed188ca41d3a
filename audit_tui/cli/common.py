"""Shared pieces of the command line: the lazily built application context, error output."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn, TextIO

import click

from audit_tui.domain.errors import UserError
from audit_tui.domain.text import printable
from audit_tui.i18n import N_, _

if TYPE_CHECKING:
    # Imported when a command needs them: `audit-tui --help` must not pay for SQLAlchemy.
    from audit_tui.config import Settings
    from audit_tui.services.context import AppContext
    from audit_tui.store.early_drafts import EarlyDrafts


@dataclass
class Obj:
    db_url: str | None = None
    user: str | None = None
    # Open the demo database (`--demo`, and `audit-tui demo` without --db).
    demo: bool = False
    lang: str | None = None
    _ctx: AppContext | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        from pydantic import ValidationError

        from audit_tui.config import Settings, settings_file
        from audit_tui.domain.messages import plain_problem

        overrides: dict[str, str] = {}
        if self.db_url:
            overrides["db"] = self.db_url
        if self.user:
            overrides["user"] = self.user
        if self.lang:
            overrides["lang"] = self.lang
        try:
            settings = Settings(**overrides)  # type: ignore[arg-type]
        except ValidationError as exc:
            err = exc.errors()[0]
            name = ".".join(str(p) for p in err["loc"])
            msg = plain_problem(err)
            option = f"--{name}, " if name in ("db", "user", "lang") else ""
            raise UserError(
                _("setting {name} ({option}{variable} or {file}): {problem}").format(
                    name=name,
                    option=option,
                    variable=f"AUDIT_TUI_{name.upper()}",
                    file=settings_file(),
                    problem=msg,
                )
            ) from None
        except ValueError as exc:  # the settings file is not TOML
            first = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
            raise UserError(
                _("{file}: not a readable settings file ({reason})").format(
                    file=settings_file(), reason=first
                )
            ) from None
        if self.demo and not self.db_url:
            settings = settings.model_copy(update={"db": settings.demo_db})
        return settings

    def context(self) -> AppContext:
        if self._ctx is None:
            from audit_tui.services.context import AppContext

            self._ctx = AppContext.from_settings(self.settings())
        return self._ctx

    def early_drafts(self) -> EarlyDrafts | None:
        """Home's drafts for its first frame, read before the context opens (without
        pydantic, SQLAlchemy or the services: store/early_drafts.py)."""
        from audit_tui.store.early_drafts import early_drafts

        return early_drafts(self.db_url, self.user, demo=self.demo)

    def ui_context(self) -> AppContext:
        """The context the UI opens after its first frame (ui/startup.py)."""
        from audit_tui.services.framework_versions import store_legacy_versions

        ctx = self.context()
        store_legacy_versions(ctx)  # once per database: see docs/frameworks.md
        return ctx


def _obj() -> Obj:
    # The group callback always sets one (`main` makes it before any command runs).
    return click.get_current_context().ensure_object(Obj)


def app_context() -> AppContext:
    return _obj().context()


def settings() -> Settings:
    return _obj().settings()


DATE = click.DateTime(formats=["%Y-%m-%d"])

framework_option = click.option(
    "--framework",
    "framework_id",
    help=N_(
        "Framework id (see `audit-tui frameworks list`; default: the default_framework "
        "setting, case-file unless changed)."
    ),
)
period_option = click.option(
    "--period",
    help=N_(
        "2025-26, 2025-26 Q1, 2025-07 or 2025-04-01..2025-09-30 (default: this financial year)."
    ),
)
teams_option = click.option(
    "--team", "teams", multiple=True, help=N_("Only this team (repeat for more).")
)


into_demo_option = click.option(
    "--into-demo",
    is_flag=True,
    help=N_("The open database is the demo one: write there anyway (practice only)."),
)


def fail_import(errors: list[str], summary: str) -> NoReturn:
    """A refused import: each problem on its own line on stderr, then the summary; a single
    problem is the one line."""
    if len(errors) == 1:
        fail(errors[0])
    for line in errors:
        print(line, file=sys.stderr)
    fail(summary)


def fail(message: str) -> NoReturn:
    """One line on stderr, exit status 2."""
    line = " ".join(printable(str(message)).split())
    print(_("audit-tui: error: {message}").format(message=line), file=sys.stderr)
    sys.exit(2)


class PrintableStream(io.TextIOBase):
    """stdout or stderr without control characters other than line breaks and tabs.

    A team, worker or case reference holding ESC (stored before the tool refused them, or
    written into the database by something else) would otherwise reach the terminal as an
    escape sequence: recolouring, hiding or rewriting what the user sees. `unfiltered` is the
    stream itself, for the tool's own cursor movement (the export's progress line).
    """

    def __init__(self, stream: TextIO) -> None:
        self.unfiltered = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            # not translated: click probes with b"" for a binary stream; no user sees it
            raise TypeError("text only")
        self.unfiltered.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.unfiltered.flush()

    def isatty(self) -> bool:
        return self.unfiltered.isatty()

    def fileno(self) -> int:
        return self.unfiltered.fileno()

    def writable(self) -> bool:
        return True

    # TextIOBase types these as plain attributes; a property reading the wrapped stream's is
    # what a stream wrapper needs, hence the override ignores.
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.unfiltered.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.unfiltered.errors


def print_only_printable(ctx: click.Context) -> None:
    """Filter what the command prints until it ends (not the full-screen UI: Textual writes
    its own escape sequences, and strips names itself; see ui/app.py)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PrintableStream(out), PrintableStream(err)

    def restore() -> None:
        sys.stdout, sys.stderr = out, err

    ctx.call_on_close(restore)


def unfiltered_stderr() -> TextIO:
    return getattr(sys.stderr, "unfiltered", sys.stderr)

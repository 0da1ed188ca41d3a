"""The command line. Textual is imported only inside the command that starts the UI.

Every user error is one line on stderr and exit status 2; no traceback reaches the user.
"""

from __future__ import annotations

import sys

import click

from audit_tui import collector, i18n
from audit_tui.cli import (
    actions_cmd,
    cases_cmd,
    db_cmd,
    demo_cmd,
    escalation_cmd,
    export_cmd,
    frameworks_cmd,
    history_cmd,
    moderation_cmd,
    profile_cmd,
    staff_cmd,
)
from audit_tui.cli.common import Obj, fail, print_only_printable
from audit_tui.cli.language import choose_language, translate_help
from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, UnknownLanguage, _


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
# No envvar= here: Settings reads AUDIT_TUI_DB and AUDIT_TUI_USER (and the settings file), so
# each variable is read in one place; the options only override them.
@click.option(
    "--db",
    "db_url",
    help=N_(
        "SQLAlchemy database URL (default: AUDIT_TUI_DB, the settings file, or a SQLite "
        "file in your user data folder)."
    ),
)
@click.option(
    "--user",
    help=N_(
        "Who you are, as the staff directory names you (default: AUDIT_TUI_USER, the "
        "settings file, or your login). On PostgreSQL with a login of your own, the login "
        "decides."
    ),
)
@click.option(
    "--demo",
    is_flag=True,
    help=N_("Open the demo database (made-up data, kept apart from real audits) instead."),
)
@click.option(
    "--lang",
    metavar="en|cy",
    help=N_(
        "Language of the interface and the exports: en (English) or cy (Cymraeg) (default: "
        "AUDIT_TUI_LANG, the settings file, or the system locale)."
    ),
)
@click.version_option(package_name="audit-tui")
@click.pass_context
def cli(
    ctx: click.Context, db_url: str | None, user: str | None, demo: bool, lang: str | None
) -> None:
    """audit-tui: structured case-file audits for children's services quality assurance.

    With no command, opens the auditor's terminal UI on the configured database.
    """
    if demo and db_url:
        raise click.UsageError(_("give --demo or --db, not both"))
    # main() has chosen the language already (from --lang too); Settings carries it.
    ctx.obj = Obj(db_url=db_url, user=user, demo=demo, lang=lang)
    if ctx.invoked_subcommand is not None:
        collector.release()  # held by main for the UI's first frame only
    if ctx.invoked_subcommand is None:
        from audit_tui.ui.app import run_app

        # Home's first frame is drawn before the settings and the database are opened (in
        # the UI's worker); an error opening them comes back from run_app, reported below.
        run_app(ctx.obj.ui_context, ctx.obj.early_drafts)
    else:
        print_only_printable(ctx)


for module in (
    frameworks_cmd,
    db_cmd,
    demo_cmd,
    profile_cmd,
    export_cmd,
    cases_cmd,
    moderation_cmd,
    actions_cmd,
    history_cmd,
    staff_cmd,
    escalation_cmd,
):
    module.register(cli)


def main(argv: list[str] | None = None) -> None:
    # The language is this run's: a caller in the same process (a test) gets its own back.
    before = i18n.current()
    try:
        _main(argv)
    finally:
        collector.release()
        i18n.set_language(before)


def _main(argv: list[str] | None) -> None:
    # No garbage collection until the UI's first frame, or the command is known
    # (audit_tui/collector.py).
    collector.hold()
    try:
        choose_language(sys.argv[1:] if argv is None else argv)
    except UnknownLanguage as exc:
        fail(str(exc))
    translate_help(cli)
    try:
        rv = cli.main(args=argv, prog_name="audit-tui", standalone_mode=False)
    except click.exceptions.Abort:
        fail(_("aborted"))
    except click.ClickException as exc:
        fail(exc.format_message())
    except UserError as exc:
        fail(str(exc))
    except Exception as exc:
        # A bad setting from the environment or the settings file: plain words, no traceback.
        # (pydantic is imported here, not at the top: `audit-tui --help` stays light.)
        from pydantic import ValidationError

        if not isinstance(exc, ValidationError):
            raise
        from audit_tui.domain.messages import plain_error

        fail(_("settings: {problem}").format(problem=plain_error(exc)))
    except KeyboardInterrupt:
        fail(_("interrupted"))
    sys.exit(rv if isinstance(rv, int) else 0)

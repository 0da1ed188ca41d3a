"""`audit-tui frameworks list|check|show`."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audit_tui.cli.common import app_context, fail, settings
from audit_tui.domain.errors import FrameworkError
from audit_tui.i18n import N_, _, ngettext

if TYPE_CHECKING:
    # Imported where used: `audit-tui --help` stays light.
    from audit_tui.domain.framework import Framework, Question
    from audit_tui.domain.loader import FrameworkRegistry
    from audit_tui.domain.yaml_reading import Lines


def _registry() -> FrameworkRegistry:
    from audit_tui.domain.loader import FrameworkRegistry

    return FrameworkRegistry.from_dirs(settings().framework_dirs())


@click.group("frameworks")
def frameworks() -> None:
    """List, check and show audit frameworks."""


@frameworks.command("list")
def list_() -> None:
    """Id, title, version, question count and source file of every framework."""
    rows = [
        (fw.id, fw.title, fw.version, str(len(fw.questions)), fw.source_path)
        for fw in _registry().all()
    ]
    head = (_("ID"), _("TITLE"), _("VERSION"), _("QUESTIONS"), _("FILE"))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(5)]
    for r in [head, *rows]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; a folder stands for the framework files in it."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
        else:
            out.append(path)
    return out


def _builtin_ids() -> dict[str, Path]:
    """Ids already taken by the shipped frameworks: an authority's file must not reuse one."""
    from audit_tui.config import builtin_frameworks_dir
    from audit_tui.domain.loader import FrameworkRegistry

    try:
        registry = FrameworkRegistry.from_dirs([builtin_frameworks_dir()])
    except FrameworkError:
        return {}
    return {fw.id: Path(fw.source_path) for fw in registry.all()}


LANGUAGE_CHOICE = click.Choice(["en", "cy"])


def _translation_note(fw: Framework, lines: Lines, lang: str) -> str:
    """Print each text that has nothing in `lang` (advice on stdout, not an error) and say
    how many, for the file's ok line."""
    from audit_tui.domain.bilingual import LANGUAGES
    from audit_tui.domain.untranslated import untranslated_lines

    missing = untranslated_lines(fw, lines, lang)
    for line, what in missing:
        click.echo(f"{fw.source_path}:{line}: {what}" if line else f"{fw.source_path}: {what}")
    name = _(LANGUAGES[lang])
    if not missing:
        return "; " + _("every text has {language} ({code})").format(language=name, code=lang)
    n = len(missing)
    return "; " + ngettext(
        "{n} text without {language} ({code}), shown in the other language until translated",
        "{n} texts without {language} ({code}), shown in the other language until translated",
        n,
    ).format(n=n, language=name, code=lang)


# The language names of domain.bilingual.LANGUAGES, for the catalogue.
_LANGUAGE_NAMES = (N_("English"), N_("Welsh"))


@frameworks.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--against-db",
    is_flag=True,
    help=N_(
        "Also check each file against the framework versions stored in the database "
        "(--db): a changed file needs a new version, and a retired question id stays retired."
    ),
)
@click.option(
    "--lang",
    type=LANGUAGE_CHOICE,
    help=N_(
        "Also list every text with nothing in this language (en or cy), by file and line. "
        "A missing translation is advice, not an error: it does not change the exit status."
    ),
)
def check(paths: tuple[Path, ...], against_db: bool, lang: str | None) -> None:
    """Validate framework files (or folders of them): exit 0 when all are valid, 2 with one
    line per problem."""
    from audit_tui.domain.loader import load_framework_file_with_lines

    problems = 0
    seen = _builtin_ids()
    ctx = app_context() if against_db else None
    for path in _expand(paths):
        try:
            fw, lines = load_framework_file_with_lines(path)
        except FrameworkError as exc:
            # Every problem in the file, one line each, in file order.
            for line in exc.lines:
                print(" ".join(line.split()), file=sys.stderr)
            problems += 1
            continue
        other = seen.get(fw.id)
        if other is not None and other.resolve() != path.resolve():
            print(
                _("{path}: framework id '{id}' is also used by {other}").format(
                    path=path, id=fw.id, other=other
                ),
                file=sys.stderr,
            )
            problems += 1
            continue
        seen[fw.id] = path
        if ctx is not None:
            from audit_tui.services.framework_versions import check_against_database

            refused = check_against_database(ctx, [fw])
            if refused:
                print(refused[fw.id], file=sys.stderr)
                problems += 1
                continue
        note = _translation_note(fw, lines, lang) if lang else ""
        questions = ngettext("{n} question", "{n} questions", len(fw.questions)).format(
            n=len(fw.questions)
        )
        click.echo(
            _("{path}: ok ({id} {version}, {questions})").format(
                path=path, id=fw.id, version=fw.version, questions=questions
            )
            + note
        )
    if problems:
        sys.exit(2)


@frameworks.command("store")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def store(paths: tuple[Path, ...]) -> None:
    """Store framework versions from files (an older version kept in version control, say)
    in the database, so audits done on them can be read again. Each file is checked as by
    `check --against-db`; nothing else changes."""
    from audit_tui.domain.loader import load_framework_file
    from audit_tui.services.framework_versions import store_file_version

    ctx = app_context()
    loaded = [(path, load_framework_file(path)) for path in _expand(paths)]  # all valid first
    for path, fw in loaded:
        done = store_file_version(ctx, fw)
        state = _("stored") if done else _("already stored")
        click.echo(
            _("{path}: {state} ({id} {version}, hash {hash})").format(
                path=path, state=state, id=fw.id, version=fw.version, hash=fw.content_hash
            )
        )


def _flags(fw: Framework, q: Question) -> list[str]:
    flags = []
    if q.critical:
        triggers = _(" or ").join(
            str(o.label) for o in fw.answer_scale(q).options if o.code in fw.critical_triggers(q)
        )
        cap = fw.judgements.label(q.critical_cap or fw.critical_cap)
        flags.append(
            _("CRITICAL: {answers} caps the grade at {grade}").format(answers=triggers, grade=cap)
        )
    if q.weight == 0:
        flags.append(_("recorded, not scored"))
    if q.applies_to:
        flags.append(
            _("only {types}").format(types=", ".join(fw.case_type_label(c) for c in q.applies_to))
        )
    if not q.na_allowed:
        flags.append(_("N/A not allowed"))
    elif q.na_reason_required:
        flags.append(_("N/A needs a reason"))
    return flags


def render_framework(fw: Framework) -> str:
    # Never break at hyphens: ids (CF-AS-02), dates and hyphenated words stay whole.
    wrap = textwrap.TextWrapper(
        width=88, subsequent_indent="      ", break_on_hyphens=False, break_long_words=False
    )
    bands = "; ".join(
        _("{grade} from {percent}").format(
            grade=fw.judgements.label(t.judgement), percent=f"{t.min_percent:g}%"
        )
        for t in fw.thresholds
    )
    out = [
        _("{title} ({id}, version {version}, hash {hash})").format(
            title=fw.title, id=fw.id, version=fw.version, hash=fw.content_hash
        ),
        "",
        textwrap.fill(" ".join(fw.description.split()), 88, break_on_hyphens=False),
        "",
        _("Case types: {types}").format(types=", ".join(str(ct.label) for ct in fw.case_type_list)),
        _("Judgement scale: {grades}").format(
            grades=", ".join(label for _code, label in fw.judgements.choices)
        ),
        _(
            "Suggested judgement: {bands}; a critical failure caps it at {grade} unless the "
            "question names another grade"
        ).format(bands=bands, grade=fw.judgements.label(fw.critical_cap)),
    ]
    if fw.retired:
        out.append(
            _("Retired question ids (never reused): {ids}").format(ids=", ".join(fw.retired))
        )
    for n, section in enumerate(fw.sections, 1):
        out += ["", f"{n}. {section.title}", "-" * (len(section.title) + 3)]
        for q in section.questions:
            flags = _flags(fw, q)
            out.append(
                wrap.fill(f"  {q.id}  {q.text}" + (f"  [{'; '.join(flags)}]" if flags else ""))
            )
            good = " ".join(q.guidance.good.split())
            look_for = " ".join(q.guidance.look_for.split())
            out.append(wrap.fill("      " + _("Good: {text}").format(text=good)))
            out.append(wrap.fill("      " + _("Look for: {text}").format(text=look_for)))
            for c in q.evidence:
                source = f'{fw.citation_text(c)} - "{c.quote}"'
                out.append(wrap.fill("      " + _("Source: {source}").format(source=source)))
    return "\n".join(out)


@frameworks.command("show")
@click.argument("framework_id")
@click.option(
    "--lang",
    type=LANGUAGE_CHOICE,
    help=N_(
        "Show the framework's text in this language (en or cy); a text not yet translated "
        "is shown in the other language after [en] or [cy]. Quotations stay in the language "
        "they were published in."
    ),
)
def show(framework_id: str, lang: str | None) -> None:
    """The framework as readable text: sections, questions, guidance and citations."""
    fw = _registry().get(framework_id)
    click.echo(render_framework(fw.shown_in(lang) if lang else fw))


def register(cli: click.Group) -> None:
    cli.add_command(frameworks)


__all__ = ["fail", "register"]

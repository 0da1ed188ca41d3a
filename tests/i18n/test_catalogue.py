"""The Welsh catalogue is complete and every user-visible string in cli/, export/, ui/,
services/, readers/, domain/, store/ and the package's own modules (config.py,
settings_file.py...) is marked (modules on PENDING excepted).

The messages are extracted afresh with Babel and babel.cfg (as `make messages` does), so a
string marked in the code but missing from the catalogue fails here, not in front of a user.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from audit_tui import i18n
from tests.i18n.scan import unmarked

# Parses Python: no cyclic GC meanwhile (tests/conftest.py, a CPython 3.11 bug).
pytestmark = pytest.mark.usefixtures("no_cyclic_gc")

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "audit_tui"
CATALOGUE = PACKAGE / "locale" / "cy" / "LC_MESSAGES" / "audit_tui.po"

# Folders whose text must be marked, and the modules whose marking is still to do (their
# text is English in a Welsh run). Taking a module off this list is how a later round
# finishes it; a module on it with nothing left unmarked fails, so the list only shrinks.
# A name with * is a pattern of modules (not searched below): store/'s migrations are left
# out, as the database keeps their text (SQL, the event log's trigger message) as it was
# written, whatever language a run speaks.
CHECKED = ("cli", "export", "ui", "services", "readers", "domain", "demo", "store/*.py", "*.py")
# Every module in CHECKED is marked: a module added later with unmarked text fails.
PENDING: set[str] = set()


# A message: (its context or None, its msgid or (singular, plural)).
Message = tuple[str | None, str | tuple[str, ...]]


def _keywords() -> dict[str, object]:
    """Babel's default keywords (pgettext and npgettext among them) and the Makefile's -k
    ones (NP_), so this extracts what `make messages` extracts."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    commands = [line for line in makefile.splitlines() if "pybabel extract -F babel.cfg" in line]
    extra = [k for line in commands for k in re.findall(r"\s-k\s+(\S+)", line)]
    assert extra, "the Makefile's extraction of audit_tui's messages was not found"
    return {**DEFAULT_KEYWORDS, **parse_keywords(extra)}


def _messages() -> dict[Message, str]:
    with (REPO / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict[Message, str] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(REPO), method_map, options_map, keywords=_keywords()
    ):
        found.setdefault((context, message), f"{filename}:{lineno}")
    return found


def _msgid(message: str | tuple[str, ...]) -> str:
    return message[0] if isinstance(message, tuple) else message


def _catalogue():
    with CATALOGUE.open("rb") as f:
        return read_po(f, locale="cy")


def test_every_marked_message_has_a_welsh_translation() -> None:
    catalogue = _catalogue()
    missing = []
    for (context, message), where in _messages().items():
        key = _msgid(message)
        entry = catalogue.get(key, context=context)
        strings = () if entry is None else entry.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(s.strip() for s in strings):
            shown = key if context is None else f"{key} (context {context})"
            missing.append(f"{where}: {shown!r}")
    assert not missing, "untranslated (run `make messages`, then translate):\n" + "\n".join(missing)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_welsh_keeps_every_placeholder_and_click_wraps_paragraphs_alike() -> None:
    """A translation that drops or renames {name} would raise KeyError at run time."""
    bad = []
    for entry in _catalogue():
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for s in strings:
            if _fields(s) != _fields(ids[0]):
                bad.append(f"{ids[0]!r} -> {s!r}")
            if ids[0].count("\n\n") != s.count("\n\n"):
                bad.append(f"paragraphs differ: {ids[0][:40]!r}")
    assert not bad, "\n".join(bad)


def test_no_translation_is_left_over_from_removed_text() -> None:
    """An entry nothing uses any more is dropped (`make messages` does it)."""
    used = {(context, _msgid(message)) for context, message in _messages()}
    stale = [e.id for e in _catalogue() if e.id and (e.context, _msgid(e.id)) not in used]
    assert not stale


def _modules(folder: str) -> list[Path]:
    return sorted(PACKAGE.glob(folder) if "*" in folder else (PACKAGE / folder).rglob("*.py"))


def _pending(path: Path) -> bool:
    rel = path.relative_to(PACKAGE).as_posix()
    return rel in PENDING or rel.split("/")[0] in PENDING


@pytest.mark.parametrize("folder", CHECKED)
def test_user_visible_text_is_marked_for_translation(folder: str) -> None:
    found = [str(u) for p in _modules(folder) if not _pending(p) for u in unmarked(p)]
    assert not found, "mark with _() or N_() (audit_tui/i18n.py):\n" + "\n".join(found)


def test_the_pending_list_only_names_unfinished_modules() -> None:
    done = [
        name
        for name in sorted(PENDING)
        if (PACKAGE / name).is_file() and not unmarked(PACKAGE / name)
    ]
    assert not done, f"nothing left to mark: take these off PENDING: {done}"
    assert all((PACKAGE / name).exists() for name in PENDING)


def test_the_scanner_finds_unmarked_text(tmp_path: Path) -> None:
    """The scan itself: prose outside _() is found; marked, exempted, docstrings and codes
    are not."""
    module = tmp_path / "m.py"
    module.write_text(
        '"""A docstring is not shown."""\n'
        "from audit_tui.i18n import N_, _\n"
        'A = _("marked text here")\n'
        'B = N_("marked for later")\n'
        'C = "shown to the user"\n'
        'D = f"wrote {A} to the file"\n'
        'E = "snake_case_code"\n'
        'F = "an internal thing"  # not translated: a code\n'
        "# not translated: headings matched in the user's file\n"
        'G = {"case ref": ("case reference", "client id")}\n',
        encoding="utf-8",
    )
    assert [(u.line, u.text) for u in unmarked(module)] == [
        (5, "shown to the user"),
        (6, " to the file"),
    ]


def test_the_catalogue_is_read_without_a_compiled_file(tmp_path: Path) -> None:
    """A fresh clone or an install from source has the .po only: it is compiled in memory."""
    import gettext
    import io

    translations = gettext.GNUTranslations(io.BytesIO(i18n.compile_po(CATALOGUE)))
    assert translations.gettext("Summary") == "Crynodeb"
    assert re.fullmatch(
        r"\d+ archwiliad", translations.ngettext("{n} audit", "{n} audits", 7).format(n=7)
    )

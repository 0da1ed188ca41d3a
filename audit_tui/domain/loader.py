"""Strict loading of framework files: every problem in a file reported in one run, in file
order, each on one line naming the file, the line and the problem in plain words.

Three passes find them: reading the YAML (domain/yaml_reading), the schema
(domain/framework, worded by domain/schema_words) and the rules that need the whole file
(domain/framework_checks). A file loads only when all three find nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from audit_tui.domain.case_types import case_type_label
from audit_tui.domain.errors import FrameworkError, UserError
from audit_tui.domain.files import FileProblem, read_regular_file
from audit_tui.domain.framework import Framework, definition_hash, definition_of
from audit_tui.domain.framework_checks import cross_checks
from audit_tui.domain.schema_words import COMPUTED_KEYS, schema_problems
from audit_tui.domain.yaml_reading import Lines, Loc, fmt_loc, parse
from audit_tui.i18n import _

# A framework is a few hundred questions of text: the shipped ones are under 70 KB. Anything
# far larger is a mistake or an attack, and is refused before it is read into memory.
MAX_FILE_BYTES = 2 * 1024 * 1024


def _problems(
    data: dict[str, Any], lines: Lines
) -> tuple[Framework | None, list[tuple[int | None, str]]]:
    """The framework (None if the schema refuses it) and every problem, in file order."""
    found: list[tuple[Loc, str]] = [
        ((key,), _("top level: '{key}' is computed by the loader, not written").format(key=key))
        for key in COMPUTED_KEYS
        if key in data
    ]
    fw = None
    try:
        fw = Framework.model_validate({k: v for k, v in data.items() if k not in COMPUTED_KEYS})
    except ValidationError as exc:
        found += schema_problems(exc.errors())
    reported = {loc for loc, _ in found}
    found += [
        (loc, f"{fmt_loc(loc)}: {problem}")
        for loc, problem in cross_checks(data)
        if loc not in reported
    ]
    located = [(lines.line(loc), problem) for loc, problem in found]
    located += lines.problems
    # File order: by line, then in the order found (what is on one line reads left to right).
    order = sorted(range(len(located)), key=lambda i: (located[i][0] or 0, i))
    return fw, [located[i] for i in order]


def _checked(text: str, path: str) -> tuple[Framework | None, list[tuple[int | None, str]], Lines]:
    data, lines = parse(text, path)
    fw, problems = _problems(data, lines)
    if problems or fw is None:
        return None, problems, lines
    # Hash the validated content, not the text: comments and layout do not change a framework.
    digest = definition_hash(definition_of(fw))
    return fw.model_copy(update={"content_hash": digest, "source_path": path}), [], lines


def check_framework_text(
    text: str, path: str = "<string>"
) -> tuple[Framework | None, list[tuple[int | None, str]]]:
    """The framework in `text` and every problem with it ((line, problem), in file order);
    the framework is None when there are any. Raises FrameworkError only for a file that
    cannot be read as YAML at all."""
    fw, problems, _lines = _checked(text, path)
    return fw, problems


def load_framework_text(text: str, path: str = "<string>") -> Framework:
    return load_framework_text_with_lines(text, path)[0]


def load_framework_text_with_lines(text: str, path: str = "<string>") -> tuple[Framework, Lines]:
    """The framework and where everything in it is written (for advice located by line,
    such as what is untranslated)."""
    fw, problems, lines = _checked(text, path)
    if fw is None:
        raise FrameworkError.of(path, problems)
    return fw, lines


def load_framework_file(path: Path) -> Framework:
    return load_framework_file_with_lines(path)[0]


def load_framework_file_with_lines(path: Path) -> tuple[Framework, Lines]:
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileProblem as exc:
        raise FrameworkError(str(path), None, str(exc)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FrameworkError(
            str(path),
            line,
            _("not UTF-8 text (byte 0x{byte}): save it as UTF-8").format(
                byte=f"{data[exc.start]:02X}"
            ),
        ) from None
    return load_framework_text_with_lines(text, str(path))


class FrameworkRegistry:
    """Every framework found in the configured folders, by id."""

    def __init__(self, frameworks: dict[str, Framework]) -> None:
        self._by_id = frameworks

    @classmethod
    def from_dirs(cls, dirs: Iterable[Path]) -> FrameworkRegistry:
        found: dict[str, Framework] = {}
        # The same folder named twice (e.g. AUDIT_TUI_FRAMEWORKS repeating the built-in one)
        # would otherwise report every framework in it as its own duplicate.
        folders: dict[Path, Path] = {}
        for d in dirs:
            folders.setdefault(d.resolve(), d)
        for d in folders.values():
            if not d.is_dir():
                raise FrameworkError(str(d), None, _("framework folder does not exist"))
            for path in sorted(d.glob("*.yaml")) + sorted(d.glob("*.yml")):
                fw = load_framework_file(path)
                if fw.id in found:
                    raise FrameworkError(
                        str(path),
                        None,
                        _("framework id '{id}' is also defined in {path}").format(
                            id=fw.id, path=found[fw.id].source_path
                        ),
                    )
                found[fw.id] = fw
        return cls(found)

    def get(self, framework_id: str) -> Framework:
        try:
            return self._by_id[framework_id]
        except KeyError:
            known = ", ".join(sorted(self._by_id)) or _("none")
            raise UserError(
                _("unknown framework '{id}' (known: {known})").format(id=framework_id, known=known)
            ) from None

    def case_type_label(self, code: str, framework_id: str | None = None) -> str:
        """A case type's label: from `framework_id` when it has the type, else from the
        first framework that does, else the built-in one (the id itself for none)."""
        first = [self._by_id[framework_id]] if framework_id in self._by_id else []
        for fw in [*first, *self.all()]:
            if code in fw.case_type_codes:
                return fw.case_type_label(code)
        return case_type_label(code)

    def __contains__(self, framework_id: str) -> bool:
        return framework_id in self._by_id

    def all(self) -> list[Framework]:
        return [self._by_id[k] for k in sorted(self._by_id)]

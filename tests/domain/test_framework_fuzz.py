"""Bad input everywhere: whatever a framework file holds, loading gives a Framework or one
FrameworkError line - never a traceback from some other exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit_tui.domain.errors import FrameworkError
from audit_tui.domain.framework import Framework
from audit_tui.domain.loader import load_framework_text

MINI = (Path(__file__).resolve().parent.parent / "fixtures" / "mini.yaml").read_text("utf-8")
LINES = MINI.splitlines()

# Values that have broken YAML-fed loaders before: wrong types, YAML 1.1 surprises, tags,
# aliases to nothing, special floats, empty collections.
NASTY_SCALARS = [
    "",
    "~",
    "null",
    "0",
    "-1",
    "1e400",
    "-.inf",
    ".nan",
    "yes",
    "no",
    "2013-11-01",
    "12:30",
    "[]",
    "{}",
    "[[[]]]",
    "{a: {b: {c: d}}}",
    "'quoted'",
    '"\\u0000"',
    "*undefined_alias",
    "&anchor value",
    "!!binary aGVsbG8=",
    "!!python/object/apply:os.system [echo]",
    "!custom tag",
    "? complex",
    "|\n  literal",
    ">-",
    "- item",
    "key: value",
    "x" * 500,
    "é ü ñ 😀",
    # Values the YAML constructor itself chokes on (each was a traceback before).
    "2013-13-45",
    "2013-02-30",
    '!!int "abc"',
    "!!float",
    "!!bool maybe",
    "!!timestamp 'x'",
    "!!set {a, b}",
    "9" * 5000,
]
KEYS = ["id", "text", "weight", "evidence", "sections", "questions", "applies_to", "<<", "1", "~"]


def _replace_value(lines: list[str], i: int, value: str) -> list[str]:
    line = lines[i]
    if ":" not in line:
        return [*lines[:i], value, *lines[i + 1 :]]
    head = line.split(":", 1)[0]
    return [*lines[:i], f"{head}: {value}", *lines[i + 1 :]]


@st.composite
def mutated_framework(draw: st.DrawFn) -> str:
    lines = list(LINES)
    # Mostly one edit, so most examples get past the YAML parser into the schema checks.
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        n = len(lines)
        if n == 0:
            break
        i = draw(st.integers(0, n - 1))
        kind = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "value", "key", "indent", "insert", "bytes"]
            )
        )
        if kind == "delete":
            lines = lines[:i] + lines[i + 1 :]
        elif kind == "duplicate":
            lines = [*lines[: i + 1], lines[i], *lines[i + 1 :]]
        elif kind == "swap":
            j = draw(st.integers(0, n - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "value":
            value = draw(st.sampled_from([*NASTY_SCALARS, "__text__"]))
            if value == "__text__":
                value = draw(st.text(max_size=20))
            lines = _replace_value(lines, i, value)
        elif kind == "key":
            key = draw(st.sampled_from(KEYS) | st.from_regex(r"[a-z_]{1,12}", fullmatch=True))
            indent = len(lines[i]) - len(lines[i].lstrip(" -"))
            lines[i] = lines[i][:indent] + key + ": " + lines[i].split(":", 1)[-1].strip()
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(0, 12)) + lines[i].lstrip()
        elif kind == "insert":
            lines.insert(i, draw(st.text(max_size=40)))
        else:
            pos = draw(st.integers(0, len(lines[i])))
            junk = draw(st.binary(max_size=8)).decode("latin-1")
            lines[i] = lines[i][:pos] + junk + lines[i][pos:]
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()) and draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    return text


def _load_or_error(text: str) -> None:
    try:
        fw = load_framework_text(text, "fuzz.yaml")
    except FrameworkError as exc:
        message = str(exc)
        assert message.startswith("fuzz.yaml")
        assert exc.problem.strip()
        return
    assert isinstance(fw, Framework)
    assert fw.content_hash


FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@FUZZ
@given(mutated_framework())
def test_mutated_framework_loads_or_fails_cleanly(text: str) -> None:
    _load_or_error(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_loads_or_fails_cleanly(text: str) -> None:
    _load_or_error(text)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, len(MINI)))
def test_every_truncation_loads_or_fails_cleanly(cut: int) -> None:
    _load_or_error(MINI[:cut])


# One line of each kind: top-level scalar, flow list, mapping key, section's question list,
# flow mapping, boolean, citation, number.
SWEEP_LINES = [2, 6, 15, 23, 26, 27, 30, 49]


def test_every_nasty_value_in_each_kind_of_line_loads_or_fails_cleanly() -> None:
    # Deterministic: each nasty scalar in place of the value of each kind of line.
    for number in SWEEP_LINES:
        i = number - 1
        for value in NASTY_SCALARS:
            _load_or_error("\n".join(_replace_value(LINES, i, value)) + "\n")


def test_the_unmutated_fixture_loads() -> None:
    # Guards the fuzz tests against passing only because the base text never loads.
    assert load_framework_text(MINI).id == "mini"

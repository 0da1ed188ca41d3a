"""The strict framework loader: each problem in a malformed file gets one exact, actionable line.

Every bad file is tests/fixtures/mini.yaml with one small edit, so the expected line numbers
can be read off the fixture (`cat -n tests/fixtures/mini.yaml`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from audit_tui.domain.errors import FrameworkError, UserError
from audit_tui.domain.loader import (
    MAX_FILE_BYTES,
    FrameworkRegistry,
    load_framework_file,
    load_framework_text,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")


def edit(old: str, new: str) -> str:
    """mini.yaml with `old` (which must occur exactly once) replaced by `new`."""
    assert MINI.count(old) == 1, f"fixture edit is ambiguous or stale: {old!r}"
    return MINI.replace(old, new)


def error_of(text: str, path: str = "bad.yaml") -> str:
    with pytest.raises(FrameworkError) as info:
        load_framework_text(text, path)
    return str(info.value)


MALFORMED = [
    pytest.param(
        "id: [mini\ntitle: Mini\n",
        "bad.yaml:2: not valid YAML: expected ',' or ']', but got ':'",
        id="not-yaml",
    ),
    pytest.param(
        edit("    title: Plans\n", "    title: Plans\n   stray: indent\n"),
        "bad.yaml:39: not valid YAML: expected <block end>, but found '<block mapping start>'"
        " (check the indentation)",
        id="bad-indentation",
    ),
    pytest.param(
        edit("    title: Plans\n", "\ttitle: Plans\n"),
        "bad.yaml:38: not valid YAML: found character '\\t' that cannot start any token",
        id="tab-indentation",
    ),
    pytest.param(MINI + "---\nid: other\n", None, id="two-documents"),
    pytest.param("", "bad.yaml: the file is empty", id="empty"),
    pytest.param("# only a comment\n\n", "bad.yaml: the file is empty", id="only-comments"),
    pytest.param(
        "# a list, not a framework\n- id: mini\n- title: Mini\n",
        "bad.yaml:2: a framework must be a mapping of keys to values",
        id="top-level-list",
    ),
    pytest.param(
        edit(
            "critical_cap: requires_improvement\n",
            "critical_cap: requires_improvement\ncolour: blue\n",
        ),
        "bad.yaml:14: top level: unknown key 'colour' (allowed here: id, title, version,"
        " description, case_types, judgement_scale, judgement_scales, thresholds, critical_cap,"
        " sources, answer_scales, retired, sections)",
        id="unknown-top-key",
    ),
    pytest.param(
        edit("        na_allowed: false\n", "        na_alowed: false\n"),
        "bad.yaml:28: sections[0].questions[0]: unknown key 'na_alowed' (did you mean 'na_allowed'?)",
        id="misspelt-question-key",
    ),
    pytest.param(
        edit("id: mini\n", "id: mini\ncontent_hash: abc123\n"),
        "bad.yaml:3: top level: 'content_hash' is computed by the loader, not written",
        id="computed-key-written",
    ),
    pytest.param(
        edit("title: Mini framework for tests\n", ""),
        "bad.yaml:2: top level: missing required key 'title'",
        id="missing-top-key",
    ),
    pytest.param(
        edit("        text: Is the plan outcome-focused?\n", ""),
        "bad.yaml:40: sections[1].questions[0]: missing required key 'text'",
        id="missing-question-key",
    ),
    pytest.param(
        edit("      - id: M-03\n", "      - id: M-01\n"),
        "bad.yaml:40: sections[1].questions[0].id: duplicate question id 'M-01'",
        id="duplicate-question-id",
    ),
    pytest.param(
        edit("  - id: plans\n", "  - id: assessment\n"),
        "bad.yaml:37: sections[1].id: duplicate section id 'assessment'",
        id="duplicate-section-id",
    ),
    pytest.param(
        edit('version: "0.1"\n', 'version: "0.1"\nversion: "0.2"\n'),
        "bad.yaml:5: top level: duplicate key 'version' (first given on line 4)",
        id="duplicate-yaml-key",
    ),
    pytest.param(
        edit("        weight: 2\n", "        weight: 2\n        weight: 3\n"),
        "bad.yaml:50: sections[1].questions[1]: duplicate key 'weight' (first given on line 49)",
        id="duplicate-yaml-key-in-question",
    ),
    pytest.param(
        edit("applies_to: [child_protection]", "applies_to: [looked_after]"),
        "bad.yaml:48: sections[1].questions[1].applies_to[0]: question M-04: case type"
        " 'looked_after' is not one of the framework's case types (child_in_need,"
        " child_protection)",
        id="applies-to-uncovered-case-type",
    ),
    pytest.param(
        edit("applies_to: [child_protection]", "applies_to: [child_protection, orphans]"),
        "bad.yaml:48: sections[1].questions[1].applies_to[1]: question M-04: case type"
        " 'orphans' is not one of the framework's case types (child_in_need, child_protection)",
        id="applies-to-unknown-case-type",
    ),
    pytest.param(
        edit("case_types: [child_in_need, child_protection]", "case_types: [child_in_need, cp]"),
        "bad.yaml:6: case_types[1]: unknown case type 'cp' (built in: child_in_need,"
        " child_protection, looked_after, care_leaver, disabled_children, contact, referral,"
        " supervision_record; or declare your own as {id: ..., label: ..., aliases: [...]})\n"
        "bad.yaml:48: sections[1].questions[1].applies_to[0]: question M-04: case type"
        " 'child_protection' is not one of the framework's case types (child_in_need, cp)",
        id="unknown-case-type",
    ),
    pytest.param(
        edit(
            "    questions:\n      - id: M-03\n",
            "    questions: []\n    unused:\n      - id: M-03\n",
        ),
        "bad.yaml:39: sections[1].questions: an empty section: give it at least one question\n"
        "bad.yaml:40: sections[1]: unknown key 'unused' (allowed here: id, title, description,"
        " questions)",
        id="empty-section",
    ),
    pytest.param(
        edit("{judgement: good, min_percent: 75}", "{judgement: good, min_percent: 95}"),
        "bad.yaml:10: thresholds[1]: thresholds must go from the best grade down with"
        " min_percent strictly decreasing",
        id="thresholds-not-monotonic",
    ),
    pytest.param(
        edit(
            "  - {judgement: outstanding, min_percent: 90}\n  - {judgement: good, min_percent: 75}\n",
            "  - {judgement: good, min_percent: 90}\n  - {judgement: outstanding, min_percent: 75}\n",
        ),
        "bad.yaml:10: thresholds[1]: thresholds must go from the best grade down with"
        " min_percent strictly decreasing",
        id="thresholds-grades-out-of-order",
    ),
    pytest.param(
        edit("{judgement: inadequate, min_percent: 0}", "{judgement: inadequate, min_percent: 10}"),
        "bad.yaml:12: thresholds[3].min_percent: the last threshold must start at 0",
        id="last-threshold-not-zero",
    ),
    pytest.param(
        edit("{judgement: good, min_percent: 75}", "{judgement: excellent, min_percent: 75}"),
        "bad.yaml:10: thresholds[1].judgement: 'excellent' is not a grade of ofsted"
        " (outstanding, good, requires_improvement, inadequate)",
        id="threshold-grade-not-on-scale",
    ),
    pytest.param(
        edit("{judgement: good, min_percent: 75}", "{judgement: good, min_percent: 175}"),
        "bad.yaml:10: thresholds[1].min_percent: should be less than or equal to 100",
        id="threshold-over-100",
    ),
    pytest.param(
        edit(
            "critical_cap: requires_improvement", "critical_cap: requires_significant_improvement"
        ),
        "bad.yaml:13: critical_cap: 'requires_significant_improvement' is not a grade of ofsted"
        " (outstanding, good, requires_improvement, inadequate)",
        id="critical-cap-not-on-scale",
    ),
    pytest.param(
        edit("judgement_scale: ofsted", "judgement_scale: stars"),
        "bad.yaml:7: judgement_scale: unknown judgement scale 'stars' (known: ofsted, ciw2025;"
        " or declare it under judgement_scales)",
        id="unknown-judgement-scale",
    ),
    pytest.param(
        edit('{source: npt-2013, paragraph: "43"', '{source: cardiff-2019, paragraph: "43"'),
        "bad.yaml:36: sections[0].questions[1].evidence[0].source: question M-02: cites source"
        " 'cardiff-2019', which is not declared under sources (declared: npt-2013)",
        id="citation-of-undeclared-source",
    ),
    pytest.param(
        edit(
            "        na_reason_required: true\n",
            "        na_reason_required: true\n        scale: stars\n",
        ),
        "bad.yaml:35: sections[0].questions[1].scale: question M-02: unknown answer scale 'stars'"
        " (known: compliance, yes_no)",
        id="unknown-answer-scale",
    ),
    pytest.param(
        edit("        weight: 2\n", "        weight: -1\n"),
        "bad.yaml:49: sections[1].questions[1].weight: should be greater than or equal to 0",
        id="weight-negative",
    ),
    pytest.param(
        edit(
            "        na_allowed: false\n",
            "        na_allowed: false\n        na_reason_required: true\n",
        ),
        "bad.yaml:29: sections[0].questions[0].na_reason_required: question M-01:"
        " na_reason_required needs na_allowed",
        id="na-reason-without-na",
    ),
    pytest.param(
        edit(
            '        evidence:\n          - {source: npt-2013, paragraph: "49", quote: "a quotation"}\n',
            "        evidence: []\n",
        ),
        "bad.yaml:43: sections[1].questions[0].evidence: at least one citation is needed under"
        " evidence",
        id="question-without-evidence",
    ),
    pytest.param(
        edit(
            '        evidence:\n          - {source: npt-2013, paragraph: "49", quote: "a quotation"}\n',
            "",
        ),
        "bad.yaml:40: sections[1].questions[0]: missing required key 'evidence'",
        id="question-evidence-missing",
    ),
    pytest.param(
        edit('version: "0.1"', "version: 0.1"),
        "bad.yaml:4: version: expected text, found 0.1 (put it in quotes)",
        id="version-not-quoted",
    ),
    pytest.param(
        edit('    date: "2013-11"', "    date: 2013-11-01"),
        "bad.yaml:18: sources.npt-2013.date: expected text, found 2013-11-01 (put it in quotes)",
        id="date-not-quoted",
    ),
    pytest.param(
        MINI.replace("npt-2013", "2013"),
        "bad.yaml:15: sources: key '2013' must be text (put it in quotes)",
        id="numeric-key",
    ),
    pytest.param(
        edit("id: mini\n", "? [a, b]\n: x\nid: mini\n"),
        "bad.yaml:2: top level: a key must be plain text, not a list or mapping",
        id="list-as-key",
    ),
    pytest.param(
        edit("id: mini\n", "id: !!python/object/apply:os.system [ls]\n"),
        "bad.yaml:2: id: the tag '!!python/object/apply:os.system' is not allowed in a"
        " framework (write plain text, numbers, true or false, lists and mappings)",
        id="python-tag-refused",
    ),
    pytest.param(
        "id: mi\x00ni\n",
        "bad.yaml:1: not valid YAML: unacceptable character #x0000: special characters are not"
        " allowed",
        id="control-character",
    ),
    pytest.param(
        edit(
            "    questions:\n      - id: M-03\n", "    questions:\n    unused:\n      - id: M-03\n"
        ),
        "bad.yaml:39: sections[1].questions: should be a list\n"
        "bad.yaml:40: sections[1]: unknown key 'unused' (allowed here: id, title, description,"
        " questions)",
        id="section-questions-null",
    ),
]


@pytest.mark.parametrize(("text", "expected"), MALFORMED)
def test_malformed_framework_gets_exact_lines(text: str, expected: str | None) -> None:
    """One line per problem; an edit that makes two mistakes gets both lines."""
    message = error_of(text)
    if expected is None:  # only the shape is fixed: PyYAML words this one itself
        assert message.startswith("bad.yaml:")
        assert "\n" not in message
        return
    assert message == expected


def test_two_documents_name_the_second_document_line() -> None:
    text = MINI + "---\nid: other\n"
    line = MINI.count("\n") + 1
    assert error_of(text) == (
        f"bad.yaml:{line}: not valid YAML: expected a single document in the stream,"
        " but found another document"
    )


def test_recursive_alias_is_an_error_not_a_crash() -> None:
    assert error_of("a: &x [*x]\n") == "bad.yaml:1: a: an alias refers to a node that contains it"


def test_many_aliases_do_not_explode() -> None:
    # "Billion laughs": each level repeats the previous nine times.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    message = error_of("\n".join(lines) + "\n")
    assert message.startswith("bad.yaml:1: aliases (*name) of what is anchored here expand")


def test_framework_error_is_a_user_error_with_its_parts() -> None:
    with pytest.raises(UserError) as info:
        load_framework_text(edit("        weight: 2\n", "        weight: -1\n"), "x.yaml")
    err = info.value
    assert isinstance(err, FrameworkError)
    assert (err.path, err.line) == ("x.yaml", 49)
    assert err.problem.endswith("weight: should be greater than or equal to 0")


def test_valid_fixture_loads() -> None:
    fw = load_framework_text(MINI, "mini.yaml")
    assert fw.id == "mini"
    assert [q.id for q in fw.questions] == ["M-01", "M-02", "M-03", "M-04"]
    assert fw.question("M-04").weight == 2
    assert fw.question("M-01").critical and not fw.question("M-01").na_allowed
    assert [q.id for q in fw.applicable_questions("child_in_need")] == ["M-01", "M-02", "M-03"]
    assert fw.source_path == "mini.yaml"
    assert len(fw.content_hash) == 16


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(FrameworkError) as info:
        load_framework_file(missing)
    assert str(info.value) == f"{missing}: no such file"

    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(FrameworkError) as info:
        load_framework_file(latin1)
    assert str(info.value) == f"{latin1}:1: not UTF-8 text (byte 0xE9): save it as UTF-8"

    bad = tmp_path / "bad.yaml"
    bad.write_text(edit("        weight: 2\n", "        weight: -1\n"), encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework_file(bad)
    assert (
        str(info.value)
        == f"{bad}:49: sections[1].questions[1].weight: should be greater than or equal to 0"
    )


# --- content hash -----------------------------------------------------------------------


def hash_of(text: str) -> str:
    return load_framework_text(text).content_hash


def test_hash_is_stable_for_the_same_content() -> None:
    assert hash_of(MINI) == hash_of(MINI)
    assert hash_of(MINI) == load_framework_file(FIXTURES / "mini.yaml").content_hash


def test_hash_ignores_comments_layout_and_quoting() -> None:
    reformatted = "# a different comment\n\n" + MINI.replace(
        "  - {judgement: good, min_percent: 75}", "  - judgement: good\n    min_percent: 75"
    ).replace("Was the child seen alone?", "'Was the child seen alone?'  # inline comment").replace(
        "\n", "   \n"
    )
    assert reformatted != MINI
    assert hash_of(reformatted) == hash_of(MINI)


def test_hash_ignores_writing_a_default_explicitly() -> None:
    assert hash_of(edit("        weight: 2\n", "        weight: 2\n        critical: false\n")) == (
        hash_of(MINI)
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Is the plan outcome-focused?", "Is the plan focused on outcomes?"),
        ("Seen alone and it is recorded.", "Seen alone and recorded."),
        ("        weight: 2\n", "        weight: 3\n"),
        ("        critical: true\n", "        critical: false\n"),
        ('paragraph: "49"', 'paragraph: "50"'),
        ('version: "0.1"', 'version: "0.2"'),
        ("{judgement: good, min_percent: 75}", "{judgement: good, min_percent: 70}"),
    ],
)
def test_hash_changes_when_content_changes(old: str, new: str) -> None:
    assert hash_of(edit(old, new)) != hash_of(MINI)


def test_hash_changes_when_questions_are_reordered() -> None:
    m1 = MINI[MINI.index("      - id: M-01") : MINI.index("      - id: M-02")]
    m2 = MINI[MINI.index("      - id: M-02") : MINI.index("  - id: plans")]
    swapped = MINI.replace(m1 + m2, m2 + m1)
    assert swapped != MINI
    assert hash_of(swapped) != hash_of(MINI)


# --- the registry of folders ------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_registry_loads_every_folder(tmp_path: Path) -> None:
    write(tmp_path / "a", "mini.yaml", MINI)
    write(tmp_path / "b", "other.yml", edit("id: mini\n", "id: other\n"))
    registry = FrameworkRegistry.from_dirs([tmp_path / "a", tmp_path / "b"])
    assert [fw.id for fw in registry.all()] == ["mini", "other"]
    assert "other" in registry
    assert registry.get("other").source_path == str(tmp_path / "b" / "other.yml")


def test_duplicate_framework_id_across_folders(tmp_path: Path) -> None:
    first = write(tmp_path / "shipped", "mini.yaml", MINI)
    second = write(tmp_path / "local", "my-mini.yaml", edit('version: "0.1"', 'version: "9"'))
    with pytest.raises(FrameworkError) as info:
        FrameworkRegistry.from_dirs([tmp_path / "shipped", tmp_path / "local"])
    assert str(info.value) == f"{second}: framework id 'mini' is also defined in {first}"


def test_same_folder_named_twice_is_not_a_duplicate(tmp_path: Path) -> None:
    write(tmp_path / "a", "mini.yaml", MINI)
    registry = FrameworkRegistry.from_dirs([tmp_path / "a", tmp_path / "a" / ".." / "a"])
    assert [fw.id for fw in registry.all()] == ["mini"]


def test_registry_names_a_bad_file_and_a_missing_folder(tmp_path: Path) -> None:
    bad = write(tmp_path / "a", "bad.yaml", edit("        weight: 2\n", "        weight: -1\n"))
    with pytest.raises(FrameworkError) as info:
        FrameworkRegistry.from_dirs([tmp_path / "a"])
    assert (
        str(info.value)
        == f"{bad}:49: sections[1].questions[1].weight: should be greater than or equal to 0"
    )

    with pytest.raises(FrameworkError) as info:
        FrameworkRegistry.from_dirs([tmp_path / "missing"])
    assert str(info.value) == f"{tmp_path / 'missing'}: framework folder does not exist"


def test_unknown_framework_id_lists_the_known_ones(tmp_path: Path) -> None:
    write(tmp_path, "mini.yaml", MINI)
    registry = FrameworkRegistry.from_dirs([tmp_path])
    with pytest.raises(UserError) as info:
        registry.get("case-flie")
    assert str(info.value) == "unknown framework 'case-flie' (known: mini)"


# --- hostile input: values the YAML constructor chokes on, files that never end ------------

HOSTILE_VALUES = [
    pytest.param(
        ('    date: "2013-11"\n', "    date: 2013-13-45\n"),
        "bad.yaml:18: sources.npt-2013.date: '2013-13-45' looks like a date but is not a real one"
        " (month must be in 1..12): put it in quotes to give it as text",
        id="month-13",
    ),
    pytest.param(
        ('    date: "2013-11"\n', "    date: 2013-02-30\n"),
        "bad.yaml:18: sources.npt-2013.date: '2013-02-30' looks like a date but is not a real one"
        " (day is out of range for month): put it in quotes to give it as text",
        id="february-30",
    ),
    pytest.param(
        ("        weight: 2\n", f"        weight: {'9' * 5000}\n"),
        "bad.yaml:49: sections[1].questions[1].weight: the number is too long (5,000 digits)",
        id="5000-digit-weight",
    ),
    pytest.param(
        ("        weight: 2\n", f"        weight: {'9' * 4000}\n"),
        "bad.yaml:49: sections[1].questions[1].weight: the number is too large",
        id="4000-digit-weight",
    ),
    pytest.param(
        ("        weight: 2\n", '        weight: !!int "abc"\n'),
        "bad.yaml:49: sections[1].questions[1].weight: 'abc' is not a whole number",
        id="int-tag",
    ),
    pytest.param(
        ("        weight: 2\n", "        weight: !!float x\n"),
        "bad.yaml:49: sections[1].questions[1].weight: 'x' is not a number",
        id="float-tag",
    ),
    pytest.param(
        ("        critical: true\n", "        critical: !!bool maybe\n"),
        "bad.yaml:27: sections[0].questions[0].critical: 'maybe' is not true or false",
        id="bool-tag",
    ),
    pytest.param(
        ('version: "0.1"\n', "version: !!timestamp 'x'\n"),
        "bad.yaml:4: version: 'x' is not a date (write it like 2013-11-01)",
        id="timestamp-tag",
    ),
    pytest.param(
        ("        weight: 2\n", "        weight: !!binary aGVsbG8=\n"),
        "bad.yaml:49: sections[1].questions[1].weight: the tag '!!binary' is not allowed in a"
        " framework (write plain text, numbers, true or false, lists and mappings)",
        id="binary-tag",
    ),
    pytest.param(
        ("title: Mini framework for tests\n", "title: !!set {a, b}\n"),
        "bad.yaml:3: title: the tag '!!set' is not allowed in a framework (write plain text,"
        " numbers, true or false, lists and mappings)",
        id="set-tag",
    ),
]


@pytest.mark.parametrize(("change", "expected"), HOSTILE_VALUES)
def test_a_value_the_constructor_refuses_is_one_located_line(
    change: tuple[str, str], expected: str
) -> None:
    assert error_of(edit(*change)) == expected


def test_alias_amplification_is_refused_before_it_is_expanded() -> None:
    # 200 questions whose guidance aliases one 100 KB anchor: a valid framework but for its
    # size, 20 MB once expanded (as hashing it would) from a 130 KB file.
    questions = "".join(
        f"      - {{id: B-{i}, text: t, guidance: {{good: *big, look_for: x}},"
        f" evidence: [{{source: npt-2013, paragraph: '1', quote: q}}]}}\n"
        for i in range(200)
    )
    text = edit(
        "        guidance: {good: Outcomes stated., look_for: The plan.}\n",
        f"        guidance: {{good: &big {'y' * 100_000}, look_for: The plan.}}\n",
    ) + (f"  - id: bomb\n    title: Bomb\n    questions:\n{questions}")
    assert error_of(text) == (
        "bad.yaml:42: aliases (*name) of what is anchored here expand the file to more than"
        " 10,000,000 characters: a framework never needs that much; use fewer aliases"
    )


def test_a_few_aliases_of_a_small_anchor_still_load() -> None:
    text = edit(
        "        guidance: {good: Outcomes stated., look_for: The plan.}\n",
        "        guidance: &plan {good: Outcomes stated., look_for: The plan.}\n",
    )
    text = text.replace(
        "        guidance: {good: All agencies., look_for: Strategy record.}\n",
        "        guidance: *plan\n",
    )
    fw = load_framework_text(text)
    assert fw.question("M-04").guidance == fw.question("M-03").guidance


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(FrameworkError) as info:
        load_framework_file(fifo)  # before the fix this blocked for ever in open()
    assert str(info.value) == (
        f"{fifo}: not a regular file (a pipe, device or socket cannot be read here)"
    )


def test_a_device_that_never_ends_is_refused() -> None:
    with pytest.raises(FrameworkError) as info:
        load_framework_file(Path("/dev/zero"))
    assert "not a regular file" in str(info.value)


def test_a_framework_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(MINI + "# " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework_file(big)
    size = big.stat().st_size
    assert str(info.value) == f"{big}: the file is too large ({size:,} bytes; the limit is 2 MB)"


def test_a_folder_named_like_a_framework_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like.yaml"
    folder.mkdir()
    with pytest.raises(FrameworkError) as info:
        load_framework_file(folder)
    assert str(info.value) == f"{folder}: is a folder, not a file"


def test_a_hostile_file_in_a_framework_folder_is_one_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "bad-date.yaml").write_text(
        edit('    date: "2013-11"\n', "    date: 2013-13-45\n"), encoding="utf-8"
    )
    with pytest.raises(FrameworkError) as info:
        FrameworkRegistry.from_dirs([tmp_path])
    assert str(info.value).startswith(f"{tmp_path / 'bad-date.yaml'}:18: sources.npt-2013.date:")

"""`audit-tui frameworks list|check|show`: readable output, exit 2 with one line per problem,
never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from audit_tui.cli import main
from audit_tui.config import builtin_frameworks_dir
from audit_tui.domain.loader import FrameworkRegistry

REPO = Path(__file__).resolve().parents[2]
MINI = (REPO / "tests" / "fixtures" / "mini.yaml").read_text("utf-8")


def mini_with(old: str, new: str) -> str:
    assert MINI.count(old) == 1
    return MINI.replace(old, new)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """audit_tui.cli.main in process: (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), out, err


def run_process(tmp_path: Path, *args: str, extra_dirs: str = "") -> subprocess.CompletedProcess:
    """`python -m audit_tui ...` as a user runs it: the real exit status and streams."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDIT_TUI_")}
    env |= {
        "AUDIT_TUI_DB": f"sqlite:///{tmp_path / 'unused.db'}",
        "AUDIT_TUI_FRAMEWORKS": extra_dirs,
        "HOME": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "audit_tui", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )


@pytest.fixture(autouse=True)
def _only_builtin_frameworks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("AUDIT_TUI_FRAMEWORKS", raising=False)
    monkeypatch.setenv("AUDIT_TUI_DB", f"sqlite:///{tmp_path / 'unused.db'}")


# --- list ---------------------------------------------------------------------------------


def test_list_shows_id_title_version_count_and_file(
    capsys: pytest.CaptureFixture[str], registry: FrameworkRegistry
) -> None:
    code, out, err = run(capsys, "frameworks", "list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "VERSION", "QUESTIONS", "FILE"]
    assert len(lines) == 1 + len(registry.all())
    for fw, line in zip(registry.all(), lines[1:], strict=True):
        assert line.startswith(fw.id + " ")
        assert fw.title in line
        assert line.endswith(fw.source_path)
        after_title = line.split(fw.title, 1)[1].split()
        assert after_title[:2] == [fw.version, str(len(fw.questions))]


def test_list_includes_an_authoritys_own_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    own = tmp_path / "ours"
    own.mkdir()
    (own / "mini.yaml").write_text(MINI, encoding="utf-8")
    monkeypatch.setenv("AUDIT_TUI_FRAMEWORKS", str(own))
    code, out, _ = run(capsys, "frameworks", "list")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("mini "))
    assert row.split()[-3:] == ["0.1", "4", str(own / "mini.yaml")]
    assert any(line.startswith("case-file ") for line in out.splitlines())


# --- check --------------------------------------------------------------------------------


def test_check_valid_files_exits_0(tmp_path: Path) -> None:
    mine = tmp_path / "mini.yaml"
    mine.write_text(MINI, encoding="utf-8")
    shipped = sorted(builtin_frameworks_dir().glob("*.yaml"))
    result = run_process(tmp_path, "frameworks", "check", str(mine), *map(str, shipped))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == f"{mine}: ok (mini 0.1, 4 questions)"
    assert len(lines) == 1 + len(shipped)
    assert all(": ok (" in line for line in lines)


def test_check_bad_files_exits_2_with_one_line_each(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(MINI, encoding="utf-8")
    weight = tmp_path / "weight.yaml"
    weight.write_text(mini_with("        weight: 2\n", "        weight: -1\n"), encoding="utf-8")
    notyaml = tmp_path / "notyaml.yaml"
    notyaml.write_text("id: [mini\ntitle: Mini\n", encoding="utf-8")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    taken = tmp_path / "taken.yaml"
    taken.write_text(mini_with("id: mini\n", "id: case-file\n"), encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    builtin_case_file = builtin_frameworks_dir() / "case-file.yaml"

    result = run_process(
        tmp_path,
        "frameworks",
        "check",
        *map(str, [good, weight, notyaml, binary, empty, taken, missing]),
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.splitlines() == [f"{good}: ok (mini 0.1, 4 questions)"]
    assert result.stderr.splitlines() == [
        f"{weight}:49: sections[1].questions[1].weight: should be greater than or equal to 0",
        f"{notyaml}:2: not valid YAML: expected ',' or ']', but got ':'",
        f"{binary}:1: not UTF-8 text (byte 0x89): save it as UTF-8",
        f"{empty}: the file is empty",
        f"{taken}: framework id 'case-file' is also used by {builtin_case_file}",
        f"{missing}: no such file",
    ]


def test_check_a_folder_checks_its_framework_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a.yaml").write_text(MINI, encoding="utf-8")
    (tmp_path / "b.yml").write_text(mini_with("id: mini\n", "id: mini2\n"), encoding="utf-8")
    (tmp_path / "c.yaml").write_text(mini_with('version: "0.1"', 'version: "0.2"'), "utf-8")
    (tmp_path / "notes.txt").write_text("not a framework", encoding="utf-8")
    code, out, err = run(capsys, "frameworks", "check", str(tmp_path))
    assert code == 2
    assert out.splitlines() == [
        f"{tmp_path / 'a.yaml'}: ok (mini 0.1, 4 questions)",
        f"{tmp_path / 'b.yml'}: ok (mini2 0.1, 4 questions)",
    ]
    # Two files with one id: the second is refused, even in the same folder.
    assert err.splitlines() == [
        f"{tmp_path / 'c.yaml'}: framework id 'mini' is also used by {tmp_path / 'a.yaml'}"
    ]


def test_check_without_a_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "frameworks", "check")
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith("audit-tui: error: ")


# --- show ---------------------------------------------------------------------------------


def test_show_prints_sections_questions_guidance_and_citations(
    capsys: pytest.CaptureFixture[str], registry: FrameworkRegistry
) -> None:
    fw = registry.get("case-file")
    code, out, err = run(capsys, "frameworks", "show", "case-file")
    assert (code, err) == (0, "")
    flat = " ".join(out.split())  # the text is wrapped; compare words, not line breaks
    assert out.startswith(f"{fw.title} (case-file, version {fw.version}, hash {fw.content_hash})")
    for n, section in enumerate(fw.sections, 1):
        assert f"{n}. {section.title}" in out
    for q in fw.questions:
        assert " ".join(f"{q.id} {q.text}".split()) in flat
        assert " ".join(q.guidance.good.split()) in flat
        assert " ".join(q.guidance.look_for.split()) in flat
        for c in q.evidence:
            assert f"Source: {fw.citation_text(c)}" in flat
            assert " ".join(c.quote.split()) in flat
    critical = next(q for q in fw.questions if q.critical)
    assert f"{critical.id} " in flat and "[CRITICAL" in flat
    assert "Good:" in out and "Look for:" in out
    assert "Excellent from 90%" in flat  # the threshold table, in words


def test_show_unknown_framework_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_process(tmp_path, "frameworks", "show", "unknown")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "audit-tui: error: unknown framework 'unknown' (known: case-file, front-door, supervision)"
    ]


def test_a_broken_framework_in_an_authority_folder_is_one_line(tmp_path: Path) -> None:
    own = tmp_path / "ours"
    own.mkdir()
    bad = own / "ours.yaml"
    bad.write_text(
        mini_with("        weight: 2\n", "        weight: 2\n        weight: 3\n"), "utf-8"
    )
    result = run_process(tmp_path, "frameworks", "list", extra_dirs=str(own))
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        f"audit-tui: error: {bad}:50: sections[1].questions[1]: duplicate key 'weight'"
        " (first given on line 49)"
    ]


# --- languages (issue 19) -------------------------------------------------------------------


def test_check_lang_cy_lists_nothing_for_the_shipped_case_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = builtin_frameworks_dir() / "case-file.yaml"
    code, out, err = run(capsys, "frameworks", "check", "--lang", "cy", str(path))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{path}: ok (case-file 1.1.0, 43 questions); every text has Welsh (cy)"
    ]


def test_check_lang_cy_lists_each_untranslated_text_by_line_as_documented(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Advice, not an error: exit 0; and docs/framework-format.md shows lines check prints."""
    monkeypatch.chdir(REPO / "tests" / "fixtures")
    code, out, err = run(capsys, "frameworks", "check", "--lang", "cy", "own-words.yaml")
    assert (code, err) == (0, "")
    printed = out.splitlines()
    assert printed[-1] == (
        "own-words.yaml: ok (own-words 2026.1, 4 questions); 13 texts without Welsh (cy), "
        "shown in the other language until translated"
    )
    assert (
        "own-words.yaml:96: sections[0].questions[1].text: question LL-V-02: its wording "
        "has no Welsh (cy)"
    ) in printed
    # Translated texts, quotations and sources' titles are not listed.
    assert not [line for line in printed if "LL-V-01: its wording" in line]
    assert not [line for line in printed if "quote" in line or "sources." in line]
    doc = (REPO / "docs" / "framework-format.md").read_text("utf-8")
    shown = doc.split("$ audit-tui frameworks check --lang cy own-words.yaml\n", 1)[1]
    documented = [line for line in shown.split("```", 1)[0].splitlines() if line != "..."]
    assert documented and set(documented) <= set(printed)


def test_show_lang_cy_reads_welsh_and_marks_what_is_missing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, "frameworks", "show", "case-file", "--lang", "cy")
    assert (code, err) == (0, "")
    flat = " ".join(out.split())
    assert out.startswith("Archwiliad ffeiliau achos plant (case-file, version 1.1.0")
    assert "Trafodaethau strategaeth ac ymholiadau adran 47" in flat
    assert "[en]" not in flat  # wholly translated; quotations are shown as published
    assert "Timely decisions about whether or not to progress work" in flat
    # An authority's framework partly in Welsh: what is missing shows in English, marked.
    monkeypatch.setenv("AUDIT_TUI_FRAMEWORKS", str(REPO / "tests" / "fixtures"))
    code, out, err = run(capsys, "frameworks", "show", "own-words", "--lang", "cy")
    assert (code, err) == (0, "")
    flat = " ".join(out.split())
    assert "LL-V-01 A yw barn y plentyn wedi'i chofnodi yn ei eiriau ei hun?" in flat
    assert "LL-V-02 [en] Was the family's first language recorded?" in flat
    assert "[en] Record the family's first language." not in flat  # a quotation: as published

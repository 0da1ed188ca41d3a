"""Settings: one object, each source read in one place, strongest first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from audit_tui.config import Settings, builtin_frameworks_dir, settings_file


@pytest.fixture
def settings_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.toml"
    monkeypatch.setenv("AUDIT_TUI_SETTINGS", str(path))
    for var in ("AUDIT_TUI_DB", "AUDIT_TUI_USER", "AUDIT_TUI_FRAMEWORKS", "AUDIT_TUI_EXPORTS"):
        monkeypatch.delenv(var, raising=False)
    return path


def test_the_file_is_read_and_the_environment_and_arguments_win(
    settings_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_path.write_text(
        'user = "Alex Morgan"\ndb = "sqlite:///from-file.db"\n'
        'hidden_frameworks = ["front-door"]\nmarking = "OFFICIAL"\n'
    )
    assert settings_file() == settings_path
    s = Settings()
    assert (s.user, s.db, s.hidden_frameworks, s.marking) == (
        "Alex Morgan",
        "sqlite:///from-file.db",
        ["front-door"],
        "OFFICIAL",
    )
    monkeypatch.setenv("AUDIT_TUI_USER", "Sam Lee")
    assert Settings().user == "Sam Lee"
    assert Settings(user="Jo Bloggs").user == "Jo Bloggs"


def test_framework_folders_are_split_like_path(
    settings_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A Windows drive letter would be split by ':'; os.pathsep is ';' there.
    a, b = tmp_path / "a", tmp_path / "b"
    monkeypatch.setenv("AUDIT_TUI_FRAMEWORKS", f"{a}{os.pathsep}{b}{os.pathsep}")
    assert Settings().framework_dirs() == [builtin_frameworks_dir(), a, b]


def test_defaults_need_no_file(settings_path: Path) -> None:
    s = Settings()
    assert not settings_path.exists()
    assert s.exports.name == "audit-tui"
    assert s.db.endswith("audits.db") and s.demo_db.endswith("demo.db")
    assert s.marking == "OFFICIAL-SENSITIVE"


def test_remember_writes_one_setting_and_keeps_the_rest_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The TUI's language switch remembers the choice: the `lang` line is replaced (or put
    first, before any table), every other line and comment is kept, and Settings reads it."""
    from audit_tui.config import Settings, remember

    path = tmp_path / "conf" / "settings.toml"
    monkeypatch.setenv("AUDIT_TUI_SETTINGS", str(path))
    monkeypatch.delenv("AUDIT_TUI_LANG", raising=False)
    assert remember("lang", "cy") == path  # no file yet: made, folder and all
    assert Settings().lang == "cy"
    path.write_text('# mine\nuser = "Sam"\nlang = "cy"  # old\n\n[extra]\nlang = "x"\n')
    remember("lang", "en")
    text = path.read_text()
    assert text == '# mine\nuser = "Sam"\nlang = "en"\n\n[extra]\nlang = "x"\n'
    path.write_text("[extra]\nkey = 1\n")
    remember("lang", "cy")
    assert path.read_text() == 'lang = "cy"\n[extra]\nkey = 1\n'
    assert Settings().lang == "cy" and not list(path.parent.glob("*.part"))

"""The dependency direction in ARCHITECTURE.md: domain is pure, only the UI imports Textual.

Each check imports in a fresh interpreter and inspects sys.modules, so it sees what a real
`import` pulls in (including indirect imports), not what happens to be loaded in pytest.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Imports each package in turn (with all its submodules) and records the top-level packages
# loaded after each step. The order matters: the pure domain goes first, before anything
# else has pulled in SQLAlchemy, so a later step cannot hide an earlier culprit.
_PROBE = """
import importlib, json, pkgutil, sys
steps = {}
for package_name in sys.argv[1:]:
    package = importlib.import_module(package_name)
    names = [package_name]
    if hasattr(package, "__path__") and package_name != "audit_tui.cli":
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            if ".migrations" in info.name:  # Alembic scripts run only under Alembic
                continue
            importlib.import_module(info.name)
            names.append(info.name)
    steps[package_name] = {
        "imported": names,
        "top_level": sorted({m.split(".")[0] for m in sys.modules}),
    }
print(json.dumps(steps))
"""
ORDER = [
    "audit_tui.domain",
    "audit_tui.config",
    "audit_tui.store",
    "audit_tui.services",
    "audit_tui.export",
    "audit_tui.cli",  # the package only: its UI command imports Textual when it runs
    "audit_tui.ui.app",
]


def run_probe(packages: list[str]) -> dict[str, dict[str, list[str]]]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *packages],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def steps() -> dict[str, dict[str, list[str]]]:
    return run_probe(ORDER)


def test_domain_imports_neither_sqlalchemy_nor_textual(steps: dict) -> None:
    domain = steps["audit_tui.domain"]
    # Make sure the probe really walked the modules, so an empty walk cannot pass.
    for module in ("loader", "framework", "scoring", "periods", "stats", "scales"):
        assert f"audit_tui.domain.{module}" in domain["imported"]
    forbidden = {"sqlalchemy", "textual", "alembic", "openpyxl"}
    assert not forbidden & set(domain["top_level"]), domain["top_level"]


@pytest.mark.parametrize(
    "package", ["audit_tui.config", "audit_tui.store", "audit_tui.services", "audit_tui.export"]
)
def test_only_the_ui_imports_textual(steps: dict, package: str) -> None:
    step = steps[package]
    if package != "audit_tui.config":
        assert len(step["imported"]) > 1, f"no modules found under {package}"
    assert "textual" not in step["top_level"], f"{package} pulls in Textual"


def test_cli_does_not_import_textual(steps: dict) -> None:
    # The CLI imports Textual only inside the command that starts the UI.
    assert "click" in steps["audit_tui.cli"]["top_level"]
    assert "textual" not in steps["audit_tui.cli"]["top_level"]


def test_the_probe_sees_textual_when_it_is_imported(steps: dict) -> None:
    # Guards the tests above: the same probe must report Textual once the UI is imported.
    assert "textual" in steps["audit_tui.ui.app"]["top_level"]


def test_import_linter_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    if not lint_imports.exists():
        pytest.fail(f"import-linter is not installed in this environment ({lint_imports})")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout

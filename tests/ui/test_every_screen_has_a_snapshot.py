"""Every full screen has a snapshot (issue 16): a screen added without one fails here.

The snapshots themselves are taken in test_snapshots*.py and test_profiles_screen.py; this
names, for each screen class in ui/screens, the picture that shows it, and checks the picture
exists and was taken of that screen (its title bar's words are in it)."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest

# Parses Python: no cyclic GC meanwhile (tests/conftest.py, a CPython 3.11 bug).
pytestmark = pytest.mark.usefixtures("no_cyclic_gc")

REPO = Path(__file__).resolve().parents[2]
SCREENS = REPO / "audit_tui" / "ui" / "screens"
SNAPSHOTS = Path(__file__).resolve().parent / "__snapshots__"

# Screen class -> (snapshot file under __snapshots__/, words its picture shows: its title).
PICTURES: dict[str, tuple[str, str]] = {
    "HomeScreen": ("test_snapshots/test_home[80x24].svg", "audit-tui · Home"),
    "WalkthroughScreen": (
        "test_snapshots/test_walkthrough_with_guidance[80x24].svg",
        "Audit CF-2003",
    ),
    "ReviewScreen": ("test_snapshots/test_review[80x24].svg", "Review CF-2004"),
    "NewAuditScreen": ("test_snapshots_by_feature/TestAudits.test_new_audit.svg", "New audit"),
    "AuditViewScreen": ("test_snapshots_by_feature/TestAudits.test_audit_view.svg", "Audit DEMO"),
    "HistoryScreen": ("test_snapshots_by_feature/TestAudits.test_history.svg", "History of audit"),
    "ActionsScreen": ("test_snapshots_by_feature/TestFollowUp.test_actions.svg", "Actions · "),
    "ProgrammeScreen": (
        "test_snapshots_by_feature/TestFollowUp.test_programme.svg",
        "Audit programme",
    ),
    "ModerationScreen": (
        "test_snapshots_by_feature/TestModeration.test_moderation_list.svg",
        "audit-tui · Moderation",
    ),
    "ModerationSelectScreen": (
        "test_snapshots_by_feature/TestModeration.test_select_for_moderation.svg",
        "Select audits for moderation",
    ),
    "AgreementScreen": (
        "test_snapshots_by_feature/TestModeration.test_agreement.svg",
        "Agreement statistics",
    ),
    "ModerationWalkScreen": (
        "test_snapshots_by_feature/TestModeration.test_blind_walk.svg",
        "Moderating DEMO",
    ),
    "ComparisonScreen": (
        "test_snapshots_by_feature/TestModeration.test_comparison.svg",
        "Moderation of DEMO",
    ),
    "AuditsBehindScreen": (
        "test_snapshots_by_feature/TestReporting.test_audits_behind_a_figure.svg",
        "Audits behind the figure",
    ),
    "ProfilesScreen": ("test_profiles_screen/test_profiles_snapshot[80x24].svg", "Profiles · "),
    "ExportModal": ("test_snapshots_by_feature/TestReporting.test_export.svg", "Export"),
    "HelpScreen": ("test_snapshots_by_feature/TestAroundTheHouse.test_help.svg", "Keys - Home"),
    "StaffScreen": ("test_snapshots_by_feature/TestAroundTheHouse.test_staff.svg", "Staff"),
}


def picture_text(path: Path) -> str:
    """The picture's terminal lines as text (an SVG draws each styled run of a line apart)."""
    lines: dict[int, list[str]] = {}
    svg = path.read_text()
    for m in re.finditer(r'<text[^>]*#terminal-line-(\d+)\)"[^>]*>(.*?)</text>', svg, re.S):
        lines.setdefault(int(m.group(1)), []).append(html.unescape(m.group(2)))
    return "\n".join("".join(runs) for _, runs in sorted(lines.items())).replace("\xa0", " ")


def screen_classes() -> list[str]:
    """Every screen class in ui/screens (a full screen, or a modal one such as Help and
    Export; the small dialogs in ui/dialogs are pictured over the screens they belong to)."""
    found = []
    for path in sorted(SCREENS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                bases = " ".join(ast.unparse(b) for b in node.bases)
                if "Screen" in bases:
                    found.append(node.name)
    return found


def test_every_screen_class_is_named() -> None:
    assert sorted(screen_classes()) == sorted(PICTURES)


@pytest.mark.parametrize("screen", sorted(PICTURES))
def test_the_screen_has_its_picture(screen: str) -> None:
    picture, words = PICTURES[screen]
    path = SNAPSHOTS / picture
    assert path.exists(), f"{screen}: no snapshot {picture}"
    text = picture_text(path)
    assert words in text, f"{screen}: {picture} does not show {words!r}"

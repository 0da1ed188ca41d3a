"""The demo authority's shape and words: its teams (each with its own quality and trend),
the weak spots auditors find, invented staff names, and the notes, reasons and comments
auditors write (children only ever by initials)."""

from __future__ import annotations

from dataclasses import dataclass

FRAMEWORK = "case-file"
YEARS = 3  # financial years of history, the current one included


# --- the shape of the demo authority ---------------------------------------------------------


@dataclass(frozen=True)
class TeamSpec:
    name: str
    share: float  # of all audits
    case_types: tuple[tuple[str, float], ...]
    quality: float  # how good its files are at the start of the period (0-1)
    trend: float  # change in quality over the whole period: + improving, - declining
    staff: int


# not translated: what the demo writes into its records, as an English-speaking authority would
TEAMS = (
    TeamSpec(
        "Intake & Assessment (demo)",
        0.20,
        (("child_in_need", 0.7), ("child_protection", 0.2), ("disabled_children", 0.1)),
        0.66,
        0.0,
        9,
    ),
    # Improves: a new manager, a practice model, smaller caseloads.
    TeamSpec("Child Protection (demo)", 0.18, (("child_protection", 1.0),), 0.50, 0.30, 8),
    TeamSpec("Looked After Children (demo)", 0.17, (("looked_after", 1.0),), 0.70, 0.02, 8),
    # Declines: vacancies and agency turnover.
    TeamSpec("Disabled Children (demo)", 0.09, (("disabled_children", 1.0),), 0.78, -0.30, 4),
    TeamSpec("Care Leavers 16+ (demo)", 0.08, (("care_leaver", 1.0),), 0.66, 0.0, 4),
    TeamSpec("Early Help & Family Support (demo)", 0.12, (("child_in_need", 1.0),), 0.68, 0.04, 6),
    TeamSpec(
        "Children & Families West (demo)",
        0.16,
        (("child_in_need", 0.5), ("child_protection", 0.4), ("looked_after", 0.1)),
        0.62,
        -0.03,
        7,
    ),
)

# The inspection reports' recurring findings: these are weaker on most files.
WEAK_QUESTIONS = {
    "CF-AS-02": 0.30,  # child seen alone (critical: more "Partly" than "No")
    "CF-AS-04": 0.30,  # risk analysis explicit (critical)
    "CF-PL-02": 0.20,  # plan outcome-focused
    "CF-PL-04": 0.28,  # contingency plan
    "CF-MO-02": 0.24,  # supervision on file
    "CF-MO-01": 0.16,  # manager sign-off
}

# not translated: what the demo writes into its records, as an English-speaking authority would
LEGAL_STATUS = {
    "child_in_need": ("Care and support plan", "Care and support plan", "Assessment"),
    "child_protection": ("Child protection register", "Child protection register", "Section 47"),
    "looked_after": ("Care order (s31)", "Section 76 accommodation", "Interim care order"),
    "care_leaver": ("Category 2 care leaver", "Category 3 care leaver", "Category 1 care leaver"),
    "disabled_children": ("Care and support plan", "Short breaks", "Section 76 accommodation"),
}
# not translated: a record's legal status when its case type has none of its own
DEFAULT_STATUS = "Care and support plan"
AGE_BANDS = {
    "child_in_need": ("0-4", "5-9", "10-15", "16-17"),
    "child_protection": ("unborn", "0-4", "5-9", "10-15"),
    "looked_after": ("0-4", "5-9", "10-15", "16-17"),
    "care_leaver": ("16-17", "18-20", "21-25"),
    "disabled_children": ("0-4", "5-9", "10-15", "16-17"),
}

FIRST_NAMES = [
    "Alys",
    "Bryn",
    "Carys",
    "Dafydd",
    "Elin",
    "Ffion",
    "Gethin",
    "Heledd",
    "Iwan",
    "Jac",
    "Lowri",
    "Mali",
    "Nia",
    "Osian",
    "Rhian",
    "Sioned",
    "Tomos",
    "Wil",
    "Anwen",
    "Cai",
    "Deri",
    "Enfys",
    "Gwen",
    "Hywel",
    "Ifan",
    "Llio",
    "Meirion",
    "Nest",
    "Owain",
    "Rhodri",
]
# Surnames no real colleague will have: a demo name can never be mistaken for a real one.
SURNAMES = [
    "Demoford",
    "Sampleton",
    "Exampleby",
    "Mockridge",
    "Testwood",
    "Placeholt",
    "Fakenby",
    "Dummett",
    "Trialsworth",
    "Pretendon",
    "Specimen",
    "Modelby",
    "Practiceton",
    "Rehearsal",
]

# not translated: what the demo writes into its records, as an English-speaking authority would
NOTES = {
    "CF-AS-02": (
        "{c} not seen alone on the last two visits.",
        "No record {c} was seen alone; no reason given.",
        "Seen with parent present throughout - not alone.",
    ),
    "CF-AS-04": (
        "Describes events but no analysis of risk.",
        "Risks to {c} listed, not analysed.",
        "No 'what could happen next' - descriptive only.",
    ),
    "CF-PL-02": (
        "Plan is a list of tasks, not outcomes for {c}.",
        "Outcomes vague ('parents to engage').",
        "No measurable outcomes in the plan.",
    ),
    "CF-PL-04": (
        "No contingency plan on file.",
        "Contingency says 'escalate if needed' only.",
        "Contingency not updated since conference.",
    ),
    "CF-MO-02": (
        "No supervision recorded on file for {n} months.",
        "Supervision held separately, not on {c}'s file.",
        "Last supervision record has no decisions.",
    ),
    "CF-MO-01": (
        "Assessment not signed off by TM.",
        "Signed off without comment.",
        "Plan signed off {n} weeks late.",
    ),
}
# not translated: what the demo writes into its records, as an English-speaking authority would
GENERIC_NOTES = (
    "Partly evidenced - see case notes.",
    "Not evidenced on file; discussed with SW {w}.",
    "Evidence in emails, not on the file.",
    "Recorded {n} weeks late.",
    "Some evidence; needs to be clearer.",
    "Discussed with {w}; to be added to file.",
)
# not translated: what the demo writes into its records, as an English-speaking authority would
NA_REASONS = (
    "Not relevant at this stage of the case.",
    "Threshold not met during the audit period.",
    "Case open for less than the review period.",
    "No such parental factors identified.",
    "Case still open; no closure or step-down.",
)
# not translated: what the demo writes into its records, as an English-speaking authority would
OVERRIDE_REASONS = (
    "Impact for {c} outweighs the recording gaps.",
    "Drift since last review not reflected in the score.",
    "Strong direct work with {c}; recording lagging behind.",
    "Risk not well managed despite good compliance.",
)
# not translated: what the demo writes into its records, as an English-speaking authority would
STRENGTHS = (
    "{c}'s voice clear throughout.",
    "Good multi-agency working.",
    "Timely visits; relationship with {c} evident.",
    "Chronology up to date.",
    "Thorough assessment of family history.",
    "Clear, well-written records.",
)
# not translated: what the demo writes into its records, as an English-speaking authority would
DISAGREE = (
    "Visits were recorded on the paper file.",
    "Supervision held; recording delayed by sickness.",
    "Workload context not considered.",
)
LETTERS = "ABCDEFGHJKLMNPRSTW"

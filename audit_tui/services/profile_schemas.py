"""The profile's pydantic shapes, kept in domain.profile_model (the arithmetic that fills
them is domain.profile_figures); imported from here by the UI, the export and the CLI."""

from audit_tui.domain.profile_model import (
    AUTHORITY,
    AuditBehind,
    Change,
    EvidenceNote,
    Finding,
    Grade,
    GradeCount,
    GroupProfile,
    PercentMet,
    PeriodOut,
    Profile,
    QuestionFigure,
    QuestionInfo,
    Rate,
    SectionFigure,
    SectionInfo,
    TrendPoint,
    VersionCount,
)

__all__ = [
    "AUTHORITY",
    "AuditBehind",
    "Change",
    "EvidenceNote",
    "Finding",
    "Grade",
    "GradeCount",
    "GroupProfile",
    "PercentMet",
    "PeriodOut",
    "Profile",
    "QuestionFigure",
    "QuestionInfo",
    "Rate",
    "SectionFigure",
    "SectionInfo",
    "TrendPoint",
    "VersionCount",
]

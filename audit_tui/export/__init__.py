"""Excel workbooks and practitioner feedback documents, built on the services (never the store).

The TUI and the CLI call the same functions:

- `write_workbook(ctx, spec, out_path, progress=None) -> ExportResult`
- `write_csv(ctx, spec, folder) -> CsvResult`: the raw tables as CSV, formula-guarded
- `render_feedback(ctx, audit_id) -> str` and `write_feedback(ctx, audit_id, out_path) -> Path`
"""

from audit_tui.export.book import ExportProgress
from audit_tui.export.csvfiles import CsvResult, write_csv
from audit_tui.export.feedback import render_feedback, write_feedback
from audit_tui.export.workbook import (
    ExportResult,
    ExportSpec,
    default_file_name,
    write_workbook,
)

__all__ = [
    "CsvResult",
    "ExportProgress",
    "ExportResult",
    "ExportSpec",
    "default_file_name",
    "render_feedback",
    "write_csv",
    "write_feedback",
    "write_workbook",
]

"""One module per group of sheets; each sheet writer is a function `(book: ExportBook) -> None`
listed in `audit_tui.export.workbook.SHEETS`."""

"""Input adapters: the case list and the staff list as files (CSV or XLSX) are read here,
into checked rows, before any service writes them. Nothing here touches the database: the
services import these readers, never the other way round (an import contract says so)."""

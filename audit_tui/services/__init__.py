"""Use cases. Each takes and returns pydantic objects and owns its transaction."""

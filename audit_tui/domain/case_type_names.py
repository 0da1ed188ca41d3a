"""The built-in case types' ids, labels (English, Welsh) and import aliases, as plain data.

Kept apart from `case_types` (pydantic models) so the start-up's early drafts read
(store/early_drafts.py) can label a draft's case type without importing pydantic: one table,
read by both.
"""

from __future__ import annotations

# id -> ((English label, Welsh label), aliases a case list may write). The labels are
# framework content in both languages, not catalogue text (see case_types.py).
# not translated: framework content in both languages, and a case list's words matched
BUILTIN_NAMES: dict[str, tuple[tuple[str, str], tuple[str, ...]]] = {
    code: (label, tuple(aliases))
    for code, label, *aliases in (
        (
            "child_in_need",
            ("Child in need", "Plentyn mewn angen"),
            "cin",
            "children in need",
            "care and support",
            "care and support plan",
        ),
        (
            "child_protection",
            ("Child protection", "Amddiffyn plant"),
            "cp",
            "cpp",
            "child protection plan",
            "child protection register",
        ),
        (
            "looked_after",
            ("Looked after", "Plentyn sy'n derbyn gofal"),
            "lac",
            "cla",
            "looked after child",
            "looked after children",
            "child looked after",
            "children looked after",
        ),
        ("care_leaver", ("Care leaver", "Ymadawr gofal"), "care leavers", "leaving care", "cl"),
        (
            "disabled_children",
            ("Disabled children", "Plant anabl"),
            "cwd",
            "disabled child",
            "children with disabilities",
            "child with disabilities",
            "disability",
        ),
        ("contact", ("Contact (front door)", "Cyswllt (drws ffrynt)"), "contact"),
        ("referral", ("Referral (front door)", "Atgyfeiriad (drws ffrynt)"), "referral"),
        ("supervision_record", ("Supervision record", "Cofnod goruchwyliaeth"), "supervision"),
    )
}

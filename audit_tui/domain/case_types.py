"""The subjects an audit can be about. Codes are stored; labels are shown."""

CASE_TYPES: dict[str, str] = {
    "child_in_need": "Child in need",
    "child_protection": "Child protection",
    "looked_after": "Looked after",
    "care_leaver": "Care leaver",
    "disabled_children": "Disabled children",
    "contact": "Contact (front door)",
    "referral": "Referral (front door)",
    "supervision_record": "Supervision record",
}


def case_type_label(code: str) -> str:
    return CASE_TYPES.get(code, code)

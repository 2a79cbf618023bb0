"""What a plan edition's rules are, as data: the fields of its document and the JSON Schema of
each JSON field. One declaration serves the edition's document (`rules_export` /
`rules_import`, checked by core), its revisions and comparisons, and `edition_validate`,
so nothing that can be saved fails to export, and nothing imported escapes the checks."""

from gonghui.people.choices import EmploymentStatus, Gender

# Every rule value of an edition, in the order the document and the comparison list them.
EDITION_FIELDS = (
    "name",
    "start_date",
    "term_months",
    "price_per_share",
    "min_shares",
    "max_shares",
    "default_shares",
    "same_shares_per_unit",
    "eligible_genders",
    "min_age",
    "max_age_male",
    "max_age_female",
    "eligible_statuses",
    "min_participation_rate",
    "waiting_schedule",
    "benefits",
    "exclusions",
    "claim_deadline_days",
    "required_documents",
    "premium_rule",
    "member_share_rate",
)

# Money and shares are decimals written as text ("40", "0.5"): exact, as DOMAIN §4.2 wants.
DECIMAL = {"type": "string", "pattern": r"^\d+(\.\d+)?$"}
DAY = {"type": "integer", "minimum": 1}

WAITING_SCHEDULE = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "from_day": DAY,
            "share": DECIMAL,
            "max_per_share": {"anyOf": [DECIMAL, {"type": "null"}]},
        },
        "required": ["from_day"],
        "additionalProperties": False,
    },
}

BAND = {
    "type": "object",
    "properties": {"from_day": DAY, "to_day": {"anyOf": [DAY, {"type": "null"}]}, "per_day": DECIMAL},
    "required": ["from_day", "per_day"],
    "additionalProperties": False,
}

BENEFITS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "properties": {
            "code": {"type": "string", "minLength": 1, "maxLength": 32},
            "name": {"type": "string", "minLength": 1},
            "kind": {"enum": ["lump_sum", "daily"]},
            "amount": DECIMAL,
            "bands": {"type": "array", "minItems": 1, "items": BAND},
            "cap": {"anyOf": [DECIMAL, {"type": "null"}]},
        },
        "required": ["code", "name", "kind"],
        "additionalProperties": False,
        "allOf": [
            {"if": {"properties": {"kind": {"const": "daily"}}}, "then": {"required": ["bands"]}},
            {"if": {"properties": {"kind": {"const": "lump_sum"}}}, "then": {"required": ["amount"]}},
        ],
    },
}

EDITION_JSON_SCHEMAS: dict[str, dict] = {
    "eligible_genders": {"type": "array", "items": {"enum": list(Gender.values)}, "uniqueItems": True},
    "eligible_statuses": {"type": "array", "items": {"enum": list(EmploymentStatus.values)}, "uniqueItems": True},
    "waiting_schedule": WAITING_SCHEDULE,
    "benefits": BENEFITS,
    "required_documents": {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True},
}

"""What each role may do with people and organisation."""

from gonghui.accounts.roles import Role

_READ = {
    "people.view_person",
    "people.view_subunion",
    "people.view_unionmembership",
    "people.export_person",
}
_OFFICE = _READ | {
    "people.add_person",
    "people.change_person",
    "people.change_unionmembership",
    "people.import_roster",
    "people.reveal_id_number",
    "people.add_subunion",
    "people.change_subunion",
}

ROLE_GRANTS = {
    Role.UNION_OFFICE: _OFFICE,
    Role.SUB_UNION_OFFICER: _READ,
    Role.AUDITOR: _READ,
}

"""What each role may do in enrollment drives."""

from gonghui.accounts.roles import Role

_READ = {
    "drives.view_drive",
    "drives.view_driverules",
    "drives.view_intentanswer",
    "drives.view_driveregistration",
    "drives.view_rosterexport",
    "drives.view_slotbooking",
}
_OFFICE = _READ | {
    "drives.add_drive",
    "drives.change_drive",
    "drives.add_driverules",
    "drives.change_driverules",
    "drives.advance_drive",
    "drives.add_intentanswer",
    "drives.remind_survey",
    "drives.add_driveregistration",
    "drives.export_roster",
    "drives.import_result",
    "drives.add_slotbooking",
    "drives.checkin_booking",
}
# A sub-union officer runs the survey for their people, registers them (the group channel)
# and books slots on their behalf (the retirees' office takes phone bookings).
_SUB_UNION = _READ - {"drives.view_rosterexport"} | {
    "drives.add_intentanswer",
    "drives.add_driveregistration",
    "drives.add_slotbooking",
}

ROLE_GRANTS = {
    Role.UNION_OFFICE: _OFFICE,
    Role.SUB_UNION_OFFICER: _SUB_UNION,
    Role.AUDITOR: _READ,
}

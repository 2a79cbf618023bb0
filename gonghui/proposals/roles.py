"""What each role may do with congress proposals. Delegates need no permission: being a
delegate (congress.Delegate) is what lets a member propose and co-sign."""

from gonghui.accounts.roles import Role

_READ = {
    "proposals.view_proposal",
    "proposals.report_proposal",
}
_OFFICE = _READ | {
    "proposals.change_proposal",
    "proposals.assign_proposal",
    "proposals.publish_proposal",
    "proposals.triage_proposal",
    "proposals.reopen_proposal",
    "proposals.handle_proposal",
}
_COMMITTEE = _READ | {
    "proposals.triage_proposal",
    "proposals.reopen_proposal",
    "proposals.award_proposal",
}
# A handling-unit officer sees and answers only their unit's proposals (scoped querysets).
_UNIT = {
    "proposals.view_proposal",
    "proposals.handle_proposal",
}

ROLE_GRANTS = {
    Role.UNION_OFFICE: _OFFICE,
    Role.PROPOSALS_COMMITTEE: _COMMITTEE,
    Role.HANDLING_UNIT_OFFICER: _UNIT,
    Role.AUDITOR: _READ,
}

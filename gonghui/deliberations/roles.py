"""What each role may do with draft deliberations. The presidium needs no permission: being
a member of the session's presidium (congress.CommitteeMember) is what lets one put a version
to the vote and record it; delegates and staff give opinions as members."""

from gonghui.accounts.roles import Role

_READ = {"deliberations.view_deliberation", "deliberations.report_deliberation", "deliberations.view_voterules"}

ROLE_GRANTS = {
    Role.UNION_OFFICE: _READ
    | {
        "deliberations.manage_deliberation",
        "deliberations.add_draftversion",
        "deliberations.collect_opinion",
        "deliberations.answer_deliberation",
        "deliberations.add_voterules",
        "deliberations.change_voterules",
    },
    # a college collects its staff's opinions and enters paper ones (its sub-union's scope)
    Role.SUB_UNION_OFFICER: {"deliberations.view_deliberation", "deliberations.collect_opinion"},
    # the drafting unit (人事处 …) drafts versions and answers the opinions on its drafts
    Role.HANDLING_UNIT_OFFICER: {
        "deliberations.view_deliberation",
        "deliberations.add_draftversion",
        "deliberations.answer_deliberation",
    },
    Role.AUDITOR: _READ,
}

"""Who may set a session's rules: the union office, recording the presidium's or the
congress's act (administrators get the office's grants too)."""

from gonghui.accounts.roles import Role

ROLE_GRANTS = {
    Role.UNION_OFFICE: {
        "congress.view_congresssession",
        "congress.change_congresssession",
        "congress.view_sessionrules",
        "congress.add_sessionrules",
        "congress.change_sessionrules",
    },
    Role.AUDITOR: {"congress.view_sessionrules"},
}

"""Who does what with practical projects and bulletins. The union office registers projects,
ticks them off and composes and publishes the bulletins; a university unit's contact person
(承办单位联系人) records the progress of the projects their unit leads and sees those it helps
with; auditors read everything; staff read published bulletins and rate done projects."""

from gonghui.accounts.roles import Role

_READ = {
    "projects.view_batch",
    "projects.view_practicalproject",
    "projects.view_progressentry",
    "projects.view_bulletin",
    "projects.view_bulletinseries",
}

ROLE_GRANTS = {
    Role.UNION_OFFICE: _READ
    | {
        "projects.add_batch",
        "projects.add_practicalproject",
        "projects.change_practicalproject",
        "projects.manage_practicalproject",
        "projects.add_progressentry",
        "projects.add_bulletinseries",
        "projects.add_bulletin",
        "projects.change_bulletin",
        "projects.publish_bulletin",
    },
    Role.HANDLING_UNIT_OFFICER: {
        "projects.view_batch",
        "projects.view_practicalproject",
        "projects.view_progressentry",
        "projects.add_progressentry",
    },
    Role.AUDITOR: _READ,
}

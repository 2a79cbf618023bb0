"""What each role may do with the teaching competition. The union office hosts the competition
office and runs every edition. A college's officer nominates their college's teachers and
follows their entries. Judging needs no permission: being on an edition's list of judges is
what lets one score (and being its chief judge, what lets one change a submitted sheet).
Contestants and coaches see their own entries as members."""

from gonghui.accounts.roles import Role

ROLE_GRANTS = {
    Role.UNION_OFFICE: {
        "competitions.view_competition",
        "competitions.add_competition",
        "competitions.manage_competition",
        "competitions.view_competitionrules",
        "competitions.add_competitionrules",
        "competitions.adopt_competitionrules",
        "competitions.view_entry",
        "competitions.add_entry",
        "competitions.change_entry",
        "competitions.view_scoresheet",
        "competitions.view_award",
    },
    Role.SUB_UNION_OFFICER: {
        "competitions.view_competition",
        "competitions.view_competitionrules",
        "competitions.view_entry",
        "competitions.add_entry",
        "competitions.change_entry",
        "competitions.view_award",
    },
    Role.AUDITOR: {
        "competitions.view_competition",
        "competitions.view_competitionrules",
        "competitions.view_entry",
        "competitions.view_scoresheet",
        "competitions.view_award",
    },
}

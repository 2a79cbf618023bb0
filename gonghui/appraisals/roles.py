"""What each role may do with the cadre appraisal. Voting needs no permission: being on a unit's
list of voters is what lets one vote; being one of its two tellers, what lets one enter its
paper ballots. The results are the organisation department's alone (models.reads_results):
the union office runs the round and sees turnout, not how anyone was rated."""

from gonghui.accounts.roles import Role

ROLE_GRANTS = {
    Role.UNION_OFFICE: {
        "appraisals.view_appraisalround",
        "appraisals.manage_appraisalround",
        "appraisals.adopt_appraisalrules",
        "appraisals.add_appraisalrules",
        "appraisals.view_appraisalrules",
    },
    # a college's officer follows their college's turnout
    Role.SUB_UNION_OFFICER: {"appraisals.view_appraisalround"},
    Role.ORGANISATION_DEPARTMENT: {
        "appraisals.view_appraisalround",
        "appraisals.view_appraisalrules",
        "appraisals.adopt_appraisalrules",
        "appraisals.add_appraisalrules",
        "appraisals.view_appraisalresult",
        "appraisals.release_appraisalround",
    },
    Role.AUDITOR: {"appraisals.view_appraisalround", "appraisals.view_appraisalrules"},
}

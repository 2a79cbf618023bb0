"""What each role may do with staff children's admission. The union office runs the year's
work: schools, rules, the campaign, policy notes, visits, and sees the demand in figures. Only
its admissions officer (子女入学专员) sees children and their requests: they check, refer and
record the schools' answers, and log consultations. A sub-union officer collects the survey
and checks their members' requests; a parent answers and applies as a member. Auditors read
the year's figures and rules, not children."""

from gonghui.accounts.roles import Role

_OFFICE = {
    "admissions.view_school",
    "admissions.add_school",
    "admissions.change_school",
    "admissions.view_admissionrules",
    "admissions.add_admissionrules",
    "admissions.adopt_admissionrules",
    "admissions.view_campaign",
    "admissions.add_campaign",
    "admissions.manage_campaign",
    "admissions.view_policynote",
    "admissions.add_policynote",
    "admissions.change_policynote",
    "admissions.view_schoolvisit",
    "admissions.add_schoolvisit",
    "admissions.change_schoolvisit",
    "admissions.view_visitsignup",
    "admissions.view_shortageaction",
    "admissions.add_shortageaction",
    "admissions.change_shortageaction",
}

ROLE_GRANTS = {
    Role.UNION_OFFICE: _OFFICE,
    Role.ADMISSIONS_OFFICER: _OFFICE
    | {
        "admissions.view_surveyline",
        "admissions.change_surveyline",
        "admissions.view_childrecord",
        "admissions.change_childrecord",
        "admissions.view_admissionrequest",
        "admissions.add_admissionrequest",
        "admissions.change_admissionrequest",
        "admissions.check_admissionrequest",
        "admissions.refer_admissionrequest",
        "admissions.view_requestdocument",
        "admissions.view_consultation",
        "admissions.add_consultation",
        "admissions.change_visitsignup",
    },
    Role.SUB_UNION_OFFICER: {
        "admissions.view_school",
        "admissions.view_admissionrules",
        "admissions.view_campaign",
        "admissions.view_surveyline",
        "admissions.change_surveyline",
        "admissions.view_childrecord",
        "admissions.change_childrecord",
        "admissions.view_admissionrequest",
        "admissions.add_admissionrequest",
        "admissions.change_admissionrequest",
        "admissions.check_admissionrequest",
        "admissions.view_requestdocument",
        "admissions.view_visitsignup",
    },
    Role.AUDITOR: {
        "admissions.view_school",
        "admissions.view_admissionrules",
        "admissions.view_campaign",
        "admissions.view_policynote",
        "admissions.view_schoolvisit",
        "admissions.view_shortageaction",
    },
}

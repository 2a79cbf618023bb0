"""What each role may do with mentorship pairing. The union office runs the cohorts (with HR
and the teacher development centre, whose officers it signs in as office staff): rules,
matching, grades and stipends. A college's officer names candidates, proposes and signs
pairs, confirms duties and gives the college's opinion. Mentors and mentees see their own
pair and log its duties as members; auditors read everything."""

from gonghui.accounts.roles import Role

ROLE_GRANTS = {
    Role.UNION_OFFICE: {
        "mentorship.view_cohort",
        "mentorship.add_cohort",
        "mentorship.manage_cohort",
        "mentorship.view_mentorshiprules",
        "mentorship.add_mentorshiprules",
        "mentorship.adopt_mentorshiprules",
        "mentorship.view_teacherprofile",
        "mentorship.change_teacherprofile",
        "mentorship.add_teacherprofile",  # imports HR's list of profiles
        "mentorship.view_candidate",
        "mentorship.add_candidate",
        "mentorship.view_pair",
        "mentorship.add_pair",
        "mentorship.change_pair",
        "mentorship.view_dutylog",
        "mentorship.change_dutylog",
        "mentorship.view_assessment",
        "mentorship.view_matchingrun",
        "mentorship.view_stipendbatch",
        "mentorship.add_stipendbatch",
        "mentorship.pay_stipend",
        "mentorship.view_stipendentry",
    },
    Role.SUB_UNION_OFFICER: {
        "mentorship.view_cohort",
        "mentorship.view_mentorshiprules",
        "mentorship.view_teacherprofile",
        "mentorship.change_teacherprofile",
        "mentorship.view_candidate",
        "mentorship.add_candidate",
        "mentorship.view_pair",
        "mentorship.add_pair",
        "mentorship.change_pair",
        "mentorship.view_dutylog",
        "mentorship.change_dutylog",
        "mentorship.view_assessment",
    },
    Role.AUDITOR: {
        "mentorship.view_cohort",
        "mentorship.view_mentorshiprules",
        "mentorship.view_teacherprofile",
        "mentorship.view_candidate",
        "mentorship.view_pair",
        "mentorship.view_dutylog",
        "mentorship.view_assessment",
        "mentorship.view_matchingrun",
        "mentorship.view_stipendbatch",
        "mentorship.view_stipendentry",
    },
}

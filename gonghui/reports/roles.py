"""Who reads the union's annual report: the union office (and so the administrator) and the
auditors; they also read the log of its downloads. The system actor (the `annual_report`
command) holds every permission a role holds. Sub-union officers and members do not: the
report is the union's aggregate document of the year."""

from gonghui.accounts.roles import Role

_READERS = {"reports.view_annualreport", "reports.view_annualreportexport"}

ROLE_GRANTS = {
    Role.UNION_OFFICE: _READERS,
    Role.AUDITOR: _READERS,
}

"""What each role may do in the medical mutual-aid society."""

from gonghui.accounts.roles import Role

_READ = {
    "mutual_aid.view_schemeedition",
    "mutual_aid.view_schememembership",
    "mutual_aid.view_feerun",
    "mutual_aid.view_ledgerentry",
    "mutual_aid.view_subsidyapplication",
    "mutual_aid.view_committeesitting",
    "mutual_aid.view_publicnotice",
    "mutual_aid.view_paymentbatch",
}
_OFFICE = _READ | {
    "mutual_aid.add_schemeedition",
    "mutual_aid.change_schemeedition",
    "mutual_aid.adopt_schemeedition",
    "mutual_aid.add_schememembership",
    "mutual_aid.change_schememembership",
    "mutual_aid.add_feerun",
    "mutual_aid.add_ledgerentry",
    "mutual_aid.add_subsidyapplication",
    "mutual_aid.check_subsidyapplication",
    "mutual_aid.office_check_subsidyapplication",
    "mutual_aid.add_committeesitting",
    "mutual_aid.add_publicnotice",
    "mutual_aid.add_noticeobjection",
    "mutual_aid.add_paymentbatch",
    "mutual_aid.pay_subsidyapplication",
}
# A sub-union officer applies on behalf of their people and does the sub-union check.
_SUB_UNION = {
    "mutual_aid.view_schemeedition",
    "mutual_aid.view_schememembership",
    "mutual_aid.view_subsidyapplication",
    "mutual_aid.add_subsidyapplication",
    "mutual_aid.check_subsidyapplication",
    "mutual_aid.add_schememembership",
}
_COMMITTEE = {
    "mutual_aid.view_schemeedition",
    "mutual_aid.view_subsidyapplication",
    "mutual_aid.decide_subsidyapplication",
    "mutual_aid.view_committeesitting",
}

ROLE_GRANTS = {
    Role.UNION_OFFICE: _OFFICE,
    Role.SUB_UNION_OFFICER: _SUB_UNION,
    Role.WELFARE_COMMITTEE: _COMMITTEE,
    Role.AUDITOR: _READ,
}

"""What each role may do in group insurance with the Workers' Insurance Mutual."""

from gonghui.accounts.roles import Role

_READ = {
    "insurance.view_plan",
    "insurance.view_planedition",
    "insurance.view_enrollmentrun",
    "insurance.view_planenrollment",
    "insurance.view_rosterexport",
    "insurance.view_planclaim",
}
_OFFICE = _READ | {
    "insurance.add_plan",
    "insurance.change_plan",
    "insurance.add_planedition",
    "insurance.change_planedition",
    "insurance.adopt_planedition",
    "insurance.enroll_planedition",
    "insurance.add_optout",
    "insurance.add_rosterexport",
    "insurance.add_planclaim",
    "insurance.forward_planclaim",
}
# Sub-union officers read their people's cover and claims.
_SUB_UNION = {
    "insurance.view_planedition",
    "insurance.view_planenrollment",
    "insurance.view_planclaim",
}

ROLE_GRANTS = {
    Role.UNION_OFFICE: _OFFICE,
    Role.SUB_UNION_OFFICER: _SUB_UNION,
    Role.AUDITOR: _READ,
}

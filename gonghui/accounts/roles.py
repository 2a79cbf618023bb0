"""Roles and what each may do. A role assignment is (user, role, scope); a role grants
Django permissions (checked by `RolePermissionBackend`), and querysets narrow them to the
role's scope (`gonghui.accounts.access`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("会员")
    SUB_UNION_OFFICER = "sub_union_officer", _("分工会干部")
    UNION_OFFICE = "union_office", _("校工会工作人员")
    WELFARE_COMMITTEE = "welfare_committee", _("福利委员会委员")
    PROPOSALS_COMMITTEE = "proposals_committee", _("提案工作委员会委员")
    HANDLING_UNIT_OFFICER = "handling_unit_officer", _("承办单位联系人")
    AUDITOR = "auditor", _("审计")
    ADMINISTRATOR = "administrator", _("系统管理员")


# Roles that read every record of the union; of them, only the first two may write.
GLOBAL_READ_ROLES = frozenset({Role.UNION_OFFICE, Role.ADMINISTRATOR, Role.AUDITOR})
GLOBAL_WRITE_ROLES = frozenset({Role.UNION_OFFICE, Role.ADMINISTRATOR})
# Roles that need a scope object.
SCOPED_ROLES = {Role.SUB_UNION_OFFICER: "sub_union", Role.HANDLING_UNIT_OFFICER: "university_unit"}

_BACK_OFFICE_READ = {
    "people.view_person",
    "people.view_subunion",
    "people.view_unionmembership",
    "people.export_person",
    "core.view_job",
}
_OFFICE = _BACK_OFFICE_READ | {
    "people.add_person",
    "people.change_person",
    "people.change_unionmembership",
    "people.import_roster",
    "people.reveal_id_number",
    "people.add_subunion",
    "people.change_subunion",
}

# Medical mutual-aid society (gonghui.mutual_aid).
_MUTUAL_AID_READ = {
    "mutual_aid.view_schemeedition",
    "mutual_aid.view_schememembership",
    "mutual_aid.view_feerun",
    "mutual_aid.view_ledgerentry",
    "mutual_aid.view_subsidyapplication",
    "mutual_aid.view_committeesitting",
    "mutual_aid.view_publicnotice",
    "mutual_aid.view_paymentbatch",
}
_MUTUAL_AID_OFFICE = _MUTUAL_AID_READ | {
    "mutual_aid.add_schemeedition",
    "mutual_aid.change_schemeedition",
    "mutual_aid.adopt_schemeedition",
    "mutual_aid.add_schememembership",
    "mutual_aid.change_schememembership",
    "mutual_aid.add_feerun",
    "mutual_aid.add_ledgerentry",
    "mutual_aid.add_subsidyapplication",
    "mutual_aid.check_subsidyapplication",
    "mutual_aid.add_committeesitting",
    "mutual_aid.add_publicnotice",
    "mutual_aid.add_noticeobjection",
    "mutual_aid.add_paymentbatch",
    "mutual_aid.pay_subsidyapplication",
}
# A sub-union officer applies on behalf of their people and does the sub-union check.
_MUTUAL_AID_SUB_UNION = {
    "mutual_aid.view_schemeedition",
    "mutual_aid.view_schememembership",
    "mutual_aid.view_subsidyapplication",
    "mutual_aid.add_subsidyapplication",
    "mutual_aid.check_subsidyapplication",
    "mutual_aid.add_schememembership",
}
_MUTUAL_AID_COMMITTEE = {
    "mutual_aid.view_schemeedition",
    "mutual_aid.view_subsidyapplication",
    "mutual_aid.decide_subsidyapplication",
    "mutual_aid.view_committeesitting",
}

# Enrollment drives (gonghui.drives).
_DRIVES_READ = {
    "drives.view_drive",
    "drives.view_intentanswer",
    "drives.view_driveregistration",
    "drives.view_rosterexport",
    "drives.view_slotbooking",
}
_DRIVES_OFFICE = _DRIVES_READ | {
    "drives.add_drive",
    "drives.change_drive",
    "drives.advance_drive",
    "drives.add_intentanswer",
    "drives.remind_survey",
    "drives.add_driveregistration",
    "drives.export_roster",
    "drives.import_result",
    "drives.add_slotbooking",
    "drives.checkin_booking",
}
# A sub-union officer runs the survey for their people, registers them (the group channel)
# and books slots on their behalf (the retirees' office takes phone bookings).
_DRIVES_SUB_UNION = _DRIVES_READ - {"drives.view_rosterexport"} | {
    "drives.add_intentanswer",
    "drives.add_driveregistration",
    "drives.add_slotbooking",
}

# Group insurance with the Workers' Insurance Mutual (gonghui.insurance).
_INSURANCE_READ = {
    "insurance.view_plan",
    "insurance.view_planedition",
    "insurance.view_enrollmentrun",
    "insurance.view_planenrollment",
    "insurance.view_rosterexport",
    "insurance.view_planclaim",
}
_INSURANCE_OFFICE = _INSURANCE_READ | {
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
_INSURANCE_SUB_UNION = {
    "insurance.view_planedition",
    "insurance.view_planenrollment",
    "insurance.view_planclaim",
}

# Staff congress proposals (gonghui.proposals). Delegates need no permission: being a
# delegate (congress.Delegate) is what lets a member propose and co-sign.
_PROPOSALS_READ = {
    "proposals.view_proposal",
    "proposals.report_proposal",
}
_PROPOSALS_OFFICE = _PROPOSALS_READ | {
    "proposals.change_proposal",
    "proposals.assign_proposal",
    "proposals.publish_proposal",
    "proposals.triage_proposal",
    "proposals.reopen_proposal",
    "proposals.handle_proposal",
    "congress.view_congresssession",
    "congress.change_congresssession",
}
_PROPOSALS_COMMITTEE = _PROPOSALS_READ | {
    "proposals.triage_proposal",
    "proposals.reopen_proposal",
    "proposals.award_proposal",
}
# A handling-unit officer sees and answers only their unit's proposals (scoped querysets).
_PROPOSALS_UNIT = {
    "proposals.view_proposal",
    "proposals.handle_proposal",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.MEMBER: frozenset(),
    Role.SUB_UNION_OFFICER: frozenset(
        _BACK_OFFICE_READ | _MUTUAL_AID_SUB_UNION | _DRIVES_SUB_UNION | _INSURANCE_SUB_UNION
    ),
    Role.UNION_OFFICE: frozenset(_OFFICE | _MUTUAL_AID_OFFICE | _DRIVES_OFFICE | _INSURANCE_OFFICE | _PROPOSALS_OFFICE),
    Role.WELFARE_COMMITTEE: frozenset(_MUTUAL_AID_COMMITTEE),
    Role.PROPOSALS_COMMITTEE: frozenset(_PROPOSALS_COMMITTEE),
    Role.HANDLING_UNIT_OFFICER: frozenset(_PROPOSALS_UNIT),
    Role.AUDITOR: frozenset(_BACK_OFFICE_READ | _MUTUAL_AID_READ | _DRIVES_READ | _INSURANCE_READ | _PROPOSALS_READ),
    Role.ADMINISTRATOR: frozenset(
        _OFFICE
        | _MUTUAL_AID_OFFICE
        | _DRIVES_OFFICE
        | _INSURANCE_OFFICE
        | _PROPOSALS_OFFICE
        | {"accounts.manage_roles"}
    ),
}

"""Every route × every role: who may use it, who is refused, and what scoped roles never see.

ROUTES below holds one access rule per URL name. `test_every_route_has_an_access_rule` walks the
project's URL configuration, so adding a route without a line here fails the suite.

A rule says which roles are allowed; every other role must be refused — 403, or 404 when the
rule's object is one the role may not see (`denied=404`). Anonymous visitors are sent to the
sign-in page (pages) or get 401 (API), unless the rule is `public`. `out_of_scope` names an
object of the same kind that the scoped roles (a member: zhang; a sub-union officer: econ and
its group) may not see: for them that URL must answer 404.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gonghui.core.models import AuditEvent, Job
from gonghui.people.choices import Gender
from gonghui.people.models import Child
from tests.tables import changed_tables, table_counts

# The views' rules, the same on any database: run once, in the SQLite pass (see ./dev).
pytestmark = pytest.mark.once

ROLES = [
    "member",
    "sub_union_officer",
    "union_office",
    "welfare_committee",
    "proposals_committee",
    "handling_unit_officer",
    "organisation_department",
    "admissions_officer",
    "auditor",
    "administrator",
]
SCOPED_ROLES = {"member", "sub_union_officer"}
EVERYONE = frozenset(ROLES)
BACK_OFFICE_READERS = frozenset({"sub_union_officer", "union_office", "auditor", "administrator"})
OFFICE = frozenset({"union_office", "administrator"})
GLOBAL_READERS = frozenset({"union_office", "auditor", "administrator"})
MA_APPLICATION_READERS = frozenset(
    {"sub_union_officer", "union_office", "welfare_committee", "auditor", "administrator"}
)
MA_EDITORS = frozenset({"member", "sub_union_officer", "union_office", "administrator"})
MA_CHECKERS = frozenset({"sub_union_officer", "union_office", "administrator"})
PR_READERS = frozenset({"proposals_committee", "handling_unit_officer", "union_office", "auditor", "administrator"})
PR_REPORTERS = frozenset({"proposals_committee", "union_office", "auditor", "administrator"})
PR_UNITS = frozenset({"handling_unit_officer", "union_office", "administrator"})
PR_COMMITTEE = frozenset({"proposals_committee", "union_office", "administrator"})
PR_SUBMITTED_VIEWERS = frozenset({"member", "proposals_committee", "union_office", "auditor", "administrator"})

# draft deliberation: those who may read one (a delegate, a college's officer, the drafting unit,
# the office, auditors); its insiders (roll-up, report, history); who drafts and answers (the
# drafting unit's officer and the office)
DL_READERS = frozenset(
    {"member", "sub_union_officer", "handling_unit_officer", "union_office", "auditor", "administrator"}
)
DL_INSIDERS = frozenset({"handling_unit_officer", "union_office", "auditor", "administrator"})
DL_DRAFTERS = frozenset({"handling_unit_officer", "union_office", "administrator"})
# cadre appraisal: the round's insiders (the office, auditors, the organisation department); its
# voters (zhang; the econ officer, also a teller); results are the organisation department's alone
AP_INSIDERS = frozenset({"union_office", "administrator", "auditor", "organisation_department"})
AP_RULES_ADOPTERS = frozenset({"union_office", "administrator", "organisation_department"})
AP_VOTERS = frozenset({"member", "sub_union_officer"})
AP_TELLER = frozenset({"sub_union_officer"})
AP_RESULTS = frozenset({"organisation_department"})

# staff children's admission: the admissions officer (子女入学专员), the only office role that sees
# children's rows; the office that runs the year (with it); the officers who see children (their own
# people's) and everyone a child's row may reach (the parent too)
ADM = frozenset({"admissions_officer"})
ADM_OFFICE = OFFICE | ADM
ADM_CHILD_OFFICERS = frozenset({"sub_union_officer", "admissions_officer"})
ADM_CHILD_ROWS = ADM_CHILD_OFFICERS | {"member"}

# practical projects: who reads them (a unit's contact person their unit's), who moves one on (its lead
# unit and the office), who rates a done one (people on the roster)
PJ_READERS = frozenset({"handling_unit_officer", "union_office", "auditor", "administrator"})
PJ_MOVERS = frozenset({"handling_unit_officer", "union_office", "administrator"})
PJ_RATERS = frozenset({"member", "sub_union_officer"})

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def no_args(w):
    return []


def _is_read(notification) -> bool:
    notification.refresh_from_db()
    return notification.read_at is not None


def _only_one_inbox_read(w) -> bool:
    """Of one unread notification per user, exactly one (the caller's) is now read."""
    from gonghui.notifications.models import Notification

    pks = [item.pk for item in w.everyones_notifications]
    return Notification.objects.filter(pk__in=pks, read_at__isnull=False).count() == 1


def _disease_set(w) -> bool:
    w.zhang_application.refresh_from_db()
    return w.zhang_application.disease_category_id == w.ma_disease.pk


def _fee_result_file() -> bytes:
    """Finance's deduction result: zhang's 2024 fee deducted."""
    from gonghui.core.excel import xlsx_bytes

    return xlsx_bytes(headers=["工号", "扣款金额", "扣款结果", "失败原因"], rows=[["E0001", "120.00", "成功", ""]])


def _acceptance_file(w) -> bytes:
    """The insurer's acceptance file: zhang (on the roster) accepted."""
    from gonghui.insurance.tests.helpers import acceptance_file

    return acceptance_file([(1, w.zhang.name, w.zhang.id_number_clear(), "承保", "")])


def _li_token(w):
    """An API token of li's account (no role): only the administrator may revoke it."""
    from gonghui.accounts.tokens import api_token_issue

    return api_token_issue(user=w.li_account, name="li")[1]


def _days(n: int) -> str:
    """The date n days from today (the world's clock), as a form field gives it."""
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


@dataclass(frozen=True)
class Rule:
    allowed: frozenset
    args: Callable = no_args  # world -> URL arguments
    method: str = "GET"
    data: Callable | None = None  # world -> POST data
    denied: int = 403  # what a signed-in role outside `allowed` gets
    out_of_scope: Callable | None = None  # world -> URL arguments of an object scoped roles may not see
    public: bool = False  # anonymous visitors may use it too
    # An allowed POST must show its effect: by default some table's row count changes (every
    # write leaves an audit or event row); `effect(world) -> bool` checks it otherwise, and
    # `writes=False` marks a POST that only reads (a preview, a download).
    effect: Callable | None = None
    writes: bool = True
    as_json: bool = False  # the POST body is JSON (an API taking nested data)


def _li_attended(w) -> bool:
    from gonghui.drives.models import SessionSignup

    return list(
        SessionSignup.objects.filter(session=w.drive_session, attended=True).values_list("person_id", flat=True)
    ) == [w.li.pk]


# URL patterns this test does not request (see the module docstring of each reason).
EXCLUDED_PREFIXES = (
    "admin/",  # Django admin: staff only; see test_admin_turns_non_staff_away
    "cas-server/",  # the CAS server the test settings mount for the sign-in tests
    "static/",
)
EXCLUDED_NAMES = {
    "set_language",  # i18n language switch, anyone
    "accounts:cas_login",  # redirect to the campus CAS server
    "accounts:cas_logout",
    "union_setup",  # first-day setup: gone (404) once the union exists, as it does here; see people/tests/test_union_setup.py
}

# fmt: off
ROUTES: dict[str, Rule] = {
    # the health check of the proxy and the load bench: anyone, no database
    "healthz": Rule(EVERYONE, public=True),
    "favicon": Rule(EVERYONE, public=True),
    "robots": Rule(EVERYONE, public=True),
    # sign-in
    "accounts:login": Rule(EVERYONE, public=True),
    "accounts:logout": Rule(EVERYONE, method="POST", public=True),
    "accounts:activate": Rule(EVERYONE, public=True),
    "accounts:password_reset": Rule(EVERYONE, public=True),
    "accounts:password_reset_confirm": Rule(EVERYONE, public=True),
    "accounts:password_set": Rule(EVERYONE, public=True),
    # activation sheets: officers, for the people in their scope
    "accounts:activation_sheet": Rule(MA_CHECKERS),
    # users and roles: readers see accounts (an officer their sub-union's); the office opens and
    # stops accounts; role givers are the office, the administrator and (within their sub-union) officers
    "accounts:user_list": Rule(BACK_OFFICE_READERS),
    "accounts:user_create": Rule(OFFICE),
    "accounts:user_detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.users["member"].pk],
                                 out_of_scope=lambda w: [w.users["union_office"].pk]),
    "accounts:role_grant": Rule(MA_CHECKERS, method="POST", args=lambda w: [w.users["member"].pk],
                                data=lambda w: {"role": "sub_union_officer", "sub_union": str(w.econ_group.pk)},
                                out_of_scope=lambda w: [w.users["union_office"].pk]),
    "accounts:role_revoke": Rule(MA_CHECKERS, method="POST", args=lambda w: [w.li_account.role_assignments.get().pk],
                                 out_of_scope=lambda w: [w.wang_account.role_assignments.get().pk]),
    "accounts:user_active": Rule(OFFICE, method="POST", args=lambda w: [w.users["member"].pk],
                                 data=lambda w: {"active": "0"}),
    # API tokens: everyone lists and revokes their own; only the administrator anyone's (li's here)
    "accounts:tokens": Rule(EVERYONE),
    "accounts:token_revoke": Rule({"administrator"}, method="POST", args=lambda w: [_li_token(w).pk], denied=404),
    "accounts:user_code": Rule(MA_CHECKERS, method="POST", args=lambda w: [w.li_account.pk],
                               out_of_scope=lambda w: [w.wang_account.pk]),
    # portal: every signed-in user, their own records only
    "portal:home": Rule(EVERYONE),
    "portal:services": Rule(EVERYONE),
    "portal:profile": Rule(EVERYONE),
    "portal:membership": Rule(EVERYONE),
    # staff congress proposals (教代会提案)
    "proposals:home": Rule(EVERYONE),
    "proposals:create": Rule(EVERYONE, args=lambda w: [] if w.pr else []),
    "proposals:similar_panel": Rule(EVERYONE),
    "proposals:public": Rule(EVERYONE),
    "proposals:catalogue": Rule(EVERYONE, args=lambda w: [w.pr.session.pk]),
    "proposals:list": Rule(PR_READERS),
    "proposals:unit_board": Rule(PR_UNITS),
    "proposals:overdue": Rule(PR_READERS),
    "proposals:stats": Rule(PR_REPORTERS, args=lambda w: [w.pr.session.pk]),
    "proposals:report": Rule(PR_REPORTERS, args=lambda w: [w.pr.session.pk]),
    "proposals:award": Rule({"proposals_committee"}, method="POST", args=lambda w: [w.pr.session.pk],
                            data=lambda w: {"kind": "best_unit", "unit": w.logistics.pk}),
    "proposals:handover": Rule(OFFICE, method="POST", args=lambda w: (w.pr.units_set, [w.pr.session.pk])[1]),
    "proposals:publish": Rule(OFFICE, method="POST", args=lambda w: [w.pr.session.pk]),
    "proposals:detail": Rule(PR_SUBMITTED_VIEWERS, args=lambda w: [w.pr.submitted.pk], denied=404,
                             out_of_scope=lambda w: [w.pr.by_li.pk]),
    "proposals:edit": Rule({"member"}, args=lambda w: [w.pr.invited.pk], denied=404),
    "proposals:invite": Rule({"member"}, method="POST", args=lambda w: [w.pr.invited.pk], denied=404,
                             data=lambda w: {"delegates": [w.pr.delegates["li"].pk]}),
    "proposals:submit": Rule({"member"}, method="POST", args=lambda w: [w.pr.co_signed.pk], denied=404),
    "proposals:withdraw": Rule({"member"}, method="POST", args=lambda w: [w.pr.submitted.pk], denied=404),
    "proposals:return_to_draft": Rule({"member"}, method="POST", args=lambda w: [w.pr.invited.pk], denied=404),
    "proposals:co_sign": Rule({"sub_union_officer"}, method="POST", args=lambda w: [w.pr.invited.pk], denied=404),
    "proposals:co_sign_withdraw": Rule({"sub_union_officer"}, method="POST", args=lambda w: [w.pr.invited.pk],
                                       denied=404),
    "proposals:triage": Rule(PR_COMMITTEE, method="POST", args=lambda w: [w.pr.submitted.pk], denied=404,
                             data=lambda w: {"outcome": "registered"}),
    "proposals:presidium": Rule(OFFICE | {"sub_union_officer"}, method="POST", args=lambda w: [w.pr.referred.pk],
                                denied=404, data=lambda w: {"outcome": "registered"}),
    "proposals:units": Rule(OFFICE, method="POST", args=lambda w: [w.pr.registered.pk], denied=404,
                            data=lambda w: {"lead_unit": w.logistics.pk}),
    "proposals:contact": Rule(PR_UNITS, method="POST", args=lambda w: [w.pr.assigned.pk], denied=404,
                              data=lambda w: {"contacted_on": _days(0), "method": "phone", "summary": "电话沟通"}),
    # 后勤处 (the unit officer's unit) co-handles this one under 人事处; the office acts for the lead unit
    "proposals:co_input": Rule(PR_UNITS, method="POST", args=lambda w: [w.pr.co_assigned.pk], denied=404,
                               data=lambda w: {"text": "协办意见：同意主办单位方案"}),
    "proposals:reply": Rule(PR_UNITS, method="POST", args=lambda w: [w.pr.assigned.pk], denied=404,
                            data=lambda w: {"category": "solved", "body": "已解决"}),
    "proposals:reply_sign_off": Rule(PR_UNITS, method="POST", args=lambda w: [w.pr.drafted.pk], denied=404,
                                     data=lambda w: {"leader_name": "刘校长"}),
    "proposals:reply_release": Rule(PR_UNITS, method="POST", args=lambda w: [w.pr.signed.pk], denied=404),
    "proposals:progress": Rule(PR_UNITS, method="POST", args=lambda w: [w.pr.assigned.pk], denied=404,
                               data=lambda w: {"title": "完成改造方案", "due_on": _days(30)}),
    "proposals:reopen": Rule(PR_COMMITTEE, method="POST", args=lambda w: [w.pr.assigned.pk], denied=404,
                             data=lambda w: {"until": _days(10), "reason": "提案人补充了材料"}),
    "proposals:follow_up_close": Rule(PR_COMMITTEE, method="POST", args=lambda w: [w.pr.followed.pk], denied=404,
                                      data=lambda w: {"note": "已落实"}),
    "proposals:rate": Rule({"member"}, method="POST", args=lambda w: [w.pr.replied.pk], denied=404,
                           data=lambda w: {"level": "satisfied"}),
    "api-proposal-list": Rule(EVERYONE),
    "api-proposal-similar": Rule(EVERYONE),
    "api-proposal-public": Rule(EVERYONE),
    "api-proposal-unit-board": Rule(PR_UNITS),
    "api-proposal-report": Rule(PR_REPORTERS, args=lambda w: [] if w.pr else []),
    "api-proposal-session-action": Rule(OFFICE, method="POST", args=lambda w: [w.pr.session.pk, "publish"]),
    "api-proposal-detail": Rule(PR_SUBMITTED_VIEWERS, args=lambda w: [w.pr.submitted.pk], denied=404,
                                out_of_scope=lambda w: [w.pr.by_li.pk]),
    "api-proposal-action": Rule({"member"}, method="POST", args=lambda w: [w.pr.replied.pk, "rate"], denied=404,
                                data=lambda w: {"level": "satisfied"}),
    # people pages
    "people:person_list": Rule(BACK_OFFICE_READERS),
    "people:person_detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.zhang.pk],
                                 out_of_scope=lambda w: [w.wang.pk]),
    "people:person_reveal_id": Rule(OFFICE, args=lambda w: [w.zhang.pk], method="POST"),
    "people:person_export_clear": Rule(OFFICE, method="POST", data=lambda w: {"confirm": "on"}),
    "people:subunion_list": Rule(BACK_OFFICE_READERS),
    "people:subunion_detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.econ.pk],
                                   out_of_scope=lambda w: [w.law.pk]),
    # the union office manages sub-unions (each POST must write; refused ones write nothing)
    "people:subunion_create": Rule(OFFICE, method="POST", data=lambda w: {"name": "保卫处分工会", "kind": "office"}),
    "people:subunion_edit": Rule(OFFICE, args=lambda w: [w.law.pk], method="POST",
                                 data=lambda w: {"kind": "office", "parent": ""}),
    "people:subunion_rename": Rule(OFFICE, args=lambda w: [w.law.pk], method="POST",
                                   data=lambda w: {"name": "法学院工会"}),
    "people:subunion_merge": Rule(OFFICE, args=lambda w: [w.econ_group.pk], method="POST",
                                  data=lambda w: {"into": str(w.econ.pk)}),
    "people:person_create": Rule(OFFICE),
    "people:person_edit": Rule(OFFICE, args=lambda w: [w.zhang.pk]),
    "people:person_status": Rule(OFFICE, args=lambda w: [w.zhang.pk]),
    "people:membership_join": Rule(OFFICE, args=lambda w: [w.zhang.pk]),
    "people:membership_transfer": Rule(OFFICE, args=lambda w: [w.zhang.pk]),
    "people:membership_end": Rule(OFFICE, args=lambda w: [w.zhang.pk]),
    "people:membership_confirm": Rule(OFFICE, args=lambda w: [w.applicant.pk], method="POST"),
    "people:child_add": Rule(OFFICE, args=lambda w: [w.zhang.pk]),
    "people:child_delete": Rule(OFFICE, args=lambda w: [w.zhang_child.pk]),
    # roster import
    "people:roster_import": Rule(OFFICE),
    "people:roster_template": Rule(OFFICE),
    "people:roster_preview": Rule(OFFICE, args=lambda w: [w.roster_preview.pk]),
    # the file's 所在单位 "经济学院" is unknown: mapped to econ (kept as its alias)
    "people:roster_map_units": Rule(OFFICE, args=lambda w: [w.roster_preview_unknown_unit.pk], method="POST",
                                    data=lambda w: {"unit-0": str(w.econ.pk)}),
    "people:roster_confirm": Rule(OFFICE, args=lambda w: [w.roster_preview.pk], method="POST"),
    # jobs: the starter's own; office, administrators and auditors see all
    "core:job_detail": Rule(GLOBAL_READERS | {"member"}, args=lambda w: [w.member_job.pk], denied=404,
                            out_of_scope=lambda w: [w.office_job.pk]),
    # notifications: one's own inbox only
    "notifications:inbox": Rule(EVERYONE),
    # marking read writes read_at (no row): the effect checks it
    "notifications:read_all": Rule(EVERYONE, method="POST", args=lambda w: (w.everyones_notifications, [])[1],
                                   effect=lambda w: _only_one_inbox_read(w)),
    "notifications:read": Rule({"member"}, args=lambda w: [w.member_notification.pk], method="POST", denied=404,
                               out_of_scope=lambda w: [w.office_notification.pk],
                               effect=lambda w: _is_read(w.member_notification)),
    "notifications:open": Rule({"member"}, args=lambda w: [w.member_notification.pk], method="POST", denied=404,
                               out_of_scope=lambda w: [w.office_notification.pk],
                               effect=lambda w: _is_read(w.member_notification)),
    # attachments: what one uploaded or belongs to a person one may see. The shared upload
    # endpoint stores only purposes a module opened to it (none so far): an application's
    # documents are uploaded on the application, so even a member who hands them in is refused
    "attachments:upload": Rule(frozenset(), method="POST",
                               data=lambda w: {"file": SimpleUploadedFile("a.pdf", PDF_BYTES, "application/pdf"),
                                               "purpose": "mutual_aid.application"}),
    "attachments:download": Rule(GLOBAL_READERS | {"member", "sub_union_officer"},
                                 args=lambda w: [w.zhang_attachment.pk], denied=404,
                                 out_of_scope=lambda w: [w.wang_attachment.pk]),
    # mutual aid: membership, fee runs and the ledger
    "mutual_aid:fee_members": Rule(BACK_OFFICE_READERS),
    "mutual_aid:fee_enroll": Rule(OFFICE | {"sub_union_officer"}),
    "mutual_aid:fee_opt_out": Rule(OFFICE, args=lambda w: [w.zhang_scheme_membership.pk]),
    # 批量入会: the office for everyone, an officer for their own people; a batch's preview is
    # its uploader's (and the office's): another officer's or the office's is a 404 for an officer
    "mutual_aid:enrol_batch": Rule(OFFICE | {"sub_union_officer"}),
    "mutual_aid:enrol_batch_preview": Rule(OFFICE | {"sub_union_officer"}, args=lambda w: [w.officer_enrol_batch.pk],
                                           out_of_scope=lambda w: [w.office_enrol_batch.pk]),
    "mutual_aid:enrol_batch_confirm": Rule(OFFICE | {"sub_union_officer"}, method="POST",
                                           args=lambda w: [w.officer_enrol_batch.pk],
                                           out_of_scope=lambda w: [w.office_enrol_batch.pk]),
    "mutual_aid:fee_my": Rule(EVERYONE),
    "mutual_aid:fee_join": Rule(EVERYONE),
    # a member's own opt-out: only with an active membership (others: 404)
    "mutual_aid:fee_my_opt_out": Rule({"member"}, args=lambda w: (w.zhang_scheme_membership, [])[1], denied=404),
    "mutual_aid:fee_runs": Rule(GLOBAL_READERS),
    "mutual_aid:fee_run_start": Rule(OFFICE, method="POST", args=lambda w: (w.ma_fee_edition, [])[1],
                                     data=lambda w: {"year": "2024"}),
    "mutual_aid:fee_year": Rule(GLOBAL_READERS, args=lambda w: [2024]),
    "mutual_aid:fee_deduction_file": Rule(OFFICE, args=lambda w: [2024]),
    "mutual_aid:fee_result_upload": Rule(OFFICE, args=lambda w: (w.zhang_fee_line, [2024])[1], method="POST",
                                         data=lambda w: {"file": SimpleUploadedFile("扣款结果.xlsx", _fee_result_file())}),
    # zhang's 2024 fee is unpaid: the lapse ends his membership
    "mutual_aid:fee_lapse": Rule(OFFICE, args=lambda w: (w.zhang_fee_line, w.zhang_scheme_membership, [2024])[2],
                                 method="POST"),
    "mutual_aid:fee_result_preview": Rule(OFFICE, args=lambda w: [w.fee_result.pk]),
    "mutual_aid:fee_result_confirm": Rule(OFFICE, args=lambda w: [w.fee_result.pk], method="POST"),
    "mutual_aid:fee_ledger": Rule(GLOBAL_READERS, args=lambda w: [w.zhang.pk]),
    "mutual_aid:fee_receipt": Rule(OFFICE, args=lambda w: [w.zhang_fee_line.pk]),
    "mutual_aid:fee_refund": Rule(OFFICE, args=lambda w: [w.zhang_fee_line.pk]),
    "mutual_aid:fee_correction": Rule(OFFICE, args=lambda w: [w.zhang.pk]),
    # mutual aid: rules by year (管理办法). Everyone reads the adopted editions; drafts are the
    # office's (a member gets 404 on a draft); previews are scoped to the applications one sees.
    "mutual_aid:edition_list": Rule(EVERYONE),
    "mutual_aid:edition_detail": Rule(EVERYONE, args=lambda w: [w.ma_adopted_edition.pk]),
    "mutual_aid:edition_create": Rule(OFFICE),
    "mutual_aid:edition_compare": Rule(BACK_OFFICE_READERS | {"welfare_committee"}),
    "mutual_aid:edition_edit": Rule(OFFICE, args=lambda w: [w.ma_draft_edition.pk]),
    "mutual_aid:edition_items": Rule(OFFICE, args=lambda w: [w.ma_draft_edition.pk]),
    "mutual_aid:edition_adopt": Rule(OFFICE, args=lambda w: [w.ma_draft_edition.pk]),
    "mutual_aid:edition_preview": Rule(BACK_OFFICE_READERS | {"welfare_committee"},
                                      args=lambda w: [w.ma_draft_edition.pk]),
    # mutual aid: subsidy applications (the applicant, their sub-union officer and the office edit;
    # the committee sees applications from office_checked on; auditors read)
    "mutual_aid:apply_start": Rule(EVERYONE),
    "mutual_aid:my_application_list": Rule(EVERYONE),
    "mutual_aid:my_application_detail": Rule({"member"}, args=lambda w: [w.zhang_application.pk], denied=404,
                                             out_of_scope=lambda w: [w.wang_application.pk]),
    "mutual_aid:application_withdraw": Rule({"member"}, args=lambda w: [w.zhang_application.pk], method="POST",
                                            denied=404, out_of_scope=lambda w: [w.wang_application.pk]),
    "mutual_aid:application_list": Rule(MA_APPLICATION_READERS),
    "mutual_aid:application_proxy_start": Rule(MA_EDITORS - {"member"}),
    "mutual_aid:application_detail": Rule(MA_APPLICATION_READERS, args=lambda w: [w.zhang_checked_application.pk],
                                          out_of_scope=lambda w: [w.wang_application.pk]),
    "mutual_aid:application_edit": Rule(MA_EDITORS, args=lambda w: [w.zhang_application.pk], denied=404,
                                        out_of_scope=lambda w: [w.wang_application.pk]),
    # the editor's live working (htmx): it computes the subsidy with the row being typed and
    # stores nothing, by design (cost_item_add stores the row)
    "mutual_aid:application_preview": Rule(MA_EDITORS, args=lambda w: [w.zhang_application.pk], method="POST",
                                           data=lambda w: w.ma_item_post, denied=404,
                                           out_of_scope=lambda w: [w.wang_application.pk], writes=False),
    # the disease category of a draft: a field of the application (no row, no audit event)
    "mutual_aid:application_details": Rule(MA_EDITORS, args=lambda w: [w.zhang_application.pk], method="POST",
                                           data=lambda w: {"disease_category": w.ma_disease.pk},
                                           denied=404, out_of_scope=lambda w: [w.wang_application.pk],
                                           effect=lambda w: _disease_set(w)),
    "mutual_aid:cost_item_add": Rule(MA_EDITORS, args=lambda w: [w.zhang_application.pk], method="POST",
                                     data=lambda w: w.ma_item_post, denied=404,
                                     out_of_scope=lambda w: [w.wang_application.pk]),
    "mutual_aid:cost_item_edit": Rule(MA_EDITORS, args=lambda w: [w.zhang_application.pk, w.zhang_cost_item.pk],
                                      denied=404, out_of_scope=lambda w: [w.wang_application.pk, w.wang_cost_item.pk]),
    "mutual_aid:cost_item_remove": Rule(MA_EDITORS, args=lambda w: [w.zhang_application.pk, w.zhang_cost_item.pk],
                                        method="POST", denied=404,
                                        out_of_scope=lambda w: [w.wang_application.pk, w.wang_cost_item.pk]),
    "mutual_aid:document_upload": Rule(MA_EDITORS, args=lambda w: [w.zhang_application.pk, w.ma_required.pk],
                                       method="POST", denied=404,
                                       data=lambda w: {"file": SimpleUploadedFile("a.pdf", PDF_BYTES, "application/pdf")},
                                       out_of_scope=lambda w: [w.wang_application.pk, w.ma_required.pk]),
    "mutual_aid:document_remove": Rule(MA_EDITORS, args=lambda w: [w.zhang_application.pk, w.zhang_document.pk],
                                       method="POST", denied=404,
                                       out_of_scope=lambda w: [w.wang_application.pk, w.zhang_document.pk]),
    "mutual_aid:application_submit": Rule(MA_EDITORS, args=lambda w: [w.zhang_ready_application.pk], method="POST",
                                          denied=404, out_of_scope=lambda w: [w.wang_application.pk]),
    "mutual_aid:application_sub_union_check": Rule(MA_CHECKERS, args=lambda w: [w.zhang_submitted_application.pk],
                                                   method="POST", out_of_scope=lambda w: [w.wang_application.pk]),
    "mutual_aid:application_office_check": Rule(OFFICE, args=lambda w: [w.zhang_sub_union_checked_application.pk],
                                                method="POST"),
    "mutual_aid:application_return": Rule(MA_CHECKERS, args=lambda w: [w.zhang_submitted_application.pk],
                                          method="POST", data=lambda w: {"message": "请补充材料"},
                                          out_of_scope=lambda w: [w.wang_application.pk]),
    # mutual aid: committee sittings, public notice, objections, payment, figures
    "mutual_aid:committee_sitting_list": Rule(GLOBAL_READERS | {"welfare_committee"}),
    "mutual_aid:committee_sitting_create": Rule(OFFICE),
    "mutual_aid:committee_sitting_detail": Rule(GLOBAL_READERS | {"welfare_committee"},
                                                args=lambda w: [w.ma_committee.sitting.pk]),
    "mutual_aid:committee_decide": Rule({"welfare_committee"}, method="POST", data=lambda w: {"outcome": "approved"},
                                        args=lambda w: [w.ma_committee.sitting.pk, w.ma_committee.pending.pk]),
    "mutual_aid:committee_share_out": Rule({"welfare_committee"}, method="POST",
                                           args=lambda w: [w.ma_committee.pro_rata_sitting.pk]),
    "mutual_aid:committee_sitting_close": Rule(OFFICE, method="POST", args=lambda w: [w.ma_committee.sitting.pk]),
    "mutual_aid:committee_notice_post": Rule(OFFICE, method="POST", args=lambda w: [w.ma_committee.closed_sitting.pk],
                                             data=lambda w: {"starts_on": _days(0)}),
    "mutual_aid:notice_list": Rule(EVERYONE),
    "mutual_aid:notice_detail": Rule(EVERYONE, args=lambda w: [w.ma_committee.notice.pk]),
    "mutual_aid:notice_pdf": Rule(EVERYONE, args=lambda w: [w.ma_committee.notice.pk]),
    "mutual_aid:notice_end": Rule(OFFICE, method="POST", args=lambda w: [w.ma_committee.notice.pk]),
    "mutual_aid:objection_create": Rule(OFFICE, args=lambda w: [w.ma_committee.notice.pk]),
    "mutual_aid:objection_resolve": Rule({"welfare_committee"}, method="POST",
                                         args=lambda w: [w.ma_committee.objection.pk],
                                         data=lambda w: {"upheld": "0", "resolution": "核实无误"}),
    "mutual_aid:payment_batch_list": Rule(GLOBAL_READERS),
    "mutual_aid:payment_batch_create": Rule(OFFICE, method="POST", args=lambda w: (w.ma_committee, [])[1],
                                            data=lambda w: {"year": "2016"}),
    "mutual_aid:payment_batch_xlsx": Rule(OFFICE, args=lambda w: [w.ma_committee.batch.pk]),
    "mutual_aid:payment_batch_paid": Rule(OFFICE, method="POST", args=lambda w: [w.ma_committee.batch.pk],
                                          data=lambda w: {"paid_on": "2017-04-10"}),
    "mutual_aid:report": Rule(GLOBAL_READERS),
    # drives: the member's side (a drive in registration; zhang registered and booked; wang out of scope)
    "drives:portal_list": Rule(EVERYONE),
    "drives:portal_drive": Rule(EVERYONE, args=lambda w: [w.drive.pk]),
    # answering for oneself needs a staff record: the roles without one are refused (403)
    "drives:portal_survey": Rule({"member", "sub_union_officer"}, args=lambda w: [w.survey_drive.pk], method="POST",
                                 data=lambda w: {"intent": "yes", "relatives_count": "1"}),
    "drives:portal_register": Rule({"member", "sub_union_officer"}, args=lambda w: [w.drive.pk]),
    "drives:portal_book": Rule({"member", "sub_union_officer"}, args=lambda w: [w.drive.pk], method="POST",
                               data=lambda w: {"slot": w.drive_slot.pk}),
    "drives:portal_signup": Rule({"member", "sub_union_officer"}, args=lambda w: [w.drive_session.pk], method="POST"),
    "drives:portal_booking_cancel": Rule(OFFICE | {"member", "sub_union_officer"}, args=lambda w: [w.zhang_booking.pk],
                                         method="POST", denied=404, out_of_scope=lambda w: [w.wang_booking.pk]),
    "drives:registration_withdraw": Rule(OFFICE | {"member", "sub_union_officer"},
                                         args=lambda w: [w.zhang_registration.pk], method="POST", denied=404,
                                         out_of_scope=lambda w: [w.wang_registration.pk]),
    "drives:document": Rule(EVERYONE, args=lambda w: [w.drive_with_leaflet.pk, "leaflet"]),
    # drives: the back office (sub-union officers run the survey, register and book for their people)
    "drives:drive_list": Rule(BACK_OFFICE_READERS),
    "drives:drive_create": Rule(OFFICE),
    "drives:drive_detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.drive.pk]),
    "drives:drive_edit": Rule(OFFICE, args=lambda w: [w.drive.pk]),
    "drives:drive_advance": Rule(OFFICE, args=lambda w: [w.drive.pk], method="POST",
                                 data=lambda w: {"to_phase": "roster"}),
    "drives:rules_adopt": Rule(OFFICE, args=lambda w: [w.draft_drive.pk], method="POST",
                               data=lambda w: {"adopted_on": "2021-03-10", "resolution": "校工会常委会决议"}),
    "drives:document_upload": Rule(OFFICE, args=lambda w: [w.drive.pk, "leaflet"], method="POST",
                                   data=lambda w: {"file": SimpleUploadedFile("a.pdf", PDF_BYTES, "application/pdf")}),
    "drives:session_create": Rule(OFFICE, args=lambda w: [w.drive.pk], method="POST",
                                  data=lambda w: {"title": "宣讲会", "starts_at": _days(2) + "T14:00",
                                                  "place": "报告厅", "capacity": "50"}),
    "drives:session_detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.drive_session.pk]),  # + SECOND_METHODS
    "drives:survey": Rule(BACK_OFFICE_READERS, args=lambda w: [w.drive.pk]),
    "drives:survey_record": Rule(OFFICE | {"sub_union_officer"}, args=lambda w: [w.survey_drive.pk], method="POST",
                                 data=lambda w: {"person": w.zhang.pk, "intent": "yes", "relatives_count": "0"}),
    "drives:survey_remind": Rule(OFFICE, args=lambda w: [w.survey_drive.pk], method="POST",
                                 data=lambda w: {"sub_union": w.econ.pk}),
    "drives:registration_list": Rule(BACK_OFFICE_READERS, args=lambda w: [w.drive.pk]),
    "drives:registration_create": Rule(OFFICE | {"sub_union_officer"}, args=lambda w: [w.drive.pk], method="POST",
                                       data=lambda w: {"staff_no": w.zhang.staff_no, "phone": "13800000001",
                                                       "channel": "group", "consent": "on"}),
    "drives:roster": Rule(OFFICE, args=lambda w: [w.drive.pk]),
    "drives:roster_download": Rule(OFFICE, args=lambda w: [w.drive_roster.pk]),
    "drives:result_upload": Rule(OFFICE, args=lambda w: [w.drive.pk], method="POST",
                                 data=lambda w: {"file": SimpleUploadedFile("结果.xlsx", w.drive_result_content)}),
    "drives:result_preview": Rule(OFFICE, args=lambda w: [w.drive_result_preview.pk]),
    "drives:result_confirm": Rule(OFFICE, args=lambda w: [w.drive_result_preview.pk], method="POST"),
    "drives:points": Rule(BACK_OFFICE_READERS, args=lambda w: [w.drive.pk]),
    "drives:slot_create": Rule(OFFICE, args=lambda w: [w.drive_slot.point_id], method="POST",
                               data=lambda w: {"day": _days(4), "first": "09:00", "last_end": "10:00",
                                               "minutes": "30", "capacity": "5"}),
    "drives:book_on_behalf": Rule(OFFICE | {"sub_union_officer"}, args=lambda w: [w.drive.pk], method="POST",
                                  data=lambda w: {"staff_no": w.zhang.staff_no, "slot": w.drive_slot.pk}),
    "drives:booking_action": Rule(OFFICE, args=lambda w: [w.zhang_booking.pk, "check_in"], method="POST"),
    "drives:report": Rule(GLOBAL_READERS, args=lambda w: [w.drive.pk]),
    # insurance (职工互助保障): back office reads; the office acts; members their own cover and claims
    "insurance:edition_list": Rule(BACK_OFFICE_READERS),
    "insurance:plan_list": Rule(GLOBAL_READERS),
    "insurance:plan_create": Rule(OFFICE),
    "insurance:plan_edit": Rule(OFFICE, args=lambda w: [w.ins_editions["ZYJT"].plan_id]),
    "insurance:preset_list": Rule(OFFICE),
    "insurance:preset_start": Rule(OFFICE, method="POST", data=lambda w: {"code": "ZYJT", "year": "2023"}),
    "insurance:edition_create": Rule(OFFICE),
    "insurance:edition_compare": Rule(BACK_OFFICE_READERS),
    "insurance:edition_detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.ins_editions["ZYJT"].pk]),
    "insurance:edition_edit": Rule(OFFICE, args=lambda w: [w.ins_draft.pk]),
    "insurance:edition_revise": Rule(OFFICE, method="POST", args=lambda w: [w.ins_editions["ZYJT"].pk]),
    "insurance:edition_adopt": Rule(OFFICE, method="POST", args=lambda w: [w.ins_draft.pk],
                                    data=lambda w: {"adopted_on": "2022-06-01", "resolution": "校工会办公会议"}),
    "insurance:edition_enroll": Rule(OFFICE, method="POST", args=lambda w: [w.ins_editions["ZDJB"].pk]),
    "insurance:edition_changes": Rule(OFFICE, method="POST", args=lambda w: [w.ins_editions["ZDJB"].pk],
                                      data=lambda w: {"on": "2021-12-01"}),
    "insurance:opt_out_create": Rule(OFFICE, method="POST", args=lambda w: [w.ins_editions["ZDJB"].pk],
                                     data=lambda w: {"staff_no": "R0001", "reason": "不参加"}),
    "insurance:opt_out_batch": Rule(OFFICE, args=lambda w: [w.ins_editions["ZDJB"].pk]),
    "insurance:opt_out_batch_preview": Rule(OFFICE, args=lambda w: [w.ins_opt_out_batch.pk]),
    "insurance:opt_out_batch_confirm": Rule(OFFICE, method="POST", args=lambda w: [w.ins_opt_out_batch.pk]),
    "insurance:enrollment_list": Rule(BACK_OFFICE_READERS, args=lambda w: [w.ins_editions["ZYJT"].pk]),
    "insurance:roster_create": Rule(OFFICE, method="POST", args=lambda w: [w.ins_editions["ZYJT"].pk]),
    "insurance:roster_download": Rule(OFFICE, args=lambda w: [w.ins_roster.pk]),
    "insurance:acceptance_upload": Rule(OFFICE, method="POST", args=lambda w: [w.ins_roster.pk],
                                        data=lambda w: {"file": SimpleUploadedFile("回执.xlsx", _acceptance_file(w))}),
    "insurance:acceptance_preview": Rule(OFFICE, args=lambda w: [w.ins_preview.pk]),
    "insurance:acceptance_confirm": Rule(OFFICE, method="POST", args=lambda w: [w.ins_preview.pk]),
    "insurance:claim_list": Rule(BACK_OFFICE_READERS),
    "insurance:claim_create": Rule(OFFICE),
    "insurance:claim_detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.zhang_claim.pk],
                                   out_of_scope=lambda w: [w.wang_claim.pk]),
    "insurance:claim_document_upload": Rule(OFFICE | {"member"}, method="POST", args=lambda w: [w.zhang_claim.pk],
                                            denied=404, out_of_scope=lambda w: [w.wang_claim.pk],
                                            data=lambda w: {"name": "诊断证明", "file": SimpleUploadedFile(
                                                "a.pdf", PDF_BYTES, "application/pdf")}),
    "insurance:claim_action": Rule(OFFICE, method="POST", args=lambda w: [w.zhang_claim.pk, "check"]),
    "insurance:report": Rule(BACK_OFFICE_READERS),
    "insurance:my_cover": Rule(EVERYONE),
    "insurance:my_claim_create": Rule({"member", "sub_union_officer"}),
    "insurance:my_claim_detail": Rule({"member"}, args=lambda w: [w.zhang_claim.pk], denied=404,
                                      out_of_scope=lambda w: [w.wang_claim.pk]),
    "insurance:my_claim_withdraw": Rule({"member"}, method="POST", args=lambda w: [w.zhang_claim.pk], denied=404,
                                        out_of_scope=lambda w: [w.wang_claim.pk]),
    # draft deliberation (专题审议)
    "deliberations:list": Rule(EVERYONE),
    "deliberations:create": Rule(OFFICE),
    "deliberations:mine": Rule(EVERYONE),
    "deliberations:detail": Rule(DL_READERS, args=lambda w: [w.dl.open.deliberation.pk], denied=404,
                                 out_of_scope=lambda w: [w.dl.draft.deliberation.pk]),
    "deliberations:history": Rule(DL_INSIDERS, args=lambda w: [w.dl.responded.deliberation.pk], denied=404),
    "deliberations:report": Rule(DL_INSIDERS, args=lambda w: [w.dl.responded.deliberation.pk], denied=404),
    "deliberations:version_create": Rule(DL_DRAFTERS, args=lambda w: [w.dl.responded.deliberation.pk], denied=404),
    "deliberations:version_import": Rule(DL_DRAFTERS, method="POST", args=lambda w: [w.dl.responded.deliberation.pk],
                                         denied=404, data=lambda w: {"file": SimpleUploadedFile(
                                             "第二稿.docx", _docx(["第二稿", "第一条 基础性绩效占百分之六十五。"]))}),
    "deliberations:round_open": Rule(OFFICE, method="POST", args=lambda w: [w.dl.to_open.deliberation.pk], denied=404,
                                     data=lambda w: {"opens_at": _days(0) + "T08:00", "closes_at": _days(7) + "T17:00",
                                                     "audience": "all_staff", "online": "on"}),
    "deliberations:vote_call": Rule(OFFICE, method="POST", args=lambda w: [w.dl.responded.deliberation.pk], denied=404),
    "deliberations:vote_record": Rule(OFFICE, method="POST", args=lambda w: [w.dl.voting.deliberation.pk], denied=404,
                                      data=lambda w: {"method": "show_of_hands", "held_on": _days(0), "present": "4",
                                                      "votes_for": "3", "votes_against": "1", "abstentions": "0"}),
    "deliberations:ballot_open": Rule(OFFICE, method="POST", args=lambda w: [w.dl.voting.deliberation.pk], denied=404),
    "deliberations:ballot_cast": Rule({"member", "sub_union_officer"}, method="POST", denied=404,
                                      args=lambda w: [w.dl.ballot.deliberation.pk], data=lambda w: {"choice": "for"}),
    "deliberations:ballot_count": Rule(OFFICE, method="POST", args=lambda w: [w.dl.counted.deliberation.pk],
                                       denied=404),
    "deliberations:answers_import": Rule(DL_DRAFTERS, method="POST", args=lambda w: [w.dl.awaiting.round.pk],
                                         denied=404, data=lambda w: {"file": SimpleUploadedFile(
                                             "答复.xlsx", _answers_file(w.dl.awaiting.round))}),
    "deliberations:answers_import_preview": Rule(DL_DRAFTERS, args=lambda w: [w.dl.answers_preview.pk]),
    "deliberations:answers_import_confirm": Rule(DL_DRAFTERS, method="POST", args=lambda w: [w.dl.answers_preview.pk]),
    "deliberations:import_preview": Rule(DL_DRAFTERS, args=lambda w: [w.dl.preview.pk]),
    "deliberations:import_confirm": Rule(DL_DRAFTERS, method="POST", args=lambda w: [w.dl.preview.pk]),
    "deliberations:version": Rule(DL_READERS, args=lambda w: [w.dl.open.version.pk], denied=404,
                                  out_of_scope=lambda w: [w.dl.draft.version.pk]),
    "deliberations:version_edit": Rule(DL_DRAFTERS, args=lambda w: [w.dl.draft.version.pk], denied=404),
    "deliberations:diff": Rule(DL_READERS, args=lambda w: [w.dl.open.version.pk], denied=404,
                               out_of_scope=lambda w: [w.dl.draft.version.pk]),
    "deliberations:version_publish": Rule(DL_DRAFTERS, method="POST", args=lambda w: [w.dl.draft.version.pk],
                                          denied=404),
    "deliberations:round": Rule(DL_INSIDERS | {"sub_union_officer"}, args=lambda w: [w.dl.open.round.pk], denied=404),
    "deliberations:college": Rule(GLOBAL_READERS | {"sub_union_officer"}, denied=404,
                                  args=lambda w: [w.dl.open.round.pk, w.econ.pk],
                                  out_of_scope=lambda w: [w.dl.open.round.pk, w.law.pk]),
    "deliberations:opinion_give": Rule({"member", "sub_union_officer"}, method="POST", denied=404,
                                       args=lambda w: [w.dl.open.round.pk],
                                       data=lambda w: {"article": "general", "text": "建议分步实施"}),
    "deliberations:opinion_enter": Rule(OFFICE | {"sub_union_officer"}, method="POST", denied=404,
                                        args=lambda w: [w.dl.open.round.pk],
                                        data=lambda w: {"sub_union": w.econ.pk, "author": w.zhang.staff_no,
                                                        "article": "", "text": "学院收集的纸质意见"}),
    "deliberations:round_close": Rule(OFFICE, method="POST", args=lambda w: [w.dl.open.round.pk], denied=404),
    "deliberations:rollup": Rule(DL_INSIDERS, args=lambda w: [w.dl.awaiting.round.pk], denied=404),
    "deliberations:rollup_send": Rule(OFFICE, method="POST", args=lambda w: [w.dl.summarising.round.pk], denied=404),
    "deliberations:answers": Rule(DL_READERS, args=lambda w: [w.dl.responded.round.pk], denied=404),
    "deliberations:answers_publish": Rule(DL_DRAFTERS, method="POST", args=lambda w: [w.dl.answered.round.pk],
                                          denied=404),
    "deliberations:regroup": Rule(OFFICE, method="POST", args=lambda w: [w.dl.summarising.opinion.pk], denied=404,
                                  data=lambda w: {"group": ""}),
    "deliberations:group_answer": Rule(DL_DRAFTERS, method="POST", denied=404,
                                       args=lambda w: [w.dl.awaiting.round.groups.get(status="pending").pk],
                                       data=lambda w: {"decision": "not_adopted", "reason": "与上级规定不符"}),
    "deliberations:vote_rules": Rule(GLOBAL_READERS, args=lambda w: [w.dl.session.pk]),
    "deliberations:vote_rules_adopt": Rule(OFFICE, method="POST", args=lambda w: [w.dl.session.pk],
                                           data=lambda w: {"quorum_numerator": "2", "quorum_denominator": "3",
                                                           "majority_base": "present", "adopted_on": _days(0),
                                                           "resolution": "主席团决定"}),
    # cadre democratic appraisal (干部民主测评)
    "appraisals:list": Rule(EVERYONE),
    "appraisals:rules": Rule(AP_INSIDERS),
    "appraisals:rules_adopt": Rule(AP_RULES_ADOPTERS, method="POST",
                                   data=lambda w: {"year": "2022", "name": "", "mode": "online",
                                                   "quorum_numerator": "2", "quorum_denominator": "3",
                                                   "report_days": "3", "team_ballot": "on",
                                                   "categories": "staff 教职工 40 参评",
                                                   "cadre_grades": "good 好 100\npoor 差 0",
                                                   "team_grades": "good 好 100\npoor 差 0", "flags": "",
                                                   "adopted_on": _days(0), "resolution": "党委组织部〔2022〕1号"}),
    "appraisals:create": Rule(OFFICE),
    "appraisals:detail": Rule(AP_INSIDERS | AP_VOTERS, args=lambda w: [w.ap.open.pk], denied=404),
    "appraisals:step": Rule(OFFICE, method="POST", args=lambda w: [w.ap.open.pk, "close_voting"], denied=404),
    "appraisals:history": Rule(AP_INSIDERS, args=lambda w: [w.ap.open.pk], denied=404),
    "appraisals:turnout": Rule(AP_INSIDERS | {"sub_union_officer"}, args=lambda w: [w.ap.released.pk], denied=404),
    "appraisals:unit_add": Rule(OFFICE, method="POST", args=lambda w: [w.ap.draft.pk], denied=404,
                                data=lambda w: {"sub_union": w.retirees.pk}),
    "appraisals:voters_add": Rule(OFFICE, method="POST", args=lambda w: [w.ap.draft.pk], denied=404,
                                  data=lambda w: {"staff_numbers": "R0001", "category": "leader",
                                                  "units": [w.ap.draft_unit.pk]}),
    "appraisals:unit_setup": Rule(OFFICE, args=lambda w: [w.ap.draft_unit.pk], denied=404),
    "appraisals:unit_remove": Rule(OFFICE, method="POST", args=lambda w: [w.ap.draft_unit.pk], denied=404),
    "appraisals:cadre_add": Rule(OFFICE, method="POST", args=lambda w: [w.ap.draft_unit.pk], denied=404,
                                 data=lambda w: {"staff_no": "E0001", "post": "副院长"}),
    "appraisals:voters_fill": Rule(OFFICE, method="POST", args=lambda w: [w.ap.draft_unit.pk], denied=404,
                                   data=lambda w: {"staff_category": "staff", "cadre_category": "cadre"},
                                   effect=lambda w: True),
    "appraisals:tellers": Rule(OFFICE, method="POST", args=lambda w: [w.ap.draft_unit.pk], denied=404,
                               data=lambda w: {"first": "E0001", "second": "E0099"}),
    "appraisals:cadre_remove": Rule(OFFICE, method="POST", args=lambda w: [w.ap.draft_cadre.pk], denied=404),
    "appraisals:cadre_report": Rule(OFFICE, args=lambda w: [w.ap.draft_cadre.pk], denied=404),
    "appraisals:unit": Rule(AP_INSIDERS | AP_VOTERS, args=lambda w: [w.ap.open_unit.pk], denied=404,
                            out_of_scope=lambda w: [w.ap.open_law_unit.pk]),
    "appraisals:cadre_read": Rule(AP_INSIDERS | AP_VOTERS, args=lambda w: [w.ap.open_cadre.pk], denied=404),
    "appraisals:vote": Rule(AP_VOTERS, args=lambda w: [w.ap.open_unit.pk], denied=404,
                            out_of_scope=lambda w: [w.ap.open_law_unit.pk]),
    "appraisals:voted": Rule(AP_VOTERS, args=lambda w: [w.ap.open_unit.pk], denied=404,
                             out_of_scope=lambda w: [w.ap.open_law_unit.pk]),
    "appraisals:paper": Rule(AP_TELLER | OFFICE, args=lambda w: [w.ap.open_unit.pk], denied=404,
                             out_of_scope=lambda w: [w.ap.open_law_unit.pk]),
    "appraisals:paper_handout": Rule(AP_TELLER, method="POST", args=lambda w: [w.ap.open_unit.pk], denied=404,
                                     data=lambda w: {"staff_no": "E0301"}),
    "appraisals:paper_agree": Rule(AP_TELLER, method="POST", args=lambda w: [w.ap.open_unit.pk], denied=404,
                                   data=lambda w: {"category": "staff"}),
    "appraisals:paper_remove": Rule(AP_TELLER, method="POST", args=lambda w: [w.ap.paper_entry.key], denied=404),
    "appraisals:results": Rule(AP_RESULTS, args=lambda w: [w.ap.released.pk]),
    "appraisals:unit_results": Rule(AP_RESULTS, args=lambda w: [w.ap.released.pk, w.ap.released_unit.pk]),
    "appraisals:cadre_sheet": Rule(AP_RESULTS, args=lambda w: [w.ap.released_cadre.pk]),
    # competitions: office. The editions' readers (the office, a college's officer, auditors) list
    # them, read the rules and open an announced edition; the office runs it; the office and
    # auditors read its inside (history, scores, sheets). Office buttons and pages are not there
    # (404) for anyone else, who can see the edition; the award notice is everyone's once out.
    "competitions:list": Rule(BACK_OFFICE_READERS),
    "competitions:rules": Rule(BACK_OFFICE_READERS),
    "competitions:rules_adopt": Rule(OFFICE, method="POST", data=lambda w: _qjs_rules_post()),
    "competitions:create": Rule(OFFICE),
    "competitions:detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.qjs("nominated").competition.pk]),
    # the history (历届统计) and an edition's report (统计报表): the editions' readers, each reading
    # the rows they may see; a draft (the Beijing edition the school round feeds) is not there
    "competitions:history_overview": Rule(BACK_OFFICE_READERS),
    "competitions:report": Rule(BACK_OFFICE_READERS, args=lambda w: [w.qjs("released").competition.pk],
                                out_of_scope=lambda w: [_qjs_beijing(w)[1].pk]),
    "competitions:step": Rule(OFFICE, method="POST", denied=404,
                              args=lambda w: [w.qjs("uploaded").competition.pk, "close_nominations"]),
    "competitions:draw": Rule(OFFICE, method="POST", denied=404, args=lambda w: [_qjs_preparing(w).pk],
                              data=lambda w: {"seed": "qjs2021"}),
    "competitions:judge_add": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.qjs("uploaded").competition.pk],
                                   data=lambda w: {"group": w.qjs("uploaded").groups["humanities-a"].pk,
                                                   "login": "judge1"}),
    "competitions:judge_remove": Rule(OFFICE, method="POST", denied=404,
                                      args=lambda w: [w.qjs("drawn").judges["judge2"].pk]),
    "competitions:link": Rule(OFFICE, method="POST", denied=404, args=lambda w: [_qjs_beijing(w)[0].pk],
                              data=lambda w: {"feeds_into": ""}, effect=lambda w: _qjs_unlinked(w)),
    "competitions:recommend": Rule(OFFICE, method="POST", denied=404, args=lambda w: [_qjs_beijing(w)[0].pk],
                                   data=lambda w: {"entries": [w.qjs("released").entries["qian"].pk]}),
    "competitions:history": Rule(GLOBAL_READERS, args=lambda w: [w.qjs("nominated").competition.pk], denied=404),
    "competitions:results": Rule(GLOBAL_READERS, args=lambda w: [w.qjs("released").competition.pk], denied=404),
    "competitions:sheets": Rule(GLOBAL_READERS, args=lambda w: [w.qjs("scoring").competition.pk], denied=404),
    "competitions:award_confer": Rule(OFFICE, method="POST", denied=404,
                                      args=lambda w: [w.qjs("publicity").competition.pk],
                                      data=lambda w: {"code": "coach", "coach_staff_no": "L0900"}),
    "competitions:award_withdraw": Rule(OFFICE, method="POST", denied=404, args=lambda w: [_qjs_best_plan(w).pk],
                                        data=lambda w: {"reason": "异议成立：教案评分有误"}),
    "competitions:notice": Rule(EVERYONE, args=lambda w: [w.qjs("publicity").competition.pk]),
    "competitions:record": Rule(OFFICE, args=lambda w: [_qjs_beijing(w)[1].pk], denied=404),
    "competitions:record_entry": Rule(OFFICE, method="POST", denied=404, args=lambda w: [_qjs_beijing(w)[1].pk],
                                      data=lambda w: {"staff_no": "L1002", "group": _qjs_beijing(w)[1].rules.groups.first().pk},
                                      effect=lambda w: _qjs_beijing(w)[1].entries.filter(person__staff_no="L1002").exists()),
    "competitions:record_result": Rule(OFFICE, method="POST", denied=404, args=lambda w: [_qjs_beijing(w)[1].pk],
                                       data=lambda w: {"entry": _qjs_beijing(w)[2].pk, "code": "first"}),
    # competitions: participants. Colleges' officers (the econ officer) and the office nominate
    # and act on entries; readers of the whole union read them. The econ officer's account is also
    # a judge of humanities-a (she stands aside for econ's contestants, so scores law's 周四) and,
    # for the amend page, the chief judge. The contestants and coach are not roles of this table
    # (see gonghui/competitions/tests/test_pages_participants.py).
    "competitions:nominate": Rule(OFFICE | {"sub_union_officer"}, args=lambda w: [_qjs_nominating(w).competition.pk]),
    "competitions:entry": Rule(GLOBAL_READERS | {"sub_union_officer"}, denied=404,
                               args=lambda w: [w.qjs("uploaded").entries["zhao"].pk],
                               out_of_scope=lambda w: [w.qjs("uploaded").entries["zhou"].pk]),
    "competitions:material_upload": Rule(OFFICE | {"sub_union_officer"}, method="POST", denied=404,
                                         args=lambda w: [w.qjs("uploaded").entries["zhao"].pk],
                                         data=lambda w: {"kind": "slides", "number": "1", "file": _qjs_pdf()},
                                         out_of_scope=lambda w: [w.qjs("uploaded").entries["zhou"].pk]),
    "competitions:entry_withdraw": Rule(OFFICE | {"sub_union_officer"}, method="POST", denied=404,
                                        args=lambda w: [w.qjs("uploaded").entries["zhao"].pk],
                                        data=lambda w: {"reason": "因病退赛"},
                                        out_of_scope=lambda w: [w.qjs("uploaded").entries["zhou"].pk]),
    "competitions:judge_home": Rule(EVERYONE),
    "competitions:judge_queue": Rule({"sub_union_officer"}, args=lambda w: [w.qjs("scoring").judges["chen"].pk],
                                     denied=404),
    "competitions:sheet": Rule({"sub_union_officer"}, args=lambda w: _qjs_chen_sheet(w), denied=404),
    "competitions:sheet_save": Rule({"sub_union_officer"}, method="POST", args=lambda w: _qjs_chen_sheet(w), denied=404,
                                    data=lambda w: {"design": "17.5"}),
    "competitions:amend": Rule({"sub_union_officer"}, args=lambda w: [_qjs_chief(w).pk], denied=404),
    "competitions:mine": Rule(EVERYONE),
    "competitions:certificate_pdf": Rule(GLOBAL_READERS | {"sub_union_officer"}, denied=404,
                                         args=lambda w: [_qjs_certificate(w, "zhao").pk],
                                         out_of_scope=lambda w: [_qjs_certificate(w, "zhou").pk]),
    "competitions:verify": Rule(EVERYONE, public=True, args=lambda w: [_qjs_certificate(w, "zhao").token]),
    # mentorship: reports. The cohorts' readers (the office, a college's officer for its own pairs, auditors)
    "mentorship:report": Rule(BACK_OFFICE_READERS),
    "mentorship:report_history": Rule(BACK_OFFICE_READERS),
    # mentorship: teacher profiles. Readers list them (a college's officer their college's people); the office
    # and a college's officer edit one (zhang, econ; law's wang is not the econ officer's); the office imports
    "mentorship:profiles": Rule(BACK_OFFICE_READERS),
    "mentorship:profile_edit": Rule(OFFICE | {"sub_union_officer"}, args=lambda w: [w.zhang.pk],
                                    out_of_scope=lambda w: [w.wang.pk]),
    "mentorship:profile_import": Rule(OFFICE),
    "mentorship:profile_template": Rule(OFFICE),
    "mentorship:profile_preview": Rule(OFFICE, args=lambda w: [w.ms_profile_preview.pk]),
    "mentorship:profile_confirm": Rule(OFFICE, method="POST", args=lambda w: [w.ms_profile_preview.pk]),
    # mentorship: office and colleges. The cohorts' readers (the office, a college's officer, auditors) list
    # them, read the rules, open a cohort (the officer: their college's candidates, pairs and board), its
    # duties and its pairs; the office runs it; the office and auditors read the matching and the stipends.
    # An office button is not there (404) for anyone else; a college's officer names, proposes, signs and
    # confirms for econ (law's candidate, pair and duty are not there for them). A pair's page is its
    # mentor's (zhang mentors 冯青), its college's and the readers of the whole union.
    "mentorship:list": Rule(BACK_OFFICE_READERS),
    "mentorship:create": Rule(OFFICE),
    "mentorship:rules": Rule(BACK_OFFICE_READERS),
    "mentorship:rules_adopt": Rule(OFFICE, method="POST", data=lambda w: _ms_rules_post()),
    "mentorship:rules_detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.ms.cohort.rules_id]),
    "mentorship:detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.ms.cohort.pk]),
    "mentorship:step": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.ms.draft_cohort.pk, "open_matching"]),
    "mentorship:candidate_add": Rule(OFFICE | {"sub_union_officer"}, method="POST", denied=404,
                                     args=lambda w: [w.ms.matching_cohort.pk],
                                     data=lambda w: {"side": "mentee", "who": w.ms.newcomer.staff_no}),
    "mentorship:candidate_remove": Rule(OFFICE | {"sub_union_officer"}, method="POST", denied=404,
                                        args=lambda w: [w.ms.econ_candidate.pk],
                                        out_of_scope=lambda w: [w.ms.law_candidate.pk]),
    "mentorship:matching": Rule(GLOBAL_READERS, args=lambda w: [w.ms.matching_cohort.pk]),
    "mentorship:matching_run": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.ms.matching_cohort.pk],
                                    data=lambda w: {"method": "stable"}),
    "mentorship:matching_edit": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.ms.run.pk],
                                     data=lambda w: {"mentee": w.ms.econ_candidate.person_id, "mentor": "0"}),
    "mentorship:matching_confirm": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.ms.proposed_run.pk]),
    "mentorship:matching_discard": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.ms.proposed_run.pk]),
    "mentorship:stipends": Rule(GLOBAL_READERS, args=lambda w: [w.ms.cohort.pk]),
    "mentorship:stipend_batch_create": Rule(OFFICE, method="POST", denied=404,
                                            args=lambda w: (w.ms.assessed, [w.ms.cohort.pk])[1]),
    "mentorship:stipend_batch_xlsx": Rule(GLOBAL_READERS, args=lambda w: [w.ms.batch.pk]),
    "mentorship:stipend_batch_pay": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.ms.batch.pk],
                                         data=lambda w: {"paid_on": "2021-03-15"}),
    "mentorship:stipend_reverse": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.ms.payment.pk],
                                       data=lambda w: {"reason": "等次录错"}),
    "mentorship:propose": Rule(OFFICE | {"sub_union_officer"}, args=lambda w: [w.ms.matching_cohort.pk]),
    "mentorship:duties": Rule(BACK_OFFICE_READERS, args=lambda w: [w.ms.cohort.pk]),
    "mentorship:duties_confirm": Rule(OFFICE | {"sub_union_officer"}, method="POST", denied=404,
                                      args=lambda w: [w.ms.cohort.pk], data=lambda w: {"duties": [w.ms.econ_duty.pk]}),
    "mentorship:duty_confirm": Rule(OFFICE | {"sub_union_officer"}, method="POST", denied=404,
                                    args=lambda w: [w.ms.econ_duty.pk], out_of_scope=lambda w: [w.ms.law_duty.pk]),
    "mentorship:duty_return": Rule(OFFICE | {"sub_union_officer"}, method="POST", denied=404,
                                   args=lambda w: [w.ms.econ_duty.pk], data=lambda w: {"reason": "日期有误"},
                                   out_of_scope=lambda w: [w.ms.law_duty.pk]),
    "mentorship:pairs": Rule(BACK_OFFICE_READERS),
    "mentorship:pair": Rule(BACK_OFFICE_READERS | {"member"}, denied=404, args=lambda w: [w.ms.zhang_pair.pk],
                            out_of_scope=lambda w: [w.ms.pairs["孙青"].pk]),
    "mentorship:pair_agree": Rule(OFFICE | {"sub_union_officer"}, method="POST", denied=404,
                                  args=lambda w: [w.ms.proposed_pair.pk],
                                  data=lambda w: {"signed_on": "2021-03-14", "scan": _ms_agreement(), "plan": "听课"},
                                  out_of_scope=lambda w: [w.ms.pairs["孙青"].pk]),
    "mentorship:pair_plan": Rule(OFFICE | {"sub_union_officer", "member"}, method="POST", denied=404,
                                 args=lambda w: [w.ms.zhang_pair.pk], data=lambda w: {"plan": "第二年开示范课"},
                                 out_of_scope=lambda w: [w.ms.pairs["孙青"].pk]),
    "mentorship:pair_opinion": Rule(OFFICE | {"sub_union_officer"}, method="POST", denied=404,
                                    args=lambda w: [w.ms.over_pair.pk], data=lambda w: {"opinion": "认真履职"},
                                    out_of_scope=lambda w: [w.ms.pairs["孙青"].pk]),
    "mentorship:pair_assess": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.ms.over_pair.pk],
                                   data=lambda w: {"grade": "passed"}),
    "mentorship:pair_reassess": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.ms.extended_pair.pk],
                                     data=lambda w: {"passed": "1"}),
    "mentorship:pair_not_assessed": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.ms.over_pair.pk],
                                         data=lambda w: {"reason": "调离"}),
    "mentorship:pair_end": Rule(OFFICE | {"sub_union_officer"}, method="POST", denied=404,
                                args=lambda w: [w.ms.zhang_pair.pk], data=lambda w: {"reason": "调离"},
                                out_of_scope=lambda w: [w.ms.pairs["孙青"].pk]),
    "mentorship:pair_change_mentor": Rule(OFFICE | {"sub_union_officer"}, method="POST", denied=404,
                                          args=lambda w: [w.ms.zhang_pair.pk],
                                          data=lambda w: {"mentor": w.ms.free_mentor.pk, "reason": "出国访学"},
                                          out_of_scope=lambda w: [w.ms.pairs["孙青"].pk]),
    "mentorship:pair_withdraw": Rule(OFFICE | {"sub_union_officer"}, method="POST", denied=404,
                                     args=lambda w: [w.ms.proposed_pair.pk], data=lambda w: {"reason": "本人放弃"}),
    # mentorship: participants. zhang mentors 冯青 and is named a mentor of 第九期 (双向选择)
    "mentorship:mine": Rule(EVERYONE),
    "mentorship:duty_log": Rule({"member"}, denied=404, args=lambda w: [w.ms.zhang_pair.pk],
                                out_of_scope=lambda w: [w.ms.pairs["赵青"].pk]),
    "mentorship:rank": Rule({"member"}, denied=404, args=lambda w: [w.ms.zhang_candidate.pk],
                            out_of_scope=lambda w: [w.ms.mentor_candidate.pk]),
    # admissions: the member's portal pages (their own children: another's is not there)
    "admissions:mine": Rule(EVERYONE),
    "admissions:policy": Rule(EVERYONE),
    "admissions:mine_survey": Rule({"member"}, denied=404, args=lambda w: [w.adm.zhang_line.pk],
                                   out_of_scope=lambda w: [w.adm.wang_line.pk]),
    "admissions:request_new": Rule({"member"}, denied=404, args=lambda w: [w.adm.newborn.pk]),
    # admissions: the year's work. Campaigns for their readers (the office and its admissions officer,
    # sub-unions' officers, auditors); the office moves them on; the survey's lines (children's rows) for
    # the admissions officer and a sub-union's officer only, answered by them or the parent
    "admissions:campaigns": Rule(BACK_OFFICE_READERS | ADM),
    "admissions:campaign_create": Rule(ADM_OFFICE),
    "admissions:campaign": Rule(BACK_OFFICE_READERS | ADM, args=lambda w: [w.adm.campaign.pk]),
    "admissions:campaign_step": Rule(ADM_OFFICE, method="POST", denied=404,
                                     args=lambda w: [w.adm.survey_campaign.pk, "open_requests"]),
    "admissions:survey": Rule(ADM_CHILD_OFFICERS, args=lambda w: [w.adm.survey_campaign.pk]),
    "admissions:survey_remind": Rule(ADM_OFFICE, method="POST", denied=404, args=lambda w: [w.adm.survey_campaign.pk],
                                     data=lambda w: {"sub_union": w.econ.pk}),
    "admissions:survey_answer": Rule(ADM_CHILD_ROWS, method="POST", denied=404, args=lambda w: [w.adm.zhang_line.pk],
                                     data=lambda w: {"need": "no"}, out_of_scope=lambda w: [w.adm.wang_line.pk]),
    # admissions: requests. The list for the children's officers; a request (and its buttons) for the parent,
    # their sub-union's officer and the admissions officer, each step for whom the workflow names (404 else)
    "admissions:requests": Rule(ADM_CHILD_OFFICERS, args=lambda w: [w.adm.campaign.pk]),
    "admissions:request": Rule(ADM_CHILD_ROWS, denied=404, args=lambda w: [w.adm.submitted.pk],
                               out_of_scope=lambda w: [w.adm.wang_request.pk]),
    "admissions:request_submit": Rule(ADM_CHILD_ROWS, method="POST", denied=404, args=lambda w: [w.adm.draft.pk],
                                      out_of_scope=lambda w: [w.adm.wang_request.pk]),
    "admissions:request_check": Rule(ADM_CHILD_OFFICERS, method="POST", denied=404, args=lambda w: [w.adm.checkable.pk],
                                     out_of_scope=lambda w: [w.adm.wang_request.pk]),
    "admissions:request_return": Rule(ADM_CHILD_OFFICERS, method="POST", denied=404, args=lambda w: [w.adm.submitted.pk],
                                      data=lambda w: {"reason": "户口簿不清晰"},
                                      out_of_scope=lambda w: [w.adm.wang_request.pk]),
    "admissions:request_refer": Rule(ADM, method="POST", denied=404, args=lambda w: [w.adm.checked.pk]),
    "admissions:request_answer": Rule(ADM, method="POST", denied=404, args=lambda w: [w.adm.referred.pk],
                                      data=lambda w: {"placed": "1", "note": "9月1日报到"}),
    "admissions:request_withdraw": Rule({"member", "admissions_officer"}, method="POST", denied=404,
                                        args=lambda w: [w.adm.draft.pk]),
    "admissions:document_upload": Rule(ADM_CHILD_ROWS, method="POST", denied=404, args=lambda w: [w.adm.draft.pk],
                                       data=lambda w: {"code": "hukou",
                                                       "file": SimpleUploadedFile("户口簿.pdf", PDF_BYTES,
                                                                                  content_type="application/pdf")},
                                       out_of_scope=lambda w: [w.adm.wang_request.pk]),
    "admissions:document_check": Rule(ADM_CHILD_OFFICERS, method="POST", denied=404,
                                      args=lambda w: [w.adm.submitted.documents.first().pk],
                                      data=lambda w: {"checked": "on"},
                                      out_of_scope=lambda w: [w.adm.wang_request.documents.first().pk]),
    # admissions: a school's answer list, imported by the admissions officer (previewed, confirmed once)
    "admissions:answers_import": Rule(ADM, args=lambda w: [w.adm.campaign.pk]),
    "admissions:answers_preview": Rule(ADM, args=lambda w: [w.adm.answers_preview.pk]),
    "admissions:answers_confirm": Rule(ADM, method="POST", args=lambda w: [w.adm.answers_preview.pk]),
    # admissions: schools and the year's rules, read by the back office, kept by the office
    "admissions:schools": Rule(BACK_OFFICE_READERS | ADM),
    "admissions:school_create": Rule(ADM_OFFICE),
    "admissions:school_edit": Rule(ADM_OFFICE, args=lambda w: [w.adm.schools["fx"].pk]),
    "admissions:rules": Rule(BACK_OFFICE_READERS | ADM),
    "admissions:rules_create": Rule(ADM_OFFICE),
    "admissions:rules_detail": Rule(BACK_OFFICE_READERS | ADM, args=lambda w: [w.adm.rules.pk]),
    "admissions:rules_edit": Rule(ADM_OFFICE, args=lambda w: [w.adm.draft_rules.pk]),
    "admissions:rules_adopt": Rule(ADM_OFFICE, method="POST", args=lambda w: [w.adm.draft_rules.pk],
                                   data=lambda w: {"adopted_on": _days(0), "resolution": "校工会〔2023〕5号"}),
    # admissions: policy notes (published ones for everyone), consultations (the admissions officer's),
    # visits (members sign up themselves; the office runs them)
    "admissions:notes": Rule(GLOBAL_READERS | ADM),
    "admissions:note_create": Rule(ADM_OFFICE),
    "admissions:note": Rule(EVERYONE, args=lambda w: [w.adm.published_note.pk]),
    "admissions:note_edit": Rule(ADM_OFFICE, args=lambda w: [w.adm.draft_note.pk]),
    "admissions:note_publish": Rule(ADM_OFFICE, method="POST", denied=404, args=lambda w: [w.adm.draft_note.pk]),
    "admissions:note_withdraw": Rule(ADM_OFFICE, method="POST", denied=404, args=lambda w: [w.adm.published_note.pk],
                                     data=lambda w: {"message": "政策调整"}),
    "admissions:consultations": Rule(ADM),
    "admissions:visits": Rule(EVERYONE),
    "admissions:visit_create": Rule(ADM_OFFICE),
    "admissions:visit": Rule(ADM_OFFICE, args=lambda w: [w.adm.visit.pk]),
    "admissions:visit_hold": Rule(ADM_OFFICE, method="POST", denied=404, args=lambda w: [w.adm.visit.pk]),
    "admissions:visit_cancel": Rule(ADM_OFFICE, method="POST", denied=404, args=lambda w: [w.adm.visit.pk],
                                    data=lambda w: {"message": "学校临时有事"}),
    "admissions:visit_attendance": Rule(ADM_OFFICE, method="POST", denied=404, args=lambda w: [w.adm.held_visit.pk],
                                        data=lambda w: {"attended": [w.adm.held_visit.signups.first().pk]}),
    "admissions:visit_signup": Rule({"member", "sub_union_officer"}, method="POST", denied=404,
                                    args=lambda w: [w.adm.open_visit.pk]),
    "admissions:visit_signup_cancel": Rule({"member", "sub_union_officer"}, method="POST", denied=404,
                                           args=lambda w: [w.adm.signed_visit.pk]),
    # admissions: demand against places (figures: the office, the admissions officer, auditors); a shortage
    # turned into a proposal or linked to one. Drafting one is a delegate's: the office's accounts are not,
    # so the proposals module refuses it with a message (gonghui/admissions/tests/test_shortages.py drafts
    # one); the admissions officer reads no proposal to link (a message), the union office links one
    "admissions:demand": Rule(GLOBAL_READERS | ADM),
    "admissions:shortage_proposal": Rule(ADM_OFFICE, method="POST", writes=False,
                                         data=lambda w: {"year": w.adm.shortage_year, "stage": "primary", "school": "",
                                                         "session": w.pr.session.pk}),
    "admissions:shortage_link": Rule(ADM_OFFICE, method="POST", writes=False,
                                     data=lambda w: {"year": w.adm.shortage_year, "stage": "primary", "school": "",
                                                     "proposal": w.pr.submitted.pk}),
    "admissions:report": Rule(BACK_OFFICE_READERS | ADM),
    # the union's annual report (every module's figures of the year, DOMAIN §3.10): the office and the auditors
    # read it, its .xlsx (?export=xlsx) and its PDF, each download logged; a sub-union officer and a member do not
    "reports:annual": Rule(GLOBAL_READERS),
    "reports:annual_pdf": Rule(GLOBAL_READERS),
    # practical projects (我为群众办实事): the office, the auditors and a unit's contact person read the
    # projects (the unit's own: 后勤处 leads w.pj.project); the office registers and ticks off, the lead
    # unit moves its project on and records progress (a step the user may not take is a 404)
    "projects:list": Rule(PJ_READERS),
    "projects:new": Rule(OFFICE),
    "projects:batch_new": Rule(OFFICE),
    "projects:table": Rule(PJ_READERS),
    "projects:detail": Rule(PJ_READERS, args=lambda w: [w.pj.project.pk]),
    "projects:step": Rule(PJ_MOVERS, method="POST", denied=404, args=lambda w: [w.pj.project.pk, "start"]),
    "projects:progress_add": Rule(PJ_MOVERS, method="POST", args=lambda w: [w.pj.project.pk],
                                  data=lambda w: {"date": "2021-03-10", "text": "开工"}),
    "projects:close_off": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.pj.done.pk],
                               data=lambda w: {"results": "验收合格"}),
    # staff rate a done project once (a secret ballot); only people on the roster have one to rate
    "projects:rate_list": Rule(EVERYONE),
    "projects:rate": Rule(PJ_RATERS, method="POST", denied=404, args=lambda w: [w.pj.done.pk],
                          data=lambda w: {"satisfaction": "3"}),
    # bulletins: every signed-in reader reads published issues; the office composes and publishes
    "projects:bulletins": Rule(EVERYONE),
    "projects:series_new": Rule(OFFICE),
    "projects:bulletin_new": Rule(OFFICE),
    "projects:bulletin": Rule(EVERYONE, args=lambda w: [w.pj.published.pk]),
    "projects:bulletin_pdf": Rule(EVERYONE, args=lambda w: [w.pj.published.pk]),
    "projects:bulletin_edit": Rule(OFFICE, args=lambda w: [w.pj.draft.pk]),
    "projects:section_new": Rule(OFFICE, args=lambda w: [w.pj.draft.pk]),
    "projects:section_edit": Rule(OFFICE, args=lambda w: [w.pj.draft.pk, w.pj.section.pk]),
    "projects:section_delete": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.pj.draft.pk, w.pj.section.pk]),
    "projects:bulletin_publish": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.pj.draft.pk]),
    "projects:bulletin_withdraw": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.pj.published.pk],
                                       data=lambda w: {"message": "数据有误"}),
    "projects:bulletin_redraft": Rule(OFFICE, method="POST", denied=404, args=lambda w: [w.pj.withdrawn.pk]),
    # API
    "api-schema": Rule(EVERYONE),
    "api-docs": Rule(EVERYONE),
    "api-token": Rule(EVERYONE, method="POST", public=True,
                      data=lambda w: {"username": "E0001", "password": "pass-1234!"}),
    "api-me": Rule(EVERYONE),
    "api-workbench": Rule(EVERYONE),
    "api-token-list": Rule(EVERYONE),
    "api-token-revoke": Rule({"administrator"}, method="POST", args=lambda w: [_li_token(w).pk], denied=404),
    "api-insurance-edition-list": Rule(BACK_OFFICE_READERS),
    "api-insurance-edition-detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.ins_editions["ZYJT"].pk]),
    "api-insurance-enrollment-list": Rule(BACK_OFFICE_READERS),
    "api-insurance-enrollment-detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.zhang_enrollment.pk],
                                            out_of_scope=lambda w: [w.wang_enrollment.pk]),
    "api-insurance-claim-list": Rule(BACK_OFFICE_READERS),
    "api-insurance-claim-detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.zhang_claim.pk],
                                       out_of_scope=lambda w: [w.wang_claim.pk]),
    "api-person-list": Rule(BACK_OFFICE_READERS),
    "api-person-search": Rule(BACK_OFFICE_READERS, method="POST", writes=False,
                              data=lambda w: {"id_number": w.zhang.id_number_clear()}),
    "api-person-detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.zhang.pk], out_of_scope=lambda w: [w.wang.pk]),
    "api-subunion-list": Rule(BACK_OFFICE_READERS),
    "api-subunion-detail": Rule(BACK_OFFICE_READERS, args=lambda w: [w.econ.pk], out_of_scope=lambda w: [w.law.pk]),
    "api-job-detail": Rule(GLOBAL_READERS | {"member"}, args=lambda w: [w.member_job.pk], denied=404,
                           out_of_scope=lambda w: [w.office_job.pk]),
    "api-notification-list": Rule(EVERYONE),
    "api-drive-list": Rule(EVERYONE),
    "api-mutual-aid-my-applications": Rule(EVERYONE),
    "api-mutual-aid-my-fee-lines": Rule(EVERYONE),
    "api-mutual-aid-applications": Rule(MA_APPLICATION_READERS),
    "api-mutual-aid-editions": Rule(EVERYONE),
    "api-drive-detail": Rule(GLOBAL_READERS, args=lambda w: [w.drive.pk]),
    "api-drive-registration-list": Rule(BACK_OFFICE_READERS, args=lambda w: [w.drive.pk]),
    "api-drive-survey-board": Rule(BACK_OFFICE_READERS, args=lambda w: [w.drive.pk]),
    "api-deliberation-list": Rule(EVERYONE),
    "api-deliberation-mine": Rule(EVERYONE),
    "api-deliberation-detail": Rule(DL_READERS, args=lambda w: [w.dl.open.deliberation.pk], denied=404,
                                    out_of_scope=lambda w: [w.dl.draft.deliberation.pk]),
    "api-deliberation-report": Rule(DL_INSIDERS, args=lambda w: [w.dl.responded.deliberation.pk], denied=404),
    "api-deliberation-version": Rule(DL_READERS, args=lambda w: [w.dl.open.version.pk], denied=404,
                                     out_of_scope=lambda w: [w.dl.draft.version.pk]),
    "api-deliberation-opinion-give": Rule({"member", "sub_union_officer"}, method="POST", denied=404,
                                          args=lambda w: [w.dl.open.round.pk], data=lambda w: {"text": "建议分步实施"}),
    "api-deliberation-rollup": Rule(DL_INSIDERS, args=lambda w: [w.dl.awaiting.round.pk], denied=404),
    "api-deliberation-group-answer": Rule(DL_DRAFTERS, method="POST", denied=404,
                                          args=lambda w: [w.dl.awaiting.round.groups.get(status="pending").pk],
                                          data=lambda w: {"decision": "adopted"}),
    "api-appraisal-round-list": Rule(EVERYONE),
    "api-appraisal-mine": Rule(EVERYONE),
    "api-appraisal-round-detail": Rule(AP_INSIDERS | AP_VOTERS, args=lambda w: [w.ap.open.pk], denied=404),
    "api-appraisal-turnout": Rule(AP_INSIDERS | {"sub_union_officer"}, args=lambda w: [w.ap.released.pk],
                                  denied=404),
    "api-appraisal-results": Rule(AP_RESULTS, args=lambda w: [w.ap.released.pk]),
    "api-appraisal-ballot": Rule(AP_VOTERS, method="POST", args=lambda w: [w.ap.open_unit.pk], denied=404,
                                 data=lambda w: _full_ballot(w.ap.open_unit), as_json=True),
    # competitions: announced editions and their entries (scoped rows) for everyone signed in; the full
    # results for the office and auditors; nominations by the office and colleges' officers; a sheet
    # for its judge only (the econ officer's panel scoring law's 周四), not there for anyone else
    "api-competition-edition-list": Rule(EVERYONE),
    "api-competition-edition-detail": Rule(EVERYONE, args=lambda w: [w.qjs("nominated").competition.pk]),
    "api-competition-edition-entries": Rule(EVERYONE, args=lambda w: [w.qjs("nominated").competition.pk]),
    "api-competition-results": Rule(GLOBAL_READERS, args=lambda w: [w.qjs("released").competition.pk]),
    "api-competition-nominate": Rule(OFFICE | {"sub_union_officer"}, method="POST", as_json=True,
                                     args=lambda w: [_qjs_nominating(w).competition.pk],
                                     data=lambda w: {"staff_no": "E1001", "group": "humanities-a"}),
    "api-competition-mine": Rule(EVERYONE),
    "api-competition-judge-queue": Rule(EVERYONE),
    "api-competition-sheet": Rule({"sub_union_officer"}, method="PUT", as_json=True, denied=404,
                                  args=lambda w: _qjs_chen_sheet(w), data=lambda w: {"scores": {"design": "17.5"}}),
    "api-notification-read-all": Rule(EVERYONE, method="POST", args=lambda w: (w.everyones_notifications, [])[1],
                                      effect=lambda w: _only_one_inbox_read(w)),
    "api-notification-read": Rule({"member"}, args=lambda w: [w.member_notification.pk], method="POST", denied=404,
                                  out_of_scope=lambda w: [w.office_notification.pk],
                                  effect=lambda w: _is_read(w.member_notification)),
    # mentorship: announced cohorts and the pairs one may see (the pair itself: zhang mentors 冯青; econ's
    # officer their college's) for everyone signed in; a duty logged by its pair only (404 to anyone else);
    # confirmed or returned by the college (law's duty: not there for econ's officer); candidates for the
    # back office; matchings computed by the office, read by the office and auditors
    "api-mentorship-cohort-list": Rule(EVERYONE),
    "api-mentorship-cohort-detail": Rule(EVERYONE, args=lambda w: [w.ms.cohort.pk]),
    "api-mentorship-candidate-list": Rule(BACK_OFFICE_READERS, args=lambda w: [w.ms.cohort.pk]),
    "api-mentorship-pair-list": Rule(EVERYONE),
    "api-mentorship-pair-detail": Rule(BACK_OFFICE_READERS | {"member"}, denied=404, args=lambda w: [w.ms.zhang_pair.pk],
                                       out_of_scope=lambda w: [w.ms.pairs["孙青"].pk]),
    "api-mentorship-duty-log": Rule({"member"}, method="POST", as_json=True, denied=404,
                                    args=lambda w: [w.ms.zhang_pair.pk],
                                    data=lambda w: {"kind": "observation", "held_on": "2021-03-15", "course": "宏观经济学",
                                                    "hours": "2"}),
    "api-mentorship-duty-confirm": Rule(OFFICE | {"sub_union_officer"}, method="POST", args=lambda w: [w.ms.econ_duty.pk],
                                        out_of_scope=lambda w: [w.ms.law_duty.pk]),
    "api-mentorship-duty-return": Rule(OFFICE | {"sub_union_officer"}, method="POST", as_json=True,
                                       args=lambda w: [w.ms.econ_duty.pk], data=lambda w: {"reason": "日期有误"},
                                       out_of_scope=lambda w: [w.ms.law_duty.pk]),
    "api-mentorship-matching-run": Rule(OFFICE, method="POST", as_json=True, args=lambda w: [w.ms.matching_cohort.pk],
                                        data=lambda w: {"method": "assignment"}),
    "api-mentorship-matching-detail": Rule(GLOBAL_READERS, args=lambda w: [w.ms.run.pk]),
    # admissions: schools, rules and open campaigns for everyone signed in (the office adds schools and moves
    # campaigns on); children's rows (survey lines, requests, documents) listed for everyone but holding only
    # the caller's (exact counts: gonghui/admissions/tests/test_api.py), a record or a step 404 to anyone but
    # the parent, their sub-union's officer and the admissions officer, as the workflow names them
    "api-admissions-school-list": Rule(EVERYONE),
    "api-admissions-school-detail": Rule(EVERYONE, args=lambda w: [w.adm.schools["fx"].pk]),
    "api-admissions-rules-list": Rule(EVERYONE),
    "api-admissions-rules-detail": Rule(EVERYONE, args=lambda w: [w.adm.rules.pk]),
    "api-admissions-campaign-list": Rule(EVERYONE),
    "api-admissions-campaign-detail": Rule(EVERYONE, args=lambda w: [w.adm.campaign.pk]),
    "api-admissions-campaign-step": Rule(ADM_OFFICE, method="POST",
                                         args=lambda w: [w.adm.survey_campaign.pk, "open_requests"]),
    "api-admissions-survey-line-list": Rule(EVERYONE, args=lambda w: [w.adm.survey_campaign.pk]),
    "api-admissions-survey-board": Rule(ADM_CHILD_OFFICERS, args=lambda w: [w.adm.survey_campaign.pk]),
    "api-admissions-survey-answer": Rule(ADM_CHILD_ROWS, method="POST", as_json=True, denied=404,
                                         args=lambda w: [w.adm.zhang_line.pk], data=lambda w: {"need": "no"},
                                         out_of_scope=lambda w: [w.adm.wang_line.pk]),
    "api-admissions-request-list": Rule(EVERYONE, args=lambda w: [w.adm.campaign.pk]),
    "api-admissions-request-detail": Rule(ADM_CHILD_ROWS, denied=404, args=lambda w: [w.adm.submitted.pk],
                                          out_of_scope=lambda w: [w.adm.wang_request.pk]),
    "api-admissions-document-list": Rule(ADM_CHILD_ROWS, denied=404, args=lambda w: [w.adm.submitted.pk],
                                         out_of_scope=lambda w: [w.adm.wang_request.pk]),
    "api-admissions-request-submit": Rule(ADM_CHILD_ROWS, method="POST", denied=404, args=lambda w: [w.adm.draft.pk],
                                          out_of_scope=lambda w: [w.adm.wang_request.pk]),
    "api-admissions-request-check": Rule(ADM_CHILD_OFFICERS, method="POST", denied=404,
                                         args=lambda w: [w.adm.checkable.pk],
                                         out_of_scope=lambda w: [w.adm.wang_request.pk]),
    "api-admissions-request-return": Rule(ADM_CHILD_OFFICERS, method="POST", as_json=True, denied=404,
                                          args=lambda w: [w.adm.submitted.pk], data=lambda w: {"reason": "户口簿不清晰"},
                                          out_of_scope=lambda w: [w.adm.wang_request.pk]),
    "api-admissions-request-refer": Rule(ADM, method="POST", denied=404, args=lambda w: [w.adm.checked.pk]),
    "api-admissions-request-answer": Rule(ADM, method="POST", as_json=True, denied=404,
                                          args=lambda w: [w.adm.referred.pk], data=lambda w: {"placed": False}),
    "api-admissions-request-withdraw": Rule({"member", "admissions_officer"}, method="POST", denied=404,
                                            args=lambda w: [w.adm.draft.pk]),
    "api-admissions-document-check": Rule(ADM_CHILD_OFFICERS, method="POST", denied=404,
                                          args=lambda w: [w.adm.submitted.documents.first().pk],
                                          out_of_scope=lambda w: [w.adm.wang_request.documents.first().pk]),
    "api-admissions-note-list": Rule(EVERYONE),
    "api-admissions-note-publish": Rule(ADM_OFFICE, method="POST", args=lambda w: [w.adm.draft_note.pk]),
    "api-admissions-note-withdraw": Rule(ADM_OFFICE, method="POST", as_json=True,
                                         args=lambda w: [w.adm.published_note.pk], data=lambda w: {"reason": "政策调整"}),
    "api-admissions-visit-list": Rule(EVERYONE),
    "api-admissions-visit-signup": Rule({"member", "sub_union_officer"}, method="POST",
                                        args=lambda w: [w.adm.open_visit.pk]),
    "api-admissions-visit-signup-cancel": Rule({"member", "sub_union_officer"}, method="POST",
                                               args=lambda w: [w.adm.signed_visit.pk]),
    "api-admissions-consultation-list": Rule(EVERYONE),
    "api-admissions-demand": Rule(GLOBAL_READERS | ADM),
    # the annual report's figures
    "api-reports-annual": Rule(GLOBAL_READERS),
    # practical projects and bulletins: as their pages (a refusal of a record the user may see is a 403 here)
    "api-projects-project-list": Rule(PJ_READERS),
    "api-projects-project-detail": Rule(PJ_READERS, args=lambda w: [w.pj.project.pk]),
    "api-projects-project-step": Rule(PJ_MOVERS, method="POST", as_json=True, args=lambda w: [w.pj.project.pk, "start"]),
    "api-projects-progress-add": Rule(PJ_MOVERS, method="POST", args=lambda w: [w.pj.project.pk],
                                      data=lambda w: {"date": "2021-03-10", "text": "开工"}),
    "api-projects-project-close-off": Rule(OFFICE, method="POST", args=lambda w: [w.pj.done.pk],
                                           data=lambda w: {"results": "验收合格"}),
    "api-projects-batch-list": Rule(PJ_READERS),
    "api-projects-rate-list": Rule(EVERYONE),
    "api-projects-rate": Rule(PJ_RATERS, method="POST", as_json=True, denied=404, args=lambda w: [w.pj.done.pk],
                              data=lambda w: {"satisfaction": 3}),
    "api-projects-bulletin-list": Rule(EVERYONE),
    "api-projects-bulletin-detail": Rule(EVERYONE, args=lambda w: [w.pj.published.pk]),
    "api-projects-bulletin-publish": Rule(OFFICE, method="POST", args=lambda w: [w.pj.draft.pk]),
}
# Routes that answer a second method with another rule (a page and its form): each checked like ROUTES.
SECOND_METHODS: dict[str, Rule] = {
    # mentorship: a college proposes a pair by hand; zhang logs a duty of his pair and ranks 第九期's new teachers
    "mentorship:propose": Rule(OFFICE | {"sub_union_officer"}, method="POST", args=lambda w: [w.ms.matching_cohort.pk],
                               data=lambda w: {"mentee": w.ms.econ_candidate.person_id,
                                               "mentor": w.ms.mentor_candidate.person_id}),
    "mentorship:duty_log": Rule({"member"}, method="POST", denied=404, args=lambda w: [w.ms.zhang_pair.pk],
                                data=lambda w: {"kind": "demonstration", "held_on": "2021-03-15", "course": "金融学",
                                                "hours": "2"}),
    "mentorship:rank": Rule({"member"}, method="POST", denied=404, args=lambda w: [w.ms.zhang_candidate.pk],
                            data=lambda w: {f"rank-{w.ms.econ_candidate.person_id}": "1"}),
    # mentorship: a teacher's profile saved (the office, or zhang's college's officer); HR's list uploaded
    "mentorship:profile_edit": Rule(OFFICE | {"sub_union_officer"}, method="POST", args=lambda w: [w.zhang.pk],
                                    data=lambda w: {"title": "讲师", "discipline": "经济学"}),
    "mentorship:profile_import": Rule(OFFICE, method="POST",
                                      data=lambda w: {"file": SimpleUploadedFile("教师档案.xlsx", _ms_profiles_file(w))}),
    # admissions: a parent starts a request for their child on the portal
    "admissions:request_new": Rule({"member"}, method="POST", denied=404, args=lambda w: [w.adm.newborn.pk],
                                   data=lambda w: {"school": w.adm.schools["fx"].pk, "relation": "child",
                                                   "hukou_district": "海淀区", "housing": "owned"}),
    # admissions API: the office adds and changes schools, drafts a policy note; a request created for a child
    # the caller may act for (404 for any other); the admissions officer logs a consultation
    "api-admissions-school-list": Rule(ADM_OFFICE, method="POST", as_json=True,
                                       data=lambda w: {"code": "gj2", "name": "共建第二幼儿园", "kind": "kindergarten",
                                                       "district": "朝阳区"}),
    "api-admissions-school-detail": Rule(ADM_OFFICE, method="PUT", as_json=True,
                                         args=lambda w: [w.adm.schools["fx"].pk], data=lambda w: {"contact_name": "李老师"}),
    "api-admissions-request-list": Rule(ADM_CHILD_ROWS, method="POST", as_json=True, denied=404,
                                        args=lambda w: [w.adm.campaign.pk],
                                        data=lambda w: {"child": w.adm.newborn.pk, "school": w.adm.schools["fx"].pk,
                                                        "hukou_district": "海淀区", "housing": "owned"}),
    # practical projects: the office registers a batch and a project
    "api-projects-batch-list": Rule(OFFICE, method="POST", as_json=True, data=lambda w: {"year": 2022, "number": 1}),
    "api-projects-project-list": Rule(OFFICE, method="POST", as_json=True,
                                      data=lambda w: {"batch": w.pj.project.batch_id, "title": "教工之家改造",
                                                      "category": "民生保障", "origin": "instruction",
                                                      "origin_note": "校领导批示", "lead_unit": w.logistics.pk,
                                                      "responsible_staff_no": w.zhang.staff_no,
                                                      "project_type": "deadline", "deadline": "2021-12-31"}),
    "api-admissions-note-list": Rule(ADM_OFFICE, method="POST", as_json=True,
                                     data=lambda w: {"year": 2021, "district": "海淀区", "title": "海淀区入学政策",
                                                     "body": "多校划片"}),
    "api-admissions-consultation-list": Rule(ADM, method="POST", as_json=True,
                                             data=lambda w: {"staff_no": "E0001", "asked_on": _days(0),
                                                             "channel": "phone", "question": "租房能否入附小？",
                                                             "answer": "须提供租房合同。"}),
    # a voter's ballot, cast from the review page
    "appraisals:vote": Rule(AP_VOTERS, method="POST", args=lambda w: [w.ap.open_unit.pk], denied=404,
                            data=lambda w: {"action": "cast", **_full_ballot(w.ap.open_unit)["choices"]}),
    # a teller enters a paper ballot
    "appraisals:paper": Rule(AP_TELLER, method="POST", args=lambda w: [w.ap.open_unit.pk], denied=404,
                             data=lambda w: {"category": "cadre", "action": "spoilt"}),
    "appraisals:cadre_report": Rule(OFFICE, method="POST", args=lambda w: [w.ap.draft_cadre.pk], denied=404,
                                    data=lambda w: {"text": "修改后的述职报告"}),
    # competitions: participants. A college nominates; a judge saves the sheet without script; the chief
    # judge amends a score
    "competitions:nominate": Rule(OFFICE | {"sub_union_officer"}, method="POST",
                                  args=lambda w: [_qjs_nominating(w).competition.pk],
                                  data=lambda w: {"staff_no": "E1001", "group": w.qjs("draft").groups["humanities-a"].pk,
                                                  "teaching_post": "full_time", "course": "微观经济学"}),
    "competitions:sheet": Rule({"sub_union_officer"}, method="POST", args=lambda w: _qjs_chen_sheet(w), denied=404,
                               data=lambda w: {"action": "save", "design": "17", "classroom": "69", "reflection": "4"}),
    "competitions:amend": Rule({"sub_union_officer"}, method="POST", args=lambda w: [_qjs_chief(w).pk], denied=404,
                               data=lambda w: _qjs_amendment(w)),
    # the session's sign-ups (scoped: see test_officer_session_signups_are_scoped); its attendance form: the office
    "drives:session_detail": Rule(OFFICE, method="POST", args=lambda w: [w.drive_session.pk],
                                  data=lambda w: {"attended": [w.li.pk]}, effect=_li_attended),
}
# fmt: on


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name


def project_routes() -> dict[str, str]:
    """{url name: pattern} of every route this test must cover."""
    routes = {}
    for path, name in _walk(get_resolver().url_patterns):
        if path.lstrip("^").startswith(EXCLUDED_PREFIXES) or name in EXCLUDED_NAMES:
            continue
        assert name, f"route {path!r} has no name: name it and add an access rule in tests/test_route_access.py"
        routes[name] = path
    return routes


def test_every_route_has_an_access_rule():
    routes = project_routes()
    missing = [
        f"route {name} ({path}) has no access rule in tests/test_route_access.py"
        for name, path in sorted(routes.items())
        if name not in ROUTES
    ]
    assert not missing, "\n".join(missing)
    stale = sorted(set(ROUTES) - set(routes))
    assert not stale, f"access rules for routes that no longer exist: {stale}"


def test_rules_name_only_known_roles():
    for name, rule in ROUTES.items():
        assert set(rule.allowed) <= EVERYONE, name


class World:
    """The university's objects, plus objects built on first use (most routes need none)."""

    def __init__(self, university, **factories):
        self.__dict__.update(vars(university))
        self._factories = factories

    def __getattr__(self, name):
        factories = self.__dict__.get("_factories", {})
        if name not in factories:
            raise AttributeError(name)
        value = factories[name]()
        setattr(self, name, value)
        return value


@pytest.fixture
def university(university_of_module):
    """The conftest's university, built once for this module's thousands of cases: each case
    rolls back to it (conftest.py, `university_of_module`)."""
    return university_of_module


@pytest.fixture
def world(clock, university, settings, tmp_path):
    """The university plus one object of each kind the object routes need."""
    from gonghui.attachments.models import Attachment
    from gonghui.notifications.models import Notification

    settings.MEDIA_ROOT = str(tmp_path)
    u = university
    users = u.users

    def attachment(owner):
        item = Attachment(
            original_name="证明.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
            sha256="0" * 64,
            uploaded_by=users["union_office"],
            owner_person=owner,
        )
        item.file.save(f"attachments/test/{owner.staff_no}", ContentFile(PDF_BYTES), save=False)
        item.save()
        return item

    made = World(
        u,
        zhang_child=lambda: Child.objects.create(
            parent=u.zhang, name="张小明", gender=Gender.MALE, birth_date=datetime.date(2015, 3, 1)
        ),
        roster_preview=lambda: _roster_preview(u),
        roster_preview_unknown_unit=lambda: _roster_preview(u, unit="经济学院"),
        applicant=lambda: _applicant(u),
        member_job=lambda: Job.objects.create(kind="test", title="会员的任务", created_by=users["member"]),
        office_job=lambda: Job.objects.create(kind="test", title="校工会的任务", created_by=users["union_office"]),
        member_notification=lambda: Notification.objects.create(recipient=users["member"], title="给张伟", url="/"),
        office_notification=lambda: Notification.objects.create(
            recipient=users["union_office"], title="给校工会", url="/"
        ),
        everyones_notifications=lambda: [
            Notification.objects.create(recipient=user, title=f"给{role}", url="/") for role, user in users.items()
        ],
        zhang_attachment=lambda: attachment(u.zhang),
        li_account=lambda: _account_not_activated(u.li, u.econ_group),
        wang_account=lambda: _account_not_activated(u.wang, u.law),
        pr=lambda: _proposals_world(u),
        **_mutual_aid_applications(u, attachment),
        zhang_scheme_membership=lambda: _scheme_membership(u.zhang),
        ma_fee_edition=_fee_edition,
        zhang_fee_line=lambda: _fee_line(u),
        fee_result=lambda: _ma_fee_result(u),
        officer_enrol_batch=lambda: _enrol_batch(u, "sub_union_officer"),
        office_enrol_batch=lambda: _enrol_batch(u, "union_office"),
        wang_attachment=lambda: attachment(u.wang),
        ma_committee=lambda: _ma_committee(u),
        ma_adopted_edition=lambda: _ma_edition(u, adopt=True),
        ma_draft_edition=lambda: _ma_edition(u, adopt=False),
        **_insurance_world(u),
        **_drives_world(u, attachment),
    )
    made._factories["dl"] = lambda: _deliberations_world(u, made.pr)
    made._factories["ap"] = lambda: _appraisals_world(u)
    made._factories["qjs"] = lambda: _CompetitionsWorld(u, clock)
    made._factories["ms"] = lambda: _MentorshipWorld(u)
    made._factories["ms_profile_preview"] = lambda: _ms_profile_preview(u)
    made._factories["adm"] = lambda: _AdmissionsWorld(u)
    made._factories["pj"] = lambda: _ProjectsWorld(u)
    return made


def _account_not_activated(person, sub_union):
    """The person's account, not activated yet, holding the sub-union officer's role over `sub_union`."""
    from gonghui.accounts.models import RoleAssignment
    from gonghui.accounts.services import account_for_person

    account = account_for_person(person)
    RoleAssignment.objects.create(user=account, role="sub_union_officer", sub_union=sub_union)
    return account


def _insurance_world(u) -> dict:
    """World factories for the insurance routes: the 2021 editions with everyone enrolled, a 2022
    draft, a roster with an acceptance preview, and claims of zhang (econ) and wang (law)."""
    state = {}

    def once(key, make):
        """Build once; the services' audit events are dropped, so the route test's
        "a refused request writes nothing" counts only the request's own events."""
        if key not in state:
            last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            state[key] = make()
            AuditEvent.objects.filter(pk__gt=last).delete()
        return state[key]

    def editions():
        def make():
            from gonghui.insurance.presets import editions_create
            from gonghui.insurance.services.enrollment import enrollment_run

            office = u.users["union_office"]
            made = dict(zip(("ZYJT", "ZDJB", "NGTJ"), editions_create(actor=office, year=2021), strict=True))
            enrollment_run(actor=office, edition=made["ZYJT"])
            return made

        return once("editions", make)

    def opt_out_batch():
        """A pending batch of 不参保 declarations: zhao (R0001) for 重大疾病."""
        from gonghui.core.bulk import staff_numbers_upload
        from gonghui.insurance.services.opt_out_batch import opt_out_batch_start

        return opt_out_batch_start(
            actor=u.users["union_office"],
            edition=editions()["ZDJB"],
            reason="已在其他单位参保",
            upload=staff_numbers_upload(["R0001"], name="名单"),
        )

    def draft():
        from gonghui.insurance.presets import edition_values, plans_ensure
        from gonghui.insurance.services.editions import edition_create

        editions()
        return edition_create(
            actor=u.users["union_office"], plan=plans_ensure()["ZYJT"], **edition_values("ZYJT", 2022)
        )

    def roster():
        from gonghui.insurance.services.rosters import roster_export_create

        return once("roster", lambda: roster_export_create(actor=u.users["union_office"], edition=editions()["ZYJT"]))

    def preview():
        from django.utils import timezone

        from gonghui.core.models import ImportPreview

        return ImportPreview.objects.create(
            kind="insurance.acceptance",
            target=str(roster().pk),
            expires_at=timezone.now() + datetime.timedelta(days=1),
            file="imports/none.xlsx",
            original_name="回执.xlsx",
            sha256="0" * 64,
            size=1,
            summary={
                "accepted": [],
                "rejected": [],
                "unmatched": [],
                "invalid": [],
                "counts": {"accepted": 0, "rejected": 0, "unmatched": 0, "invalid": 0},
                "not_answered": 0,
                "roster": roster().pk,
                "title": "承保回执",
            },
        )

    def enrollment(person):
        from gonghui.insurance.models import PlanEnrollment

        return PlanEnrollment.objects.get(edition=editions()["ZYJT"], person=person)

    def claim(person):
        from gonghui.insurance.models import PlanClaim

        edition = editions()["ZYJT"]
        return PlanClaim.objects.create(
            person=person,
            edition=edition,
            enrollment=enrollment(person),
            benefit_code="allowance",
            diagnosis="肺炎",
            event_date=datetime.date(2021, 9, 1),
            admission_date=datetime.date(2021, 9, 1),
            discharge_date=datetime.date(2021, 9, 11),
            reported_on=datetime.date(2021, 9, 15),
        )

    return {
        "ins_editions": editions,
        "ins_draft": lambda: once("draft", draft),
        "ins_roster": roster,
        "ins_preview": lambda: once("preview", preview),
        "ins_opt_out_batch": lambda: once("opt_out_batch", opt_out_batch),
        "zhang_enrollment": lambda: enrollment(u.zhang),
        "wang_enrollment": lambda: enrollment(u.wang),
        "zhang_claim": lambda: once("zhang_claim", lambda: claim(u.zhang)),
        "wang_claim": lambda: once("wang_claim", lambda: claim(u.wang)),
    }


def _scheme_membership(person):
    from gonghui.mutual_aid.models import SchemeMembership

    # another object of the world (an application, a fee line) may have enrolled the person already
    return SchemeMembership.objects.filter(person=person).first() or SchemeMembership.objects.create(
        person=person, joined_on=datetime.date(2024, 3, 1), eligible_from=datetime.date(2024, 3, 1)
    )


def _fee_edition():
    """The adopted 2024 edition (fees of 120 and 60)."""
    from decimal import Decimal

    from gonghui.mutual_aid.models import SchemeEdition

    return SchemeEdition.objects.filter(year=2024, status="adopted").first() or SchemeEdition.objects.create(
        year=2024,
        name="2024",
        status="adopted",
        eligible_statuses=["active", "retired"],
        join_window_start=datetime.date(2024, 3, 1),
        join_window_end=datetime.date(2024, 3, 31),
        application_window_start=datetime.date(2025, 3, 1),
        application_window_end=datetime.date(2025, 4, 30),
        fee_active=Decimal("120.00"),
        fee_retired=Decimal("60.00"),
    )


def _fee_line(u):
    """zhang's 2024 fee line (charged, not yet paid) under a 2024 edition."""
    from decimal import Decimal

    from gonghui.mutual_aid.models import FeeLine, FeeRun, LedgerEntry

    edition = _fee_edition()
    run = FeeRun.objects.create(year=2024, edition=edition)
    line = FeeLine.objects.create(year=2024, run=run, person=u.zhang, amount=Decimal("120.00"), channel="payroll")
    LedgerEntry.objects.create(year=2024, person=u.zhang, kind="charge", amount=Decimal("-120.00"), fee_line=line)
    return line


def _mutual_aid_applications(u, attachment) -> dict:
    """World factories for the subsidy application routes: last year's edition with its window
    open, zhang a member (draft, submitted and office-checked applications, and complete ones,
    with the disease and every required document, as a draft and sub-union checked), wang's
    out of scope."""
    from gonghui.mutual_aid.models import ApplicationDocument, CostItem, SchemeMembership, SubsidyApplication
    from gonghui.mutual_aid.tests.applications.factories import edition_make, item_data

    state = {}

    def edition():
        if "edition" not in state:
            today = datetime.date.today()
            state["edition"] = edition_make(today.year - 1)
            SchemeMembership.objects.create(
                person=u.zhang, joined_on=datetime.date(2015, 3, 1), eligible_from=datetime.date(2015, 3, 1)
            )
        return state["edition"]

    def application(person, status="draft"):
        return SubsidyApplication.objects.create(
            person=person, cost_year=edition().year, edition=edition(), kind="inpatient", status=status
        )

    def once(key, make):
        if key not in state:
            state[key] = make()
        return state[key]

    def item(app):
        return CostItem.objects.create(application=app, **item_data(app.cost_year))

    def ready(status):
        """zhang's application with all it needs: a cost item, the disease, the documents."""
        app = application(u.zhang, status)
        item(app)
        app.disease_category = edition().diseases.first()
        app.save()
        for required in edition().required_documents.filter(kind="inpatient", required=True):
            ApplicationDocument.objects.create(
                application=app, required_document=required, attachment=attachment(u.zhang)
            )
        return app

    def post_data():
        data = item_data(edition().year, bill_no="B-900")
        return {k: (v.isoformat() if isinstance(v, datetime.date) else str(v)) for k, v in data.items()}

    return {
        "zhang_application": lambda: once("zhang", lambda: application(u.zhang)),
        "zhang_submitted_application": lambda: application(u.zhang, "submitted"),
        "zhang_checked_application": lambda: application(u.zhang, "office_checked"),
        "zhang_ready_application": lambda: ready("draft"),
        "zhang_sub_union_checked_application": lambda: ready("sub_union_checked"),
        "ma_disease": lambda: edition().diseases.first(),
        "wang_application": lambda: once("wang", lambda: application(u.wang)),
        "ma_required": lambda: once("required", lambda: edition().required_documents.filter(kind="inpatient").first()),
        "ma_item_post": post_data,
        "zhang_cost_item": lambda: item(once("zhang", lambda: application(u.zhang))),
        "wang_cost_item": lambda: item(once("wang", lambda: application(u.wang))),
        "zhang_document": lambda: ApplicationDocument.objects.create(
            application=once("zhang", lambda: application(u.zhang)),
            required_document=once("required", lambda: edition().required_documents.filter(kind="inpatient").first()),
            attachment=attachment(u.zhang),
        ),
    }


def _drives_world(u, attachment) -> dict:
    """World factories for the drive routes: a drive in registration (window around today),
    a session, a slot, zhang and wang registered and booked, a roster version."""
    from django.utils import timezone

    from gonghui.drives.models import DriveRegistration, InfoSession, RosterExport, SessionSignup, SlotBooking
    from gonghui.drives.tests.factories import drive_make, point_make

    state = {}
    today = datetime.date.today()

    def once(key, make):
        if key not in state:
            state[key] = make()
        return state[key]

    def drive():
        return once(
            "drive",
            lambda: drive_make(
                registration_from=today - datetime.timedelta(days=5),
                registration_until=today + datetime.timedelta(days=10),
                policy_start=today + datetime.timedelta(days=30),
            ),
        )

    def slot():
        return once("slot", lambda: point_make(drive(), capacity=5, day=today + datetime.timedelta(days=3))[1])

    def registration(person):
        return DriveRegistration.objects.create(
            drive=drive(),
            person=person,
            name=person.name,
            id_number_encrypted=person.id_number_encrypted,
            id_number_digest=person.id_number_digest,
            id_number_masked=person.id_number_masked,
            phone=person.phone,
            gender=person.gender,
            birth_date=person.birth_date,
            coverage_type=person.coverage_type,
            channel="group",
            age_at_start=40,
            consent_at=timezone.now(),
            consent_text=drive().rules.consent_text,
        )

    def booking(person):
        return SlotBooking.objects.create(drive=drive(), slot=slot(), person=person, booked_by=u.users["union_office"])

    def roster():
        from gonghui.drives.services.roster import _encrypt_bytes

        return once(
            "roster",
            lambda: RosterExport.objects.create(
                drive=drive(),
                version=1,
                created_by=u.users["union_office"],
                line_count=0,
                new_count=0,
                file_name="v1.xlsx",
                content_encrypted=_encrypt_bytes(b"x"),
                sha256="0" * 64,
            ),
        )

    def session():
        """An info session li (econ's group) and wang (law) signed up for; zhang may still sign up."""
        item = InfoSession.objects.create(
            drive=drive(),
            title="宣讲会",
            starts_at=datetime.datetime.now(datetime.timezone.utc),
            place="报告厅",
            capacity=50,
        )
        for person in (u.li, u.wang):
            SessionSignup.objects.create(session=item, person=person)
        return item

    def sent_registration():
        """zhang's registration, on the first roster sent to the provider."""

        def make():
            item = registration(u.zhang)
            item.first_roster = roster()
            item.status = "on_roster"
            item.save()
            return item

        return once("sent_registration", make)

    def result_content():
        """The provider's result file: zhang (on the roster sent) enrolled."""
        from gonghui.drives.tests.factories import result_file

        sent_registration()
        return result_file([(u.zhang.name, u.zhang.id_number_clear(), "参保成功", "P-1", "")])

    def result_preview():
        """The preview of that file: confirmable."""
        from gonghui.core.imports import Upload
        from gonghui.drives.services.results import result_preview_start

        return result_preview_start(
            drive=drive(), actor=u.users["union_office"], upload=Upload(data=result_content(), filename="结果.xlsx")
        )

    def with_leaflet():
        item = drive()
        item.leaflet = attachment(u.zhang)
        item.save()
        return item

    return {
        "drive": drive,
        # a drive with its survey open (survey answers and reminders)
        "survey_drive": lambda: drive_make(
            name="2021 意向摸底",
            phase="survey",
            survey_from=today - datetime.timedelta(days=5),
            survey_until=today + datetime.timedelta(days=10),
        ),
        # a drive in preparation, its rules a draft (adoption)
        "draft_drive": lambda: drive_make(name="2021 筹备中", phase="preparation"),
        "drive_slot": slot,
        "drive_session": lambda: once("session", session),
        "zhang_registration": lambda: once("zhang_registration", lambda: registration(u.zhang)),
        "wang_registration": lambda: registration(u.wang),
        "zhang_booking": lambda: once("zhang_booking", lambda: booking(u.zhang)),
        "wang_booking": lambda: booking(u.wang),
        "drive_roster": roster,
        "drive_with_leaflet": with_leaflet,
        "drive_result_content": result_content,
        "drive_result_preview": result_preview,
    }


def _roster_preview(u, unit=None):
    """A previewed roster of one row (zhang, unchanged unless his unit is given as `unit`)
    through the import kit."""
    import io

    from openpyxl import Workbook

    from gonghui.core.imports import Upload, import_start

    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "姓名", "性别", "身份证号", "所在单位"])
    sheet.append([u.zhang.staff_no, u.zhang.name, "男", u.zhang.id_number_clear(), unit or u.econ.name])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = Upload(data=buffer.getvalue(), filename="名册.xlsx")
    return import_start("people.roster", actor=u.users["union_office"], upload=upload)


def _applicant(u):
    """A member of staff in econ whose membership the sub-union has applied for."""
    from gonghui.people.choices import MembershipStatus
    from gonghui.people.models import UnionMembership
    from gonghui.people.tests.factories import person_make

    person = person_make(staff_no="E0100", name="周新", sub_union=u.econ, member=False)
    UnionMembership.objects.create(
        person=person,
        sub_union=u.econ,
        member_no="ME0100",
        joined_on=datetime.date(2021, 3, 1),
        status=MembershipStatus.APPLIED,
    )
    return person


def _enrol_batch(u, role):
    """A pending 批量入会 preview of `role`: li (econ's group) is ready to join under 2024's rules."""
    from gonghui.core.bulk import staff_numbers_upload
    from gonghui.mutual_aid.services.enrolment_batch import enrolment_batch_start

    _fee_edition()
    return enrolment_batch_start(
        actor=u.users[role],
        joined_on=datetime.date(2024, 3, 15),
        channel="payroll",
        source="file",
        upload=staff_numbers_upload(["E0002"], name="名单"),
    )


def _ma_fee_result(u):
    """A pending preview of finance's deduction result (core's import kit) with nothing in it."""
    from django.utils import timezone

    from gonghui.core.models import ImportPreview

    return ImportPreview.objects.create(
        kind="mutual_aid.deduction_result",
        created_by=u.users["union_office"],
        expires_at=timezone.now() + datetime.timedelta(days=1),
        file="imports/route-access.xlsx",
        original_name="扣款结果.xlsx",
        sha256="0" * 64,
        size=1,
        target="2024",
        summary={
            "deducted": [],
            "failed": [],
            "unchanged": [],
            "invalid": [],
            "counts": {"deducted": 0, "failed": 0, "unchanged": 0, "invalid": 0},
            "amounts": {"deducted": "0.00", "failed": "0.00"},
        },
    )


def _ma_edition(u, *, adopt: bool):
    """A 2019 mutual-aid edition (a year no other fixture uses), adopted or a draft. Built
    directly, not through the services: it is made on first use, inside the request check."""
    from gonghui.mutual_aid.models import SchemeEdition, SubsidyBand, SubsidyRule

    edition = SchemeEdition.objects.create(
        year=2019,
        name="2019 已通过的办法" if adopt else "2019 办法草稿",
        adopted_on=datetime.date(2019, 1, 10) if adopt else None,
        eligible_statuses=["active", "retired"],
        join_window_start=datetime.date(2019, 3, 1),
        join_window_end=datetime.date(2019, 3, 31),
        application_window_start=datetime.date(2020, 3, 1),
        application_window_end=datetime.date(2020, 3, 31),
        fee_active=120,
        fee_retired=120,
    )
    rule = SubsidyRule.objects.create(edition=edition, deductible=3000)
    SubsidyBand.objects.create(rule=rule, lower=3000, upper=None, rate="0.5")
    if adopt:  # once its parts are in: an adopted edition no longer changes
        SchemeEdition.objects.filter(pk=edition.pk).update(status="adopted")
        edition.refresh_from_db()
    return edition


def _is_api(name: str) -> bool:
    return name.startswith("api-")


def _prepare(name: str, rule: Rule, w, args=None) -> tuple[str, dict]:
    """The URL and the POST data (building them may create the objects they name)."""
    url = reverse(name, args=rule.args(w) if args is None else args)
    return url, (rule.data(w) if rule.data else {})


def _request(client, name: str, rule: Rule, w, args=None, prepared=None):
    url, data = prepared or _prepare(name, rule, w, args)
    if rule.method == "PUT":  # an API's idempotent write: a JSON body
        return client.put(url, data, content_type="application/json")
    if rule.method == "POST":
        if rule.as_json:
            return client.post(url, data, content_type="application/json")
        return client.post(url, data)
    return client.get(url)


def _redirects_to_login(response) -> bool:
    return response.status_code in (301, 302) and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_access(client, world, name, role):
    _check_access(client, world, name, ROUTES[name], role)


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize("name", sorted(SECOND_METHODS))
def test_route_access_second_method(client, world, name, role):
    assert SECOND_METHODS[name].method != ROUTES[name].method
    _check_access(client, world, name, SECOND_METHODS[name], role)


def _check_access(client, world, name: str, rule: Rule, role: str):
    # the world first (building it may move the clock on), then the visitor signs in
    prepared = _prepare(name, rule, world)
    if role != "anonymous":
        client.force_login(world.users[role])
    before = table_counts()

    response = _request(client, name, rule, world, prepared=prepared)

    status = response.status_code
    if rule.public or (role != "anonymous" and role in rule.allowed):
        assert status < 400, f"{name}: {role} should be allowed, got {status}"
        if not rule.public:
            assert not _redirects_to_login(response), f"{name}: {role} should be allowed, was sent to sign in"
        if rule.method in ("POST", "PUT") and rule.writes and not rule.public:
            # allowed means it worked: not a form sent back with an error
            if rule.effect is not None:
                assert rule.effect(world), f"{name}: {role}'s POST was accepted but had no effect"
            else:
                assert changed_tables(before, table_counts()), f"{name}: {role}'s POST was accepted but wrote nothing"
        return
    if role == "anonymous":
        if _is_api(name):
            assert status == 401, f"{name}: anonymous should get 401, got {status}"
        else:
            assert _redirects_to_login(response), f"{name}: anonymous should be sent to sign in, got {status}"
    else:
        assert status == rule.denied, f"{name}: {role} should be refused with {rule.denied}, got {status}"
    # a refused request writes nothing, in any table
    assert changed_tables(before, table_counts()) == {}, f"{name}: refused request for {role} wrote rows"


SCOPED_CASES = [
    (name, role)
    for name, rule in sorted(ROUTES.items())
    if rule.out_of_scope
    for role in sorted(SCOPED_ROLES & set(rule.allowed))
]


@pytest.mark.parametrize("name, role", SCOPED_CASES)
def test_out_of_scope_objects_are_invisible(client, world, name, role):
    rule = ROUTES[name]
    args = rule.out_of_scope(world)  # the world first: building it may move the clock on
    client.force_login(world.users[role])
    response = _request(client, name, rule, world, args=args)
    assert response.status_code == 404, f"{name}: {role} must not see another sub-union's or person's object"


def test_out_of_scope_cases_cover_both_scoped_roles():
    assert {role for _, role in SCOPED_CASES} == SCOPED_ROLES


# Lists: the scoped sub-union officer sees exactly econ and its group.


# Redirects: a back-office POST goes back to its `next` page only when it is on this site.
NEXT_FOLLOWERS = {  # route: the page it goes back to when `next` is not followed
    "drives:drive_advance": lambda w: reverse("drives:drive_detail", args=[w.drive.pk]),
    "drives:document_upload": lambda w: reverse("drives:drive_detail", args=[w.drive.pk]),
    "drives:session_create": lambda w: reverse("drives:drive_detail", args=[w.drive.pk]),
    "drives:survey_record": lambda w: reverse("drives:survey", args=[w.survey_drive.pk]),
}
OFF_SITE = ["https://evil.example/drives/", "//evil.example/drives/", "/\\evil.example/", "javascript:alert(1)"]


@pytest.mark.parametrize("target", OFF_SITE)
@pytest.mark.parametrize("name", sorted(NEXT_FOLLOWERS))
def test_back_office_posts_follow_no_off_site_next(client, world, name, target):
    rule = ROUTES[name]
    client.force_login(world.users["union_office"])
    url, data = _prepare(name, rule, world)
    before = table_counts()
    response = client.post(url, {**data, "next": target})
    assert response.status_code == 302
    assert response["Location"] == NEXT_FOLLOWERS[name](world)
    assert changed_tables(before, table_counts())  # the button still did its work


@pytest.mark.parametrize("name", sorted(NEXT_FOLLOWERS))
def test_back_office_posts_follow_a_same_site_next(client, world, name):
    rule = ROUTES[name]
    client.force_login(world.users["union_office"])
    url, data = _prepare(name, rule, world)
    response = client.post(url, {**data, "next": "/drives/manage/?page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/drives/manage/?page=2"


def test_sign_in_follows_no_off_site_next(client, world):
    from django.conf import settings

    user = world.users["union_office"]
    user.set_password("a-long-test-password-1")
    user.save()
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "a-long-test-password-1", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_officer_session_signups_are_scoped(client, world):
    """An info session's sign-ups: the officer sees econ's (li) only, the office everyone's."""
    url = reverse("drives:session_detail", args=[world.drive_session.pk])
    client.force_login(world.users["sub_union_officer"])
    html = client.get(url).content.decode()
    assert html.count('name="attended"') == 1
    assert "李娜" in html and "经济学院第一工会小组" in html
    assert "王芳" not in html and "法学院分工会" not in html
    client.force_login(world.users["union_office"])
    html = client.get(url).content.decode()
    assert html.count('name="attended"') == 2
    assert "李娜" in html and "王芳" in html and "法学院分工会" in html


def test_officer_people_api_returns_exactly_their_people(client, world):
    client.force_login(world.users["sub_union_officer"])
    rows = client.get(reverse("api-person-list")).json()["results"]
    assert sorted(row["staff_no"] for row in rows) == ["E0001", "E0002", "E0099"]  # zhang, li, officer


def test_officer_people_page_lists_exactly_their_people(client, world):
    client.force_login(world.users["sub_union_officer"])
    html = client.get(reverse("people:person_list")).content.decode()
    for staff_no in ["E0001", "E0002", "E0099"]:
        assert staff_no in html
    for staff_no in ["L0001", "R0001"]:  # law's wang, the retirees' zhao
        assert staff_no not in html
    assert client.get(reverse("people:person_list"), {"q": "王芳"}).content.decode().count("L0001") == 0


def test_officer_sub_union_lists_are_scoped(client, world):
    client.force_login(world.users["sub_union_officer"])
    rows = client.get(reverse("api-subunion-list")).json()["results"]
    assert sorted(row["code"] for row in rows) == ["ECON", "ECON-G1"]
    html = client.get(reverse("people:subunion_list")).content.decode()
    assert "经济学院分工会" in html and "经济学院第一工会小组" in html
    assert "法学院分工会" not in html and "离退休工作处分工会" not in html


def test_member_sees_only_their_own_notifications(client, world):
    assert world.member_notification and world.office_notification
    client.force_login(world.users["member"])
    rows = client.get(reverse("api-notification-list")).json()["results"]
    assert [row["title"] for row in rows] == ["给张伟"]
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "给张伟" in html and "给校工会" not in html


# Refused writes change nothing.


def test_reveal_by_sub_union_officer_is_refused_and_not_logged(client, world):
    client.force_login(world.users["sub_union_officer"])
    before = AuditEvent.objects.count()
    response = client.post(reverse("people:person_reveal_id", args=[world.zhang.pk]))
    assert response.status_code == 403
    assert world.zhang.id_number_clear() not in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_reveal_by_office_is_logged(client, world):
    client.force_login(world.users["union_office"])
    before = AuditEvent.objects.count()
    response = client.post(reverse("people:person_reveal_id", args=[world.zhang.pk]))
    assert response.status_code == 200
    assert world.zhang.id_number_clear() in response.content.decode()
    assert AuditEvent.objects.count() == before + 1


def test_marking_someone_elses_notification_read_changes_nothing(client, world):
    assert world.office_notification.read_at is None
    client.force_login(world.users["union_office"])
    assert client.post(reverse("notifications:read", args=[world.member_notification.pk])).status_code == 404
    assert client.post(reverse("api-notification-read", args=[world.member_notification.pk])).status_code == 404
    world.member_notification.refresh_from_db()
    assert world.member_notification.read_at is None


def test_anonymous_upload_stores_nothing(client, world):
    from gonghui.attachments.models import Attachment

    before = Attachment.objects.count()
    response = client.post(
        reverse("attachments:upload"), {"file": SimpleUploadedFile("a.pdf", PDF_BYTES, "application/pdf")}
    )
    assert _redirects_to_login(response)
    assert Attachment.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_admin_turns_non_staff_away(client, world, role):
    client.force_login(world.users[role])
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def _ma_committee(u):
    """A 2016 sitting (a year no other fixture uses) with one application waiting for the
    committee, a notice (its period over) with one application on hold by an open objection
    and one still on notice, a prepared payment batch and one payable application not in a
    batch yet. And 2015 (以收定支) sittings: one open with an approved claim to share out, one
    closed with an approved application not on notice yet. Built directly, not through the
    services."""
    from types import SimpleNamespace

    from django.utils import timezone

    from gonghui.mutual_aid.models import (
        CommitteeSitting,
        Decision,
        NoticeObjection,
        PaymentBatch,
        PublicNotice,
    )
    from gonghui.mutual_aid.tests.committee.factories import application_make, edition_make

    edition = edition_make(year=2016)
    sitting = CommitteeSitting.objects.create(year=2016, held_on=datetime.date(2017, 3, 20), place="会议室")
    sitting.members.set([u.users["welfare_committee"]])
    pending = application_make(person=u.zhang, edition=edition, computed="1000.00")
    held = application_make(
        person=u.wang, edition=edition, computed="2000.00", status="on_hold", approved_amount="2000.00"
    )
    Decision.objects.create(sitting=sitting, application=held, outcome="approved", amount="2000.00")
    notice = PublicNotice.objects.create(
        sitting=sitting, starts_on=datetime.date(2017, 3, 25), ends_on=datetime.date(2017, 4, 1)
    )
    objection = NoticeObjection.objects.create(
        notice=notice, application=held, received_on=datetime.date(2017, 3, 26), content="异议"
    )
    payable = application_make(
        person=u.zhao, edition=edition, computed="3000.00", status="payable", approved_amount="3000.00"
    )
    on_notice = application_make(
        person=u.li, edition=edition, computed="1500.00", status="on_notice", approved_amount="1500.00"
    )
    Decision.objects.create(sitting=sitting, application=on_notice, outcome="approved", amount="1500.00")
    batch = PaymentBatch.objects.create(year=2016)
    batch.applications.set([payable])
    application_make(
        person=u.officer_person, edition=edition, computed="500.00", status="payable", approved_amount="500.00"
    )

    pro_rata = edition_make(year=2015, pro_rata=True)

    def sitting_with_approved(person, share, **values):
        item = CommitteeSitting.objects.create(year=2015, held_on=datetime.date(2016, 3, 20), **values)
        item.members.set([u.users["welfare_committee"]])
        approved = application_make(
            person=person, edition=pro_rata, computed="1000.00", status="approved", approved_amount=share
        )
        Decision.objects.create(sitting=item, application=approved, outcome="approved", amount="1000.00")
        return item

    return SimpleNamespace(
        sitting=sitting,
        pending=pending,
        notice=notice,
        objection=objection,
        batch=batch,
        pro_rata_sitting=sitting_with_approved(u.zhang, None, fund_amount="800.00"),
        closed_sitting=sitting_with_approved(u.wang, "800.00", fund_amount="800.00", closed_at=timezone.now()),
    )


def _proposals_world(u):
    """A congress session with one proposal of zhang's in each stage the proposal routes
    need (rows written directly: no services, no audit trail): awaiting co-signers with chen
    (the sub-union officer) invited, awaiting with two co-signatures confirmed, submitted,
    referred, registered, registered with 后勤处 as lead unit (awaiting hand-over), assigned
    to 后勤处, assigned to 人事处 with 后勤处 co-handling, in handling with the reply drafted
    and with it signed off, replied, in follow-up; and a submitted one of li's."""
    import datetime
    from types import SimpleNamespace

    from django.utils import timezone

    from gonghui.proposals.models import CoSignature, HandlingAssignment, Proposal, ProposalProposer, ProposalReply
    from gonghui.proposals.tests import factories as pf

    pw = pf.congress_world(u)
    today = timezone.localdate()

    def make(title, status, by="zhang", number=None, unit=False):
        p = Proposal.objects.create(
            session=pw.session,
            title=title,
            status=status,
            number=number,
            category=pw.categories["后勤保障"],
            grounds="理由",
            suggestions="建议",
            one_matter=True,
        )
        ProposalProposer.objects.create(proposal=p, delegate=pw.delegates[by])
        if unit:
            HandlingAssignment.objects.create(
                proposal=p,
                unit=pw.logistics,
                deadline_from=today,
                deadline_working_days=20,
                deadline=today + datetime.timedelta(days=28),
            )
        return p

    def reply(p, *, signed=True, released=True):
        ProposalReply.objects.create(
            proposal=p,
            round=1,
            unit=pw.logistics,
            category="solved",
            body="已解决",
            leader_name="刘校长" if signed else "",
            signed_off_at=timezone.now() if signed else None,
            released_at=timezone.now() if released else None,
            on_time=True if released else None,
        )
        return p

    invited = make("待附议的提案", "awaiting_co_signers")
    CoSignature.objects.create(proposal=invited, delegate=pw.delegates["chen"])
    co_signed = make("附议已齐的提案", "awaiting_co_signers")
    for name in ("li", "wang"):
        CoSignature.objects.create(proposal=co_signed, delegate=pw.delegates[name], confirmed_at=timezone.now())
    units_set = make("待交办的提案", "registered", number=4)
    HandlingAssignment.objects.create(proposal=units_set, unit=pw.logistics)
    co_assigned = make("协办的提案", "assigned", number=5)
    HandlingAssignment.objects.create(
        proposal=co_assigned,
        unit=pw.hr,
        deadline_from=today,
        deadline_working_days=20,
        deadline=today + datetime.timedelta(days=28),
    )
    HandlingAssignment.objects.create(proposal=co_assigned, unit=pw.logistics, role="co")
    return SimpleNamespace(
        session=pw.session,
        delegates=pw.delegates,
        invited=invited,
        co_signed=co_signed,
        units_set=units_set,
        co_assigned=co_assigned,
        drafted=reply(make("答复待审签的提案", "in_handling", number=6, unit=True), signed=False, released=False),
        signed=reply(make("答复已审签的提案", "in_handling", number=7, unit=True), released=False),
        followed=reply(make("持续跟踪的提案", "follow_up", number=8, unit=True)),
        submitted=make("已提交的提案", "submitted"),
        referred=make("有争议的提案", "referred"),
        registered=make("已立案的提案", "registered", number=1),
        assigned=make("已交办的提案", "assigned", number=2, unit=True),
        replied=reply(make("已答复的提案", "replied", number=3, unit=True)),
        by_li=make("李娜的提案", "submitted", by="li"),
    )


def _docx(paragraphs) -> bytes:
    import io

    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _deliberations_world(u, pr):
    """Deliberations drafted by 后勤处 (so the handling-unit officer is its drafting unit's) in a
    session of the congress where no role of the test is on the presidium, one in each state
    the routes need, built through the services: `draft` (a draft version only), `to_open` (a
    version published, no round yet), `open` (a round open to all staff, with zhang's and wang's
    opinions), `summarising` (closed, grouped, not sent), `awaiting` (sent, a group unanswered),
    `answered` (sent, every group answered), `responded` (answers published) and `voting`; the
    session's vote rules are adopted. Delegates: zhang, li, wang, chen."""
    from types import SimpleNamespace

    from django.utils import timezone

    from gonghui.congress.models import CongressSession
    from gonghui.core.imports import Upload
    from gonghui.deliberations.articles import draft_parse, text_paragraphs
    from gonghui.deliberations.services import answers, rounds, versions, votes

    office = u.users["union_office"]
    session = CongressSession.objects.create(
        term=pr.session.term,
        number=3,
        opens_on=timezone.localdate() + datetime.timedelta(days=30),
        closes_on=timezone.localdate() + datetime.timedelta(days=31),
    )
    votes.vote_rules_adopt(
        actor=office,
        session=session,
        quorum_numerator=2,
        quorum_denominator=3,
        majority_base="all_delegates",
        adopted_on=timezone.localdate(),
        resolution="主席团决定",
    )
    text = "绩效工资方案\n第一条 基础性绩效占百分之六十。\n第二条 超工作量每学时八十元。"
    now = timezone.now()

    def made(topic, *, publish=True, opinions=(), close=False, send=False, answer=None, publish_answers=False):
        d = versions.deliberation_create(actor=office, session=session, topic=topic, drafting_unit=u.logistics)
        v = versions.version_create(actor=office, deliberation=d, draft=draft_parse(text_paragraphs(text)))
        if not publish:
            return SimpleNamespace(deliberation=d, version=v)
        versions.version_publish(actor=office, version=v)
        r = None
        if opinions:
            r = rounds.round_open(
                actor=office,
                deliberation=d,
                opens_at=now - datetime.timedelta(hours=1),
                closes_at=now + datetime.timedelta(days=7),
            )
            for who, sub_union, words in opinions:
                rounds.opinion_enter(
                    actor=office,
                    opinion_round=r,
                    sub_union=sub_union,
                    author=who,
                    article_id=v.articles.get(position=1).pk,
                    text=words,
                )
        if close:
            rounds.round_close(actor=office, opinion_round=r)
        if send:
            rounds.rollup_send(actor=office, opinion_round=r)
        if answer:
            for g in r.groups.order_by("number")[: answer if answer > 0 else None]:
                answers.group_answer(actor=office, group=g, decision="adopted")
        if publish_answers:
            answers.answers_publish(actor=office, opinion_round=r)
        d.refresh_from_db()
        return SimpleNamespace(
            deliberation=d,
            version=v,
            round=r,
            opinion=r.opinions.order_by("id").first() if r else None,
            group=r.groups.order_by("number").first() if r else None,
        )

    two = [(u.zhang, u.econ, "课时费偏低，建议提高"), (u.wang, u.law, "基础性绩效比例偏低")]

    def voting():
        made_now = made("表决中的方案", opinions=two, close=True, send=True, answer=-1, publish_answers=True)
        votes.vote_call(actor=office, deliberation=made_now.deliberation)
        return made_now

    def ballot(voters=()):
        """A version put to a secret ballot, open; `voters` have voted (li, wang, zhang: a quorum of 4)."""
        from gonghui.core.ballots import ballot_cast

        made_now = made("无记名投票中的方案")
        votes.vote_call(actor=office, deliberation=made_now.deliberation)
        votes.ballot_open(actor=office, deliberation=made_now.deliberation)
        box = votes.ballot_open_box(made_now.deliberation)
        for person, choice in voters:
            ballot_cast(box=box, person_id=person.pk, choices={"vote": choice})
        return made_now

    def answers_preview():
        from gonghui.deliberations.services.answers import answers_import_start

        return answers_import_start(
            actor=office,
            opinion_round=d.awaiting.round,
            upload=Upload(data=_answers_file(d.awaiting.round), filename="答复.xlsx"),
        )

    def preview():
        return versions.version_import_start(
            actor=office,
            deliberation=d.responded.deliberation,
            upload=Upload(data=_docx(["新稿", "第一条 基础性绩效占百分之六十五。"]), filename="第二稿.docx"),
        )

    # each state built on first use: a route's test needs one or two of them
    d = World(
        SimpleNamespace(session=session),
        draft=lambda: made("起草中的方案", publish=False),
        to_open=lambda: made("待征求意见的方案"),
        open=lambda: made("征求意见中的方案", opinions=two),
        summarising=lambda: made("汇总中的方案", opinions=two, close=True),
        awaiting=lambda: made("待答复的方案", opinions=two, close=True, send=True, answer=1),
        answered=lambda: made("已逐条答复的方案", opinions=two, close=True, send=True, answer=-1),
        responded=lambda: made(
            "答复已公布的方案", opinions=two, close=True, send=True, answer=-1, publish_answers=True
        ),
        voting=voting,
        ballot=ballot,
        counted=lambda: ballot([(u.li, "for"), (u.wang, "for"), (u.zhang, "against")]),
        preview=preview,
        answers_preview=answers_preview,
    )
    return d


def _answers_file(opinion_round) -> bytes:
    """The roll-up workbook with the pending group answered 不采纳 with a reason."""
    from gonghui.core.excel import xlsx_bytes

    pending = opinion_round.groups.get(status="pending")
    return xlsx_bytes(
        headers=["序号", "条款", "意见摘要", "条数", "学院数", "学院", "答复", "理由"],
        rows=[[pending.number, "第一条", pending.summary, 1, 1, "", "不采纳", "与上级规定不符"]],
    )


def _full_ballot(unit) -> dict:
    """A complete ballot for `unit`: every cadre 称职, the team 较好 (JSON for the API)."""
    unit.refresh_from_db()
    return {"choices": {item["key"]: item["options"][1][0] for item in unit.box.items}}


def _appraisals_world(u):
    return _AppraisalsWorld(u)


class _AppraisalsWorld:
    """Cadre appraisal rounds of 2021 (rules: both online and paper), built through the services,
    each only when a route first needs it: `draft` (econ and law with a cadre each, voters from
    the roster), `open` (voting now; econ's tellers are the econ officer's person and 经济丙, who
    have both entered the one paper ballot of the staff, and she one of the cadres; zhang, the
    member, has not voted) and `released` (zhang voted, closed, counted, released by the
    organisation department)."""

    def __init__(self, u):
        self.u = u

    @cached_property
    def _base(self):
        from gonghui.appraisals.choices import VotingMode
        from gonghui.appraisals.tests.factories import rules_make
        from gonghui.people.tests.factories import person_make, user_make

        u = self.u
        rules_make(u, mode=VotingMode.BOTH)
        person_make(staff_no="E0300", name="经济甲", sub_union=u.econ)
        person_make(staff_no="E0301", name="经济乙", sub_union=u.econ)
        counter = person_make(staff_no="E0302", name="经济丙", sub_union=u.econ)
        return user_make(username="E0302", person=counter)

    def _made(self, title):
        from django.utils import timezone

        from gonghui.appraisals.services import rounds

        self._base  # noqa: B018  (the rules and people first)
        u, office, now = self.u, self.u.users["union_office"], timezone.now()
        r = rounds.round_create(
            actor=office,
            year=2021,
            title=title,
            opens_at=now + datetime.timedelta(days=5),
            closes_at=now + datetime.timedelta(days=6),
        )
        units = {}
        for key, sub_union, cadre_no in (("econ", u.econ, "E0002"), ("law", u.law, "L0001")):
            unit = rounds.unit_add(actor=office, appraisal_round=r, sub_union=sub_union)
            cadre = rounds.cadre_add(actor=office, unit=unit, staff_no=cadre_no, post="院长")
            rounds.cadre_report_set(actor=office, cadre=cadre, text="2021年度述职报告")
            rounds.voters_fill(actor=office, unit=unit, staff_category="staff", cadre_category="cadre")
            units[key] = (unit, cadre)
        rounds.tellers_set(actor=office, unit=units["econ"][0], staff_numbers=["E0099", "E0302"])
        rounds.tellers_set(actor=office, unit=units["law"][0], staff_numbers=["L0001", "R0001"])
        return r, units

    def _opened(self, title):
        from django.utils import timezone

        from gonghui.appraisals.models import AppraisalRound
        from gonghui.appraisals.services import rounds

        r, units = self._made(title)
        office, now = self.u.users["union_office"], timezone.now()
        rounds.reports_publish(actor=office, appraisal_round=r)
        AppraisalRound.objects.filter(pk=r.pk).update(
            opens_at=now - datetime.timedelta(hours=1), reports_published_at=now - datetime.timedelta(days=4)
        )
        r.refresh_from_db()
        rounds.voting_open(actor=office, appraisal_round=r)
        for unit, _cadre in units.values():
            unit.refresh_from_db()
        return r, units

    @cached_property
    def _draft(self):
        return self._made("2021年度中层干部民主测评（筹备）")

    @cached_property
    def _open(self):
        from gonghui.appraisals.services import paper, voting

        made = self._opened("2021年度中层干部民主测评")
        officer, econ = self.u.users["sub_union_officer"], made[1]["econ"][0]
        # one paper ballot of the staff, signed for and entered alike by both tellers (ready to
        # agree); one of the cadres, entered by the officer only (hers to take back)
        voting.paper_handout(actor=officer, unit=econ, staff_no="E0300")
        for teller in (officer, self._base):
            paper.paper_ballot_enter(actor=teller, unit=econ, category="staff", spoilt=True, choices={})
        entered = paper.paper_ballot_enter(actor=officer, unit=econ, category="cadre", spoilt=True, choices={})
        return made, entered

    @cached_property
    def _released(self):
        from gonghui.appraisals.services import rounds, voting
        from gonghui.appraisals.tests.factories import grades_all

        r, units = self._opened("2021年度中层干部民主测评（已启封）")
        econ, office = units["econ"][0], self.u.users["union_office"]
        voting.appraisal_vote(actor=self.u.users["member"], unit=econ, choices=grades_all(econ))
        rounds.voting_close(actor=office, appraisal_round=r)
        rounds.round_tally(actor=office, appraisal_round=r)
        rounds.results_release(actor=self.u.users["organisation_department"], appraisal_round=r)
        return r, units

    draft = property(lambda self: self._draft[0])
    draft_unit = property(lambda self: self._draft[1]["econ"][0])
    draft_cadre = property(lambda self: self._draft[1]["econ"][1])
    open = property(lambda self: self._open[0][0])
    open_unit = property(lambda self: self._open[0][1]["econ"][0])
    open_law_unit = property(lambda self: self._open[0][1]["law"][0])
    open_cadre = property(lambda self: self._open[0][1]["econ"][1])
    paper_entry = property(lambda self: self._open[1])
    released = property(lambda self: self._released[0])
    released_unit = property(lambda self: self._released[1]["econ"][0])
    released_cadre = property(lambda self: self._released[1]["econ"][1])


class _CompetitionsWorld:
    """The teaching competition of gonghui/competitions/tests/factories.py (the 2021 university
    round under the 2021 rules; judges judge1..judge4 and the econ officer's account), built
    through the services on first use: `w.qjs(stage)` is the factories' namespace after
    `through(..., stage)` (a stage of factories.STAGES, or "draft": before the nominations
    open). One stage per test: asking for another is a mistake in the rule. The page walk,
    which opens every page in one test, sets `any_stage`: every page then shows the released
    edition."""

    any_stage = False

    def __init__(self, u, clock):
        self.u, self.clock = u, clock
        self._built = None

    def __call__(self, stage: str):
        if self.any_stage:
            stage = "released"
        if self._built is None:
            from gonghui.competitions.tests.factories import competition_world, through

            made = competition_world(self.u)
            if stage != "draft":
                through(made, self.clock, stage)
            self._built = (stage, made)
        assert self._built[0] == stage, f"w.qjs was built at {self._built[0]!r}, not {stage!r}"
        return self._built[1]


# competitions: participants (the world's helpers of the rules above)


def _qjs_pdf():
    from gonghui.competitions.tests.factories import pdf

    return pdf("slides-v2.pdf")


def _qjs_nominating(w):
    """The edition with its nominations open and no one nominated yet (every seat free)."""
    from gonghui.competitions.services.competitions import competition_step

    made = w.qjs("draft")
    if made.competition.status == "draft":
        competition_step(actor=made.office, competition=made.competition, step="open_nominations")
    made.competition.refresh_from_db()
    return made


def _qjs_chen_sheet(w) -> list:
    """The econ officer's (陈静's) panel and law's 周四, whom she may score, in the scoring."""
    made = w.qjs("scoring")
    return [made.judges["chen"].pk, made.entries["zhou"].pk]


def _qjs_chief(w):
    """The edition with every sheet submitted, the econ officer its (second) chief judge."""
    from gonghui.competitions.models import Judge

    made = w.qjs("scored")
    officer = made.users["sub_union_officer"]
    Judge.objects.get_or_create(
        competition=made.competition, group=None, user=officer, defaults={"name": "陈静", "is_chief": True}
    )
    return made.competition


def _qjs_amendment(w) -> dict:
    """judge2's design score of 周四 (18) to 16.5."""
    from gonghui.competitions.models import ScoreSheet

    made = w.qjs("scored")
    sheet = ScoreSheet.objects.get(judge=made.judges["judge2"], entry=made.entries["zhou"])
    return {"sheet": sheet.pk, "part": made.parts["design"].pk, "score": "16.5", "reason": "录入错误，按纸质评分表更正"}


def _qjs_certificate(w, name: str):
    """The certificate of `name`'s rank prize, once released."""
    from gonghui.competitions.models import Certificate

    made = w.qjs("released")
    # the release moved the clock a month on: back to the fixture's moment, where the test's
    # sign-in (made before the world is built) is still a live session
    from gonghui.competitions.tests.factories import aware

    w.qjs.clock.move_to(aware(datetime.datetime(2021, 3, 15, 10, 0)))
    return Certificate.objects.get(award__entry=made.entries[name], award__kind="rank")


# competitions: office (the world's helpers of the rules above)


def _qjs_rules_post() -> dict:
    """The 2023 university rules, written as the rules form takes them."""
    from gonghui.competitions.tests.factories import RULES_TEXT

    return {
        "level": "university", "year": "2023", "name": "2023年青年教师教学基本功比赛方案",
        "born_on_or_after": "1983-01-01", "member_required": "on", "eligible_posts": ["full_time", "lab"],
        "past_winner_rule": "first_prize", "quota_per": "20", "quota_bonus": "1", "lesson_plans_required": "5",
        "lesson_minutes": "50", "trim_highest": "1", "trim_lowest": "1", "trim_min_scores": "5", "places": "2",
        "rounding": "half_up", "tie_break": "classroom design", "judges_per_group": "7",
        "groups": RULES_TEXT.groups, "parts": RULES_TEXT.parts, "prizes": RULES_TEXT.prizes,
        "specials": RULES_TEXT.specials, "adopted_on": "2023-01-10", "resolution": "校工会〔2023〕2号",
    }  # fmt: skip


def _qjs_preparing(w):
    """The edition with its nominations closed and its materials' deadline past: ready to draw."""
    from gonghui.competitions.tests.office_helpers import preparing

    return preparing(w.qjs("uploaded"), w.qjs.clock)


def _qjs_beijing(w) -> tuple:
    """The released school round, the Beijing edition it feeds into (赵一 and 周四 recommended,
    钱二 not yet) and 赵一's Beijing entry."""
    from gonghui.competitions.models import Entry
    from gonghui.competitions.tests.office_helpers import beijing_recommended

    made = w.qjs("released")
    beijing = beijing_recommended(made)
    return made.competition, beijing, Entry.objects.get(competition=beijing, person=made.people["zhao"])


def _qjs_unlinked(w) -> bool:
    competition = w.qjs("released").competition
    competition.refresh_from_db()
    return competition.feeds_into_id is None


def _qjs_best_plan(w):
    """The 最佳教案奖 the publicity gives (赵一's)."""
    from gonghui.competitions.models import Award

    return Award.objects.get(competition=w.qjs("publicity").competition, code="best-plan")


def _ms_profiles_file(w) -> bytes:
    """HR's list of teacher profiles: zhang (E0001, no profile yet) a 讲师 in economics."""
    from gonghui.core.excel import xlsx_bytes

    return xlsx_bytes(headers=["工号", "职称", "学科"], rows=[[w.zhang.staff_no, "讲师", "经济学"]])


def _ms_profile_preview(u):
    """A previewed list of teacher profiles (zhang's new profile) through the import kit."""
    from gonghui.core.imports import Upload, import_start

    upload = Upload(data=_ms_profiles_file(u), filename="教师档案.xlsx")
    return import_start("mentorship.teacher_profiles", actor=u.users["union_office"], upload=upload)


class _MentorshipWorld:
    """The mentorship cohort of gonghui/mentorship/tests/factories.py (第八期 running since the
    ceremony on 2021-03-12: 赵青←孙教授, 钱青←周副教授 in economics, 孙青←郑教授 in law), plus
    the member zhang mentoring 冯青 (economics), a duty logged in each college (冯青's, 孙青's),
    and 第九期 being matched with one matching run (nobody named yet)."""

    def __init__(self, u):
        from gonghui.mentorship.choices import DutyKind, MatchMethod, TitleRank
        from gonghui.mentorship.models import DutyLog, TeacherProfile
        from gonghui.mentorship.services import cohorts, matching, pairs
        from gonghui.mentorship.tests.factories import (
            SIGNED_ON,
            agreement_file,
            mentorship_world,
            teacher_make,
            through,
        )

        made = through(mentorship_world(u), "running")
        self.cohort, self.pairs, office = made.cohort, made.pairs, made.office
        self.made = made  # the factories' people and rules (the pages' objects below use them)
        TeacherProfile.objects.create(
            person=u.zhang, title="教授", title_rank=TitleRank.SENIOR, discipline="经济学", research_field="金融",
            campus="海淀", hired_on=datetime.date(2005, 7, 1), teaching_since=datetime.date(2005, 9, 1),
        )  # fmt: skip
        feng = teacher_make(
            "E2004", "冯青", u.econ, born=datetime.date(1994, 1, 1), title="讲师", rank=TitleRank.INTERMEDIATE,
            discipline="经济学", field="金融", campus="海淀", hired=datetime.date(2020, 9, 1),
            since=datetime.date(2020, 9, 1),
        )  # fmt: skip
        proposed = pairs.pair_propose(actor=office, cohort=self.cohort, mentor=u.zhang, mentee=feng)
        self.zhang_pair = pairs.pair_agree(
            actor=office, pair=proposed, signed_on=SIGNED_ON, uploaded_file=agreement_file()
        )

        def duty(pair, person, course):
            return DutyLog.objects.create(
                pair=pair, kind=DutyKind.OBSERVATION, held_on=datetime.date(2021, 3, 13), course=course, hours=2,
                logged_by=person,
            )  # fmt: skip

        self.econ_duty = duty(self.zhang_pair, feng, "货币银行学")
        self.law_duty = duty(self.pairs["孙青"], made.sunq, "民法总论")
        self.matching_cohort = cohorts.cohort_open(
            actor=office,
            cohort=cohorts.cohort_create(actor=office, number=9, rules=made.rules, starts_on=datetime.date(2021, 9, 1)),
        )
        self.run = matching.matching_run(actor=office, cohort=self.matching_cohort, method=MatchMethod.ASSIGNMENT)

    # the pages' objects (views/office.py, pairs.py, mine.py), built on first use

    @cached_property
    def wei(self):
        """魏教授 (economics, 教授 since 2000), a mentor with a free place in 第八期."""
        from gonghui.mentorship.choices import TitleRank
        from gonghui.mentorship.tests.factories import teacher_make

        return teacher_make(
            "E1104", "魏教授", self.made.econ, born=datetime.date(1970, 1, 1), title="教授", rank=TitleRank.SENIOR,
            discipline="经济学", field="金融", campus="海淀", hired=datetime.date(2000, 7, 1),
            since=datetime.date(2000, 9, 1),
        )  # fmt: skip

    def _newcomer(self, staff_no, name, college, hired):
        from gonghui.mentorship.choices import TitleRank
        from gonghui.mentorship.tests.factories import teacher_make

        return teacher_make(
            staff_no, name, college, born=datetime.date(1995, 1, 1), title="讲师", rank=TitleRank.INTERMEDIATE,
            discipline="经济学" if college == self.made.econ else "法学", field="金融", campus="海淀", hired=hired,
            since=hired,
        )  # fmt: skip

    @cached_property
    def newcomer(self):
        """韩青, economics, hired 2021-07-01: a new teacher of 第九期, not yet named."""
        return self._newcomer("E2005", "韩青", self.made.econ, datetime.date(2021, 7, 1))

    def _candidate(self, person, side):
        from gonghui.mentorship.services.pairs import candidate_add

        return candidate_add(actor=self.made.office, cohort=self.matching_cohort, person=person, side=side)

    @cached_property
    def econ_candidate(self):
        return self._candidate(self.newcomer, "mentee")

    @cached_property
    def law_candidate(self):
        return self._candidate(self._newcomer("L2005", "卫青", self.made.law, datetime.date(2021, 7, 1)), "mentee")

    @cached_property
    def mentor_candidate(self):
        """孙教授 named as a mentor of 第九期 (his place there is free)."""
        return self._candidate(self.made.sun, "mentor")

    @cached_property
    def zhang_candidate(self):
        return self._candidate(self.made.university.zhang, "mentor")

    @cached_property
    def proposed_run(self):
        """第九期's matching with 韩青 and 孙教授 named: one pair proposed."""
        from gonghui.mentorship.services.matching import matching_run

        self.econ_candidate, self.mentor_candidate  # noqa: B018  (named first)
        return matching_run(actor=self.made.office, cohort=self.matching_cohort, method="assignment")

    @cached_property
    def proposed_pair(self):
        """楚青 (economics, hired 2020) proposed to 魏教授 in 第八期, not signed yet."""
        from gonghui.mentorship.services.pairs import pair_propose

        chu = self._newcomer("E2006", "楚青", self.made.econ, datetime.date(2020, 9, 1))
        return pair_propose(actor=self.made.office, cohort=self.cohort, mentor=self.wei, mentee=chu)

    @cached_property
    def free_mentor(self):
        """魏教授 as a mentor candidate of 第八期 (named when it was being matched)."""
        from gonghui.mentorship.models import Candidate

        Candidate.objects.create(
            cohort=self.cohort, person=self.wei, side="mentor", college=self.made.econ, added_by=self.made.office
        )
        return self.wei

    def _over(self, status, mentee, mentor):
        """A pair of 第七期, whose cycle ended on 2021-02-28 and which is being assessed."""
        from gonghui.mentorship.models import Assessment, Cohort, Pair

        cohort = Cohort.objects.filter(number=7).first() or Cohort.objects.create(
            number=7, name="第7期青年教师拜师结对", rules=self.made.rules, starts_on=datetime.date(2019, 3, 1),
            ends_on=datetime.date(2021, 2, 28), status="assessing", created_by=self.made.office,
        )  # fmt: skip
        pair = Pair.objects.create(
            cohort=cohort, mentor=mentor, mentee=mentee, college=mentee.sub_union, status=status,
            started_on=datetime.date(2019, 3, 12), proposed_by=self.made.office,
            extended_until=datetime.date(2021, 3, 1) if status != "active" else None,
        )  # fmt: skip
        if status != "active":
            Assessment.objects.create(
                pair=pair, stage="cycle", grade_code="basic", grade_label="基本合格", outcome="basically_passed",
                stipend=600, assessed_on=datetime.date(2021, 3, 1),
            )  # fmt: skip
        return pair

    @cached_property
    def over_pair(self):
        return self._over("active", self.made.qian, self.made.sun)

    @cached_property
    def extended_pair(self):
        return self._over("basically_passed", self.made.zhao, self.made.zhou)

    @cached_property
    def assessed(self):
        """赵青's pair graded 合格, 1,200 yuan due to 孙教授 (directly: the cycle is not over)."""
        from gonghui.mentorship.models import Assessment

        return Assessment.objects.create(
            pair=self.pairs["赵青"], stage="cycle", grade_code="passed", grade_label="合格", outcome="passed",
            stipend=1200, assessed_on=datetime.date(2021, 3, 14),
        )  # fmt: skip

    @cached_property
    def batch(self):
        """A payroll list of 第八期 with that stipend."""
        from gonghui.mentorship.services.stipends import stipend_batch_create

        self.assessed  # noqa: B018  (graded first)
        return stipend_batch_create(actor=self.made.office, cohort=self.cohort)

    @cached_property
    def payment(self):
        from gonghui.mentorship.services.stipends import stipend_batch_mark_paid

        stipend_batch_mark_paid(actor=self.made.office, batch=self.batch, paid_on=datetime.date(2021, 3, 15))
        return self.batch.entries.get()

    @cached_property
    def draft_cohort(self):
        from gonghui.mentorship.services.cohorts import cohort_create

        return cohort_create(
            actor=self.made.office, number=10, rules=self.made.rules, starts_on=datetime.date(2023, 3, 1)
        )


def _ms_rules_post() -> dict:
    """The 2023 rules, written as the rules form takes them."""
    return {
        "year": "2023", "name": "2023年青年教师拜师结对实施办法", "mentor_min_rank": "associate",
        "mentor_min_teaching_years": "5", "same_discipline": "on", "mentor_max_mentees": "1", "mentee_max_age": "40",
        "mentee_hired_within_years": "3", "cycle_months": "24", "demonstrations_per_year": "4",
        "observations_per_year": "8", "meetings_per_year": "0", "term_ends": "01-15 07-05", "remind_days": "21",
        "extension_months": "6", "weight_discipline": "40", "weight_college": "20", "weight_field": "20",
        "weight_campus": "10", "weight_load": "10", "grades": "passed 合格 passed 1200\nfailed 不合格 failed 0",
        "adopted_on": "2023-01-10", "resolution": "校工会〔2023〕1号",
    }  # fmt: skip


def _ms_agreement():
    from gonghui.mentorship.tests.factories import agreement_file

    return agreement_file()


class _AdmissionsWorld:
    """Staff children's admission (gonghui/admissions/tests/conftest.py's schools and rules):
    the 2021 campaign taking requests; zhang's children (经济学院) each with a request in one
    state, built on first use; wang's child (法学院) with a submitted request and a 2022 survey
    line, the scoped roles' out-of-scope objects. The admissions officer builds everything."""

    def __init__(self, u):
        from gonghui.admissions.choices import Affiliation, SchoolKind
        from gonghui.admissions.services.campaigns import campaign_create, campaign_open_requests
        from gonghui.admissions.services.rules import school_save
        from gonghui.admissions.tests.conftest import rules_for

        self.u = u
        self.office = u.users["union_office"]
        self.officer = u.users["admissions_officer"]
        self.schools = {
            code: school_save(actor=self.office, code=code, name=name, kind=kind, district="海淀区", affiliation=aff)
            for code, name, kind, aff in (
                ("fx", "附属小学", SchoolKind.PRIMARY, Affiliation.AFFILIATED),
                ("fz", "附属中学", SchoolKind.SECONDARY, Affiliation.AFFILIATED),
                ("gj", "共建幼儿园", SchoolKind.KINDERGARTEN, Affiliation.CO_BUILT),
            )
        }
        self.rules = rules_for(self.office, 2021, places=[{"school_code": "fx", "places": 20, "note": ""}])
        self.campaign = campaign_open_requests(
            actor=self.officer, campaign=campaign_create(actor=self.officer, year=2021, rules=self.rules)
        )

    def child(self, parent, name, born):
        return Child.objects.create(parent=parent, name=name, gender=Gender.MALE, birth_date=born)

    def _draft(self, parent, name, born, school="fx"):
        from gonghui.admissions.services.requests import request_create

        return request_create(
            actor=self.officer, campaign=self.campaign, child=self.child(parent, name, born),
            school=self.schools[school], hukou_district="海淀区", housing="owned",
        )  # fmt: skip

    def _documented(self, request):
        from gonghui.admissions.services.requests import document_upload
        from gonghui.admissions.tests.conftest import REQUIRED_OWNED, pdf

        for code in REQUIRED_OWNED:
            # named as parents name their scans (the page walk reads codes in a page as untranslated)
            document_upload(actor=self.officer, request=request, code=code, uploaded_file=pdf("材料扫描件.pdf"))
        return request

    def _submitted(self, parent, name, born, school="fx"):
        from gonghui.admissions.services.requests import request_submit

        return request_submit(actor=self.officer, request=self._documented(self._draft(parent, name, born, school)))

    def _checked(self, request, *, check=True):
        from gonghui.admissions.services.requests import document_check, request_check

        for document in request.documents.all():
            document_check(actor=self.officer, document=document)
        return request_check(actor=self.officer, request=request) if check else request

    @cached_property
    def draft(self):
        """张小一's draft, every document uploaded."""
        return self._documented(self._draft(self.u.zhang, "张小一", datetime.date(2015, 4, 1)))

    @cached_property
    def submitted(self):
        return self._submitted(self.u.zhang, "张小二", datetime.date(2015, 5, 1))

    @cached_property
    def checkable(self):
        """张小三's submitted request, every document checked off."""
        return self._checked(self._submitted(self.u.zhang, "张小三", datetime.date(2015, 6, 1)), check=False)

    @cached_property
    def checked(self):
        return self._checked(self._submitted(self.u.zhang, "张小四", datetime.date(2015, 7, 1)))

    @cached_property
    def referred(self):
        from gonghui.admissions.services.requests import request_refer

        request = self._checked(self._submitted(self.u.zhang, "张小五", datetime.date(2015, 8, 1)))
        return request_refer(actor=self.officer, request=request)

    @cached_property
    def wang_request(self):
        return self._submitted(self.u.wang, "王小军", datetime.date(2009, 5, 1), school="fz")

    @cached_property
    def newborn(self):
        """张小六 (primary 2021), no request yet."""
        return self.child(self.u.zhang, "张小六", datetime.date(2015, 2, 1))

    @cached_property
    def answers_preview(self):
        """The school's answer list, previewed by the admissions officer: 张小五 placed."""
        from gonghui.admissions.services.answers import answers_preview_start
        from gonghui.core.excel import xlsx_bytes
        from gonghui.core.imports import Upload

        data = xlsx_bytes(
            headers=["申请编号", "结果", "学校", "备注"], rows=[[self.referred.number, "录取", "附属小学", ""]]
        )
        upload = Upload(data=data, filename="附属小学录取名单.xlsx")
        return answers_preview_start(campaign=self.campaign, actor=self.officer, upload=upload)

    # the 2022 survey: zhang's 张小七 and wang's 王小八 (primary 2022), 张小七 answered 需要 附属小学

    @cached_property
    def survey_campaign(self):
        from gonghui.admissions.services.campaigns import campaign_create, campaign_open_survey
        from gonghui.admissions.tests.conftest import rules_for

        self.child(self.u.zhang, "张小七", datetime.date(2016, 3, 1))
        self.child(self.u.wang, "王小八", datetime.date(2016, 3, 1))
        rules = rules_for(self.office, 2022)
        return campaign_open_survey(
            actor=self.officer, campaign=campaign_create(actor=self.officer, year=2022, rules=rules)
        )

    def _line(self, name):
        from gonghui.admissions.models import SurveyLine

        return SurveyLine.objects.get(campaign=self.survey_campaign, child__name=name)

    @cached_property
    def zhang_line(self):
        return self._line("张小七")

    @cached_property
    def wang_line(self):
        return self._line("王小八")

    @cached_property
    def shortage_year(self):
        """2022, where 张小七's need (附属小学 offers no places that year) is a shortage."""
        from gonghui.admissions.services.survey import survey_answer

        survey_answer(actor=self.officer, line=self.zhang_line, need="yes", school=self.schools["fx"])
        return 2022

    @cached_property
    def draft_rules(self):

        return self._draft_rules(2023)

    def _draft_rules(self, year):
        from gonghui.admissions.services.rules import rules_draft_create
        from gonghui.admissions.tests.conftest import RULES_2021

        values = {k: (v.replace(year=year) if isinstance(v, datetime.date) else v) for k, v in RULES_2021.items()}
        return rules_draft_create(actor=self.office, year=year, **{**values, "name": f"{year}年通知草案"})

    @cached_property
    def draft_note(self):
        from gonghui.admissions.services.advice import policy_note_create

        return policy_note_create(
            actor=self.office, year=2021, district="海淀区", title="海淀区入学政策", body="多校划片"
        )

    @cached_property
    def published_note(self):
        from gonghui.admissions.services.advice import policy_note_publish

        return policy_note_publish(actor=self.office, note=self.draft_note)

    @cached_property
    def visit(self):
        """A visit to 附属小学 today, zhang and the econ officer signed up."""
        from gonghui.admissions.models import SchoolVisit, VisitSignup

        today = datetime.date.today()
        visit = SchoolVisit.objects.create(
            school=self.schools["fx"], visit_on=today, capacity=10, signup_until=today, created_by=self.office
        )
        for person in (self.u.zhang, self.u.officer_person):
            VisitSignup.objects.create(visit=visit, person=person)
        return visit

    @cached_property
    def signed_visit(self):
        """A visit next week, zhang and the econ officer signed up (they may still cancel)."""
        from gonghui.admissions.models import SchoolVisit, VisitSignup

        today = datetime.date.today()
        visit = SchoolVisit.objects.create(
            school=self.schools["fx"], visit_on=today + datetime.timedelta(days=7), capacity=10,
            signup_until=today + datetime.timedelta(days=5), created_by=self.office,
        )  # fmt: skip
        for person in (self.u.zhang, self.u.officer_person):
            VisitSignup.objects.create(visit=visit, person=person)
        return visit

    @cached_property
    def open_visit(self):
        """A visit next month, open for sign-up, no one signed up."""
        from gonghui.admissions.models import SchoolVisit

        today = datetime.date.today()
        return SchoolVisit.objects.create(
            school=self.schools["fz"], visit_on=today + datetime.timedelta(days=30), capacity=10,
            signup_until=today + datetime.timedelta(days=20), created_by=self.office,
        )  # fmt: skip

    @cached_property
    def held_visit(self):
        from gonghui.admissions.models import SchoolVisit

        SchoolVisit.objects.filter(pk=self.visit.pk).update(status="held")
        return self.visit


class _ProjectsWorld:
    """Practical projects: a 2021 project led by 后勤处 (the test unit's), not started; a done one
    with a progress photo (to tick off, and open for rating); a bulletin series with a draft
    issue (one section, no figure), a published one and a withdrawn one."""

    def __init__(self, u):
        from gonghui.projects.choices import Origin, ProjectType
        from gonghui.projects.services import bulletins
        from gonghui.projects.services.progress import progress_add
        from gonghui.projects.services.projects import batch_create, project_create, project_step
        from gonghui.projects.tests.conftest import photo

        office = u.users["union_office"]
        batch = batch_create(actor=office, year=2021, number=1)

        def project(title):
            return project_create(
                actor=office,
                batch=batch,
                title=title,
                category="民生保障",
                origin=Origin.INSTRUCTION,
                origin_note="校领导批示",
                lead_unit=u.logistics,
                responsible=u.zhang,
                project_type=ProjectType.DEADLINE,
                deadline=datetime.date(2021, 12, 31),
            )

        self.project = project("改造教工食堂")
        self.done = project("教工之家")
        progress_add(actor=office, project=self.done, text="完工", evidence_files=[photo()])
        project_step(actor=office, project=self.done, step="done", done_on=datetime.date(2021, 3, 1))
        series = bulletins.series_create(actor=office, name="我为群众办实事", publisher="校工会")

        def issue(number):
            bulletin = bulletins.bulletin_create(
                actor=office,
                series=series,
                issue_no=number,
                date=datetime.date(2021, 3, 1),
                title="校工会：",
                figures_year=2021,
            )
            section = bulletins.section_save(actor=office, bulletin=bulletin, heading="民生", body="为教职工办实事。")
            return bulletin, section

        self.draft, self.section = issue(3)
        self.published, _section = issue(1)
        bulletins.bulletin_publish(actor=office, bulletin=self.published)
        self.withdrawn, _section = issue(2)
        bulletins.bulletin_publish(actor=office, bulletin=self.withdrawn)
        bulletins.bulletin_withdraw(actor=office, bulletin=self.withdrawn, message="重发")

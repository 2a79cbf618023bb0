from django.urls import path

from gonghui.mutual_aid.views import applications as application_views
from gonghui.mutual_aid.views import committee as committee_views
from gonghui.mutual_aid.views import editions as edition_views
from gonghui.mutual_aid.views import fees as fee_views
from gonghui.mutual_aid.views import report as report_views

app_name = "mutual_aid"
urlpatterns: list = [
    # rules by year (管理办法)
    path("editions/", edition_views.EditionListView.as_view(), name="edition_list"),
    path("editions/new/", edition_views.EditionCreateView.as_view(), name="edition_create"),
    path("editions/compare/", edition_views.EditionCompareView.as_view(), name="edition_compare"),
    path("editions/<int:pk>/", edition_views.EditionDetailView.as_view(), name="edition_detail"),
    path("editions/<int:pk>/edit/", edition_views.EditionEditView.as_view(), name="edition_edit"),
    path("editions/<int:pk>/rules/", edition_views.EditionItemsView.as_view(), name="edition_items"),
    path("editions/<int:pk>/adopt/", edition_views.EditionAdoptView.as_view(), name="edition_adopt"),
    path("editions/<int:pk>/preview/", edition_views.EditionPreviewView.as_view(), name="edition_preview"),
    # subsidy applications: member, editor, proxy, back office
    path("apply/", application_views.ApplyStartView.as_view(), name="apply_start"),
    path("my/applications/", application_views.MyApplicationListView.as_view(), name="my_application_list"),
    path(
        "my/applications/<int:pk>/", application_views.MyApplicationDetailView.as_view(), name="my_application_detail"
    ),
    path(
        "my/applications/<int:pk>/withdraw/",
        application_views.ApplicationWithdrawView.as_view(),
        name="application_withdraw",
    ),
    path("applications/", application_views.ApplicationListView.as_view(), name="application_list"),
    path("applications/proxy/", application_views.ProxyStartView.as_view(), name="application_proxy_start"),
    path("applications/<int:pk>/", application_views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/edit/", application_views.ApplicationEditView.as_view(), name="application_edit"),
    path(
        "applications/<int:pk>/preview/", application_views.ApplicationPreviewView.as_view(), name="application_preview"
    ),
    path(
        "applications/<int:pk>/details/", application_views.ApplicationDetailsView.as_view(), name="application_details"
    ),
    path("applications/<int:pk>/items/add/", application_views.CostItemAddView.as_view(), name="cost_item_add"),
    path(
        "applications/<int:pk>/items/<int:item_pk>/",
        application_views.CostItemEditView.as_view(),
        name="cost_item_edit",
    ),
    path(
        "applications/<int:pk>/items/<int:item_pk>/remove/",
        application_views.CostItemRemoveView.as_view(),
        name="cost_item_remove",
    ),
    path(
        "applications/<int:pk>/documents/<int:required_pk>/upload/",
        application_views.DocumentUploadView.as_view(),
        name="document_upload",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/remove/",
        application_views.DocumentRemoveView.as_view(),
        name="document_remove",
    ),
    path("applications/<int:pk>/submit/", application_views.ApplicationSubmitView.as_view(), name="application_submit"),
    path(
        "applications/<int:pk>/sub-union-check/",
        application_views.SubUnionCheckView.as_view(),
        name="application_sub_union_check",
    ),
    path(
        "applications/<int:pk>/office-check/",
        application_views.OfficeCheckView.as_view(),
        name="application_office_check",
    ),
    path("applications/<int:pk>/return/", application_views.ReturnView.as_view(), name="application_return"),
    # membership, fee runs and the ledger
    path("fees/members/", fee_views.MemberListView.as_view(), name="fee_members"),
    path("fees/members/enroll/", fee_views.EnrollView.as_view(), name="fee_enroll"),
    path("fees/members/<int:pk>/opt-out/", fee_views.OptOutView.as_view(), name="fee_opt_out"),
    path("fees/my/", fee_views.MyMembershipView.as_view(), name="fee_my"),
    path("fees/my/join/", fee_views.JoinView.as_view(), name="fee_join"),
    path("fees/my/opt-out/", fee_views.MyOptOutView.as_view(), name="fee_my_opt_out"),
    path("fees/runs/", fee_views.FeeRunListView.as_view(), name="fee_runs"),
    path("fees/runs/start/", fee_views.FeeRunStartView.as_view(), name="fee_run_start"),
    path("fees/runs/<int:year>/", fee_views.FeeYearView.as_view(), name="fee_year"),
    path("fees/runs/<int:year>/deduction.xlsx", fee_views.DeductionFileView.as_view(), name="fee_deduction_file"),
    path("fees/runs/<int:year>/result/", fee_views.ResultUploadView.as_view(), name="fee_result_upload"),
    path("fees/runs/<int:year>/lapse/", fee_views.LapseView.as_view(), name="fee_lapse"),
    path("fees/results/<int:pk>/", fee_views.ResultPreviewView.as_view(), name="fee_result_preview"),
    path("fees/results/<int:pk>/confirm/", fee_views.ResultConfirmView.as_view(), name="fee_result_confirm"),
    path("fees/people/<int:person_pk>/", fee_views.PersonLedgerView.as_view(), name="fee_ledger"),
    path("fees/people/<int:person_pk>/correction/", fee_views.LedgerCorrectionView.as_view(), name="fee_correction"),
    path("fees/lines/<int:pk>/receipt/", fee_views.ReceiptView.as_view(), name="fee_receipt"),
    path("fees/lines/<int:pk>/refund/", fee_views.RefundView.as_view(), name="fee_refund"),
    # committee sittings, public notice, objections, payment, figures
    path("committee/", committee_views.SittingListView.as_view(), name="committee_sitting_list"),
    path("committee/new/", committee_views.SittingCreateView.as_view(), name="committee_sitting_create"),
    path("committee/<int:pk>/", committee_views.SittingDetailView.as_view(), name="committee_sitting_detail"),
    path(
        "committee/<int:pk>/decide/<int:application_pk>/",
        committee_views.DecisionView.as_view(),
        name="committee_decide",
    ),
    path("committee/<int:pk>/share-out/", committee_views.SittingShareOutView.as_view(), name="committee_share_out"),
    path("committee/<int:pk>/close/", committee_views.SittingCloseView.as_view(), name="committee_sitting_close"),
    path("committee/<int:pk>/notice/", committee_views.NoticePostView.as_view(), name="committee_notice_post"),
    path("notices/", committee_views.NoticeListView.as_view(), name="notice_list"),
    path("notices/<int:pk>/", committee_views.NoticeDetailView.as_view(), name="notice_detail"),
    path("notices/<int:pk>/pdf/", committee_views.NoticePdfView.as_view(), name="notice_pdf"),
    path("notices/<int:pk>/end/", committee_views.NoticeEndView.as_view(), name="notice_end"),
    path("notices/<int:pk>/objections/new/", committee_views.ObjectionCreateView.as_view(), name="objection_create"),
    path("objections/<int:pk>/resolve/", committee_views.ObjectionResolveView.as_view(), name="objection_resolve"),
    path("payments/", committee_views.PaymentBatchListView.as_view(), name="payment_batch_list"),
    path("payments/new/", committee_views.PaymentBatchCreateView.as_view(), name="payment_batch_create"),
    path("payments/<int:pk>/list.xlsx", committee_views.PaymentBatchXlsxView.as_view(), name="payment_batch_xlsx"),
    path("payments/<int:pk>/paid/", committee_views.PaymentBatchPaidView.as_view(), name="payment_batch_paid"),
    path("report/", report_views.ReportView.as_view(), name="report"),
]

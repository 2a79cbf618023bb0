from gonghui.core.routes import route
from gonghui.mutual_aid.views import applications as application_views
from gonghui.mutual_aid.views import committee as committee_views
from gonghui.mutual_aid.views import editions as edition_views
from gonghui.mutual_aid.views import enrolment_batch as batch_views
from gonghui.mutual_aid.views import fees as fee_views
from gonghui.mutual_aid.views import report as report_views

app_name = "mutual_aid"
urlpatterns: list = [
    # rules by year (管理办法)
    route("editions/", edition_views.EditionListView, "edition_list"),
    route("editions/new/", edition_views.EditionCreateView, "edition_create"),
    route("editions/compare/", edition_views.EditionCompareView, "edition_compare"),
    route("editions/<int:pk>/", edition_views.EditionDetailView, "edition_detail"),
    route("editions/<int:pk>/edit/", edition_views.EditionEditView, "edition_edit"),
    route("editions/<int:pk>/rules/", edition_views.EditionItemsView, "edition_items"),
    route("editions/<int:pk>/adopt/", edition_views.EditionAdoptView, "edition_adopt"),
    route("editions/<int:pk>/preview/", edition_views.EditionPreviewView, "edition_preview"),
    # subsidy applications: member, editor, proxy, back office
    route("apply/", application_views.ApplyStartView, "apply_start"),
    route("my/applications/", application_views.MyApplicationListView, "my_application_list"),
    route("my/applications/<int:pk>/", application_views.MyApplicationDetailView, "my_application_detail"),
    route("my/applications/<int:pk>/withdraw/", application_views.ApplicationWithdrawView, "application_withdraw"),
    route("applications/", application_views.ApplicationListView, "application_list"),
    route("applications/proxy/", application_views.ProxyStartView, "application_proxy_start"),
    route("applications/<int:pk>/", application_views.ApplicationDetailView, "application_detail"),
    route("applications/<int:pk>/edit/", application_views.ApplicationEditView, "application_edit"),
    route("applications/<int:pk>/preview/", application_views.ApplicationPreviewView, "application_preview"),
    route("applications/<int:pk>/details/", application_views.ApplicationDetailsView, "application_details"),
    route("applications/<int:pk>/items/add/", application_views.CostItemAddView, "cost_item_add"),
    route("applications/<int:pk>/items/<int:item_pk>/", application_views.CostItemEditView, "cost_item_edit"),
    route(
        "applications/<int:pk>/items/<int:item_pk>/remove/", application_views.CostItemRemoveView, "cost_item_remove"
    ),
    route(
        "applications/<int:pk>/documents/<int:required_pk>/upload/",
        application_views.DocumentUploadView,
        "document_upload",
    ),
    route(
        "applications/<int:pk>/documents/<int:document_pk>/remove/",
        application_views.DocumentRemoveView,
        "document_remove",
    ),
    route("applications/<int:pk>/submit/", application_views.ApplicationSubmitView, "application_submit"),
    route("applications/<int:pk>/sub-union-check/", application_views.SubUnionCheckView, "application_sub_union_check"),
    route("applications/<int:pk>/office-check/", application_views.OfficeCheckView, "application_office_check"),
    route("applications/<int:pk>/return/", application_views.ReturnView, "application_return"),
    # membership, fee runs and the ledger
    route("fees/members/", fee_views.MemberListView, "fee_members"),
    route("fees/members/enroll/", fee_views.EnrollView, "fee_enroll"),
    route("fees/members/batch/", batch_views.EnrolBatchView, "enrol_batch"),
    route("fees/members/batch/<int:pk>/", batch_views.EnrolBatchPreviewView, "enrol_batch_preview"),
    route("fees/members/batch/<int:pk>/confirm/", batch_views.EnrolBatchConfirmView, "enrol_batch_confirm"),
    route("fees/members/<int:pk>/opt-out/", fee_views.OptOutView, "fee_opt_out"),
    route("fees/my/", fee_views.MyMembershipView, "fee_my"),
    route("fees/my/join/", fee_views.JoinView, "fee_join"),
    route("fees/my/opt-out/", fee_views.MyOptOutView, "fee_my_opt_out"),
    route("fees/runs/", fee_views.FeeRunListView, "fee_runs"),
    route("fees/runs/start/", fee_views.FeeRunStartView, "fee_run_start"),
    route("fees/runs/<int:year>/", fee_views.FeeYearView, "fee_year"),
    route("fees/runs/<int:year>/deduction.xlsx", fee_views.DeductionFileView, "fee_deduction_file"),
    route("fees/runs/<int:year>/result/", fee_views.ResultUploadView, "fee_result_upload"),
    route("fees/runs/<int:year>/lapse/", fee_views.LapseView, "fee_lapse"),
    route("fees/results/<int:pk>/", fee_views.ResultPreviewView, "fee_result_preview"),
    route("fees/results/<int:pk>/confirm/", fee_views.ResultConfirmView, "fee_result_confirm"),
    route("fees/people/<int:person_pk>/", fee_views.PersonLedgerView, "fee_ledger"),
    route("fees/people/<int:person_pk>/correction/", fee_views.LedgerCorrectionView, "fee_correction"),
    route("fees/lines/<int:pk>/receipt/", fee_views.ReceiptView, "fee_receipt"),
    route("fees/lines/<int:pk>/refund/", fee_views.RefundView, "fee_refund"),
    # committee sittings, public notice, objections, payment, figures
    route("committee/", committee_views.SittingListView, "committee_sitting_list"),
    route("committee/new/", committee_views.SittingCreateView, "committee_sitting_create"),
    route("committee/<int:pk>/", committee_views.SittingDetailView, "committee_sitting_detail"),
    route("committee/<int:pk>/decide/<int:application_pk>/", committee_views.DecisionView, "committee_decide"),
    route("committee/<int:pk>/share-out/", committee_views.SittingShareOutView, "committee_share_out"),
    route("committee/<int:pk>/close/", committee_views.SittingCloseView, "committee_sitting_close"),
    route("committee/<int:pk>/notice/", committee_views.NoticePostView, "committee_notice_post"),
    route("notices/", committee_views.NoticeListView, "notice_list"),
    route("notices/<int:pk>/", committee_views.NoticeDetailView, "notice_detail"),
    route("notices/<int:pk>/pdf/", committee_views.NoticePdfView, "notice_pdf"),
    route("notices/<int:pk>/end/", committee_views.NoticeEndView, "notice_end"),
    route("notices/<int:pk>/objections/new/", committee_views.ObjectionCreateView, "objection_create"),
    route("objections/<int:pk>/resolve/", committee_views.ObjectionResolveView, "objection_resolve"),
    route("payments/", committee_views.PaymentBatchListView, "payment_batch_list"),
    route("payments/new/", committee_views.PaymentBatchCreateView, "payment_batch_create"),
    route("payments/<int:pk>/list.xlsx", committee_views.PaymentBatchXlsxView, "payment_batch_xlsx"),
    route("payments/<int:pk>/paid/", committee_views.PaymentBatchPaidView, "payment_batch_paid"),
    route("report/", report_views.ReportView, "report"),
]

from gonghui.core.routes import route
from gonghui.insurance.views import claims as claim_views
from gonghui.insurance.views import office as office_views
from gonghui.insurance.views import opt_out_batch as opt_out_batch_views
from gonghui.insurance.views import plans as plan_views

app_name = "insurance"
urlpatterns = [
    # plans and editions
    route("", office_views.EditionListView, "edition_list"),
    route("plans/", plan_views.PlanListView, "plan_list"),
    route("plans/new/", plan_views.PlanCreateView, "plan_create"),
    route("plans/<int:pk>/edit/", plan_views.PlanEditView, "plan_edit"),
    route("presets/", plan_views.PresetListView, "preset_list"),
    route("presets/start/", plan_views.PresetStartView, "preset_start"),
    route("editions/new/", office_views.EditionCreateView, "edition_create"),
    route("editions/compare/", office_views.EditionCompareView, "edition_compare"),
    route("editions/<int:pk>/", office_views.EditionDetailView, "edition_detail"),
    route("editions/<int:pk>/edit/", office_views.EditionEditView, "edition_edit"),
    route("editions/<int:pk>/revise/", office_views.EditionReviseView, "edition_revise"),
    route("editions/<int:pk>/adopt/", office_views.EditionAdoptView, "edition_adopt"),
    # enrollment, changes, opt-outs, rosters and the acceptance file
    route("editions/<int:pk>/enroll/", office_views.EditionEnrollView, "edition_enroll"),
    route("editions/<int:pk>/changes/", office_views.EditionChangesView, "edition_changes"),
    route("editions/<int:pk>/opt-outs/", office_views.OptOutCreateView, "opt_out_create"),
    route("editions/<int:pk>/opt-outs/batch/", opt_out_batch_views.OptOutBatchView, "opt_out_batch"),
    route("opt-out-batches/<int:pk>/", opt_out_batch_views.OptOutBatchPreviewView, "opt_out_batch_preview"),
    route("opt-out-batches/<int:pk>/confirm/", opt_out_batch_views.OptOutBatchConfirmView, "opt_out_batch_confirm"),
    route("editions/<int:pk>/enrollments/", office_views.EnrollmentListView, "enrollment_list"),
    route("editions/<int:pk>/rosters/", office_views.RosterCreateView, "roster_create"),
    route("rosters/<int:pk>/xlsx/", office_views.RosterDownloadView, "roster_download"),
    route("rosters/<int:pk>/acceptance/", office_views.AcceptanceUploadView, "acceptance_upload"),
    route("acceptance/<int:pk>/", office_views.AcceptancePreviewView, "acceptance_preview"),
    route("acceptance/<int:pk>/confirm/", office_views.AcceptanceConfirmView, "acceptance_confirm"),
    # claims
    route("claims/", claim_views.ClaimListView, "claim_list"),
    route("claims/new/", claim_views.ClaimCreateView, "claim_create"),
    route("claims/<int:pk>/", claim_views.ClaimDetailView, "claim_detail"),
    route("claims/<int:pk>/documents/", claim_views.ClaimDocumentUploadView, "claim_document_upload"),
    route("claims/<int:pk>/<slug:action>/", claim_views.ClaimActionView, "claim_action"),
    # figures
    route("report/", office_views.ReportView, "report"),
    # the member's cover and claims
    route("my/", claim_views.MyCoverView, "my_cover"),
    route("my/claims/new/", claim_views.MyClaimCreateView, "my_claim_create"),
    route("my/claims/<int:pk>/", claim_views.MyClaimDetailView, "my_claim_detail"),
    route("my/claims/<int:pk>/withdraw/", claim_views.MyClaimWithdrawView, "my_claim_withdraw"),
]

from django.urls import path

from gonghui.insurance.views import claims as claim_views
from gonghui.insurance.views import office as office_views

app_name = "insurance"
urlpatterns = [
    # plans and editions
    path("", office_views.EditionListView.as_view(), name="edition_list"),
    path("editions/new/", office_views.EditionCreateView.as_view(), name="edition_create"),
    path("editions/compare/", office_views.EditionCompareView.as_view(), name="edition_compare"),
    path("editions/<int:pk>/", office_views.EditionDetailView.as_view(), name="edition_detail"),
    path("editions/<int:pk>/edit/", office_views.EditionEditView.as_view(), name="edition_edit"),
    path("editions/<int:pk>/revise/", office_views.EditionReviseView.as_view(), name="edition_revise"),
    path("editions/<int:pk>/adopt/", office_views.EditionAdoptView.as_view(), name="edition_adopt"),
    # enrollment, changes, opt-outs, rosters and the acceptance file
    path("editions/<int:pk>/enroll/", office_views.EditionEnrollView.as_view(), name="edition_enroll"),
    path("editions/<int:pk>/changes/", office_views.EditionChangesView.as_view(), name="edition_changes"),
    path("editions/<int:pk>/opt-outs/", office_views.OptOutCreateView.as_view(), name="opt_out_create"),
    path("editions/<int:pk>/enrollments/", office_views.EnrollmentListView.as_view(), name="enrollment_list"),
    path("editions/<int:pk>/rosters/", office_views.RosterCreateView.as_view(), name="roster_create"),
    path("rosters/<int:pk>/xlsx/", office_views.RosterDownloadView.as_view(), name="roster_download"),
    path("rosters/<int:pk>/acceptance/", office_views.AcceptanceUploadView.as_view(), name="acceptance_upload"),
    path("acceptance/<int:pk>/", office_views.AcceptancePreviewView.as_view(), name="acceptance_preview"),
    path("acceptance/<int:pk>/confirm/", office_views.AcceptanceConfirmView.as_view(), name="acceptance_confirm"),
    # claims
    path("claims/", claim_views.ClaimListView.as_view(), name="claim_list"),
    path("claims/new/", claim_views.ClaimCreateView.as_view(), name="claim_create"),
    path("claims/<int:pk>/", claim_views.ClaimDetailView.as_view(), name="claim_detail"),
    path("claims/<int:pk>/documents/", claim_views.ClaimDocumentUploadView.as_view(), name="claim_document_upload"),
    path("claims/<int:pk>/<slug:action>/", claim_views.ClaimActionView.as_view(), name="claim_action"),
    # figures
    path("report/", office_views.ReportView.as_view(), name="report"),
    # the member's cover and claims
    path("my/", claim_views.MyCoverView.as_view(), name="my_cover"),
    path("my/claims/new/", claim_views.MyClaimCreateView.as_view(), name="my_claim_create"),
    path("my/claims/<int:pk>/", claim_views.MyClaimDetailView.as_view(), name="my_claim_detail"),
    path("my/claims/<int:pk>/withdraw/", claim_views.MyClaimWithdrawView.as_view(), name="my_claim_withdraw"),
]

from django.urls import path

from gonghui.mutual_aid.views import applications as application_views
from gonghui.mutual_aid.views import editions as edition_views

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
    path("my/applications/<int:pk>/", application_views.MyApplicationDetailView.as_view(),
         name="my_application_detail"),
    path("my/applications/<int:pk>/withdraw/", application_views.ApplicationWithdrawView.as_view(),
         name="application_withdraw"),
    path("applications/", application_views.ApplicationListView.as_view(), name="application_list"),
    path("applications/proxy/", application_views.ProxyStartView.as_view(), name="application_proxy_start"),
    path("applications/<int:pk>/", application_views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/edit/", application_views.ApplicationEditView.as_view(), name="application_edit"),
    path("applications/<int:pk>/preview/", application_views.ApplicationPreviewView.as_view(),
         name="application_preview"),
    path("applications/<int:pk>/details/", application_views.ApplicationDetailsView.as_view(),
         name="application_details"),
    path("applications/<int:pk>/items/add/", application_views.CostItemAddView.as_view(), name="cost_item_add"),
    path("applications/<int:pk>/items/<int:item_pk>/", application_views.CostItemEditView.as_view(),
         name="cost_item_edit"),
    path("applications/<int:pk>/items/<int:item_pk>/remove/", application_views.CostItemRemoveView.as_view(),
         name="cost_item_remove"),
    path("applications/<int:pk>/documents/<int:required_pk>/upload/", application_views.DocumentUploadView.as_view(),
         name="document_upload"),
    path("applications/<int:pk>/documents/<int:document_pk>/remove/", application_views.DocumentRemoveView.as_view(),
         name="document_remove"),
    path("applications/<int:pk>/submit/", application_views.ApplicationSubmitView.as_view(),
         name="application_submit"),
    path("applications/<int:pk>/sub-union-check/", application_views.SubUnionCheckView.as_view(),
         name="application_sub_union_check"),
    path("applications/<int:pk>/office-check/", application_views.OfficeCheckView.as_view(),
         name="application_office_check"),
    path("applications/<int:pk>/return/", application_views.ReturnView.as_view(), name="application_return"),
]

from gonghui.core.routes import route
from gonghui.people import export_views, roster_views, subunion_views, views

app_name = "people"
urlpatterns = [
    route("", views.PersonListView, "person_list"),
    route("<int:pk>/", views.PersonDetailView, "person_detail"),
    route("<int:pk>/reveal-id/", views.PersonRevealIdView, "person_reveal_id"),
    route("export/clear-ids/", export_views.PersonExportClearView, "person_export_clear"),
    route("new/", views.PersonCreateView, "person_create"),
    route("<int:pk>/edit/", views.PersonEditView, "person_edit"),
    route("<int:pk>/status/", views.PersonStatusView, "person_status"),
    route("<int:pk>/membership/join/", views.MembershipJoinView, "membership_join"),
    route("<int:pk>/membership/transfer/", views.MembershipTransferView, "membership_transfer"),
    route("<int:pk>/membership/confirm/", views.MembershipConfirmView, "membership_confirm"),
    route("<int:pk>/membership/end/", views.MembershipEndView, "membership_end"),
    route("<int:pk>/children/add/", views.ChildAddView, "child_add"),
    route("children/<int:pk>/delete/", views.ChildDeleteView, "child_delete"),
    route("sub-unions/", subunion_views.SubUnionListView, "subunion_list"),
    route("sub-unions/new/", subunion_views.SubUnionCreateView, "subunion_create"),
    route("sub-unions/<int:pk>/", subunion_views.SubUnionDetailView, "subunion_detail"),
    route("sub-unions/<int:pk>/edit/", subunion_views.SubUnionEditView, "subunion_edit"),
    route("sub-unions/<int:pk>/rename/", subunion_views.SubUnionRenameView, "subunion_rename"),
    route("sub-unions/<int:pk>/merge/", subunion_views.SubUnionMergeView, "subunion_merge"),
    route("import/", roster_views.RosterImportView, "roster_import"),
    route("import/template/", roster_views.RosterTemplateView, "roster_template"),
    route("import/<int:pk>/", roster_views.RosterPreviewView, "roster_preview"),
    route("import/<int:pk>/units/", roster_views.RosterMapUnitsView, "roster_map_units"),
    route("import/<int:pk>/confirm/", roster_views.RosterConfirmView, "roster_confirm"),
]

from django.urls import path

from gonghui.people import roster_views, views

app_name = "people"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/reveal-id/", views.PersonRevealIdView.as_view(), name="person_reveal_id"),
    path("new/", views.PersonCreateView.as_view(), name="person_create"),
    path("<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("<int:pk>/status/", views.PersonStatusView.as_view(), name="person_status"),
    path("<int:pk>/membership/join/", views.MembershipJoinView.as_view(), name="membership_join"),
    path("<int:pk>/membership/transfer/", views.MembershipTransferView.as_view(), name="membership_transfer"),
    path("<int:pk>/membership/confirm/", views.MembershipConfirmView.as_view(), name="membership_confirm"),
    path("<int:pk>/membership/end/", views.MembershipEndView.as_view(), name="membership_end"),
    path("<int:pk>/children/add/", views.ChildAddView.as_view(), name="child_add"),
    path("children/<int:pk>/delete/", views.ChildDeleteView.as_view(), name="child_delete"),
    path("sub-unions/", views.SubUnionListView.as_view(), name="subunion_list"),
    path("sub-unions/<int:pk>/", views.SubUnionDetailView.as_view(), name="subunion_detail"),
    path("import/", roster_views.RosterImportView.as_view(), name="roster_import"),
    path("import/<int:pk>/", roster_views.RosterPreviewView.as_view(), name="roster_preview"),
    path("import/<int:pk>/units/", roster_views.RosterMapUnitsView.as_view(), name="roster_map_units"),
    path("import/<int:pk>/confirm/", roster_views.RosterConfirmView.as_view(), name="roster_confirm"),
]

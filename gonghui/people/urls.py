from django.urls import path

from gonghui.people import roster_views, views

app_name = "people"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/reveal-id/", views.PersonRevealIdView.as_view(), name="person_reveal_id"),
    path("sub-unions/", views.SubUnionListView.as_view(), name="subunion_list"),
    path("sub-unions/<int:pk>/", views.SubUnionDetailView.as_view(), name="subunion_detail"),
    path("import/", roster_views.RosterImportView.as_view(), name="roster_import"),
]

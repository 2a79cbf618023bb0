from django.urls import path

from gonghui.drives.api import views

urlpatterns = [
    path("", views.DriveListApi.as_view(), name="api-drive-list"),
    path("<int:pk>/", views.DriveDetailApi.as_view(), name="api-drive-detail"),
    path("<int:pk>/registrations/", views.RegistrationListApi.as_view(), name="api-drive-registration-list"),
    path("<int:pk>/survey-board/", views.SurveyBoardApi.as_view(), name="api-drive-survey-board"),
]

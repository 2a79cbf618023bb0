from gonghui.core.routes import route
from gonghui.drives.api import views

urlpatterns = [
    route("", views.DriveListApi, "api-drive-list"),
    route("<int:pk>/", views.DriveDetailApi, "api-drive-detail"),
    route("<int:pk>/registrations/", views.RegistrationListApi, "api-drive-registration-list"),
    route("<int:pk>/survey-board/", views.SurveyBoardApi, "api-drive-survey-board"),
]

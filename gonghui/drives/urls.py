from django.urls import path

from gonghui.drives.views import office, portal

app_name = "drives"
urlpatterns = [
    # the member's side
    path("", portal.PortalListView.as_view(), name="portal_list"),
    path("<int:pk>/", portal.PortalDriveView.as_view(), name="portal_drive"),
    path("<int:pk>/survey/", portal.PortalSurveyView.as_view(), name="portal_survey"),
    path("<int:pk>/register/", portal.PortalRegisterView.as_view(), name="portal_register"),
    path("<int:pk>/book/", portal.PortalBookView.as_view(), name="portal_book"),
    path("sessions/<int:pk>/signup/", portal.PortalSignupView.as_view(), name="portal_signup"),
    path("bookings/<int:pk>/cancel/", portal.PortalBookingCancelView.as_view(), name="portal_booking_cancel"),
    path("registrations/<int:pk>/withdraw/", office.RegistrationWithdrawView.as_view(), name="registration_withdraw"),
    path("<int:pk>/documents/<str:kind>/", office.DocumentView.as_view(), name="document"),
    # the back office
    path("manage/", office.DriveListView.as_view(), name="drive_list"),
    path("manage/new/", office.DriveCreateView.as_view(), name="drive_create"),
    path("manage/<int:pk>/", office.DriveDetailView.as_view(), name="drive_detail"),
    path("manage/<int:pk>/edit/", office.DriveEditView.as_view(), name="drive_edit"),
    path("manage/<int:pk>/advance/", office.DriveAdvanceView.as_view(), name="drive_advance"),
    path("manage/<int:pk>/rules/adopt/", office.RulesAdoptView.as_view(), name="rules_adopt"),
    path("manage/<int:pk>/documents/<str:kind>/upload/", office.DocumentUploadView.as_view(), name="document_upload"),
    path("manage/<int:pk>/sessions/new/", office.SessionCreateView.as_view(), name="session_create"),
    path("manage/sessions/<int:pk>/", office.SessionDetailView.as_view(), name="session_detail"),
    path("manage/<int:pk>/survey/", office.SurveyView.as_view(), name="survey"),
    path("manage/<int:pk>/survey/record/", office.SurveyRecordView.as_view(), name="survey_record"),
    path("manage/<int:pk>/survey/remind/", office.SurveyRemindView.as_view(), name="survey_remind"),
    path("manage/<int:pk>/registrations/", office.RegistrationListView.as_view(), name="registration_list"),
    path("manage/<int:pk>/registrations/new/", office.RegistrationCreateView.as_view(), name="registration_create"),
    path("manage/<int:pk>/roster/", office.RosterView.as_view(), name="roster"),
    path("manage/rosters/<int:pk>/download/", office.RosterDownloadView.as_view(), name="roster_download"),
    path("manage/<int:pk>/results/", office.ResultUploadView.as_view(), name="result_upload"),
    path("manage/results/<int:pk>/", office.ResultPreviewView.as_view(), name="result_preview"),
    path("manage/results/<int:pk>/confirm/", office.ResultConfirmView.as_view(), name="result_confirm"),
    path("manage/<int:pk>/points/", office.PointsView.as_view(), name="points"),
    path("manage/points/<int:pk>/slots/", office.SlotCreateView.as_view(), name="slot_create"),
    path("manage/<int:pk>/points/book/", office.BookOnBehalfView.as_view(), name="book_on_behalf"),
    path("manage/bookings/<int:pk>/<str:action>/", office.BookingActionView.as_view(), name="booking_action"),
    path("manage/<int:pk>/report/", office.ReportView.as_view(), name="report"),
]

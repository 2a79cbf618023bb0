from gonghui.core.routes import route
from gonghui.drives.views import office, portal

app_name = "drives"
urlpatterns = [
    # the member's side
    route("", portal.PortalListView, "portal_list"),
    route("<int:pk>/", portal.PortalDriveView, "portal_drive"),
    route("<int:pk>/survey/", portal.PortalSurveyView, "portal_survey"),
    route("<int:pk>/register/", portal.PortalRegisterView, "portal_register"),
    route("<int:pk>/book/", portal.PortalBookView, "portal_book"),
    route("sessions/<int:pk>/signup/", portal.PortalSignupView, "portal_signup"),
    route("bookings/<int:pk>/cancel/", portal.PortalBookingCancelView, "portal_booking_cancel"),
    route("registrations/<int:pk>/withdraw/", office.RegistrationWithdrawView, "registration_withdraw"),
    route("<int:pk>/documents/<str:kind>/", office.DocumentView, "document"),
    # the back office
    route("manage/", office.DriveListView, "drive_list"),
    route("manage/new/", office.DriveCreateView, "drive_create"),
    route("manage/<int:pk>/", office.DriveDetailView, "drive_detail"),
    route("manage/<int:pk>/edit/", office.DriveEditView, "drive_edit"),
    route("manage/<int:pk>/advance/", office.DriveAdvanceView, "drive_advance"),
    route("manage/<int:pk>/rules/adopt/", office.RulesAdoptView, "rules_adopt"),
    route("manage/<int:pk>/documents/<str:kind>/upload/", office.DocumentUploadView, "document_upload"),
    route("manage/<int:pk>/sessions/new/", office.SessionCreateView, "session_create"),
    route("manage/sessions/<int:pk>/", office.SessionDetailView, "session_detail"),
    route("manage/<int:pk>/survey/", office.SurveyView, "survey"),
    route("manage/<int:pk>/survey/record/", office.SurveyRecordView, "survey_record"),
    route("manage/<int:pk>/survey/remind/", office.SurveyRemindView, "survey_remind"),
    route("manage/<int:pk>/registrations/", office.RegistrationListView, "registration_list"),
    route("manage/<int:pk>/registrations/new/", office.RegistrationCreateView, "registration_create"),
    route("manage/<int:pk>/roster/", office.RosterView, "roster"),
    route("manage/rosters/<int:pk>/download/", office.RosterDownloadView, "roster_download"),
    route("manage/<int:pk>/results/", office.ResultUploadView, "result_upload"),
    route("manage/results/<int:pk>/", office.ResultPreviewView, "result_preview"),
    route("manage/results/<int:pk>/confirm/", office.ResultConfirmView, "result_confirm"),
    route("manage/<int:pk>/points/", office.PointsView, "points"),
    route("manage/points/<int:pk>/slots/", office.SlotCreateView, "slot_create"),
    route("manage/<int:pk>/points/book/", office.BookOnBehalfView, "book_on_behalf"),
    route("manage/bookings/<int:pk>/<str:action>/", office.BookingActionView, "booking_action"),
    route("manage/<int:pk>/report/", office.ReportView, "report"),
]

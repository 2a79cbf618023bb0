from gonghui.core.routes import route
from gonghui.reports.api import views

urlpatterns: list = [
    route("annual/", views.AnnualReportApi, "api-reports-annual"),
]

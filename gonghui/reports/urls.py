from gonghui.core.routes import route
from gonghui.reports import views

app_name = "reports"
urlpatterns: list = [
    route("annual/", views.AnnualReportView, "annual"),
    route("annual/pdf/", views.AnnualReportPdfView, "annual_pdf"),
]

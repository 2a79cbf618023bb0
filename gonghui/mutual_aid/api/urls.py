from gonghui.core.routes import route
from gonghui.mutual_aid.api import views

urlpatterns = [
    route("my/applications/", views.MyApplicationListApi, "api-mutual-aid-my-applications"),
    route("my/fee-lines/", views.MyFeeLineListApi, "api-mutual-aid-my-fee-lines"),
    route("applications/", views.ApplicationListApi, "api-mutual-aid-applications"),
    route("editions/", views.EditionListApi, "api-mutual-aid-editions"),
]

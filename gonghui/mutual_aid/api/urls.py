from django.urls import path

from gonghui.mutual_aid.api import views

urlpatterns = [
    path("my/applications/", views.MyApplicationListApi.as_view(), name="api-mutual-aid-my-applications"),
    path("my/fee-lines/", views.MyFeeLineListApi.as_view(), name="api-mutual-aid-my-fee-lines"),
    path("applications/", views.ApplicationListApi.as_view(), name="api-mutual-aid-applications"),
    path("editions/", views.EditionListApi.as_view(), name="api-mutual-aid-editions"),
]

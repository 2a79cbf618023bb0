from django.http import HttpResponse
from django.urls import path

app_name = "proposals"
urlpatterns: list = [
    path("<int:pk>/", lambda request, pk: HttpResponse(""), name="detail"),
]

from django.urls import path

app_name = "mutual_aid"
urlpatterns: list = []

app_name = "drives"
urlpatterns: list = []

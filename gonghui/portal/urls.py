from gonghui.core.routes import route
from gonghui.portal import views

app_name = "portal"
urlpatterns = [
    route("", views.HomeView, "home"),
    route("services/", views.ServicesView, "services"),
    route("me/", views.ProfileView, "profile"),
    route("me/membership/", views.MembershipView, "membership"),
]

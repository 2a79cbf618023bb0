from rest_framework.routers import SimpleRouter

from gonghui.people.api import views

router = SimpleRouter()
router.register("people", views.PersonViewSet, basename="api-person")
router.register("sub-unions", views.SubUnionViewSet, basename="api-subunion")
urlpatterns = router.urls

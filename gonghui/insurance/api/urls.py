from rest_framework.routers import SimpleRouter

from gonghui.insurance.api import views

router = SimpleRouter()
router.register("editions", views.PlanEditionViewSet, basename="api-insurance-edition")
router.register("enrollments", views.PlanEnrollmentViewSet, basename="api-insurance-enrollment")
router.register("claims", views.PlanClaimViewSet, basename="api-insurance-claim")
urlpatterns = router.urls

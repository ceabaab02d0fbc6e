"""The scoped staff API, under /api/v1/staff/."""

from rest_framework.routers import SimpleRouter

from ..staff import StaffPowerItemViewSet

router = SimpleRouter()
router.register("power-items", StaffPowerItemViewSet, basename="staff-power-item")

urlpatterns = router.urls

"""The complaints API under /api/v1/ (public intake and tracking, scoped staff endpoints)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import public, staff

router = SimpleRouter()
router.register("staff/complaints", staff.StaffComplaintViewSet, basename="staff-complaint")
router.register(
    "staff/agency-requests", staff.AgencyRequestViewSet, basename="staff-agency-request"
)

urlpatterns = [
    path("complaints/", public.ComplaintFile.as_view(), name="complaint-file"),
    path("complaints/track/", public.ComplaintTrack.as_view(), name="complaint-track"),
    *router.urls,
]

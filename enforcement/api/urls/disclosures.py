"""The public API of disclosed decisions (R9), under /api/v1/."""

from django.urls import path

from portal.public_cache import cached_for_the_public

from .. import disclosures

urlpatterns = [
    path(
        "disclosures/",
        cached_for_the_public(disclosures.DisclosureList.as_view()),
        name="disclosure-list",
    ),
    path(
        "disclosures/<int:pk>/",
        cached_for_the_public(disclosures.DisclosureDetail.as_view()),
        name="disclosure-detail",
    ),
]

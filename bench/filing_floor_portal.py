"""The filing's floor inside the portal's stack: settings and URL configuration in one module.

`intake_peers` serves the portal with `DJANGO_SETTINGS_MODULE=filing_floor_portal` (target
`filing_floor_in_portal`): the portal's settings, middleware and URLs, plus one view at
`/floor/api/v1/complaints/`, a DRF APIView as the portal's (no authentication, the JSON parser,
DRF's renderer) that runs `filing_floor.write` on Django's own connection inside
`transaction.atomic()` and queues the notice's delivery with the portal's Celery task after the
commit, as the portal does. What it adds to `filing_floor` is what the portal's stack costs a
request by itself; what the portal's API adds to it is the filing's own Python (DRF's
serializer, the service's checks, the calendar, the models' saves and their signals).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.settings import *  # noqa: E402, F403

ROOT_URLCONF = "filing_floor_portal"


def _urlpatterns():
    import filing_floor
    from django.db import connection, transaction
    from django.urls import include, path
    from rest_framework import status
    from rest_framework.parsers import JSONParser
    from rest_framework.permissions import AllowAny
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from complaints.tasks import deliver_notifications

    class FloorFile(APIView):
        permission_classes = [AllowAny]
        authentication_classes: list = []
        parser_classes = [JSONParser]

        def post(self, request):
            with transaction.atomic():
                connection.ensure_connection()
                with connection.connection.cursor() as cursor:
                    receipt, notice = filing_floor.write(cursor, request.data)
                transaction.on_commit(lambda: deliver_notifications.delay([notice]))
            return Response(receipt, status=status.HTTP_201_CREATED)

    return [
        path("floor/api/v1/complaints/", FloorFile.as_view()),
        path("", include("portal.urls")),
    ]


def __getattr__(name: str):
    # Django reads `urlpatterns` when it resolves the first request, after setup: the view's
    # imports need the apps loaded, which this module, being the settings, precedes.
    if name == "urlpatterns":
        globals()["urlpatterns"] = patterns = _urlpatterns()
        return patterns
    raise AttributeError(name)

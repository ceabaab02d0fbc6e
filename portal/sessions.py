"""The idle timeout of signed-in sessions (SESSION_COOKIE_AGE, from SESSION_IDLE_MINUTES).

The expiry moves on with use. Saving the session on every request (SESSION_SAVE_EVERY_REQUEST)
would write its row on every page, API call and chart a supervisor loads; the expiry is moved on
at most every REFRESH_SECONDS instead, so a session ends between SESSION_COOKIE_AGE minus
REFRESH_SECONDS and SESSION_COOKIE_AGE after its last request. Logout flushes the session.
"""

import time

from django.conf import settings

REFRESHED = "portal_session_refreshed"
REFRESH_SECONDS = 300


def mark_refreshed(sender, request, user, **kwargs) -> None:
    """At login (user_logged_in): the session's expiry was set just now."""
    request.session[REFRESHED] = int(time.time())


class IdleSessionMiddleware:
    """Moves a signed-in session's expiry on once REFRESH_SECONDS have passed since the last
    move: the changed session is saved by SessionMiddleware (listed before this one) with a new
    expiry and cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return response  # no session to keep alive (most public requests)
        last = session.get(REFRESHED)
        now = int(time.time())
        if last is not None and now - last >= REFRESH_SECONDS:
            session[REFRESHED] = now
        return response

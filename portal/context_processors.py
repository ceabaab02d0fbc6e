from django.conf import settings

from .roles import role_of


def portal(request) -> dict:
    return {"PORTAL_NAME": settings.PORTAL_NAME, "user_role": role_of(request.user)}

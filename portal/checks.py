"""Deployment checks of the portal's own (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

_PER_PROCESS = ("locmem", "dummy", "filebased")


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Several web processes must share one cache: public pages are cached there and retired
    there when something is published or withdrawn (see portal.public_cache), and the public
    forms' rate limits count there (complaints.limits)."""
    backend = settings.CACHES["default"]["BACKEND"].lower()
    if any(word in backend for word in _PER_PROCESS):
        return [
            Warning(
                "The cache is private to each process, so a withdrawal would not reach the "
                "public pages cached by the other web processes, and each process would count "
                "the complaint forms' rate limits on its own.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://redis:6379/1.",
                id="portal.W001",
            )
        ]
    return []

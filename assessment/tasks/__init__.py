"""Celery tasks of evaluation: thin, idempotent, taking ids and calling a service. One module a
topic; Celery finds them through this package."""

from .figures import *  # noqa: F403
from .officers import *  # noqa: F403
from .results import *  # noqa: F403

"""Putting a service's refusal on the form that asked for it (shared by the clue pages)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def through(form, service, **kwargs):
    """Call `service`; on refusal put its message on `form` and return (None, status)."""
    try:
        return service(**kwargs), 200
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("您无权进行此项操作。"))
        return None, 403
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None, 400

"""Running a service from a page's form: its refusal becomes the form's errors in Chinese, and
the status of the re-shown page says why (403 denied, 400 wrong input)."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def through(form: forms.Form, service, **kwargs):
    """The service's result, or None with its refusal added to `form`."""
    try:
        return service(**kwargs)
    except PermissionDenied as exc:
        form.denied = True
        form.add_error(None, str(exc) or _("您无权进行此项操作。"))
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    return None


def refused_status(form: forms.Form) -> int:
    return 403 if getattr(form, "denied", False) else 400

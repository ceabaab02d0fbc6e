"""Running a service from a page's form, for every app's views: the service's refusal becomes the
form's errors in Chinese, and the re-shown page's status says why (403 denied, 400 wrong input)."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def run_service(form: forms.Form, service, **kwargs):
    """Run a service; a ValidationError becomes the form's errors (in Chinese) and None is
    returned. PermissionDenied is left to the error pages (403)."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        _add_errors(form, exc)
    return None


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def through(form: forms.Form, service, **kwargs):
    """As `run_service`, but a PermissionDenied is shown on the form too (see `refused_status`)."""
    try:
        return run_service(form, service, **kwargs)
    except PermissionDenied as exc:
        form.denied = True
        form.add_error(None, str(exc) or _("您无权进行此项操作。"))
    return None


def refused_status(form: forms.Form) -> int:
    """403 when the service denied it, 400 for wrong input."""
    return 403 if getattr(form, "denied", False) else 400


def attempt(form: forms.Form, service, **kwargs):
    """As `through`, with the status of the page to show: (result, 200) when the service ran,
    (None, 403) when it denied, (None, 400) when the input was wrong."""
    try:
        return service(**kwargs), 200
    except PermissionDenied as exc:
        form.denied = True
        form.add_error(None, str(exc) or _("您无权进行此项操作。"))
        return None, 403
    except ValidationError as exc:
        _add_errors(form, exc)
        return None, 400

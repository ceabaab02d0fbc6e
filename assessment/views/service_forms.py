"""Shared by the evaluation pages: a service's refusal shown on the form that asked for it."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError


def run_service(form: forms.Form, service, **kwargs):
    """Run a service; a ValidationError becomes the form's errors (in Chinese) and None is
    returned. PermissionDenied is left to the error pages (403)."""
    try:
        return service(**kwargs)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    return None

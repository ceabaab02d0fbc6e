"""Form fields shared by the public and the staff pages."""

from django import forms

from .. import uploads


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, checked by their content (`complaints.uploads`) so that a
    refused file is reported by the field; cleans to the uploaded files, which the service
    checks again before storing them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": uploads.accept_attribute()}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [checked.upload for checked in uploads.check_files(files)]

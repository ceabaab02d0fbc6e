from django.urls import path

from .deadline import DeadlineView

app_name = "workdays"

urlpatterns = [
    path("deadline/", DeadlineView.as_view(), name="deadline"),
]

from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("channels/", views.channels, name="channels"),
]

from django.urls import path

from .views import site as views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    path("language/", views.switch_language, name="language"),
    path("bench/trivial/", views.trivial, name="trivial"),
]

"""Pages of enforcement cases under /cases/ (namespace "cases"), added to urls/cases.py: closing a
case, reconsideration and litigation outcomes (R13), case-file review (案卷评查)."""

from django.urls import path

from ..views import remedies as views

urlpatterns: list = [
    path("<int:pk>/close/", views.case_close_view, name="close"),
    path("<int:pk>/remedies/", views.remedy_add, name="remedy-add"),
    path("remedies/<int:pk>/screen/", views.remedy_screen_view, name="remedy-screen"),
    path("<int:pk>/file-review/", views.file_review, name="file-review"),
    path("file-reviews/", views.file_review_list, name="file-reviews"),
]

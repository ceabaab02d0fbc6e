"""/powers/supervision/: the legal-basis register, revision tasks (R2), delegations (R4), the
subjects without a published list (R1) and level jurisdiction (R10)."""

from django.urls import path

from ..views import levels
from ..views import supervision as views

urlpatterns = [
    path("bases/", views.basis_list, name="basis_list"),
    path("bases/new/", views.basis_create, name="basis_create"),
    path("bases/<int:pk>/", views.basis_edit, name="basis_edit"),
    path("changes/new/", views.change_record, name="change_record"),
    # Also agency staff's list of their own open tasks.
    path("revision-tasks/", views.revision_task_list, name="revision_task_list"),
    path(
        "revision-tasks/<int:pk>/close/",
        views.revision_task_close_view,
        name="revision_task_close",
    ),
    # R1: the region's enforcement subjects that have no published list.
    path("coverage/", views.coverage, name="coverage"),
    path("delegations/", views.delegation_list, name="delegation_list"),
    path("delegations/new/", views.delegation_create_view, name="delegation_create"),
    path("delegations/<int:pk>/clear/", views.delegation_clear_view, name="delegation_clear"),
    path("level-splits/", levels.level_split_list, name="level_split_list"),
    path("level-splits/new/", levels.level_split_create_view, name="level_split_create"),
    path("level-splits/<int:pk>/", levels.level_split_edit, name="level_split_edit"),
    path("level-flags/", levels.level_flag_list, name="level_flag_list"),
]

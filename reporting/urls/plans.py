"""R33: the implementation plans and their problem reports."""

from django.urls import path

from ..views import plans, problems

urlpatterns = [
    path("plans/", plans.plan_list, name="plan-list"),
    path("plans/new/", plans.plan_new, name="plan-new"),
    path("plans/overdue/", plans.overdue, name="plan-overdue"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/items/new/", plans.item_add, name="plan-item-add"),
    path("plans/<int:pk>/problems/new/", plans.problem_report, name="plan-problem-report"),
    path("plans/items/<int:pk>/done/", plans.item_done, name="plan-item-done"),
    path("plans/items/<int:pk>/evidence/", plans.item_evidence, name="plan-item-evidence"),
    path("problems/", problems.problem_list, name="problem-list"),
    path("problems/<int:pk>/", problems.problem_answer, name="problem-answer"),
]

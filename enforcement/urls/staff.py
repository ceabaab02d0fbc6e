"""Staff pages of the power list, under /powers/staff/ in the "enforcement" namespace."""

from django.urls import path

from ..views import staff

urlpatterns = [
    path("", staff.item_list, name="staff_item_list"),
    path("new/", staff.item_create, name="staff_item_create"),
    path("review/legal/", staff.legal_queue, name="staff_legal_queue"),
    path("review/supervisor/", staff.supervisor_queue, name="staff_supervisor_queue"),
    path("<int:pk>/", staff.item_detail, name="staff_item_detail"),
    path("<int:pk>/edit/", staff.item_edit, name="staff_item_edit"),
    path("<int:pk>/delete/", staff.item_delete, name="staff_item_delete"),
    path("<int:pk>/submit/", staff.item_submit, name="staff_item_submit"),
    path("<int:pk>/pass/", staff.item_pass, name="staff_item_pass"),
    path("<int:pk>/return/", staff.item_return, name="staff_item_return"),
    path("<int:pk>/publish/", staff.item_publish, name="staff_item_publish"),
    # R2: staff request a withdrawal; the legal office passes it, a supervisor approves it (a
    # return of either goes through staff_item_return).
    path("<int:pk>/withdraw/", staff.item_withdraw, name="staff_item_withdraw"),
    path(
        "<int:pk>/withdrawal/pass/",
        staff.item_withdrawal_pass,
        name="staff_item_withdrawal_pass",
    ),
    path(
        "<int:pk>/withdrawal/approve/",
        staff.item_withdrawal_approve,
        name="staff_item_withdrawal_approve",
    ),
    path("<int:pk>/compare/", staff.item_compare, name="staff_item_compare"),
]

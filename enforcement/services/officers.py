"""Officers' certificates (R4, R11): every change of a certificate's status keeps its reason,
its date and who made it (django-simple-history)."""

from datetime import date

from django.db import transaction

from ..models import Officer


@transaction.atomic
def officer_certificate_withdraw(*, officer: Officer, reason: str, on: date, actor) -> Officer:
    """Withdraw an officer's certificate (收回执法证件) with the reason and the date; the officer
    may no longer enforce. A certificate already withdrawn keeps its first reason. `actor` is
    None when a scheduled job withdraws it (a delegation that expired)."""
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    if officer.certificate_status == Officer.CertificateStatus.WITHDRAWN:
        return officer
    officer.certificate_status = Officer.CertificateStatus.WITHDRAWN
    officer.status_reason = reason[:200]  # the status reason holds 200 characters
    officer.status_date = on
    officer.full_clean()
    officer._history_user = actor
    officer.save()
    return officer


@transaction.atomic
def officer_certificate_suspend(*, officer: Officer, reason: str, on: date, actor) -> Officer:
    """Suspend an officer's certificate (暂扣执法证件) with the reason and the date: the officer
    is off enforcement duty (R22: moved off enforcement after two unqualified years). A
    certificate already suspended or withdrawn is left as it is, with its first reason."""
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    if officer.certificate_status != Officer.CertificateStatus.VALID:
        return officer
    officer.certificate_status = Officer.CertificateStatus.SUSPENDED
    officer.status_reason = reason[:200]  # the status reason holds 200 characters
    officer.status_date = on
    officer.full_clean()
    officer._history_user = actor
    officer.save()
    return officer


@transaction.atomic
def officer_certificate_reinstate(
    *, officer: Officer, reason: str, because_of: str, on: date, actor
) -> bool:
    """Give a suspended or withdrawn certificate back (恢复执法证件) when the measure that took
    it is undone (R29: an accountability sanction revoked on review), with the reason and the
    date. Only the measure itself is undone: `because_of` is the status reason it recorded, and a
    certificate suspended or withdrawn since for another reason is left as it is. Returns whether
    the certificate was given back."""
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    if officer.certificate_status == Officer.CertificateStatus.VALID:
        return False
    if officer.status_reason != because_of[:200]:
        return False
    officer.certificate_status = Officer.CertificateStatus.VALID
    officer.status_reason = reason[:200]
    officer.status_date = on
    officer.full_clean()
    officer._history_user = actor
    officer.save()
    return True

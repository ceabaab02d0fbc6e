"""Who may see a complainant's identity, how it is masked for everyone else, and the log of
every view of it (the policy protects complainants; DESIGN: privacy and abuse)."""

from django.db.models import QuerySet

from enforcement.models import Region
from portal.roles import Role, role_of

from .models import Complaint, IdentityView


def supervises(user, complaint: Complaint) -> bool:
    """A supervisor of the complaint's register region or of a region above it."""
    return (
        role_of(user) == Role.SUPERVISOR
        and bool(user.region_id)
        and complaint.region.path.startswith(user.region.path)
    )


def may_see_identity(user, complaint: Complaint) -> bool:
    """Only the assigned handler and the region's supervisors; not even a system administrator."""
    if complaint.anonymous or not user.is_authenticated:
        return False
    return complaint.handler_id == user.pk or supervises(user, complaint)


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """The register rows `user` may read: supervisors their region and below, handlers what
    they handle, administrators all (identities masked); agency staff none (they see only the
    requests addressed to them).

    A handler is always a supervisor of the complaint's region (complaint_assign), so a
    supervisor's rows are its regions' alone: one `region_id IN (…)` that the register's
    indexes serve, where an OR with the handler would scan the whole table."""
    role = role_of(user)
    if role == Role.SYSADMIN:
        return Complaint.objects.all()
    if role == Role.SUPERVISOR and user.region_id:
        regions = Region.objects.filter(path__startswith=user.region.path).values("pk")
        return Complaint.objects.filter(region__in=regions)
    if user.is_authenticated:
        return Complaint.objects.filter(handler=user)
    return Complaint.objects.none()


def mask_name(name: str) -> str:
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


def mask_phone(phone: str) -> str:
    return (phone[:3] + "****" + phone[-4:]) if len(phone) >= 11 else ("*" * len(phone))


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""


def identity_of(user, complaint: Complaint, *, where: str) -> dict[str, str]:
    """The complainant's name, phone and e-mail as `user` may see them; an unmasked read is
    logged (where: "detail", "export", "api")."""
    if may_see_identity(user, complaint):
        IdentityView.objects.create(complaint=complaint, user=user, where=where)
        return unmasked_identity(complaint)
    return masked_identity(complaint)


def unmasked_identity(complaint: Complaint) -> dict[str, str]:
    """The identity in full: only after may_see_identity, and the caller logs the view."""
    return {
        "name": complaint.complainant_name,
        "phone": complaint.phone,
        "email": complaint.email,
        "masked": False,
    }


def masked_identity(complaint: Complaint) -> dict[str, str]:
    return {
        "name": mask_name(complaint.complainant_name),
        "phone": mask_phone(complaint.phone),
        "email": mask_email(complaint.email),
        "masked": True,
    }


def log_identity_views(user, complaints, *, where: str) -> None:
    """One log row per complaint whose identity a bulk read (an export) showed unmasked."""
    IdentityView.objects.bulk_create(
        IdentityView(complaint=c, user=user, where=where) for c in complaints
    )

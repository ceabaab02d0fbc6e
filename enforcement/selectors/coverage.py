"""R1: which enforcement subjects have no published power list yet, for a supervisor's region."""

from django.db.models import Exists, OuterRef, QuerySet

from portal import scoping

from ..models import Agency, PowerItem, PublishedPowerItem


def subjects_without_list(user) -> QuerySet[Agency]:
    """The enforcement subjects `user` supervises (its region and every region below) that
    have not one published item: government departments, organisations authorised by law and
    governments alike. A delegated organisation is left out: its items belong on its delegating
    agency's list (R4). Each row says whether the subject has items in preparation.

    One query for the page (and one to count it), whatever the number of items: the two
    EXISTS read the indexes on (agency, code) of published copies and (agency, status) of
    working copies.
    """
    published = PublishedPowerItem.objects.filter(agency=OuterRef("pk"))
    preparing = PowerItem.objects.filter(agency=OuterRef("pk")).exclude(
        status=PowerItem.Status.WITHDRAWN
    )
    return (
        scoping.visible_agencies(user)
        .exclude(kind=Agency.Kind.DELEGATED)
        .filter(~Exists(published))
        .annotate(in_preparation=Exists(preparing))
        .select_related("region")
        .order_by("region__path", "name", "pk")
    )

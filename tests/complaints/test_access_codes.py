"""Access codes: the complainant's key to follow a complaint, easy to read aloud and never
stored (only its digest is)."""

import re

import pytest

from complaints import access_codes
from complaints.models import Complaint, Notification

from .test_register import file_complaint


def test_the_alphabet_leaves_out_look_alikes():
    assert not set("0O1IL") & set(access_codes.ALPHABET)
    assert len(set(access_codes.ALPHABET)) == len(access_codes.ALPHABET) == 31


def test_a_code_is_twelve_symbols_in_three_groups():
    code = access_codes.new_code()
    assert re.fullmatch(
        r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}(-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}){2}", code
    )
    assert len({access_codes.new_code() for _ in range(200)}) == 200


def test_matching_ignores_case_hyphens_and_spaces():
    stored = access_codes.digest("7KQM-H3TZ-P9WX")
    for typed in ("7kqm-h3tz-p9wx", "7KQMH3TZP9WX", " 7KQM H3TZ P9WX ", "7kqm_h3tz-p9wx"):
        assert access_codes.matches(typed, stored)
    assert not access_codes.matches("7KQM-H3TZ-P9WY", stored)
    assert not access_codes.matches("", stored)


@pytest.mark.django_db
def test_only_the_digest_is_stored_and_the_code_is_nowhere_in_the_row(agency_a):
    receipt = file_complaint(agency_a)
    row = Complaint.objects.get(pk=receipt.complaint.pk)
    assert row.access_code_hash == access_codes.digest(receipt.access_code)
    raw = access_codes.normalise(receipt.access_code)
    stored = [
        *Complaint.objects.filter(pk=row.pk).values().get().values(),
        *Notification.objects.values_list("body", flat=True),
        *row.timeline.values_list("note", flat=True),
    ]
    for value in stored:
        assert receipt.access_code not in str(value) and raw not in str(value)
    history = row.history.values()
    assert all("access_code_hash" not in version for version in history)
    assert all(raw not in str(version) for version in history)

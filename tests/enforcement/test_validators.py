"""Identifiers of parties to a case (R6): resident ID numbers (GB 11643) and unified social
credit codes (GB 32100) are checked, check character included."""

import pytest
from django.core.exceptions import ValidationError

from enforcement.validators import (
    credit_code_check_char,
    validate_credit_code,
    validate_resident_id,
)


@pytest.mark.parametrize("value", ["11010519491231002X", "110105199003074472"])
def test_a_resident_id_with_its_check_digit_is_accepted(value):
    """R6: a citizen party is identified by a well-formed resident ID."""
    validate_resident_id(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "checksum"),
        ("11010519491231002x", "format"),  # callers upper-case first
        ("1101051949123100X", "format"),
        ("1101051949123100²X", "format"),  # a digit to str.isdigit(), not to int()
        ("１10105194912310021", "format"),  # full-width
        ("110105194913310021", "birth_date"),  # month 13
        ("110105190002290025", "birth_date"),  # 1900 was not a leap year
    ],
)
def test_a_malformed_resident_id_is_refused_with_a_reason(value, code):
    """R6: a wrong check digit, a non-ASCII digit or a birth date that never was is refused
    with a ValidationError (never a crash)."""
    with pytest.raises(ValidationError) as refused:
        validate_resident_id(value)
    assert refused.value.code == code


def test_a_credit_code_is_checked_by_its_check_character():
    """R6: a legal person or other organisation is identified by its credit code."""
    body = "91350100M000100Y4"
    validate_credit_code(body + credit_code_check_char(body))
    wrong = "0" if credit_code_check_char(body) != "0" else "1"
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(body + wrong)
    assert refused.value.code == "checksum"
    for value in ("91350100M000100Y4", "91350100I000100Y43", "91350100m000100y43"):
        with pytest.raises(ValidationError) as refused:
            validate_credit_code(value)
        assert refused.value.code == "format"

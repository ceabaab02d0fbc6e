"""R9: what the public reads of a decision is redacted. A citizen's name keeps only the surname
(compound surnames included), identity numbers, mobile numbers and the parties' addresses are
replaced by a visible marker, and organisations' names and codes stay public."""

import pytest

from enforcement.models import Party
from enforcement.redaction import mask_name, public_parties, redact_text

REMOVED = "〔已隐去〕"


def citizen(name="王小明", identifier="11010519491231002X", address="甲市人民大街100号3单元"):
    return Party(kind=Party.Kind.CITIZEN, name=name, identifier=identifier, address=address)


def company(name="松江某某食品有限公司", identifier="91350100M000100Y43", address=""):
    return Party(kind=Party.Kind.LEGAL_PERSON, name=name, identifier=identifier, address=address)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王小明", "王**"),
        ("王明", "王*"),
        ("王", "王*"),
        ("欧阳修", "欧阳*"),
        ("诸葛孔明", "诸葛**"),
        ("司马相如", "司马**"),
        ("上官婉儿", "上官**"),
        ("皇甫谧", "皇甫*"),
        ("尉迟恭", "尉迟*"),
        ("令狐冲", "令狐*"),
        ("端木赐", "端木*"),
        ("欧阳", "欧*"),  # two characters: surname 欧 and given name 阳
        ("  李四  ", "李*"),
        ("", ""),
    ],
)
def test_a_citizens_name_keeps_its_surname_and_masks_the_rest(name, masked):
    """R9: the surname (one character, or two for a compound surname) and one mask for each
    further character; a one-character name is still masked."""
    assert mask_name(name) == masked


def test_the_party_list_masks_citizens_and_keeps_organisations_without_ids_or_addresses():
    parties = [citizen(), company(address="松江市解放路8号")]
    listed = public_parties(parties)
    assert listed == "王**、松江某某食品有限公司"
    for secret in ("王小明", "11010519491231002X", "甲市人民大街100号3单元", "91350100M000100Y43"):
        assert secret not in listed
    assert "松江市解放路8号" not in listed


def test_the_text_masks_the_citizen_and_removes_id_phone_and_address():
    """R9: name masked; the resident identity number, the mobile number and the address are
    replaced by a visible marker; the firm's name and credit code stay."""
    text = (
        "当事人：王小明，身份证号码：11010519491231002X，住址：甲市人民大街100号3单元，"
        "联系电话：13812345678。当事人松江某某食品有限公司（统一社会信用代码"
        "91350100M000100Y43）。经查，王小明系该公司员工。"
    )
    redacted = redact_text(text, [citizen(), company()])
    for secret in ("王小明", "11010519491231002X", "甲市人民大街100号3单元", "13812345678"):
        assert secret not in redacted, secret
    assert redacted.count("王**") == 2
    assert redacted.count(REMOVED) == 3
    assert "松江某某食品有限公司" in redacted and "91350100M000100Y43" in redacted


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # 18 digits
        "11010519491231002x",  # lower-case check character
        "11010519491231002Ｘ",  # full-width check character
        "１１０１０５１９４９１２３１００２X",  # full-width digits
        "110105491231002",  # old 15-digit number
        "110105194912319999",  # a wrong check digit must not let it through
    ],
)
def test_every_identity_number_is_removed_even_of_someone_not_a_party(number):
    redacted = redact_text(f"证人张某，身份证号{number}，到场。", [])
    assert number not in redacted and REMOVED in redacted


@pytest.mark.parametrize(
    "number",
    [
        "13812345678",
        "+8613812345678",
        "+86 138-1234-5678",
        "138 1234 5678",
        "１３８１２３４５６７８",
    ],
)
def test_mainland_mobile_numbers_are_removed(number):
    redacted = redact_text(f"联系电话：{number}。", [])
    assert redacted == f"联系电话：{REMOVED}。"


@pytest.mark.parametrize(
    "kept",
    [
        "0431-88886666",  # a landline, such as a supervision phone
        "62000000000000001",  # a 17-digit bank account
        "6222020200112233445",  # a 19-digit card number
        "12345678901",  # eleven digits that are no mobile number
        "吉市监罚〔2025〕12号",
        "91350100M000100Y43",
    ],
)
def test_other_numbers_stay(kept):
    assert redact_text(f"见{kept}。", []) == f"见{kept}。"


def test_an_organisation_named_after_a_citizen_keeps_its_name():
    """R9: a firm's name is public even when it contains a party's own name."""
    shop = Party(kind=Party.Kind.OTHER_ORGANISATION, name="甲市王小明小吃店", identifier="")
    redacted = redact_text("甲市王小明小吃店的经营者王小明", [citizen(), shop])
    assert redacted == "甲市王小明小吃店的经营者王**"


def test_of_two_citizens_the_longer_name_is_masked_whole():
    parties = [citizen(name="李明", identifier=""), citizen(name="李明华", identifier="")]
    assert redact_text("李明华与李明", parties) == "李**与李*"


def test_a_citizens_identifier_is_removed_even_when_malformed():
    party = citizen(identifier="2201A12345")
    assert redact_text("证件号2201A12345。", [party]) == f"证件号{REMOVED}。"


def test_every_partys_address_is_removed_but_placeholders_are_not():
    parties = [citizen(address="不详"), company(address="松江市解放路8号")]
    redacted = redact_text("地址不详；公司住所松江市解放路8号。", parties)
    assert redacted == f"地址不详；公司住所{REMOVED}。"

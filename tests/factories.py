"""factory_boy factories for the foundation's models."""

import factory
from factory.django import DjangoModelFactory

from enforcement.models import Agency, Officer, Region
from enforcement.validators import credit_code_check_char
from portal.models import User

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _credit_code(n: int) -> str:
    body = f"11220000{n:09d}"
    return body + credit_code_check_char(body)


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试区划{n}")
    code = factory.Sequence(lambda n: f"{900000 + n}")
    level = Region.Level.PROVINCE
    parent = None


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试执法局{n}")
    region = factory.SubFactory(RegionFactory)
    kind = Agency.Kind.DEPARTMENT
    management = Agency.Management.LOCAL
    credit_code = factory.Sequence(_credit_code)
    supervision_phone = "0431-12345"


class OfficerFactory(DjangoModelFactory):
    class Meta:
        model = Officer

    name = factory.Sequence(lambda n: f"执法员{n}")
    agency = factory.SubFactory(AgencyFactory)
    certificate_number = factory.Sequence(lambda n: f"22{n:08d}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.cn")
    password = factory.django.Password("correct-horse-battery-9")

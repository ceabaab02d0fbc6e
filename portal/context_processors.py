import re

from django.conf import settings

from .roles import role_of


def footer() -> dict[str, str]:
    """The public footer: the policy document by its own title, the site owner (主办单位), a
    contact, and the record numbers, all from settings (an empty one is left out). The public
    security record's query link takes the number's digits."""
    psb_record = settings.PORTAL_PSB_RECORD
    return {
        "policy_title": settings.PORTAL_POLICY_TITLE,
        "policy_number": settings.PORTAL_POLICY_NUMBER,
        "owner": settings.PORTAL_OWNER,
        "contact": settings.PORTAL_CONTACT,
        "icp_record": settings.PORTAL_ICP_RECORD,
        "psb_record": psb_record,
        "psb_code": "".join(re.findall(r"[0-9]", psb_record)),
    }


def portal(request) -> dict:
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "user_role": role_of(request.user),
        "FOOTER": footer(),
    }

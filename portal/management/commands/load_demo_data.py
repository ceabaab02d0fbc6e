"""Build the demo province and one login for every persona (idempotent)."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils.timezone import localdate

from accountability import demo as accountability_demo
from assessment import demo as assessment_demo
from complaints import demo as complaints_demo
from enforcement.demo import cases as demo_cases
from enforcement.demo import powers as demo_powers
from enforcement.demo import subjects as enforcement_demo
from portal.models import User
from portal.roles import Role
from portal.services import user_assign_role

DEMO_PASSWORD = "demo-2026-Songjiang"

# (username, name, role, agency key, region code, what the persona is for)
PERSONAS = [
    ("admin", "系统管理员", Role.SYSADMIN, None, None, "system administrator"),
    (
        "province_supervisor",
        "省司法厅监督员",
        Role.SUPERVISOR,
        None,
        "990000",
        "supervises the province",
    ),
    (
        "city_supervisor",
        "松江市司法局监督员",
        Role.SUPERVISOR,
        None,
        "990100",
        "supervises 松江市 and its counties",
    ),
    (
        "city_handler",
        "松江市司法局问责承办人",
        Role.SUPERVISOR,
        None,
        "990100",
        "handles accountability clues and cases of 松江市 (outside the units concerned)",
    ),
    (
        "inspector_a",
        "松江市市场监管执法员",
        Role.AGENCY_STAFF,
        "scj-990100",
        None,
        "inspector of agency A",
    ),
    (
        "legal_office_a",
        "松江市市场监管局法规科",
        Role.LEGAL_OFFICE,
        "scj-990100",
        None,
        "legal office of agency A",
    ),
    (
        "outsider_b",
        "白山湖市生态环境执法员",
        Role.AGENCY_STAFF,
        "sth-990200",
        None,
        "outsider from agency B",
    ),
    (
        "officer_cg",
        "松江市城管执法队员",
        Role.AGENCY_STAFF,
        "cg-990100",
        None,
        "officer held to account (his own login: defence, review)",
    ),
    (
        "establishment_office",
        "松江市委编办工作人员",
        Role.AGENCY_STAFF,
        "bb-990100",
        None,
        "establishment office of 松江市: opinions on disputes",
    ),
    (
        "province_tax",
        "省税务局法规处工作人员",
        Role.LEGAL_OFFICE,
        "sw-990000",
        None,
        "tax bureau above 松江市's: scores its vertical evaluation",
    ),
    (
        "province_ecology",
        "省生态环境厅法规处工作人员",
        Role.LEGAL_OFFICE,
        "sth-990000",
        None,
        "ecology department above 松江市's: scores its dual evaluation",
    ),
]


@contextmanager
def quiet_logging(verbosity: int):
    """Keep the load's log chatter out of `make run`'s output below --verbosity 2.

    Without a broker the demo's tasks run in-process and Celery logs each one at INFO, and
    kombu warns once of a broker it never uses: twenty lines that bury the logins and access
    codes printed after them. Warnings and errors of everything else still show.
    """
    if verbosity >= 2:
        yield
        return
    disabled = logging.root.manager.disable
    kombu = logging.getLogger("kombu.connection")
    kombu_level = kombu.level
    logging.disable(logging.INFO)
    kombu.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logging.disable(disabled)
        kombu.setLevel(kombu_level)


@contextmanager
def mail_kept_back():
    """The demo's people are fictional: what the load's services e-mail (accountability's notices
    and circulated typical cases, sent when the load commits) goes nowhere, rather than to the
    console where it would bury the logins printed after it."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


class Command(BaseCommand):
    help = "Load the fictional demo province and the demo logins; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="load with DJANGO_DEBUG off too (demo passwords are public: never in production)",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo logins have published passwords: refused with DJANGO_DEBUG off (use --force)."
            )
        # The mail is kept back around the transaction: its messages go out when it commits.
        with quiet_logging(options.get("verbosity", 1)), mail_kept_back(), transaction.atomic():
            regions = enforcement_demo.load_regions()
            agencies = enforcement_demo.load_agencies(regions)
            enforcement_demo.load_officers(agencies)
            created = [self._persona(p, regions, agencies) for p in PERSONAS]
            supervisor = User.objects.get(username="province_supervisor")
            enforcement_demo.load_major_catalogue(regions, actor=supervisor)
            demo_powers.load_power_lists(agencies=agencies, supervisor=supervisor)
            demo_powers.load_jurisdiction(supervisor=supervisor)
            demo_cases.load_cases(
                staff=User.objects.get(username="inspector_a"),
                supervisor=User.objects.get(username="city_supervisor"),
            )
            demo_cases.load_dispute(
                staff=User.objects.get(username="inspector_a"),
                office_staff=User.objects.get(username="establishment_office"),
            )
            complaints_demo.load_channels(actor=supervisor)
            complaints = complaints_demo.load_complaints(
                agencies=agencies,
                supervisor=User.objects.get(username="city_supervisor"),
                staff=User.objects.get(username="inspector_a"),
            )
            assessment_demo.load_evaluation(
                agencies=agencies,
                personas=assessment_demo.Personas(
                    supervisor=User.objects.get(username="city_supervisor"),
                    province_supervisor=supervisor,
                    staff=User.objects.get(username="inspector_a"),
                    legal_office=User.objects.get(username="legal_office_a"),
                    vertical={
                        "sw-990000": User.objects.get(username="province_tax"),
                        "sth-990000": User.objects.get(username="province_ecology"),
                    },
                ),
            )
            accountability_demo.load_accountability(
                agencies=agencies,
                personas=accountability_demo.Personas(
                    supervisor=User.objects.get(username="city_supervisor"),
                    handler=User.objects.get(username="city_handler"),
                    staff=User.objects.get(username="inspector_a"),
                    legal_office=User.objects.get(username="legal_office_a"),
                    officer=User.objects.get(username="officer_cg"),
                ),
            )
        # Last, so that nothing the load logged comes between them and the server's start.
        self._print_logins(created)
        self._print_evaluation()
        self._print_accountability()
        self._print_complaints(complaints)

    def _persona(self, persona, regions, agencies):
        username, name, role, agency_key, region_code, _purpose = persona
        user, created = User.objects.get_or_create(
            username=username, defaults={"name": name, "email": f"{username}@demo.gov.cn"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = role == Role.SYSADMIN
            user.save()
            user_assign_role(
                user=user,
                role=role,
                actor=None,
                agency=agencies.get(agency_key),
                region=regions.get(region_code),
            )
        return created

    def _print_logins(self, created) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("Demo data ready. Demo logins (password as first created):"))
        for (username, _name, role, _a, _r, purpose), new in zip(PERSONAS, created, strict=True):
            flag = "" if new else " (existing)"
            out.write(f"  {username:<20} {DEMO_PASSWORD}   {role.label} — {purpose}{flag}")
        out.write("Log in at /accounts/login/ ; the admin is at /admin/.")

    def _print_evaluation(self) -> None:
        lines = assessment_demo.summary_lines()
        if lines:
            self.stdout.write("Demo evaluation (评议考核) of 松江市, at /assessment/:")
            for line in lines:
                self.stdout.write(line)

    def _print_accountability(self) -> None:
        lines = accountability_demo.summary_lines()
        if lines:
            heading = "Demo accountability (责任追究) of 松江市, at /accountability/clues/:"
            self.stdout.write(heading)
            for line in lines:
                self.stdout.write(line)

    def _print_complaints(self, complaints) -> None:
        """Only digests of access codes are stored: the demo's fixed codes are printed here, so
        that a newcomer can follow a complaint on the public tracking page at once."""
        out = self.stdout
        out.write("Demo complaints, to follow at /complaints/track/ (number, access code, state):")
        codes = {d.token: d.code for d in complaints_demo.DEMO_COMPLAINTS}
        for complaint in complaints:
            state = complaint.get_status_display()
            if complaint.is_open and complaint.due_on and complaint.due_on < localdate():
                state += "（已逾期）"
            out.write(f"  {complaint.number}  {codes[complaint.submission_token]}  {state}")

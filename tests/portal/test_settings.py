"""Settings come from the environment and a bad value stops the start loudly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(*options, **env):
    """`manage.py check` in a fresh process, with only `env` of the portal's own settings."""
    own = ("DJANGO_", "DATABASE_", "CACHE_", "RATELIMIT_", "COMPLAINT_", "SMS_")
    base = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    return subprocess.run(
        [sys.executable, "manage.py", "check", *options],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG='maybe' is not a boolean"),
        ({"DJANGO_DEBUG": "0"}, "DJANGO_SECRET_KEY is required"),
        (
            {"DJANGO_DEBUG": "1", "DATABASE_URL": "mysql://x@localhost/db"},
            "must point to PostgreSQL",
        ),
        ({"DJANGO_DEBUG": "1", "AXES_FAILURE_LIMIT": "ten"}, "is not a whole number"),
        ({"DJANGO_DEBUG": "1", "RATELIMIT_ENABLE": "sometimes"}, "is not a boolean"),
        (
            {"DJANGO_DEBUG": "1", "COMPLAINT_FILE_RATE_IP": "ten an hour"},
            "COMPLAINT_FILE_RATE_IP must look like 10/h",
        ),
        ({"DJANGO_DEBUG": "1", "COMPLAINT_MAX_IMAGE_MB": "0"}, "COMPLAINT_MAX_IMAGE_MB"),
        ({"DJANGO_DEBUG": "1", "SMS_BACKEND": "complaints.sms.Nope"}, "SMS_BACKEND"),
        ({"DJANGO_DEBUG": "1", "SESSION_IDLE_MINUTES": "一天"}, "SESSION_IDLE_MINUTES"),
        ({"DJANGO_DEBUG": "1", "SESSION_IDLE_MINUTES": "5"}, "SESSION_IDLE_MINUTES=5"),
    ],
)
def test_a_bad_setting_stops_the_portal_with_a_message_naming_it(env, complaint):
    result = run_check(**env)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_good_settings_start_the_portal():
    result = run_check(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_the_deploy_check_wants_a_cache_that_every_web_process_shares():
    result = run_check(
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="portal.example.gov.cn",
    )
    assert result.returncode != 0
    assert "portal.W001" in result.stderr + result.stdout


def test_the_deploy_check_refuses_debug_mode():
    """Debug is on by default for a fresh clone; production must turn it off, and is told so."""
    result = run_check(
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="k" * 60,
        CACHE_URL="redis://redis:6379/1",
    )
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout

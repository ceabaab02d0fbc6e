"""The production recipe (Dockerfile, docker-compose.yml, .env.example) checked without Docker.

No engine runs here, so these tests read the files and hold every name in them against the
project: the programs and management commands they run, the options they pass, the variables
they set, and the security settings the production values produce.
"""

import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from fnmatch import fnmatch
from pathlib import Path

import click
import pytest
import yaml
from celery.app.utils import find_app
from celery.bin.base import CLIContext
from celery.bin.celery import celery as celery_cli
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[2]
PROJECT_SERVICES = ("web", "worker", "beat")
SERVICES = {*PROJECT_SERVICES, "db", "redis"}
# The secrets compose refuses to start without; .env.example leaves them empty on purpose.
REQUIRED_SECRETS = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "POSTGRES_PASSWORD": "a-url-safe-password",
}
# Dockerfile ENV names read by Python, pip or gunicorn rather than by settings.
NON_SETTINGS_ENV = {
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED",
    "PIP_NO_CACHE_DIR",
    "PIP_DISABLE_PIP_VERSION_CHECK",
    "GUNICORN_CMD_ARGS",
}


# --- Reading the files -----------------------------------------------------------------------


def settings_env_names() -> set[str]:
    """Every environment variable portal/settings.py reads (env.str("X"), env_bool("X"), ...)."""
    source = (ROOT / "portal" / "settings.py").read_text()
    reader = r"env(?:_\w+)?(?:\.\w+)?|os\.environ\.get|os\.getenv"
    pattern = rf"""\b(?:{reader})\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    return set(re.findall(pattern, source))


def env_example() -> tuple[dict[str, str], set[str]]:
    """.env.example as (values of the lines that set something, every name it documents)."""
    values, documented = {}, set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            documented.add(match[2])
            if not match[1]:
                values[match[2]] = match[3]
    return values, documented


_VARIABLE = re.compile(r"\$(?:\$|\{(\w+)(?:(:?[-?+])([^}]*))?\}|(\w+))")


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR:?error}, ${VAR:+other} and $$ escapes."""

    def substitute(match: re.Match) -> str:
        if match[0] == "$$":
            return "$"
        name, op, arg = match[1] or match[4], match[2] or "", match[3] or ""
        value = env.get(name)
        missing = not value if op.startswith(":") else value is None
        if op.endswith("-"):
            return arg if missing else value
        if op.endswith("?"):
            if missing:
                raise KeyError(f"compose needs {name}: {arg}")
            return value
        if op.endswith("+"):
            return "" if missing else arg
        return value or ""

    return _VARIABLE.sub(substitute, text)


def compose_raw() -> str:
    return (ROOT / "docker-compose.yml").read_text()


def compose() -> dict:
    """docker-compose.yml as compose sees it after `cp .env.example .env` and setting secrets."""
    values, _ = env_example()

    def walk(node):
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return interpolate(node, {**values, **REQUIRED_SECRETS}) if isinstance(node, str) else node

    return walk(yaml.safe_load(compose_raw()))


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    lines = (line.strip() for line in text.splitlines())
    return [
        (keyword.upper(), rest.strip())
        for keyword, _, rest in (line.partition(" ") for line in lines)
        if keyword and not keyword.startswith("#")
    ]


def dockerfile_env() -> dict[str, str]:
    tokens = [token for kw, rest in dockerfile() if kw == "ENV" for token in shlex.split(rest)]
    return dict(token.split("=", 1) for token in tokens)


def dockerfile_json(keyword: str) -> list[str]:
    (rest,) = [rest for kw, rest in dockerfile() if kw == keyword]
    return json.loads(rest[rest.index("[") :])


def requirement_names(path: str = "requirements.txt") -> set[str]:
    lines = (ROOT / path).read_text().splitlines()
    return {
        re.match(r"[A-Za-z0-9_.-]+", line)[0].lower()
        for line in lines
        if line.strip() and not line.startswith(("#", "-"))
    }


def command_steps(command: str | list[str]) -> list[list[str]]:
    """The argv of each program a command runs; `sh -c "a && exec b"` runs a, then b."""
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    if argv[0] == "CMD-SHELL":
        argv = ["sh", "-c", argv[1]]
    elif argv[0] == "CMD":
        argv = argv[1:]
    if argv[:2] != ["sh", "-c"]:
        return [argv]
    return [shlex.split(part.strip().removeprefix("exec ")) for part in argv[2].split("&&")]


def project_commands() -> list[list[str]]:
    """Every program run by the image and by the project's services, healthchecks included."""
    services = compose()["services"]
    commands = [dockerfile_json("CMD"), ["CMD", *dockerfile_json("HEALTHCHECK")]]
    for name in PROJECT_SERVICES:
        assert "entrypoint" not in services[name], "an entrypoint needs checking here too"
        commands += [services[name]["command"], services[name]["healthcheck"]["test"]]
    return [step for command in commands for step in command_steps(command)]


# --- Checking one program ----------------------------------------------------------------------


def check_manage_py(args: list[str]) -> None:
    name, options = args[0], args[1:]
    commands = get_commands()
    assert name in commands, f"manage.py has no command {name!r}"
    load_command_class(commands[name], name).create_parser("manage.py", name).parse_args(options)


def check_gunicorn(args: list[str]) -> None:
    """gunicorn --check-config parses every option and imports the application."""
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    env["GUNICORN_CMD_ARGS"] = dockerfile_env()["GUNICORN_CMD_ARGS"]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "--check-config", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"gunicorn {args}:\n{result.stdout}{result.stderr}"


def check_celery(args: list[str]) -> None:
    """`-A portal` finds the project's app, and the subcommand accepts every option given."""
    assert args[:2] == ["-A", "portal"], args
    app = find_app("portal")
    assert app.main == "portal"
    subcommand = celery_cli.commands[args[2]]
    parent = click.Context(celery_cli, obj=CLIContext(app=app, no_color=True, workdir=None))
    subcommand.make_context(args[2], args[3:], parent=parent)


def check_program(argv: list[str]) -> None:
    program, args = argv[0], argv[1:]
    if program == "python" and args[0] == "manage.py":
        check_manage_py(args[1:])
    elif program == "python" and args[0] == "-c":
        compile(args[1], "<healthcheck>", "exec")
    elif program in ("gunicorn", "celery"):
        assert program in requirement_names(), f"{program} is not in requirements.txt"
        {"gunicorn": check_gunicorn, "celery": check_celery}[program](args)
    else:
        pytest.fail(f"the recipe runs {program!r}, which the project does not provide")


# --- docker-compose.yml ------------------------------------------------------------------------


def test_compose_runs_the_five_services_each_with_a_healthcheck():
    services = compose()["services"]
    assert set(services) == SERVICES
    for name, service in services.items():
        assert service["healthcheck"]["test"], f"{name} has no healthcheck"
        assert service["restart"] == "unless-stopped", name


def test_services_start_only_once_what_they_need_is_healthy():
    services = compose()["services"]
    healthy = {"condition": "service_healthy"}
    assert services["web"]["depends_on"] == {"db": healthy, "redis": healthy}
    # Worker and beat wait for web, which is healthy only after its migrations ran.
    for name in ("worker", "beat"):
        assert services[name]["depends_on"] == {"redis": healthy, "web": healthy}


def test_the_web_container_migrates_then_serves_with_gunicorn():
    steps = command_steps(compose()["services"]["web"]["command"])
    assert [step[:3] for step in steps] == [
        ["python", "manage.py", "migrate"],
        ["gunicorn", "portal.wsgi:application", "--workers"],
    ]


def test_state_lives_in_declared_named_volumes():
    config = compose()
    services = config["services"]
    mounts = {
        name: dict(volume.split(":", 1) for volume in service.get("volumes", []))
        for name, service in services.items()
    }
    assert mounts["db"]["pgdata"] == "/var/lib/postgresql/data"
    media_root = config["x-portal-environment"]["MEDIA_ROOT"]
    assert mounts["web"]["media"] == mounts["worker"]["media"] == media_root
    schedule = command_steps(services["beat"]["command"])[0]
    schedule_file = schedule[schedule.index("--schedule") + 1]
    assert schedule_file.startswith(mounts["beat"]["beat-schedule"] + "/")
    used = {volume for service_mounts in mounts.values() for volume in service_mounts}
    assert used == set(config["volumes"]), "every named volume is declared, and used"


def test_every_program_the_recipe_runs_exists_with_the_options_given():
    steps = project_commands()
    assert {step[0] for step in steps} == {"python", "gunicorn", "celery"}
    for step in steps:
        check_program(step)


def test_the_project_services_only_set_variables_settings_read():
    names = settings_env_names()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= names, "pattern broken"
    for service in PROJECT_SERVICES:
        unknown = set(compose()["services"][service]["environment"]) - names
        assert not unknown, f"{service} sets variables settings.py never reads: {unknown}"


def test_compose_files_in_nothing_that_env_example_does_not_document():
    _, documented = env_example()
    used = set(re.findall(r"\$\{(\w+)", compose_raw()))
    assert used - documented == set()


def test_compose_refuses_to_start_without_the_secrets():
    for name in REQUIRED_SECRETS:
        assert f"${{{name}:?" in compose_raw(), name


def compose_cli() -> list[str] | None:
    for cli in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(cli[0]):
            result = subprocess.run([*cli, "version"], capture_output=True, timeout=30)
            if result.returncode == 0:
                return cli
    return None


def test_docker_compose_accepts_the_file():
    """`docker compose config` only parses and interpolates: it needs no engine."""
    cli = compose_cli()
    if cli is None:
        pytest.skip("no `docker compose` or `docker-compose` here (the CLI lacks the plugin)")
    result = subprocess.run(
        [*cli, "--env-file", ".env.example", "config", "--quiet"],
        cwd=ROOT,
        env={**os.environ, **REQUIRED_SECRETS},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


# --- Dockerfile and .dockerignore --------------------------------------------------------------


def test_the_image_is_python_3_11_slim_and_runs_as_a_plain_user():
    instructions = dockerfile()
    assert "ENTRYPOINT" not in dict(instructions), "an entrypoint needs checking here too"
    assert instructions[0] == ("FROM", "python:3.11-slim")
    keywords = [kw for kw, _ in instructions]
    user = dict(instructions)["USER"]
    assert user not in ("root", "0")
    assert keywords.index("USER") < keywords.index("CMD")


def test_every_copy_source_and_requirements_file_exists():
    for keyword, rest in dockerfile():
        if keyword == "COPY":
            *sources, _ = [arg for arg in shlex.split(rest) if not arg.startswith("--")]
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such file"
        if keyword == "RUN" and "pip install" in rest:
            for path in re.findall(r"-r\s+(\S+)", rest):
                assert (ROOT / path).is_file(), f"pip install -r {path}: no such file"
                assert path in {"requirements.txt"}, "the image installs runtime requirements only"


def test_the_image_collects_static_files_with_a_build_only_secret():
    (step,) = [rest for kw, rest in dockerfile() if kw == "RUN" and "collectstatic" in rest]
    assert "DJANGO_SECRET_KEY=" in step
    assert "DJANGO_SECRET_KEY" not in dockerfile_env(), "no secret may stay in the image"
    assert dockerfile_env()["DJANGO_DEBUG"] == "0", "collected for whitenoise's manifest storage"


def test_the_image_sets_only_variables_settings_or_its_tools_read():
    unknown = set(dockerfile_env()) - settings_env_names() - NON_SETTINGS_ENV
    assert not unknown


def test_the_image_and_compose_probe_web_the_same_way():
    probe = compose()["services"]["web"]["healthcheck"]["test"]
    assert probe == ["CMD", *dockerfile_json("HEALTHCHECK")]
    assert "/healthz" in probe[-1]


def test_dockerignore_keeps_what_the_image_runs():
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    apps = [path.parent.name for path in ROOT.glob("*/apps.py")]
    needed = ["manage.py", "requirements.txt", "templates", "static", "locale", *apps]
    for path in needed:
        excluded = [pattern for pattern in patterns if fnmatch(path, pattern)]
        assert not excluded, f".dockerignore drops {path} ({excluded})"


# --- Environment and security settings ---------------------------------------------------------


def test_env_example_documents_every_variable_settings_read():
    _, documented = env_example()
    assert settings_env_names() - documented == set()


def test_every_variable_in_env_example_has_a_comment_above_it():
    commented = False
    for line in (ROOT / ".env.example").read_text().splitlines():
        if re.match(r"^(#\s*)?[A-Z][A-Z0-9_]*=", line):
            assert commented, f"{line!r} has no comment"
        else:
            commented = line.startswith("#")


def production_environments() -> dict[str, dict[str, str]]:
    host = "portal.example.gov.cn"
    return {
        "minimal": {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": host,
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{host}",
            "CACHE_URL": "redis://redis:6379/1",  # checks do not connect
        },
        "compose": compose()["x-portal-environment"],
    }


@pytest.mark.parametrize("name", ["minimal", "compose"])
def test_check_deploy_finds_nothing_with_production_values(name):
    """The minimal values leave DATABASE_URL unset (SQLite); checks do not connect anyway."""
    inherited = {k: v for k, v in os.environ.items() if k not in settings_env_names()}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**inherited, **production_environments()[name]},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output


def probe_request(monkeypatch, allowed_hosts: str) -> urllib.request.Request:
    """Run the web healthcheck's code, catching the request it would send."""
    sent = []
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", allowed_hosts)
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, timeout: sent.append(request))
    exec(dockerfile_json("HEALTHCHECK")[-1], {})
    (request,) = sent
    return request


@pytest.mark.parametrize(
    "allowed_hosts", ["portal.example.gov.cn", ".example.gov.cn,portal.example.org", "*"]
)
def test_the_web_probe_passes_the_production_security_settings(
    allowed_hosts, monkeypatch, settings, client, db
):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = allowed_hosts.split(",")
    request = probe_request(monkeypatch, allowed_hosts)
    path = urllib.parse.urlsplit(request.full_url).path
    response = client.get(path, headers=dict(request.header_items()))
    assert response.status_code == 200, response
    # Without the forwarded-proto header too: /healthz is exempt from the HTTPS redirect.
    headers = {k: v for k, v in request.header_items() if k.lower() != "x-forwarded-proto"}
    assert client.get(path, headers=headers).status_code == 200

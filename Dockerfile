# syntax=docker/dockerfile:1
# The portal's one image: web (gunicorn), worker and beat (celery) all run it; see docker-compose.yml.
FROM python:3.11-slim

# GUNICORN_CMD_ARGS holds the web server's settings, so that the image's CMD and the compose web
# command (which migrates first) serve the same way; command-line flags still override it.
# Threaded (gthread) workers, not sync ones: a sync worker stops reporting to the master while it
# serves a request, so --timeout kills any request longer than 60 s, such as a case's 500 MB
# body-camera video over an ordinary uplink (bench/upload_stream.py: a sync worker killed at 60 s,
# a gthread one storing it). A gthread worker's main thread keeps reporting while another thread
# reads the body, which goes to a temporary file and on to storage, never whole into memory; so
# --timeout now catches a worker that hangs as a whole, and a slow request holds one thread, not
# the worker. Each thread keeps its own database connection: workers x threads per container.
# Workers are recycled now and then so that a leak cannot grow; one being recycled (or reloaded)
# lets its requests finish for up to 120 s, time for a 2 GiB record (CASE_MAX_VIDEO_MB's default)
# relayed at local speed by the buffering proxy in front (see docker-compose.yml).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_DEBUG=0 \
    MEDIA_ROOT=/var/lib/portal/media \
    GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000 --worker-class gthread --threads 4 --timeout 60 --graceful-timeout 120 --keep-alive 5 --max-requests 1000 --max-requests-jitter 100 --worker-tmp-dir /dev/shm --no-control-socket --access-logfile -"

RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /nonexistent --no-create-home \
       --shell /usr/sbin/nologin portal

# WeasyPrint renders the yearly report and the printable documents to PDF with Pango, in the
# CJK fonts the pages name.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Requirements first: the dependency layer is rebuilt only when they change.
COPY requirements.txt .
RUN pip install -r requirements.txt

# The code stays owned by root: the service user can read it, not change it.
COPY . .

# Static files are collected into the image and served by whitenoise. Settings refuse to load
# without a secret when debug is off; this dummy exists only for this step and is never used to
# sign anything (compose requires the real DJANGO_SECRET_KEY at run time).
# Translations (.mo) come compiled from the repository: the slim image has no gettext.
RUN DJANGO_SECRET_KEY=build-only-dummy-key-never-used-at-run-time-0123456789abcdef \
    python manage.py collectstatic --noinput \
    && mkdir -p /var/lib/portal/media /var/lib/celery \
    && chown portal:portal /var/lib/portal/media /var/lib/celery

USER portal
EXPOSE 8000

# /healthz is exempt from the HTTPS redirect; the forwarded-proto header makes the probe look like
# proxied HTTPS anyway, and the Host header is the first allowed host (localhost if a wildcard).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('DJANGO_ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.*') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=4)"]

CMD ["gunicorn", "portal.wsgi:application"]

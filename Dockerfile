# syntax=docker/dockerfile:1

# Three stages: front-end assets (Node from Debian), Python dependencies (a virtualenv), and a slim
# runtime that holds neither Node nor build tools.

# --- 1. Front-end assets: GOV.UK Frontend compiled with the service's own Sass settings ---------------
FROM python:3.12-slim AS assets

RUN apt-get update \
    && apt-get install --yes --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-frontend.mjs scripts/
COPY static/ static/
RUN npm run build

# --- 2. Python dependencies -----------------------------------------------------------------------
# pyproject.toml declares no importable packages ([tool.setuptools] packages = []), so `pip install .`
# installs only the dependencies; the source tree is copied into the runtime stage as it is.
FROM python:3.12-slim AS python-deps

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /build
COPY pyproject.toml ./
RUN pip install .

# --- 3. Runtime -----------------------------------------------------------------------------------
FROM python:3.12-slim AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=lfpse.settings.production

RUN groupadd --system --gid 10001 lfpse \
    && useradd --system --uid 10001 --gid lfpse --home-dir /app --shell /usr/sbin/nologin lfpse

COPY --from=python-deps /opt/venv /opt/venv

WORKDIR /app
COPY . .
COPY --from=assets /build/static/build/ static/build/
COPY --from=assets /build/static/govuk-frontend/ static/govuk-frontend/

# collectstatic only needs a placeholder key; the real SECRET_KEY comes from the environment at run
# time. var/ is the one directory the service writes to (file-based email, the beat schedule).
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && mkdir -p var/mail \
    && chown -R lfpse:lfpse var

USER lfpse

EXPOSE 8000

# Gunicorn reads the number of workers from WEB_CONCURRENCY (default 1).
CMD ["gunicorn", "lfpse.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]

# syntax=docker/dockerfile:1
# One image for the Rasa server and the action server (docker-compose.yml, deploy/helm/),
# installed the way the Makefile installs .venv: Rasa and rasa-sdk without their
# declared dependencies (they declare Python <3.11 but run on 3.11), then
# requirements.txt pinned by constraints.txt. The model is trained into the image.
#
#   docker build -t passordhjelp:latest .
#
# Entry point `python -m runtime.rasa_server` (the `rasa` command with our speed-up),
# so Rasa's Helm chart can pass its own arguments; the action server runs with
# `python -m runtime.action_server` (see docker-compose.yml).
#
# The image is for production: PASSORDHJELP_ENV=production (the REST channel, whose
# sender ids nobody verifies, answers 404) and the production channels. Development
# has to be asked for: -e PASSORDHJELP_ENV=development and --credentials credentials.yml.

# --- the web chat's pinned front-end assets (web/package-lock.json), as `make run` ---
FROM node:20-bookworm-slim AS webchat
WORKDIR /web
COPY web/package.json web/package-lock.json ./
# --omit=dev: axe-core is for the accessibility tests only.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- Python 3.11, Rasa, the project and its trained model ---
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    RASA_TELEMETRY_ENABLED=false \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    TF_CPP_MIN_LOG_LEVEL=2 \
    MPLCONFIGDIR=/tmp/matplotlib \
    PASSORDHJELP_DATA_DIR=/app/var \
    PASSORDHJELP_ENV=production \
    PASSORDHJELP_CREDENTIALS=deploy/credentials.production.yml

RUN python -m venv /opt/venv \
 && pip install --quiet --upgrade pip==24.0

WORKDIR /app
COPY requirements.txt constraints.txt ./
RUN pip install --quiet --no-deps --ignore-requires-python rasa==3.6.21 rasa-sdk==3.6.2 \
 && pip install --quiet -r requirements.txt -c constraints.txt

COPY . .
COPY --from=webchat /web/node_modules web/node_modules

RUN rasa train --fixed-model-name passordhjelp --out models \
 && rm -rf .rasa \
 && useradd --create-home --uid 1001 --gid 0 passordhjelp \
 && mkdir -p var \
 && chown -R 1001:0 var \
 && chmod -R g=u var

USER 1001
EXPOSE 5005 5055

ENTRYPOINT ["python", "-m", "runtime.rasa_server"]
CMD ["run", "--model", "models/passordhjelp.tar.gz", "--port", "5005", \
     "--endpoints", "deploy/endpoints.postgres-redis.yml", \
     "--credentials", "deploy/credentials.production.yml"]

# Production image: gunicorn web app, also used for the Celery worker and beat
# (see docker-compose.yml). Build: docker build -t olteams .
FROM python:3.12-slim-bookworm

# PYTHONPATH: the source tree in /app comes before site-packages, so the code
# whose BASE_DIR holds templates/, static/ and locale/ is the one imported.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=olteams.settings.prod

# WeasyPrint needs Pango (and HarfBuzz subsetting for fonts); DejaVu has the
# glyphs for euro signs and diacritics in PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . /app
RUN pip install --upgrade pip && pip install .

# Collect static files at build time; the key is a placeholder for this step only.
RUN SECRET_KEY=build-only-collectstatic python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var
USER app

EXPOSE 8000
# Workers and timeouts from the environment (docs/operations.md, "Gunicorn"): the default
# 30 s timeout killed requests a national-scale page could need; 60 s leaves headroom while a
# stuck worker is still recycled.
ENV GUNICORN_WORKERS=3 \
    GUNICORN_TIMEOUT=60 \
    GUNICORN_GRACEFUL_TIMEOUT=30
CMD ["sh", "-c", "exec gunicorn olteams.wsgi:application -b 0.0.0.0:8000 --workers \"$GUNICORN_WORKERS\" --timeout \"$GUNICORN_TIMEOUT\" --graceful-timeout \"$GUNICORN_GRACEFUL_TIMEOUT\""]

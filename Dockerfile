# syntax=docker/dockerfile:1
# The shop's image: gunicorn serving Django, static files collected at build time (whitenoise).
# The same image runs the Celery worker and beat (see docker-compose.yml).
# CI cannot run Docker here; .ci/image_steps executes these same steps on the host.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /build
COPY requirements.txt .
RUN python -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ecommerce.settings.production
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin shop
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY . .
# Static files are part of the image; the secrets here exist only for this build step.
RUN SECRET_KEY=collectstatic-only CHAPA_SECRET_KEY=collectstatic-only CHAPA_WEBHOOK_SECRET=collectstatic-only python manage.py collectstatic --noinput --verbosity 0
USER shop
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD python docker/healthcheck.py
CMD ["gunicorn", "ecommerce.wsgi", "--config", "docker/gunicorn.conf.py"]

# Gridline sync server and PWA, served by gunicorn on port 8000.
# Data (SQLite database, photos, the generated SECRET_KEY) lives in the /data volume;
# set DATABASE_URL to use PostgreSQL instead.

# --- builder: the dependencies, installed from wheels into a virtual environment ---
FROM python:3.11-slim-bookworm AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /build
COPY requirements.txt .
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --only-binary=:all: -r requirements.txt

# --- runtime: the virtual environment and the app, run as an unprivileged user ---
FROM python:3.11-slim-bookworm

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite:////data/gridline.db \
    BLOB_DIR=/data/blobs

# Pango and CJK fonts: WeasyPrint draws the printable PDFs (QR labels, daily reports) with them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0=1.50.12+ds-1 \
       libpangoft2-1.0-0=1.50.12+ds-1 fonts-noto-cjk=1:20220127+repack1-1 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 gridline \
    && useradd --system --uid 10001 --gid gridline --home-dir /nonexistent --no-create-home \
       --shell /usr/sbin/nologin gridline \
    && mkdir -p /data/instance /data/blobs \
    && chown -R gridline:gridline /data

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
COPY gunicorn.conf.py ./
COPY docker/entrypoint.sh docker/entrypoint.sh
COPY sync sync
COPY server server
COPY pwa pwa

# The app keeps its generated SECRET_KEY in /app/instance: point that into the volume.
# The code stays owned by root, so the server cannot change it.
RUN ln -s /data/instance /app/instance \
    && python -m compileall -q server sync

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4)"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--worker-tmp-dir", "/dev/shm"]

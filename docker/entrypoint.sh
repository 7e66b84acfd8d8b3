#!/bin/sh
# Container start: bring the schema up to date, then run the command (gunicorn by default).
set -eu

# /app/instance links here: the SECRET_KEY generated when none is set must outlive the container.
mkdir -p /data/instance "$BLOB_DIR"

# On PostgreSQL, init-db takes an advisory lock, so containers starting together migrate one
# at a time. MIGRATE_ON_START=0 leaves migrating to a release step (`flask --app server init-db`).
if [ "${MIGRATE_ON_START:-1}" = "1" ]; then
    flask --app server init-db
fi

exec "$@"

"""Configuration: the one module that reads the environment."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def from_environment(instance_path: str, given: dict | None = None) -> dict:
    """The settings for an app whose instance folder is `instance_path`; settings in
    `given` are not read (so a test's SECRET_KEY leaves no key file behind)."""
    instance = Path(instance_path)
    given = given or {}
    env = os.environ
    database_url = (given.get("SQLALCHEMY_DATABASE_URI") or env.get("DATABASE_URL")
                    or f"sqlite:///{instance / 'gridline.db'}")
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "BLOB_DIR": env.get("BLOB_DIR") or str(instance / "blobs"),
        "SECRET_KEY": given.get("SECRET_KEY") or _secret_key(instance),
        # Bearer tokens live this long unless revoked.
        "TOKEN_TTL_SECONDS": int(env.get("TOKEN_TTL_SECONDS", 30 * 24 * 3600)),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)),
        "BLOB_MAX_BYTES": int(env.get("BLOB_MAX_BYTES", 15 * 1024 * 1024)),
        "PUSH_MAX_MUTATIONS": int(env.get("PUSH_MAX_MUTATIONS", 500)),
        # PDF pages rendered as images are kept up to this total, least recently used
        # evicted first (a page at the default width is some 100–400 kB).
        "PAGE_CACHE_BYTES": int(float(env.get("GRIDLINE_PAGE_CACHE_MB", 512)) * 1024 * 1024),
        # A pull looks for complaints and actions past their deadline in the caller's
        # projects at most this often per worker (`flask escalate` does it for cron).
        "ESCALATION_CHECK_SECONDS": int(env.get("ESCALATION_CHECK_SECONDS", 300)),
        # Failed logins from one client address per window (server/accounts/throttle.py);
        # counted in the database, so shared by every worker and app server.
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Failed logins in a row after which an account is locked, and the first lock's length
        # (doubled at each further failure, up to an hour).
        "LOGIN_LOCK_AFTER": int(env.get("LOGIN_LOCK_AFTER", 5)),
        "LOGIN_LOCK_SECONDS": int(env.get("LOGIN_LOCK_SECONDS", 60)),
        # The Argon2id parameters new password hashes take (server/accounts/passwords.py).
        "PASSWORD_HASH_PROFILE": env.get("PASSWORD_HASH_PROFILE", "RFC_9106_LOW_MEMORY"),
        # How many reverse proxies (setting X-Forwarded-For/-Proto/-Host) stand in front.
        "PROXY_COUNT": int(env.get("PROXY_COUNT", 0)),
        # The address people reach the app at, for links in QR codes (https://site.example).
        "PUBLIC_URL": env.get("PUBLIC_URL", "").strip() or None,
        # Host names the server answers to (comma-separated); Flask refuses any other Host
        # with a 400. Unset, any host is served, and links need PUBLIC_URL or a local host.
        "TRUSTED_HOSTS": [host.strip() for host in env.get("TRUSTED_HOSTS", "").split(",")
                          if host.strip()] or None,
        "PWA_DIR": env.get("PWA_DIR") or str(Path(__file__).resolve().parent.parent / "pwa"),
    }

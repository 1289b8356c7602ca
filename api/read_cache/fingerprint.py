"""What else an answer depends on: the code that computed it and the settings it read.

A release that changes a resolver, or a restart with another time zone or expiry period,
computes other answers from the same rows; the answers cached before must not be served by it.
The fingerprint is part of every entry's name, so each code-and-settings combination has its
own entries (those of the previous release expire unread).

Settings that cannot change an answer (addresses, secrets, limits, the worker's sizes) are left
out, so that API processes that differ only in those share their cache; any setting not listed
here counts, so a new one is safe by default.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from importlib import metadata
from pathlib import Path

from domain.infra.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("api", "domain", "gamification")
LIBRARIES = ("strawberry-graphql", "graphql-core", "tortoise-orm")
NOT_READ = frozenset(
    {
        "data_dir",
        "database_url",
        "redis_url",
        "redis_prefix",  # the namespace already separates programs
        "jwt_secret",
        "jwt_public_key",
        "jwt_algorithm",
        "jwt_issuer",
        "jwt_audience",
        "dev",
        "host",
        "port",
        "log_level",
        "max_body_bytes",
        "sweep_after_seconds",
        "worker_batch_size",
        "worker_concurrency",
        "worker_metrics_port",
        "cors_origins",
        "cors_allow_credentials",
        "rate_limits",
        "rate_limit_subject_requests",
        "rate_limit_subject_mutations",
        "rate_limit_ip_requests",
        "rate_limit_ip_mutations",
        "webhook_retry_schedule",
        "webhook_timeout_seconds",
        "webhook_disable_after_days",
        "webhook_history_days",
        "webhooks_allow_private",
        "persisted_queries",
        "read_cache",
        "read_cache_ttl_seconds",
        "environ",
    }
)


def fingerprint(settings: Settings) -> bytes:
    """A digest of this process's code (every module of `SOURCES`), the libraries that shape
    its answers, and the settings its reads depend on."""
    digest = hashlib.sha256(code())
    for field in dataclasses.fields(settings):
        if field.name not in NOT_READ:
            digest.update(f"{field.name}={getattr(settings, field.name)!r}\0".encode())
    return digest.digest()[:16]


@functools.cache
def code() -> bytes:
    """The code's part, read once per process."""
    digest = hashlib.sha256()
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=?\0".encode())
    return digest.digest()

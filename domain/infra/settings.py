"""The one settings object, read from `PLAUDIT_*` environment variables.

Every process (API, worker, CLI) builds it once with `Settings.from_env()`. An invalid value raises
`SettingsError` naming the variable, and the CLI turns that into a one-line message and exit code 2.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gamification import retention

JWT_SECRET_FILE = "dev-jwt-secret"
_PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")
_DELAY = re.compile(r"([0-9]{1,7})(s|m|h|d)")
_DELAY_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# About 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h: a day and more of retries (Standard Webhooks).
DEFAULT_WEBHOOK_RETRY_SCHEDULE: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)


class SettingsError(ValueError):
    """A configuration value is invalid; `variable` names the culprit."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path(".plaudit")
    database_url: str | None = None
    redis_url: str | None = None
    jwt_secret: str | None = None
    jwt_public_key: str | None = None
    jwt_algorithm: str = "HS256"
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    # Allows a generated dev signing secret on PostgreSQL (`serve` refuses to start otherwise).
    dev: bool = False
    timezone: str = "UTC"
    host: str = "127.0.0.1"
    port: int = 8000
    member_backdate_hours: int = 24
    introspection: bool = True
    max_body_bytes: int = 1_000_000
    log_level: str = "INFO"
    sweep_after_seconds: int = 5
    # How many PENDING interactions a worker claims and awards in one transaction.
    worker_batch_size: int = 250
    # Batches one worker process awards at once (None: 2 on PostgreSQL, 1 on SQLite's single
    # writer): while one batch waits on the database, the next is decided.
    worker_concurrency: int | None = None
    tier_window_days: int = 365
    tier_retention_days: int = 365
    points_expire_days: int | None = None
    # Raw interactions older than this many days are deleted nightly (None: kept for ever);
    # see `gamification.retention` for what is kept longer, and why.
    retention_days: int | None = None
    # Every Redis key, queue and channel this program writes starts with it (None: derived).
    redis_prefix: str | None = None
    # Browser origins allowed to call the API (CORS); empty: no cross-origin access.
    cors_origins: tuple[str, ...] = ()
    cors_allow_credentials: bool = False
    # Rate limits (`limits` notation, "N/second|minute|hour|day"), counted in Redis.
    rate_limits: bool = True
    # The standalone worker's Prometheus port (0: off); the API serves /metrics on its own port.
    worker_metrics_port: int = 0
    # Approve submitted content at once instead of queueing it for moderation.
    content_auto_approve: bool = False
    # Entries kept of each closed leaderboard period (`leaderboardArchives`).
    leaderboard_archive_depth: int = 100
    # Insight (RFM, churn risk): the actions whose awarded interactions make a day active
    # (empty: every action), the numeric interaction property summed as "monetary" and the
    # actions it is summed over (None: points credited), whether members see their own
    # insight, and the P(alive) percentages below which a member is HIGH / MEDIUM risk.
    insight_actions: tuple[str, ...] = ()
    insight_monetary_property: str | None = None
    insight_monetary_actions: tuple[str, ...] = ()
    insight_visible_to_members: bool = False
    churn_high_below_percent: int = 30
    churn_medium_below_percent: int = 70
    rate_limit_subject_requests: str = "6000/minute"
    rate_limit_subject_mutations: str = "3000/minute"
    rate_limit_ip_requests: str = "60000/minute"
    rate_limit_ip_mutations: str = "30000/minute"
    # Webhooks: the delays between a delivery's attempts (seconds; after the last one fails the
    # delivery is FAILED), each attempt's time limit, how long an endpoint may fail every
    # attempt before it is disabled, and whether URLs may reach private, loopback or
    # link-local addresses (and plain http), for tests and private networks. Finished
    # deliveries are kept in the delivery log for `webhook_history_days`.
    webhook_retry_schedule: tuple[float, ...] = DEFAULT_WEBHOOK_RETRY_SCHEDULE
    webhook_timeout_seconds: int = 10
    webhook_disable_after_days: int = 5
    webhook_history_days: int = 30
    webhooks_allow_private: bool = False
    # Persisted queries (api/persisted_queries.py): `auto` serves Apollo's automatic persisted
    # queries beside plain documents, `only` runs nothing but the safelist (`plaudit
    # persisted-queries add`), `off` answers PERSISTED_QUERY_NOT_SUPPORTED to hashes.
    persisted_queries: str = "auto"
    # The member read cache (`api.read_cache`): whether members' queries are answered from it,
    # and the longest an answer is kept (shorter when a time boundary comes first). Writers keep
    # the read versions whatever these say, so processes may differ without serving stale.
    read_cache: bool = True
    read_cache_ttl_seconds: int = 3600
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        reader = _Reader(env)
        settings = cls(
            data_dir=Path(reader.text("PLAUDIT_DATA_DIR") or ".plaudit"),
            database_url=reader.database_url("PLAUDIT_DATABASE_URL"),
            redis_url=reader.redis_url("PLAUDIT_REDIS_URL"),
            jwt_secret=reader.text("PLAUDIT_JWT_SECRET"),
            jwt_public_key=reader.pem("PLAUDIT_JWT_PUBLIC_KEY"),
            jwt_algorithm=reader.algorithm("PLAUDIT_JWT_ALGORITHM"),
            jwt_issuer=reader.text("PLAUDIT_JWT_ISSUER"),
            jwt_audience=reader.text("PLAUDIT_JWT_AUDIENCE"),
            dev=reader.boolean("PLAUDIT_DEV", False),
            timezone=reader.timezone("PLAUDIT_TIMEZONE"),
            host=reader.text("PLAUDIT_HOST") or "127.0.0.1",
            port=reader.integer("PLAUDIT_PORT", 8000, low=1, high=65535),
            member_backdate_hours=reader.integer(
                "PLAUDIT_MEMBER_BACKDATE_HOURS", 24, low=0, high=24 * 365
            ),
            introspection=reader.boolean("PLAUDIT_GRAPHQL_INTROSPECTION", True),
            max_body_bytes=reader.integer(
                "PLAUDIT_MAX_BODY_BYTES", 1_000_000, low=1024, high=100_000_000
            ),
            log_level=reader.choice(
                "PLAUDIT_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")
            ),
            sweep_after_seconds=reader.integer("PLAUDIT_SWEEP_AFTER_SECONDS", 5, low=1, high=3600),
            worker_batch_size=reader.integer("PLAUDIT_WORKER_BATCH_SIZE", 250, low=1, high=2000),
            worker_concurrency=(
                reader.integer("PLAUDIT_WORKER_CONCURRENCY", 1, low=1, high=16)
                if reader.text("PLAUDIT_WORKER_CONCURRENCY")
                else None
            ),
            tier_window_days=reader.integer("PLAUDIT_TIER_WINDOW_DAYS", 365, low=1, high=3650),
            tier_retention_days=reader.integer(
                "PLAUDIT_TIER_RETENTION_DAYS", 365, low=1, high=3650
            ),
            points_expire_days=(
                reader.integer("PLAUDIT_POINTS_EXPIRE_DAYS", 0, low=1, high=36500)
                if reader.text("PLAUDIT_POINTS_EXPIRE_DAYS")
                else None
            ),
            retention_days=(
                reader.integer(
                    "PLAUDIT_RETENTION_DAYS", 0, low=1, high=retention.MAX_RETENTION_DAYS
                )
                if reader.text("PLAUDIT_RETENTION_DAYS")
                else None
            ),
            redis_prefix=reader.redis_prefix("PLAUDIT_REDIS_PREFIX"),
            cors_origins=reader.origins("PLAUDIT_CORS_ORIGINS"),
            cors_allow_credentials=reader.boolean("PLAUDIT_CORS_ALLOW_CREDENTIALS", False),
            rate_limits=reader.boolean("PLAUDIT_RATE_LIMITS", True),
            worker_metrics_port=reader.integer("PLAUDIT_WORKER_METRICS_PORT", 0, low=0, high=65535),
            content_auto_approve=reader.boolean("PLAUDIT_CONTENT_AUTO_APPROVE", False),
            leaderboard_archive_depth=reader.integer(
                "PLAUDIT_LEADERBOARD_ARCHIVE_DEPTH", 100, low=1, high=10_000
            ),
            insight_actions=reader.keys("PLAUDIT_INSIGHT_ACTIONS"),
            insight_monetary_property=reader.identifier("PLAUDIT_INSIGHT_MONETARY_PROPERTY"),
            insight_monetary_actions=reader.keys("PLAUDIT_INSIGHT_MONETARY_ACTIONS"),
            insight_visible_to_members=reader.boolean("PLAUDIT_INSIGHT_VISIBLE_TO_MEMBERS", False),
            churn_high_below_percent=reader.integer(
                "PLAUDIT_CHURN_HIGH_BELOW_PERCENT", 30, low=0, high=100
            ),
            churn_medium_below_percent=reader.integer(
                "PLAUDIT_CHURN_MEDIUM_BELOW_PERCENT", 70, low=0, high=100
            ),
            rate_limit_subject_requests=reader.rate(
                "PLAUDIT_RATE_LIMIT_SUBJECT_REQUESTS", "6000/minute"
            ),
            rate_limit_subject_mutations=reader.rate(
                "PLAUDIT_RATE_LIMIT_SUBJECT_MUTATIONS", "3000/minute"
            ),
            rate_limit_ip_requests=reader.rate("PLAUDIT_RATE_LIMIT_IP_REQUESTS", "60000/minute"),
            rate_limit_ip_mutations=reader.rate("PLAUDIT_RATE_LIMIT_IP_MUTATIONS", "30000/minute"),
            webhook_retry_schedule=reader.delays(
                "PLAUDIT_WEBHOOK_RETRY_SCHEDULE", DEFAULT_WEBHOOK_RETRY_SCHEDULE
            ),
            webhook_timeout_seconds=reader.integer(
                "PLAUDIT_WEBHOOK_TIMEOUT_SECONDS", 10, low=1, high=30
            ),
            webhook_disable_after_days=reader.integer(
                "PLAUDIT_WEBHOOK_DISABLE_AFTER_DAYS", 5, low=1, high=365
            ),
            webhook_history_days=reader.integer(
                "PLAUDIT_WEBHOOK_HISTORY_DAYS", 30, low=1, high=3650
            ),
            webhooks_allow_private=reader.boolean("PLAUDIT_WEBHOOKS_ALLOW_PRIVATE", False),
            persisted_queries=reader.choice(
                "PLAUDIT_PERSISTED_QUERIES", "AUTO", ("AUTO", "ONLY", "OFF")
            ).lower(),
            read_cache=reader.boolean("PLAUDIT_READ_CACHE", True),
            read_cache_ttl_seconds=reader.integer(
                "PLAUDIT_READ_CACHE_TTL_SECONDS", 3600, low=1, high=86400
            ),
            environ=env,
        )
        if settings.churn_high_below_percent > settings.churn_medium_below_percent:
            raise SettingsError(
                "PLAUDIT_CHURN_HIGH_BELOW_PERCENT",
                "must not be above PLAUDIT_CHURN_MEDIUM_BELOW_PERCENT",
            )
        if (
            settings.retention_days is not None
            and settings.retention_days < retention.MIN_RETENTION_DAYS
        ):
            raise SettingsError(
                "PLAUDIT_RETENTION_DAYS",
                f"must be at least {retention.MIN_RETENTION_DAYS} (the insight refresh reads "
                f"the {retention.INSIGHT_WINDOW_DAYS} days up to yesterday, a monthly limit a "
                f"month), got {settings.retention_days}",
            )
        if settings.jwt_secret and settings.jwt_public_key:
            raise SettingsError(
                "PLAUDIT_JWT_PUBLIC_KEY", "set either PLAUDIT_JWT_SECRET or PLAUDIT_JWT_PUBLIC_KEY"
            )
        if settings.jwt_public_key and settings.jwt_algorithm == "HS256":
            raise SettingsError(
                "PLAUDIT_JWT_ALGORITHM", "a public key needs RS256 or ES256 (not HS256)"
            )
        if settings.jwt_secret and settings.jwt_algorithm != "HS256":
            raise SettingsError("PLAUDIT_JWT_ALGORITHM", "a shared secret needs HS256")
        if settings.jwt_secret is not None and len(settings.jwt_secret) < 32:
            raise SettingsError("PLAUDIT_JWT_SECRET", "must be at least 32 characters long")
        if "*" in settings.cors_origins and settings.cors_allow_credentials:
            # Browsers refuse credentialed responses to `*`; listing the origins is the fix.
            raise SettingsError(
                "PLAUDIT_CORS_ORIGINS",
                "'*' cannot be used with PLAUDIT_CORS_ALLOW_CREDENTIALS=true; list the origins",
            )
        return settings

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def uses_sqlite(self) -> bool:
        return self.database_url is None or self.database_url.startswith("sqlite")

    @property
    def batches_at_once(self) -> int:
        """PLAUDIT_WORKER_CONCURRENCY, or its default: SQLite has a single writer."""
        if self.worker_concurrency is not None:
            return 1 if self.uses_sqlite else self.worker_concurrency
        return 1 if self.uses_sqlite else 2

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "plaudit.sqlite3"

    @property
    def database_identity(self) -> str:
        """Which database this is, without credentials: `postgres://host:port/name` or the
        SQLite file's absolute path."""
        if self.uses_sqlite:
            path = self.database_url.removeprefix("sqlite://") if self.database_url else None
            return str(Path(path or self.sqlite_path).resolve())
        assert self.database_url is not None
        url = urlsplit(self.database_url)
        name = url.path.lstrip("/") or "plaudit"
        return f"postgres://{url.hostname or '127.0.0.1'}:{url.port or 5432}/{name}"

    @property
    def redis_namespace(self) -> str:
        """The program's Redis namespace: `PLAUDIT_REDIS_PREFIX`, or `plaudit:` and a short
        hash of the database identity, so two programs never share keys by accident."""
        if self.redis_prefix:
            return self.redis_prefix
        digest = hashlib.sha256(self.database_identity.encode()).hexdigest()[:10]
        return f"plaudit:{digest}"

    @property
    def embedded_redis(self) -> bool:
        return self.redis_url is None

    def jwt_signing_key(self) -> str:
        """The HS256 key: the configured secret, or a dev secret generated once in the data dir."""
        if self.jwt_secret:
            return self.jwt_secret
        if self.jwt_public_key:
            raise SettingsError(
                "PLAUDIT_JWT_PUBLIC_KEY",
                "tokens are verified with a public key; Plaudit cannot sign",
            )
        path = self.data_dir / JWT_SECRET_FILE
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()

    def jwt_verification_key(self) -> str:
        return self.jwt_public_key or self.jwt_signing_key()


class _Reader:
    """Parses one variable at a time and names it when the value is wrong."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def text(self, name: str) -> str | None:
        value = self.env.get(name, "").strip()
        return value or None

    def integer(self, name: str, default: int, *, low: int, high: int) -> int:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(name, f"expected a whole number, got {raw!r}") from None
        if not low <= value <= high:
            raise SettingsError(name, f"must be between {low} and {high}, got {value}")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        raw = self.text(name)
        if raw is None:
            return default
        lowered = raw.lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise SettingsError(name, f"expected true or false, got {raw!r}")

    def choice(self, name: str, default: str, options: tuple[str, ...]) -> str:
        raw = self.text(name)
        if raw is None:
            return default
        if raw.upper() not in options:
            raise SettingsError(name, f"expected one of {', '.join(options)}, got {raw!r}")
        return raw.upper()

    def timezone(self, name: str) -> str:
        raw = self.text(name) or "UTC"
        try:
            ZoneInfo(raw)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(name, f"unknown time zone {raw!r}") from None
        return raw

    def algorithm(self, name: str) -> str:
        raw = self.text(name)
        if raw is None:
            return "RS256" if self.text("PLAUDIT_JWT_PUBLIC_KEY") else "HS256"
        if raw not in ("HS256", "RS256", "ES256"):
            raise SettingsError(name, f"expected HS256, RS256 or ES256, got {raw!r}")
        return raw

    def pem(self, name: str) -> str | None:
        raw = self.text(name)
        if raw is None:
            return None
        raw = raw.replace("\\n", "\n")
        if "BEGIN" not in raw or "PUBLIC KEY" not in raw:
            raise SettingsError(name, "expected a PEM public key (-----BEGIN PUBLIC KEY-----)")
        return raw

    def database_url(self, name: str) -> str | None:
        raw = self.text(name)
        if raw is None:
            return None
        if raw.startswith("postgresql://"):
            raw = "postgres://" + raw.removeprefix("postgresql://")
        if not raw.startswith(("postgres://", "sqlite://")):
            raise SettingsError(name, "expected a postgres:// or sqlite:// URL")
        return raw

    def redis_prefix(self, name: str) -> str | None:
        raw = self.text(name)
        if raw is None:
            return None
        if not _PREFIX.fullmatch(raw):
            raise SettingsError(
                name, "expected 1 to 64 letters, digits and . _ - : (no braces, no spaces)"
            )
        return raw.rstrip(":")

    def identifier(self, name: str) -> str | None:
        """A property name of letters, digits and underscores (it is written into SQL)."""
        raw = self.text(name)
        if raw is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", raw):
            raise SettingsError(name, f"expected a property name like amount, got {raw[:100]!r}")
        return raw

    def keys(self, name: str) -> tuple[str, ...]:
        """A comma-separated list of action keys (blanks ignored, duplicates dropped)."""
        keys = [raw.strip() for raw in (self.text(name) or "").split(",") if raw.strip()]
        for key in keys:
            if len(key) > 100 or not key.isprintable():
                raise SettingsError(name, f"expected action keys, got {key[:100]!r}")
        return tuple(dict.fromkeys(keys))

    def origins(self, name: str) -> tuple[str, ...]:
        """A comma-separated list of origins (`scheme://host[:port]`, no path), or `*`."""
        origins: list[str] = []
        for raw in (self.text(name) or "").split(","):
            origin = raw.strip().rstrip("/")
            if not origin:
                continue
            if origin != "*" and not _ORIGIN.fullmatch(origin):
                raise SettingsError(
                    name, f"expected origins like https://app.example.com or *, got {raw!r}"
                )
            origins.append(origin)
        return tuple(dict.fromkeys(origins))

    def rate(self, name: str, default: str) -> str:
        """A rate limit in `limits` notation, such as `100/minute` or `10 per second`."""
        from limits import parse

        raw = self.text(name) or default
        try:
            parse(raw)
        except ValueError:
            raise SettingsError(
                name, f"expected a rate such as 100/minute or 10/second, got {raw!r}"
            ) from None
        return raw

    def delays(self, name: str, default: tuple[float, ...]) -> tuple[float, ...]:
        """Comma-separated delays such as `5s,5m,2h,1d` (1 to 20 of them, each 1 s to 7 days),
        in seconds."""
        raw = self.text(name)
        if raw is None:
            return default
        delays = []
        for item in raw.split(","):
            match = _DELAY.fullmatch(item.strip())
            if match is None:
                raise SettingsError(
                    name, f"expected delays such as 5s,5m,30m,2h,1d, got {item.strip()[:40]!r}"
                )
            seconds = int(match[1]) * _DELAY_UNITS[match[2]]
            if not 1 <= seconds <= 7 * 86400:
                raise SettingsError(name, f"each delay must be 1s to 7d, got {item.strip()!r}")
            delays.append(float(seconds))
        if len(delays) > 20:
            raise SettingsError(name, f"at most 20 delays, got {len(delays)}")
        return tuple(delays)

    def redis_url(self, name: str) -> str | None:
        raw = self.text(name)
        if raw is None:
            return None
        if not raw.startswith(("redis://", "rediss://", "unix://")):
            raise SettingsError(name, "expected a redis://, rediss:// or unix:// URL")
        return raw

"""`plaudit token`: a token signed with PLAUDIT_JWT_SECRET or, when it is not set, with the dev
secret generated in the data dir (the one `plaudit serve` verifies with): for trying the API by
hand."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

from api.cli.common import Commands
from domain.infra.settings import Settings, SettingsError
from gamification.moments import LAST_YEAR, MomentError, checked_moment


def register(commands: Commands) -> None:
    """Adds token."""
    token = commands.add_parser(
        "token", help="mint a token (PLAUDIT_JWT_SECRET, or the dev secret in the data dir)"
    )
    token.add_argument("--role", choices=["member", "admin", "service"], required=True)
    token.add_argument("--sub", required=True, help="the subject (member id for members)")
    token.add_argument("--ttl", default="24h", help="lifetime: 90s, 15m, 24h, 30d (default 24h)")
    token.set_defaults(handler=_token)


def _token(settings: Settings, args: argparse.Namespace) -> int:
    from api.auth import Role, mint_token

    print(mint_token(settings, args.sub, Role(args.role), _duration(args.ttl)))
    return 0


def _duration(text: str) -> timedelta:
    """`--ttl` is checked here, not by argparse, to be refused as a setting is: in one line
    naming it, exit 2."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        amount, unit = int(text[:-1]), units[text[-1]]
    except (ValueError, KeyError, IndexError):
        raise SettingsError("--ttl", f"expected e.g. 90s, 15m, 24h or 30d, got {text!r}") from None
    if amount <= 0:
        raise SettingsError("--ttl", "must be positive")
    try:  # the expiry is a date like any other: within the supported years
        ttl = timedelta(seconds=amount * unit)
        checked_moment(datetime.now(UTC) + ttl)
    except (OverflowError, MomentError):
        raise SettingsError(
            "--ttl", f"too long: the token would expire after {LAST_YEAR}"
        ) from None
    return ttl

"""`plaudit token`: a token signed with PLAUDIT_JWT_SECRET or, when it is not set, with the dev
secret generated in the data dir (the one `plaudit serve` verifies with): for trying the API by
hand."""

from __future__ import annotations

import argparse

from api.cli.common import Commands, duration
from domain.infra.settings import Settings


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

    print(mint_token(settings, args.sub, Role(args.role), duration(args.ttl)))
    return 0

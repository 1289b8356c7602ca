"""`plaudit console-link`: a one-time sign-in URL for the admin console, for the dev admin.

The link holds a short-lived code signed with the program's HS256 key (the dev secret in the
data dir, or PLAUDIT_JWT_SECRET), usable once within 15 minutes (`api.console.links`); the
session it opens lasts `--ttl`. With tokens verified by a public key Plaudit cannot sign: the
command says so (exit 2), and admins sign in with a token from the identity provider.
"""

from __future__ import annotations

import argparse

from api.cli.common import Commands, duration
from domain.infra.settings import Settings

WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def register(commands: Commands) -> None:
    """Adds console-link."""
    link = commands.add_parser(
        "console-link", help="print a one-time sign-in URL for the admin console (/admin)"
    )
    link.add_argument("--sub", default="dev-admin", help="the admin's subject (default dev-admin)")
    link.add_argument("--ttl", default="8h", help="the session's length: 30m, 8h... (default 8h)")
    link.add_argument(
        "--base-url",
        default=None,
        help="the server's address as a browser reaches it (default http://PLAUDIT_HOST:PORT)",
    )
    link.set_defaults(handler=_console_link)


def _console_link(settings: Settings, args: argparse.Namespace) -> int:
    from api.console.links import LINK_TTL, mint_link

    session = duration(args.ttl)
    code = mint_link(settings, args.sub, session)
    base = (args.base_url or _served_at(settings)).rstrip("/")
    minutes = int(LINK_TTL.total_seconds() // 60)
    print(f"One-time sign-in link for {args.sub} (open it within {minutes} minutes):")
    print(f"  {base}/admin/login/link?code={code}")
    return 0


def _served_at(settings: Settings) -> str:
    host = "127.0.0.1" if settings.host in WILDCARD_HOSTS else settings.host
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"

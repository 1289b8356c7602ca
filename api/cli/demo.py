"""`plaudit demo`: a small program (actions, tiers, badges, members...) to try the API on."""

from __future__ import annotations

import argparse

from api.cli.common import Commands, run_with_runtime
from domain.infra.settings import Settings


def register(commands: Commands) -> None:
    """Adds demo."""
    demo = commands.add_parser("demo", help="load a small demo program")
    demo.set_defaults(handler=_demo)


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from domain import demo

    print(run_with_runtime(settings, demo.load, migrate=True))
    return 0

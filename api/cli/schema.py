"""`plaudit schema`: the GraphQL schema (SDL), as committed in schema.graphql."""

from __future__ import annotations

import argparse
import sys

from api.cli.common import Commands
from domain.infra.settings import Settings


def register(commands: Commands) -> None:
    """Adds schema."""
    schema = commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    schema.set_defaults(handler=_schema)


def _schema(settings: Settings, args: argparse.Namespace) -> int:
    from api.schema import schema_sdl

    sys.stdout.write(schema_sdl())
    return 0

"""arq tasks: each one a thin call into a domain service."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from domain import interactions
from domain.runtime import Runtime


def _runtime(ctx: dict[str, Any]) -> Runtime:
    runtime: Runtime = ctx["runtime"]
    return runtime


async def process_interaction(ctx: dict[str, Any], interaction_id: int) -> str | None:
    interaction = await interactions.process_interaction(_runtime(ctx), int(interaction_id))
    return interaction.status.value if interaction else None


async def sweep_pending(ctx: dict[str, Any]) -> int:
    runtime = _runtime(ctx)
    older_than = timedelta(seconds=runtime.settings.sweep_after_seconds)
    return await interactions.sweep_pending(runtime, older_than)

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from domain.runtime import Runtime
from tests.api.read_cache.common import Clock


@pytest.fixture
def clock(runtime: Runtime) -> Iterator[Clock]:
    """The runtime's clock (what "today" is for reads and grants), frozen at noon UTC today and
    moved by the test only; the real one again afterwards."""
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    fake, real = Clock(today), runtime.clock
    runtime.clock = fake
    yield fake
    runtime.clock = real

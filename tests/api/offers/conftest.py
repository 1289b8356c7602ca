from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from domain.runtime import Runtime
from tests.api.read_cache.common import Clock


@pytest.fixture
def clock(runtime: Runtime) -> Iterator[Clock]:
    """The runtime's clock, frozen at the real time and moved by the test only (a member may
    answer again a day later without waiting); the real one afterwards."""
    fake, real = Clock(datetime.now(UTC)), runtime.clock
    runtime.clock = fake
    yield fake
    runtime.clock = real

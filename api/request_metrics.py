"""Counts and times every GraphQL operation for Prometheus (`domain.infra.metrics`).

A schema extension rather than an HTTP middleware: the operation's name and type are only known
once the document is parsed, and the outcome once errors are masked. It runs first among the
schema's extensions, so the codes it sees are those the client gets.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from graphql import ExecutionResult
from strawberry.extensions import SchemaExtension

from domain.infra import metrics

log = logging.getLogger("plaudit.metrics")


class RequestMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        failed = False
        try:
            yield
        except BaseException:  # a document that fails to parse ends the operation this way
            failed = True
            raise
        finally:
            # Metrics must never break a request: whatever goes wrong here is logged, not raised.
            try:
                self._observe(time.perf_counter() - started, failed)
            except Exception:
                log.warning("could not record a request's metrics", exc_info=True)

    def _observe(self, seconds: float, failed: bool) -> None:
        context = self.execution_context
        try:
            name, kind = context.operation_name, context.operation_type.value
        except Exception:  # the document did not parse, or named no operation it holds
            name, kind = None, "unknown"
        result = context.result
        errors = list(result.errors or []) if isinstance(result, ExecutionResult) else []
        # A document that fails to parse or validate never executes: its errors are kept apart.
        errors = errors or list(context.pre_execution_errors or [])
        codes = [(error.extensions or {}).get("code") for error in errors]
        if failed and not codes:
            codes = [None]  # "error"
        metrics.observe_request(name, kind, [str(c) if c else None for c in codes], seconds)

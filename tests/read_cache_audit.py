"""Every transaction that writes what a member reads says so: the member read cache's net.

Cached answers are dropped by the writes that say whose reads they change
(`domain.infra.db.touch_member`, `touch_program`, and the choke points that call them:
`lock_member`, `Session.open`, `audit.upsert_by_key`, `definitions.changed`). A write path that
forgets would serve stale answers. This module watches every statement the test server runs
(Tortoise logs each one on `tortoise.db_client`) and notes, per `transaction()`, the tables it
wrote; `Audit.check` fails a test in which a transaction wrote a table in `READ` without touching
anything. Every test that uses the server is watched (tests/conftest.py), so a new write path
is caught by the first test that takes it.

Statements outside a `transaction()` are not checked: in production they write only what no
cached answer reads (interactions, the published flag of events) or create a member without
changing one (enrolment, `INSERT ... ON CONFLICT DO NOTHING`), and tests set rows up that way.

Every table is classified (`READ` or `NOT_READ`): `tables_unclassified` names a new one, so
that whoever adds it decides whether cached answers read it.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from typing import Any

from domain.infra import db
from tests.helpers import Counter

# Tables that answers the read cache keeps are computed from (`api.read_cache.documents.ROOTS`).
READ = frozenset(
    {
        "action",
        "activity_day",
        "activity_stats",
        "badge",
        "challenge",
        "challenge_participant",
        "churn_fit",
        "content",
        "ledger_entry",
        "member",
        "member_badge",
        "member_event",
        "member_insight",
        "program_version",
        "questionnaire",
        "questionnaire_answer",
        "questionnaire_answer_choice",
        "questionnaire_submission",
        "redemption",
        "referral",
        "referral_program",
        "reward",
        "streak_freeze_policy",
        "streak_frozen_day",
        "tier",
    }
)
# Tables no cached answer reads: raw interactions (`interaction(id)` is not cached), what other
# members did (votes, scores: volatile or not cached), admin-only and delivery bookkeeping.
NOT_READ = frozenset(
    {
        "aerich",
        "audit_record",
        "campaign",
        "campaign_member",
        "content_vote",
        "interaction",
        "leaderboard_archive",
        "leaderboard_score",
        "member_attempt",
        # Partners and their monthly totals: admin-only reads (`partners`), never cached.
        "partner",
        "partner_budget",
        "persisted_query",
        "webhook_delivery",
        "webhook_endpoint",
        "webhook_message",
    }
)

_WRITE = re.compile(
    r'\b(?:INSERT\s+INTO|DELETE\s+FROM)\s+"?(\w+)"?|\bUPDATE\s+"?(\w+)"?\s+SET\b', re.I
)
# Enrolment: creates members, changes none (an existing id is left alone).
_ENROLMENT = re.compile(r'INSERT\s+INTO\s+"?member"?\s.*ON CONFLICT \(id\) DO NOTHING', re.S)


def written_tables(statement: str) -> set[str]:
    """The tables a statement writes (`SELECT ... FOR UPDATE` writes none)."""
    if _ENROLMENT.search(statement):
        return set()
    return {(a or b).lower() for a, b in _WRITE.findall(statement)}


class Audit(logging.Filter):
    """The tables written by each transaction() meanwhile, and the transaction (whose touches
    are final once it ended). A filter of Tortoise's statement logger: it sees every statement
    and lets none through (they would reach pytest's captured log), except while
    `tests.helpers.counting` counts them."""

    def __init__(self, logger: logging.Logger) -> None:
        super().__init__()
        self.logger = logger
        self.writes: dict[int, tuple[Any, set[str]]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        self._note(record)
        return any(isinstance(handler, Counter) for handler in self.logger.handlers)

    def _note(self, record: logging.LogRecord) -> None:
        commit = db._commit.get()
        if commit is None:
            return
        args = record.args
        statement = args[0] if isinstance(args, tuple) and args else record.msg
        tables = written_tables(str(statement)) & READ
        if not tables:
            return
        # Keyed by identity, the transaction kept alive: an id is never reused meanwhile.
        self.writes.setdefault(id(commit), (commit, set()))[1].update(tables)

    def untouched(self) -> list[set[str]]:
        """The tables of each transaction that wrote what members read and touched nobody."""
        return [tables for commit, tables in self.writes.values() if not commit.touched]


@contextlib.contextmanager
def audit() -> Iterator[Audit]:
    """Watch every statement meanwhile (`Audit`)."""
    logger = logging.getLogger("tortoise.db_client")
    watcher = Audit(logger)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addFilter(watcher)
    try:
        yield watcher
    finally:
        logger.removeFilter(watcher)
        logger.setLevel(level)


def tables_unclassified(tables: set[str]) -> set[str]:
    return tables - READ - NOT_READ

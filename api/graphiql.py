"""GraphiQL as Plaudit serves it: it opens on a real example instead of the stock welcome text.

Strawberry's view renders a fixed GraphiQL page and has no option for its first query, so the
page's `GraphiQL` element gets a `defaultQuery`. GraphiQL shows it only when the URL and the
browser's storage hold no query of their own, so a returning user keeps their work.
"""

from __future__ import annotations

import functools
import json

# The mobile app's progress screen, as the README shows it (the bench reads it too).
PROGRESS_QUERY = """\
query Progress {
  me {
    points { balance }
    tier { current { key name } next { key } pointsToNext }
    badges { badge { key name imageUrl } earned earnedAt
             progress { goal { metric action target } current completed } }
    challenges(status: ACTIVE) { challenge { key name endsAt rewardBadge { key } }
                                 enrolled progress { current completed } completed }
    streaks { action current longest lastActiveOn }
  }
}
"""

EXAMPLE_QUERY = (
    """\
# Welcome to Plaudit. Queries about a member need a token: open the Headers tab below and paste
#   {"Authorization": "Bearer <token>"}
# (`make run` prints a dev admin token; mint a member's with
#  `.venv/bin/plaudit token --role member --sub demo-ada`, after `.venv/bin/plaudit demo`).

# The mobile app's progress screen:
"""
    + PROGRESS_QUERY
)

_ANCHOR = "defaultEditorToolsVisibility: true,"


@functools.cache
def with_example(page: str, query: str = EXAMPLE_QUERY) -> str:
    """Strawberry's GraphiQL page, opening on `query`. Raises if the page no longer has the
    place the query goes (a Strawberry upgrade changed it), rather than silently losing it."""
    if _ANCHOR not in page:
        raise RuntimeError("Strawberry's GraphiQL page changed: cannot set its default query")
    # json.dumps gives a JavaScript string literal; "</" is escaped so it cannot end the script.
    literal = json.dumps(query).replace("</", "<\\/")
    return page.replace(_ANCHOR, f"{_ANCHOR}\n          defaultQuery: {literal},", 1)

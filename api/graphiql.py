"""GraphiQL as Plaudit serves it: from its own assets, opening on a real example.

Strawberry's view renders a fixed GraphiQL page that loads React, GraphiQL and its explorer from
a CDN, so offline (or behind a firewall) it showed only "Loading...". `with_local_assets` points
each of those URLs at the same files served by Plaudit (`api/graphiql_assets/`, mounted at
`ASSETS_PATH`): byte-for-byte copies, so the page's integrity hashes still hold. A Strawberry
upgrade that loads something else fails loudly here rather than silently from a CDN again.

The page has no option for its first query, so its `GraphiQL` element gets a `defaultQuery`.
GraphiQL shows it only when the URL and the browser's storage hold no query of their own, so a
returning user keeps their work.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

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
# The page passes its stock welcome text as the controlled `query`, which wins over any
# `defaultQuery`: without a query in the URL it must pass none.
_STOCK_QUERY = "parameters.q || EXAMPLE_QUERY,"

ASSETS = Path(__file__).parent / "graphiql_assets"
ASSETS_PATH = "/graphiql/assets"
# Strawberry's CDN URLs and the local copy of each (see graphiql_assets/README.md).
CDN = "https://unpkg.com/"
LOCAL_COPIES = {
    "react@18.2.0/umd/react.production.min.js": "react-18.2.0.production.min.js",
    "react-dom@18.2.0/umd/react-dom.production.min.js": "react-dom-18.2.0.production.min.js",
    "js-cookie@3.0.5/dist/js.cookie.min.js": "js-cookie-3.0.5.min.js",
    "graphiql@3.8.3/graphiql.min.css": "graphiql-3.8.3.min.css",
    "graphiql@3.8.3/graphiql.min.js": "graphiql-3.8.3.min.js",
    "@graphiql/plugin-explorer@1.0.2/dist/style.css": "graphiql-plugin-explorer-1.0.2.css",
    "@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": "graphiql-plugin-explorer-1.0.2.umd.js",
}


@functools.cache
def with_local_assets(page: str) -> str:
    """Strawberry's GraphiQL page, loading every asset from Plaudit itself. Raises if the page
    loads anything else from outside (a Strawberry upgrade changed its versions)."""
    for remote, local in LOCAL_COPIES.items():
        page = page.replace(f'"{CDN}{remote}"', f'"{ASSETS_PATH}/{local}"')
    outside = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    if outside:
        raise RuntimeError(f"Strawberry's GraphiQL page loads assets we do not serve: {outside}")
    return page


@functools.cache
def with_example(page: str, query: str = EXAMPLE_QUERY) -> str:
    """Strawberry's GraphiQL page, opening on `query`. Raises if the page no longer has the
    place the query goes (a Strawberry upgrade changed it), rather than silently losing it."""
    if _ANCHOR not in page or _STOCK_QUERY not in page:
        raise RuntimeError("Strawberry's GraphiQL page changed: cannot set its default query")
    # json.dumps gives a JavaScript string literal; "</" is escaped so it cannot end the script.
    literal = json.dumps(query).replace("</", "<\\/")
    page = page.replace(_STOCK_QUERY, "parameters.q,", 1)
    return page.replace(_ANCHOR, f"{_ANCHOR}\n          defaultQuery: {literal},", 1)

"""GraphiQL works offline: every asset of its page comes from Plaudit itself, byte for byte the
files its integrity hashes name, and the page runs in a browser that can reach nothing else."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

from api import graphiql

BROWSER = {"accept": "text/html"}


async def test_the_graphiql_page_loads_nothing_from_outside(client: Any) -> None:
    page = (await client.get("/graphql", headers=BROWSER)).text
    assert "unpkg.com" not in page and "cdn" not in page.lower()
    assets = re.findall(r'(?:src|href)="(/graphiql/assets/[^"]+)"\s+integrity="([^"]+)"', page)
    local = re.findall(r'(?:src|href)="(/graphiql/assets/[^"]+)"', page)
    assert len(assets) == len(local) == len(graphiql.LOCAL_COPIES)
    for path, integrity in assets:
        response = await client.get(path)
        assert response.status_code == 200, path
        digest = base64.b64encode(hashlib.sha384(response.content).digest()).decode()
        assert integrity == f"sha384-{digest}", path


async def test_graphiql_runs_in_a_browser_that_can_reach_only_plaudit(
    page: Any, server: Any
) -> None:
    own = urlsplit(server.url).netloc
    outside: list[str] = []

    async def only_plaudit(route: Any) -> None:
        if urlsplit(route.request.url).netloc == own or route.request.url.startswith("data:"):
            await route.continue_()
        else:
            outside.append(route.request.url)
            await route.abort()

    await page.route("**/*", only_plaudit)
    await page.goto("/graphql")
    # GraphiQL replaced "Loading..." with its editor, opened on Plaudit's example.
    await page.locator(".graphiql-editor").first.wait_for()
    assert "Loading..." not in await page.locator("#graphiql").inner_text()
    assert "Welcome to Plaudit" in await page.locator(".graphiql-query-editor").inner_text()
    assert outside == []

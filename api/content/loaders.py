"""Members' content pages (`Member.contents`): one query pair per batch of pages."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from domain.community.content import reads as content_reads
from domain.models import Content

# (author id, page size, before id, every status: whether the viewer may see unapproved ones)
PageKey = tuple[str, int, int | None, bool]


async def _load_pages(keys: Sequence[PageKey]) -> list[list[Content]]:
    # Pages asked with the same size, cursor and visibility share one query.
    results: dict[PageKey, list[Content]] = {}
    shapes: dict[tuple[int, int | None, bool], list[str]] = {}
    for author_id, size, before, every_status in keys:
        shapes.setdefault((size, before, every_status), []).append(author_id)
    for (size, before, every_status), author_ids in shapes.items():
        pages = await content_reads.contents_of(author_ids, size, before, every_status)
        for author_id in author_ids:
            results[(author_id, size, before, every_status)] = pages.get(author_id, [])
    return [results[key] for key in keys]


class ContentLoaders:
    def __init__(self) -> None:
        self.pages: DataLoader[PageKey, list[Content]] = DataLoader(load_fn=_load_pages)

"""Links between console pages for values of the program's (member ids are the brand's own
strings: a `/` or `?` in one must not change the path)."""

from __future__ import annotations

from urllib.parse import quote


def member_path(member_id: str) -> str:
    """The member's console page."""
    return "/admin/members/" + quote(member_id, safe="")

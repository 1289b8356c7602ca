"""The read-only pages write some of their text in Python (charts' titles, descriptions,
labels, verdicts, notices): every one of those messages has a French translation too
(`test_i18n.py` covers the templates and the forms)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from api.console import i18n
from api.console.pages import audit, dashboard, insight, leaderboards, webhooks

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
MODULES = [dashboard, insight, leaderboards, webhooks, audit]


def python_messages() -> set[str]:
    found: set[str] = set()
    for module in MODULES:
        path = str(Path(str(module.__file__)))
        for _, message, _, _ in extract_from_file("python", path, KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_the_pages_write_in_python_has_a_french_translation() -> None:
    with i18n.catalog_path("fr").open("rb") as source:
        catalog = read_po(source, locale="fr")
    messages = python_messages()
    assert len(messages) > 50  # the extraction found them
    missing = sorted(m for m in messages if not (catalog.get(m) and catalog.get(m).string))  # type: ignore[union-attr]
    assert not missing, "no French for:\n" + "\n".join(missing)
    # The form's own labels and help, shown through the `input` macro.
    for field in webhooks.FIELDS:
        for text in (field.label, field.help):
            assert text is None or catalog.get(text), text

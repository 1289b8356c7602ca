"""The console's languages: English (the source text) and French, from Babel catalogs.

The language comes from `Accept-Language` (the first supported one by quality), English when
none fits. The French catalog is `locale/fr/LC_MESSAGES/console.po`, read with Babel and
compiled in memory at first use, so there is no build step and no binary file to keep in step.
`tests/api/console/test_i18n.py` checks that every message of the templates and the Python
code has a French translation.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = ("en", "fr")
DEFAULT_LOCALE = "en"
DOMAIN = "console"
LOCALE_DIR = Path(__file__).parent / "locale"
MAX_LANGUAGES = 20  # entries of Accept-Language looked at; a longer header is not a browser's


def catalog_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(locale: str) -> gettext.NullTranslations:
    """The translations of `locale` (identity for English, the source language)."""
    if locale == DEFAULT_LOCALE or locale not in LOCALES:
        return gettext.NullTranslations()
    with catalog_path(locale).open("rb") as source:
        catalog = read_po(source, locale=locale, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def negotiate(accept_language: str | None) -> str:
    """The supported locale the browser prefers most, by `q` then by order; English else."""
    if not accept_language:
        return DEFAULT_LOCALE
    ranked: list[tuple[float, int, str]] = []
    for position, entry in enumerate(accept_language.split(",")[:MAX_LANGUAGES]):
        tag, _, params = entry.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = tag.strip().split("-")[0].lower()
        if quality > 0 and language in LOCALES:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else DEFAULT_LOCALE

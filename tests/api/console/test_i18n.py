"""The console in English and French: the language by Accept-Language, and a French catalog
that has every message the console can show."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from babel.messages.extract import extract
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from api.console import csrf, i18n, rendering
from api.console.definitions import DEFINITIONS
from api.console.errors import TITLES
from api.console.pages.members import ADJUST_FIELDS, GRANT_FIELDS
from api.console.pages.streaks import POLICY_FIELDS
from tests.api.console.conftest import admin_token, new_page

CONSOLE = Path(rendering.__file__).parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
# Python calls whose (positional) argument is a message shown to the admin.
PYTHON_MESSAGES = {"FieldError": 2, "Refused": 2, "Unreadable": 1, "HTTPException": 2}
# Messages of `api.auth.TokenVerifier`, shown on the login form.
VERIFIER_MESSAGES = [
    "the token has expired",
    "the token's audience is not accepted here",
    "the token's issuer is not accepted here",
    "the token is not valid",
    "the token's subject is not valid",
    "the token's role must be member, admin or service",
    "the token's subject is reserved for erased members",
    "only a service token may be scoped to a partner",
    "the token's partner is not valid",
    csrf.REFUSED,
]


def template_messages() -> set[str]:
    found: set[str] = set()
    options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
    for template in (CONSOLE / "templates").glob("*.html"):
        with template.open("rb") as source:
            for _, message, _, _ in extract(babel_extract, source, KEYWORDS, options=options):
                # A plural's entry is known by its singular.
                found.add(message if isinstance(message, str) else message[0])
    return found


def python_messages() -> set[str]:
    """Literal messages passed to the classes that carry them to a page."""
    found: set[str] = set()
    for module in CONSOLE.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = PYTHON_MESSAGES.get(str(name))
            if position is None or len(node.args) < position:
                continue
            argument = node.args[position - 1]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add(argument.value)
    return found


def definition_messages() -> set[str]:
    found = {label for _, label in rendering.NAV} | set(TITLES.values())
    for definition in DEFINITIONS:
        found.add(definition.title)
        found.update(column.label for column in definition.columns)
        fields = list(definition.fields)
        for group in definition.groups:
            found.add(group.legend)
            fields += group.fields
        for field in fields:
            found.add(field.label)
            if field.help:
                found.add(field.help)
    for field in (*ADJUST_FIELDS, *GRANT_FIELDS, *POLICY_FIELDS):
        found.add(field.label)
        if field.help:
            found.add(field.help)
    return found


def test_every_message_of_the_console_has_a_french_translation() -> None:
    with i18n.catalog_path("fr").open("rb") as source:
        catalog = read_po(source, locale="fr")
    messages = (
        template_messages() | python_messages() | definition_messages() | set(VERIFIER_MESSAGES)
    )
    missing = sorted(
        m
        for m in messages
        if not (catalog.get(m) and catalog.get(m).string)  # type: ignore[union-attr]
    )
    assert not missing, "no French for:\n" + "\n".join(missing)
    fuzzy = sorted(str(m.id) for m in catalog if m.id and m.fuzzy)
    assert not fuzzy, f"fuzzy entries are not used: {fuzzy}"


def test_placeholders_are_kept_in_translation() -> None:
    with i18n.catalog_path("fr").open("rb") as source:
        catalog = read_po(source, locale="fr")
    for message in catalog:
        if not message.id or not message.string:
            continue
        source_names = sorted(re.findall(r"%\((\w+)\)s", str(message.id)))
        translated = sorted(re.findall(r"%\((\w+)\)s", str(message.string)))
        assert source_names == translated, f"{message.id!r} → {message.string!r}"


def test_the_language_follows_accept_language() -> None:
    assert i18n.negotiate("fr-FR,fr;q=0.9,en;q=0.8") == "fr"
    assert i18n.negotiate("en-GB,fr;q=0.5") == "en"
    assert i18n.negotiate("de-DE,fr;q=0.4,en;q=0.3") == "fr"
    assert i18n.negotiate("fr;q=0, en") == "en"
    assert i18n.negotiate("de") == "en"
    assert i18n.negotiate(None) == "en"
    assert i18n.negotiate("fr;q=nonsense,en;q=0.1") == "en"


async def test_a_french_browser_gets_the_console_in_french(
    browser: Any, server: Any, settings: Any, axe: Any
) -> None:
    context, page, _ = await new_page(browser, server, locale="fr-FR")
    try:
        await page.goto("/admin/login")
        assert await page.locator("html").get_attribute("lang") == "fr"
        await page.get_by_label("Jeton administrateur").fill(
            admin_token(settings).replace(".", ",", 1)
        )
        await page.get_by_role("button", name="Se connecter").click()
        error = page.locator("#f-token-error")
        await error.wait_for()
        assert "le jeton n\u2019est pas valide" in await error.inner_text()
        await page.get_by_label("Jeton administrateur").fill(admin_token(settings))
        await page.get_by_role("button", name="Se connecter").click()
        await page.wait_for_url(re.compile(r".*/admin/$"))
        await page.goto("/admin/actions")
        await page.get_by_role("heading", name="Actions", level=1).wait_for()
        await page.get_by_label("Clé", exact=True).fill("Pas Une Clé")
        await page.get_by_label("Nom", exact=True).fill("x")
        await page.get_by_label("Points", exact=True).fill("1.5")
        async with page.expect_navigation():
            await page.get_by_role("button", name="Enregistrer").click()
        refused = await page.locator("#f-points-error").inner_text()
        assert "INVALID_INPUT" in refused and "doit être un nombre entier" in refused
        await axe(page)
    finally:
        await context.close()

"""Pages: Jinja2 templates with autoescaping, in the browser's language, with security headers.

`render(request, "page.html", **context)` is how every console handler answers. Templates get:

- `_()` / `gettext()` / `ngettext()` and `{% trans %}`, in the request's language
  (`api.console.i18n`), for the templates' own text; `tr(message, params)` for messages made
  in Python (labels, refusals: `%(name)s` placeholders filled from `params`); `locale`
  itself; the filters `number`, `datetime` and `date` format in it (dates in the program's
  time zone);
- `csrf_field()`: the hidden CSRF input every POST form holds (`api.console.csrf`);
- `admin`: the signed-in admin (`api.auth.Viewer`) or None; `request`; `nav`: the sections.

Everything a template prints is escaped (autoescape on, for every template); nothing is marked
safe unless it was built escaped, like the charts' SVG (`Markup`). Undefined names fail loudly
(`StrictUndefined`), as a page error with a reference rather than a silently empty cell.
The security headers are set by `api.console.app.ConsoleApp` on every response of the console
(pages, redirects, errors, static files); `security_headers` lists them.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from api.console.csrf import FIELD, finish, token_for
from api.console.i18n import DEFAULT_LOCALE, negotiate, translations
from api.console.state import console_of

TEMPLATES = Path(__file__).parent / "templates"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS: Mapping[str, str] = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

# The sections of the navigation, in order: (path, label). Labels are translated in the template.
NAV: tuple[tuple[str, str], ...] = (
    ("/admin/", "Dashboard"),
    ("/admin/actions", "Actions"),
    ("/admin/tiers", "Tiers"),
    ("/admin/rewards", "Rewards"),
    ("/admin/badges", "Badges"),
    ("/admin/challenges", "Challenges"),
    ("/admin/streaks", "Streak freezes"),
    ("/admin/partners", "Partners"),
    ("/admin/questionnaires", "Questionnaires"),
    ("/admin/members", "Members"),
    ("/admin/moderation", "Moderation"),
    ("/admin/leaderboards", "Leaderboards"),
    ("/admin/insight", "Insight"),
    ("/admin/webhooks", "Webhooks"),
    ("/admin/audit", "Audit log"),
)


# The language of the page being rendered: macros imported without the template's context
# (`{% import "macros.html" as forms %}`) translate in it all the same.
_rendering_locale: ContextVar[str] = ContextVar("console_locale", default=DEFAULT_LOCALE)
_rendering_tz: ContextVar[ZoneInfo | None] = ContextVar("console_tz", default=None)


def _locale(context: Context) -> str:
    return str(context.get("locale") or _rendering_locale.get())


def _translations(context: Context) -> Any:
    return translations(_locale(context))


@pass_context
def _gettext(context: Context, message: str) -> str:
    return str(_translations(context).gettext(message))


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return str(_translations(context).ngettext(singular, plural, n))


@pass_context
def _tr(context: Context, message: str, params: Mapping[str, Any] | None = None) -> str:
    """A message made in Python (a label, a refusal), in the page's language. Unlike `_()`,
    it formats only with `params`: a message from elsewhere may hold a bare `%`."""
    text = str(_translations(context).gettext(message))
    if not params:
        return text
    try:
        return text % params
    except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder
        return message % params


@pass_context
def _number(context: Context, value: float | int | None) -> str:
    if value is None:
        return "—"
    return str(format_decimal(value, locale=_locale(context)))


@pass_context
def _datetime(context: Context, value: datetime | str | None) -> str:
    if value is None or value == "":
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return str(
        format_datetime(
            moment, "medium", tzinfo=_rendering_tz.get() or UTC, locale=_locale(context)
        )
    )


@pass_context
def _date(context: Context, value: datetime | str | None) -> str:
    if value is None or value == "":
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return str(format_date(moment, "medium", locale=_locale(context)))


@pass_context
def _csrf_field(context: Context) -> Markup:
    token = token_for(context["request"])
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, token)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True
    )
    env.filters.update(number=_number, datetime=_datetime, date=_date)
    env.globals.update(csrf_field=_csrf_field, nav=NAV, tr=_tr)
    return env


ENV = _environment()


def locale_of(request: Request) -> str:
    locale: str | None = getattr(request.state, "console_locale", None)
    if locale is None:
        locale = request.state.console_locale = negotiate(request.headers.get("accept-language"))
    return locale


def gettext_for(request: Request) -> Any:
    """The request's translations, for messages made in Python (`.gettext(...)`)."""
    return translations(locale_of(request))


def render(request: Request, template_name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page `template_name` rendered for this request, as an HTML response."""
    session = getattr(request.state, "console_session", None)
    values: dict[str, Any] = {
        "request": request,
        "locale": locale_of(request),
        "admin": session.viewer() if session is not None else None,
        "current_path": request.url.path,
    }
    values.update(context)
    locale_token = _rendering_locale.set(values["locale"])
    tz_token = _rendering_tz.set(console_of(request).settings.tz)
    try:
        html = ENV.get_template(template_name).render(values)
    finally:
        _rendering_locale.reset(locale_token)
        _rendering_tz.reset(tz_token)
    response = HTMLResponse(html, status_code=status)
    response.headers["content-language"] = values["locale"]
    response.headers["vary"] = "Accept-Language, Cookie"
    finish(request, response)
    return response

"""Signing in and out: /admin/login (an ADMIN token), /admin/login/link (a one-time link from
`plaudit console-link`), /admin/logout."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from api.console import links, session
from api.console.csrf import check_csrf
from api.console.forms import FieldError
from api.console.rendering import render

MAX_TOKEN_LENGTH = 16_384


async def login_page(request: Request) -> Response:
    if await session.current(request) is not None:
        return RedirectResponse(session.safe_next(request.query_params.get("next")), 303)
    return render(
        request,
        "login.html",
        next=session.safe_next(request.query_params.get("next")),
        ended=request.query_params.get("ended") == "1",
        signed_out=request.query_params.get("signed_out") == "1",
        errors={},
    )


async def login(request: Request) -> Response:
    await check_csrf(request)
    form = await request.form()
    raw_token, raw_next = form.get("token"), form.get("next")
    token = raw_token.strip() if isinstance(raw_token, str) else ""
    target = session.safe_next(raw_next if isinstance(raw_next, str) else None)
    if not token:
        return _refused(request, target, FieldError("INVALID_INPUT", "paste an ADMIN token"))
    if len(token) > MAX_TOKEN_LENGTH:
        return _refused(request, target, FieldError("UNAUTHENTICATED", "the token is not valid"))
    response = RedirectResponse(target, status_code=303)
    try:
        await session.start(request, response, token)
    except session.Refused as refused:
        error = FieldError(refused.code, refused.message, params=refused.params)
        return _refused(request, target, error)
    return response


def _refused(request: Request, target: str, error: FieldError) -> Response:
    status = 403 if error.code == "FORBIDDEN" else 400
    return render(
        request,
        "login.html",
        status=status,
        next=target,
        ended=False,
        signed_out=False,
        errors={"token": [error]},
    )


async def logout(request: Request) -> Response:
    await check_csrf(request)
    response = RedirectResponse(f"{session.LOGIN_PATH}?signed_out=1", status_code=303)
    await session.end(request, response)
    return response


async def link_page(request: Request) -> Response:
    code = request.query_params.get("code", "")
    try:
        link = links.read(request, code)
        if await links.used(request, link):
            raise session.Refused("UNAUTHENTICATED", "this sign-in link was already used")
    except session.Refused as refused:
        return render(request, "link.html", status=400, error=refused, code="", subject="")
    return render(request, "link.html", error=None, code=code, subject=link.subject)


async def link_sign_in(request: Request) -> Response:
    await check_csrf(request)
    form = await request.form()
    code = form.get("code")
    response = RedirectResponse("/admin/", status_code=303)
    try:
        link = links.read(request, code if isinstance(code, str) else "")
        token = await links.redeem(request, link)
        await session.start(request, response, token)
    except session.Refused as refused:
        return render(request, "link.html", status=400, error=refused, code="", subject="")
    return response


routes = [
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/login/link", link_page, methods=["GET"]),
    Route("/login/link", link_sign_in, methods=["POST"]),
]

"""The web application: pages per role, their state as JSON, a server-sent event stream, actions.

Every request carries its role's join code (``?code=``); a wrong or missing one is refused (403), and a
page is served only to its own role (a player's code does not open the facilitator's console). Pages are
Jinja2 templates with autoescape; the script (``static/app.js``) puts every string in with
``textContent``; the Content-Security-Policy allows nothing but this server (no inline script, no
other host), so nothing from a scenario can run in a browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from sim.exercise.desk import ExerciseError
from sim.report.pages import CSS
from sim.web.live import FACILITATOR, POST, PROJECTOR, Live, role_of

HERE = resources.files("sim.web")
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEARTBEAT_S = 15.0


def templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def secured(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def refused() -> Response:
    return secured(PlainTextResponse("wrong or missing join code: ask the facilitator for your link\n", 403))


def create_app(live: Live) -> Starlette:
    env = templates()
    s = live.session
    title = s.loaded.scenario.name

    def role(request: Request) -> str | None:
        return role_of(live.codes, request.query_params.get("code", ""))

    def page(template: str, **context: Any) -> Response:
        html = env.get_template(template).render(css=Markup(CSS), scenario=title, **context)
        return secured(HTMLResponse(html))

    async def index(request: Request) -> Response:
        return page("index.html")

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)  # no icon, and no 404 in the browser's console

    async def facilitator(request: Request) -> Response:
        if role(request) != FACILITATOR:
            return refused()
        return page(
            "facilitator.html", role="facilitator", post="", all_posts=[p.name for p in s.loaded.scenario.command.posts]
        )

    async def projector(request: Request) -> Response:
        if role(request) != PROJECTOR:
            return refused()
        return page("projector.html", role="projector", post="", map_svg=Markup(live.map_svg))

    async def station(request: Request) -> Response:
        name = request.path_params["post"]
        if role(request) != POST + name:
            return refused()
        return page("post.html", role="post", post=name)

    async def debrief(request: Request) -> Response:
        if role(request) is None:
            return refused()
        if live.debrief_html is None:
            return page("waiting.html", role="waiting", post="", why=live.debrief_state)
        return secured(HTMLResponse(live.debrief_html))

    async def get_state(request: Request) -> Response:
        who = role(request)
        if who is None:
            return refused()
        return secured(JSONResponse(await live.state(who)))

    async def events(request: Request) -> Response:
        who = role(request)
        if who is None:
            return refused()

        async def stream() -> AsyncIterator[str]:
            yield "retry: 1000\n\n"
            seen = -1
            while True:
                if live.version != seen:
                    seen = live.version
                    yield f"data: {json.dumps(await live.state(who), allow_nan=False)}\n\n"
                else:
                    yield ": still here\n\n"
                await live.wait(seen, HEARTBEAT_S)

        response = StreamingResponse(stream(), media_type="text/event-stream")
        response.headers["X-Accel-Buffering"] = "no"
        return secured(response)

    async def act(request: Request) -> Response:
        who = role(request)
        if who is None:
            return refused()
        try:
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError
        except ValueError:
            return secured(JSONResponse({"error": "a JSON object expected"}, 400))
        try:
            await live.act(who, body)
        except PermissionError as exc:
            return secured(JSONResponse({"error": str(exc)}, 403))
        except ExerciseError as exc:
            return secured(JSONResponse({"error": str(exc)}, 400))
        return secured(JSONResponse({"ok": True, "version": live.version}))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        clock = asyncio.create_task(live.run())
        try:
            yield
        finally:
            clock.cancel()
            live.close()

    routes = [
        Route("/", index),
        Route("/favicon.ico", favicon),
        Route("/facilitator", facilitator),
        Route("/projector", projector),
        Route("/post/{post}", station),
        Route("/debrief", debrief),
        Route("/api/state", get_state),
        Route("/api/events", events),
        Route("/api/act", act, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    return Starlette(routes=routes, lifespan=lifespan)

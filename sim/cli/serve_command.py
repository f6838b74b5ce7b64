"""`sim serve`: the exercise in a browser (facilitator console, player stations, projector, debrief)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.app import EXIT_BAD_INPUT, BadInput, SeedOption, app, say
from sim.cli.session_options import (
    CounterfactualRunsOption,
    PaceOption,
    PostsOption,
    ReplicationOption,
    SkipAfterOption,
)

INSTALL = "sim serve needs the web extra: pip install 'tabletop-sim[web]' (starlette and uvicorn)"


@app.command()
def serve(
    scenario: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario YAML file.")],
    host: Annotated[
        str, typer.Option("--host", metavar="H", help="Address to listen on (0.0.0.0: the classroom network).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, metavar="P", help="Port (0: any free one).")] = 8765,
    pace: PaceOption = 1.0,
    log: Annotated[
        Path | None,
        typer.Option("--log", metavar="FILE", help="The session log, written as it goes (default: STEM-session.json)."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the session of --log from where it stops.")
    ] = False,
    seed: SeedOption = None,
    replication: ReplicationOption = 0,
    post: PostsOption = None,
    runs: CounterfactualRunsOption = 200,
    quiet: SkipAfterOption = 3.0,
    set_: Annotated[
        list[str] | None, typer.Option("--set", metavar="PATH=VALUE", help="Override a value (YAML), repeatable.")
    ] = None,
) -> None:
    """The exercise in a browser: a facilitator console, a station per player post, a projector view."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        say(INSTALL)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    from sim.exercise.desk import ExerciseError
    from sim.scenario.loader import load_scenario
    from sim.web import serve as server
    from sim.web.live import Live

    log_path = log if log is not None else Path(f"{scenario.stem}-session.json")
    if resume and log is None:
        raise BadInput("--resume needs the --log FILE of the session to continue")
    loaded = load_scenario(scenario, set_ or [])
    try:
        session = server.open_session(loaded, log_path, resume, seed, replication, post or (), pace)
        sock = server.bind(host, port)
    except (ExerciseError, ValueError) as exc:
        say(f"{scenario}: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except OSError as exc:
        say(f"sim serve: cannot listen on {host}:{port}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    live = Live(session, server.join_codes(log_path, session.posts, resume), runs=runs, quiet_s=quiet)

    def out(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    if not server.is_loopback(host):
        out("On a shared network: anyone with a link joins as its role; the links travel as plain HTTP.")
    server.announce(live, server.public_address(host, sock.getsockname()[1]), log_path, out)
    server.run(live, sock)

"""The options `sim exercise` and `sim serve` share: one session, two front ends, the same flags."""

from __future__ import annotations

from typing import Annotated

import typer

ReplicationOption = Annotated[
    int, typer.Option("--replication", min=0, metavar="N", help="Which replication of that run to play.")
]
PostsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--post",
        metavar="NAME",
        help="The players' post (repeatable; default: where engagement authority lies once the ordered alert is up).",
    ),
]
PaceOption = Annotated[
    float, typer.Option("--pace", min=0.01, max=10000, metavar="X", help="Simulated seconds per real second.")
]
CounterfactualRunsOption = Annotated[
    int, typer.Option("--runs", min=0, max=100_000, metavar="N", help="Replications of the counterfactual.")
]
SkipAfterOption = Annotated[
    float,
    typer.Option(
        "--skip-after", min=0.0, metavar="S", help="Real seconds of nothing new before the clock skips ahead."
    ),
]

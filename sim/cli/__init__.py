"""The `sim` command: thin glue that parses arguments, calls one function and renders its result.

- `app`: the typer app, exit codes, consoles, outputs, executors and progress
- `entry`: `main` (failures to exit codes) and `console`, the program itself
- `scenario_commands`: run, validate, schema, trajectory
- `study_commands`: compare, sweep, runs, show
- `exercise_command`: exercise (and `play`, a pointer to it)
- `sensitivity_command`: sensitivity
- `serve_command`: serve (the exercise in a browser: sim.web, imported only when it runs)
"""

from sim.cli import exercise_command, scenario_commands, sensitivity_command, serve_command, study_commands  # noqa: F401  (importing them registers the commands)
from sim.cli.app import app
from sim.cli.entry import console, main

__all__ = ["app", "console", "main"]

"""The tabletop exercise: players decide at their posts on a running clock, injects arrive, a debrief follows.

UI-agnostic: the terminal screen (``sim.cli.exercise_command``) and any other front end drive the same pieces.

- `session`: `Session`, one replication on a clock, fog of war applied, prompts, injects, pause
- `desk`: what the session and its players pass across: prompts, decisions, feed lines, a post's view
- `decide`: `PersonDecider`, the decider that asks the players (the engine's seam: ``sim.engine.deciders``)
- `fog`: what a post knows (tracks, predictions, reported readiness, messages), never the ground truth
- `script`: answers files (rehearsals, tests) played against a session on a virtual clock
- `log`: the session as JSON, written atomically as it goes; replay and resume
- `debrief`: the outcome and its cause, the players' times against the model's, the counterfactual
"""

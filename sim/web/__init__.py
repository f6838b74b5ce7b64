"""The exercise in a browser (`sim serve`): a front end over ``sim.exercise.Session`` like the terminal's.

- `serve`: the session (new or resumed from its log), the join codes, the socket, uvicorn
- `live`: one session served to many pages: its one thread, the clock task, pushes, actions, join codes
- `app`: the Starlette application: pages per role, state as JSON, server-sent events, actions
- `state`: what each role's page is sent (a player's post: fog of war; the facilitator: the ground truth)
- `mapview`: the projector's map, drawn once as SVG, and the projection of the live layer
- `templates/`, `static/`: Jinja2 pages, one small script and a style sheet, all served by the package

Needs the ``web`` extra (starlette, uvicorn); nothing else of ``sim`` imports this package.
"""

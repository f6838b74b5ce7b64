"""`python -m sim` is the same as the `sim` command."""

import os
import signal


def _before_start(signum: int, frame: object) -> None:
    """A signal while the program is still loading: nothing has been done, so nothing is lost."""
    os.write(2, b"interrupted\n")
    os._exit(128 + signum)


for _s in (signal.SIGINT, signal.SIGTERM):  # until the command line installs its own handler
    signal.signal(_s, _before_start)

from sim.cli import console  # noqa: E402  (after the handlers: a signal during the imports is handled too)

console()

"""The one look of every table in the terminal reports: a bold title on the left, a rule under the head.

Plain on purpose (no lines between rows, no colour, no padding at the edges): it reads the same without
colour, in 100 columns, and in a screenshot.
"""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text


def titled_table(title: str | Text) -> Table:
    """An empty table under ``title`` (a str is read as rich markup, a Text as it is: the scenario's own names)."""
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, title_style="bold", pad_edge=False)

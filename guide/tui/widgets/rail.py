"""The progress rail: the 16 steps in one line, the current one marked with brackets."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from guide.schema import STEP_COUNT


def rail_text(current: int | None, visited: tuple[int, ...]) -> Text:
    """``1 2 3 [4] 5 …``: the current step is bracketed (not only coloured); visited steps are
    plain, the rest dim."""
    out = Text()
    for n in range(1, STEP_COUNT + 1):
        if n > 1:
            out.append(" ")
        if n == current:
            out.append(f"[{n}]", style="bold reverse")
        elif n in visited:
            out.append(str(n))
        else:
            out.append(str(n), style="dim")
    return out


class Rail(Static):
    DEFAULT_CLASSES = "rail"

    def show(self, current: int | None, visited: tuple[int, ...]) -> None:
        self.update(rail_text(current, visited))

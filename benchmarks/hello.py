"""The yardstick for ``benchmarks/run.py``: a bare Textual hello-world (a ``Static`` and a
``Footer``), started the same way as the guide.

It has one extra: → and ← change the text to 「手順 n / 16」, so the benchmark can time a
keypress → repaint round trip through bare Textual beside the guide's step change.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

STEPS = 16


class HelloApp(App[None]):
    BINDINGS = [
        Binding("right", "move(1)", "next"),
        Binding("left", "move(-1)", "back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    def compose(self) -> ComposeResult:
        yield Static("こんにちは、世界", id="text")
        yield Footer()

    def action_move(self, delta: int) -> None:
        self.n = min(STEPS, max(1, self.n + delta))
        self.query_one("#text", Static).update(f"手順 {self.n} / {STEPS}")


if __name__ == "__main__":
    HelloApp().run()

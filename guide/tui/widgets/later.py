"""A pane that is built just after the first frame, so the first screen appears sooner.

Like ``textual.lazy.Lazy``: the placeholder takes the pane's children in ``compose`` (``with
LaterPane(Vertical(...)):``), and when told to (:meth:`LaterPane.build`) it mounts the pane in
its own place, hidden, and removes itself; then it posts :class:`LaterPane.Mounted`, so the screen
knows when every pane is there and can show what was asked for in the meantime.

Unlike ``Lazy`` it does not build itself "after the first refresh": while an app starts, Textual
holds repaints back (a batch) but still runs after-refresh callbacks, so such work would run
*before* the first frame reaches the terminal. The screen calls :meth:`build` once the app is
ready (``App.on_ready``) and a frame has really been painted.
"""

from __future__ import annotations

from textual.message import Message
from textual.widget import Widget


class LaterPane(Widget):
    DEFAULT_CSS = """
    LaterPane {
        display: none;
    }
    """

    class Mounted(Message):
        """A pane held back by a :class:`LaterPane` is now mounted (and hidden)."""

    def __init__(self, pane: Widget, hidden: bool = True) -> None:
        """``hidden``: mount the pane hidden (a ContentSwitcher shows it when it becomes
        current); False for a part of the first screen that may simply appear a moment later."""
        super().__init__()
        if hidden:
            pane.display = False
        self.pane = pane
        self._building = False

    def compose_add_child(self, widget: Widget) -> None:
        self.pane.compose_add_child(widget)

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        """Nothing yet: the pane's children are mounted with it, by :meth:`build`."""

    def build(self) -> None:
        """Mount the pane in this placeholder's place (soon, in this widget's own turn)."""
        if not self._building:
            self._building = True
            self.call_later(self._mount_pane)

    async def _mount_pane(self) -> None:
        parent = self.parent
        if not isinstance(parent, Widget) or not self.is_attached:
            return  # the screen was recomposed in the meantime
        await parent.mount(self.pane, after=self)
        parent.post_message(self.Mounted())
        await self.remove()

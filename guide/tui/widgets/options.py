"""Textual's OptionList, hardened against terminals too small to show it.

At a height with no room for a single line, PageUp/PageDown looked up a line map that had not
been built (KeyError); at a width narrower than one full-width character, measuring wrapped
prompts divided by zero (ValueError). Residents resize windows and phone browsers are narrow:
neither may crash the guide.
"""

from __future__ import annotations

from textual import widgets
from textual.geometry import Size


class OptionList(widgets.OptionList):
    DEFAULT_CSS = """
    OptionList {
        min-width: 8;
    }
    """

    def _move_page(self, direction: int) -> None:  # type: ignore[override]
        try:
            super()._move_page(direction)  # type: ignore[arg-type]
        except (KeyError, IndexError):
            # no lines laid out yet (no room): move one option instead of a page
            if direction > 0:
                self.action_cursor_down()
            else:
                self.action_cursor_up()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return super().get_content_height(container, viewport, max(width, 4))

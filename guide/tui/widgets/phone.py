"""A drawing of what the phone shows at a step, built from the content.

The drawing has a left rule but no right border on purpose: the phone's labels must be quoted
exactly, and some of them contain East-Asian-Ambiguous characters (「◀」, “ ”, ●, △) that Rich
counts as one cell while many Japanese terminals draw two. With nothing on the right, a wider
glyph can never push a border out of line.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from guide.i18n import _
from guide.render import screen_label
from guide.schema import Step


def phone_text(step: Step) -> Text:
    """The phone screen as Rich text. Content text is appended as plain text, never markup."""
    ctx = f"step.{step.id}.screen"
    scr = step.screen
    out = Text()
    if scr.heading:
        out.append(screen_label(f"{ctx}.heading", scr.heading), style="bold")
        out.append("\n\n")
    for i, message in enumerate(scr.messages):
        out.append(screen_label(f"{ctx}.messages[{i}]", message))
        out.append("\n\n")
    for i, field in enumerate(scr.fields):
        out.append(screen_label(f"{ctx}.fields[{i}]", field.label), style="dim")
        out.append("\n")
        out.append("［" + (field.value or "　") + "］", style="underline")
        out.append("\n\n")
    for i, button in enumerate(scr.buttons):
        label = screen_label(f"{ctx}.buttons[{i}]", button.label)
        if button.tap:
            out.append(f"［ {label} ］", style="bold reverse")
            # The marker is words, not only colour, so it reads in any theme and to a screen reader.
            out.append(" " + _("＜ここをタップ"), style="bold")
        else:
            out.append(f"［ {label} ］")
        out.append("\n")
    out.rstrip()
    return out


class PhoneView(Static):
    """Shows :func:`phone_text` for the current step."""

    DEFAULT_CLASSES = "phone"

    def show(self, step: Step) -> None:
        self.update(phone_text(step))

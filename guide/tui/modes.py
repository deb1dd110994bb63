"""The three ways the guide is used, from one content source.

- ``resident`` (ひとりで): a resident practising, or applying with the guide beside them. The
  phone drawings show sample values only; nothing is saved when the app closes.
- ``helpdesk`` (窓口・電話): staff on the phone with a caller. The guide opens on 「画面から探す」
  (find the step from what the caller's screen says), keeps what the caller reported in view on
  every step, and `n` starts afresh for the next caller.
- ``trainer`` (講習): a class at a community centre. Each step also shows the trainer which
  troubles commonly start there, to mention before the class runs into them.

A mode changes how the screens present the same session; it is not part of the session.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.widgets.option_list import Option

from guide.i18n import N_, _
from guide.tui.widgets.options import OptionList

Mode = Literal["resident", "helpdesk", "trainer"]
MODES: tuple[Mode, ...] = ("resident", "helpdesk", "trainer")
DEFAULT_MODE: Mode = "resident"

MODE_LABELS: dict[str, str] = {
    "resident": N_("ひとりで練習・申請"),
    "helpdesk": N_("窓口・電話で案内"),
    "trainer": N_("講習で使う"),
}
MODE_HINTS: dict[str, str] = {
    "resident": N_("手順を1つずつ進めます。画面の値はすべて見本です。"),
    "helpdesk": N_("相手のスマホの画面から手順を探し、聞いたことを記録しながら案内します。"),
    "trainer": N_("各手順で、よくあるつまずきも表示します。"),
}


def mode_prompt(mode: str) -> Text:
    out = Text()
    out.append(_(MODE_LABELS[mode]), style="bold")
    out.append("\n" + _(MODE_HINTS[mode]), style="dim")
    return out


def mode_options(current: str | None = None) -> list[Option]:
    return [Option(mode_prompt(m), id=f"mode--{m}") for m in MODES]


class ModeScreen(ModalScreen[str | None]):
    """Pick how the guide is used; dismisses with the mode id or None."""

    BINDINGS = [Binding("escape", "close", N_("閉じる"))]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(_("使い方を選んでください"), style="bold"))
            yield OptionList(*mode_options(), id="mode-list")

    def on_mount(self) -> None:
        box = self.query_one(OptionList)
        box.highlighted = MODES.index(self.current) if self.current in MODES else 0  # type: ignore[arg-type]
        box.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss((event.option.id or "").removeprefix("mode--") or None)

    def action_close(self) -> None:
        self.dismiss(None)

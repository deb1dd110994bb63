"""「画面から探す」: find the step from what the caller's phone shows.

Help-desk staff ask "what does your screen say?"; this lists the 16 steps with the words their
screen shows, so the step can be found from any of them and jumped to.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static
from textual.widgets.option_list import Option

from guide.i18n import N_, _
from guide.render import screen_label, tr
from guide.schema import Content
from guide.tui.widgets.options import OptionList


def step_prompt(content: Content, number: int) -> Text:
    """One finder entry: the step's number and title, then what its screen shows."""
    step = content.step(number)
    ctx = f"step.{step.id}"
    out = Text()
    out.append(_("手順{n}").format(n=number), style="bold")
    out.append("　" + tr(f"{ctx}.title", step.title), style="bold")
    shown = []
    scr = step.screen
    if scr.heading:
        shown.append(screen_label(f"{ctx}.screen.heading", scr.heading))
    shown += [screen_label(f"{ctx}.screen.messages[{i}]", m) for i, m in enumerate(scr.messages)]
    shown += [
        "［" + screen_label(f"{ctx}.screen.buttons[{i}]", b.label) + "］"
        for i, b in enumerate(scr.buttons)
    ]
    if shown:
        out.append("\n" + "　".join(shown), style="dim")
    return out


class FinderScreen(ModalScreen[int | None]):
    """Pick a step by what its screen shows; dismisses with the step number or None."""

    BINDINGS = [Binding("escape", "close", N_("閉じる"))]

    def __init__(self, content: Content, current: int | None) -> None:
        super().__init__()
        self.content = content
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog finder-dialog"):
            yield Static(Text(_("スマホの画面に何と出ていますか？"), style="bold"))
            yield Static(
                Text(
                    _("画面のことばを入れると絞りこめます。近いものを選ぶと、その手順に移ります。"),
                    style="dim",
                )
            )
            yield Input(placeholder=_("例：申請内容に署名"), id="finder-input")
            yield OptionList(*self._options(""), id="finder-list")
            with Horizontal(classes="buttons"):
                yield Button(_("閉じる"), id="close")

    def _options(self, query: str) -> list[Option | None]:
        """Every step whose title or screen words contain ``query`` (width, kana and case
        folded), each followed by a separator."""
        from guide.symptoms import normalise

        wanted = normalise(query)
        options: list[Option | None] = []
        for n in range(1, len(self.content.steps) + 1):
            prompt = step_prompt(self.content, n)
            if wanted and wanted not in normalise(prompt.plain):
                continue
            options.append(Option(prompt, id=f"step--{n}"))
            options.append(None)
        return options

    def on_mount(self) -> None:
        box = self.query_one(OptionList)
        if self.current:
            box.highlighted = (self.current - 1) * 2
        self.query_one("#finder-input", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        box = self.query_one(OptionList)
        box.clear_options()
        box.add_options(self._options(event.value))
        if box.option_count:
            box.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the box takes the first step that fits."""
        event.stop()
        box = self.query_one(OptionList)
        if box.option_count:
            self.dismiss(int((box.get_option_at_index(0).id or "step--1").removeprefix("step--")))

    def on_key(self, event: events.Key) -> None:
        """↓ from the box moves into the list."""
        if event.key == "down" and self.focused is self.query_one("#finder-input"):
            event.stop()
            self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int((event.option.id or "step--1").removeprefix("step--")))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

"""Modal dialogs: help (keys), quit confirmation."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from guide.i18n import N_, _


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True for yes."""

    BINDINGS = [
        Binding("escape", "answer(False)", _("いいえ")),
        Binding("y", "answer(True)", _("はい"), show=False),
        Binding("n", "answer(False)", _("いいえ"), show=False),
    ]

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question))
            with Horizontal(classes="buttons"):
                yield Button(self.no, id="no", variant="primary")
                yield Button(self.yes, id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


HELP_KEYS = [
    ("Right / l / Enter", N_("次の手順へ")),
    ("Left / h", N_("前へ戻る")),
    ("1～9, 10～16", N_("その手順へ移動（続けて2けた入力できます）")),
    ("t", N_("困ったとき（うまくいかないことの一覧）")),
    ("k", N_("困ったこと（ご自分のことばで書いて探す）")),
    ("r", N_("QRコード（この手順のページやアプリをスマホで開く。ここでも使えます）")),
    ("p", N_("署名用パスワードを間違えたことを記録")),
    ("c", N_("カードが読み取れなかったことを記録")),
    ("f", N_("わかっていることを直す")),
    ("s", N_("画面から探す（スマホの画面に出ていることばから手順を探す）")),
    ("m", N_("使い方を切り替える（ひとりで・窓口・講習）")),
    ("n", N_("次の人：わかっていることをすべて消す（確認があります）")),
    ("Esc", N_("閉じる・戻る")),
    ("?", N_("このヘルプ")),
    ("L", N_("言語を切り替える（Language）")),
    ("q", N_("終了（確認があります）")),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "close", _("閉じる")),
        Binding("r", "app.qr", _("QRコード")),  # modal: app bindings don't reach here
    ]

    def compose(self) -> ComposeResult:
        text = Text()
        text.append(_("キー操作"), style="bold")
        for key, what in HELP_KEYS:
            text.append(f"\n{key}", style="bold")
            text.append(f"\n    {_(what)}")
        text.append("\n\n" + _("マウスでボタンを押しても操作できます。"))
        with Vertical(classes="dialog help-dialog"):
            with VerticalScroll(id="help-body"):  # arrow keys and PageUp/PageDown scroll it
                yield Static(text)
            with Horizontal(classes="buttons"):
                yield Button(_("閉じる"), id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

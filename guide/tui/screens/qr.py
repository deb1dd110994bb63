"""The QR screen: a link as a code the resident's phone camera can read, plus the URL written out.

The code is drawn only where it fits whole (a clipped or wrapped code does not scan): beside the
text when the terminal is wide, above it when tall, and otherwise not at all, with the URL in its
place. This is decided again on every resize.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from guide.i18n import N_, _
from guide.render import qr, tr
from guide.schema import Link

SIDE_MIN_WIDTH = 30  # columns the text and buttons need beside the code
BELOW_MIN_HEIGHT = 8  # rows the text and buttons need below the code

LAYOUTS = ("-side", "-stacked", "-no-code")


def link_label(link: Link) -> str:
    return tr(f"link.{link.id}.label", link.label)


def choose_layout(url: str, width: int, height: int) -> str:
    """Where the code goes on a ``width`` × ``height`` screen: one of :data:`LAYOUTS`."""
    try:
        if qr.fits(url, width - SIDE_MIN_WIDTH, height):
            return "-side"
        if qr.fits(url, width, height - BELOW_MIN_HEIGHT):
            return "-stacked"
    except qr.QRError:
        pass
    return "-no-code"


class QRScreen(ModalScreen[None]):
    """Show one of ``links`` at a time; 「次のリンク」 cycles through them."""

    BINDINGS = [
        Binding("escape,q,r", "close", N_("閉じる")),
        Binding("n", "next_link", N_("次のリンク"), show=False),
        Binding("o", "open", N_("開く"), show=False),
    ]

    def __init__(self, links: Sequence[Link], index: int = 0) -> None:
        super().__init__()
        if not links:
            raise ValueError("QRScreen needs at least one link")
        self.links = tuple(links)
        self.index = index % len(self.links)
        self.layout_name = ""

    @property
    def link(self) -> Link:
        return self.links[self.index]

    def compose(self) -> ComposeResult:
        with Container(id="qr-dialog"):
            yield Static(id="qr-code")
            with Vertical(id="qr-side"):
                with VerticalScroll(id="qr-text"):
                    yield Static(id="qr-info")
                with Horizontal(classes="buttons"):
                    yield Button(_("開く"), id="qr-open", variant="primary")
                    if len(self.links) > 1:
                        yield Button(_("次のリンク"), id="qr-next")
                    yield Button(_("閉じる"), id="qr-close")

    def on_mount(self) -> None:
        self._show(self.app.size.width, self.app.size.height)
        self.query_one("#qr-open", Button).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._show(event.size.width, event.size.height)

    # ------------------------------------------------------------------ rendering
    def _show(self, width: int, height: int) -> None:
        link = self.link
        layout = choose_layout(link.url, width, height) if link.qr else "-no-code"
        self.layout_name = layout
        for name in LAYOUTS:
            self.set_class(name == layout, name)
        code = self.query_one("#qr-code", Static)
        if layout == "-no-code":
            code.update(Text())
            code.display = False
        else:
            cols, rows = qr.cells(link.url)
            code.styles.width = cols
            code.styles.height = rows
            code.update(qr.rich_text(link.url))
            code.display = True
        self.query_one("#qr-info", Static).update(self._info(layout))

    def _info(self, layout: str) -> Text:
        link = self.link
        out = Text()
        out.append(link_label(link), style="bold")
        if len(self.links) > 1:
            out.append(
                "\n" + _("リンク {i} / {n}").format(i=self.index + 1, n=len(self.links)),
                style="dim",
            )
        out.append("\n\n")
        if layout == "-no-code":
            if link.qr:
                out.append(
                    _(
                        "画面が小さいため、読み取れるQRコードを表示できません。"
                        "画面を大きくするか、下のURLを使ってください。"
                    )
                )
            else:
                out.append(_("このリンクはQRコードにしていません。下のURLを使ってください。"))
        else:
            out.append(_("スマホのカメラでQRコードを読み取ると、スマホでこのページが開きます。"))
            out.append("\n")
            out.append(_("コードが崩れて見えるときは、下のURLを使ってください。"), style="dim")
        out.append("\n\n")
        out.append(_("URL（読み取れないときは、スマホで入力してください）："), style="dim")
        out.append("\n")
        out.append(link.url, style="underline")
        if not link.verified:
            out.append("\n\n")
            out.append(_("このリンクはまだ確認されていません。"), style="bold yellow")
            out.append("\n")
            out.append(
                _(
                    "手引きを作った人が、このURLの先のページをまだ見て確かめていません。"
                    "開いたページが違うときや、ページが見つからないときは、"
                    "市の窓口にお問い合わせください。"
                )
            )
        out.append("\n\n")
        out.append(_("「開く」を押すと、いま使っている画面のブラウザで開きます。"), style="dim")
        return out

    # ------------------------------------------------------------------ actions
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "qr-open":
            self.action_open()
        elif event.button.id == "qr-next":
            self.action_next_link()
        else:
            self.dismiss(None)

    def action_open(self) -> None:
        self.app.open_url(self.link.url)

    def action_next_link(self) -> None:
        if len(self.links) > 1:
            self.index = (self.index + 1) % len(self.links)
            self._show(
                self.size.width or self.app.size.width, self.size.height or self.app.size.height
            )
            self.query_one("#qr-text", VerticalScroll).scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)

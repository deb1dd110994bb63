"""Correct what the guide knows: one row per fact, each changed through the engine."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Select, Static

from guide import engine
from guide.i18n import _, ngettext, number
from guide.render import tr
from guide.schema import FactDef

if TYPE_CHECKING:
    from guide.tui.app import TebikiApp

UNKNOWN = "__unknown__"


class FactsScreen(ModalScreen[None]):
    """Shows every fact with its value; choices and flags by a Select, counts by − / ＋."""

    BINDINGS = [Binding("escape,f", "close", _("閉じる"))]

    def __init__(self, tebiki: TebikiApp) -> None:
        super().__init__()
        self.tebiki = tebiki

    def compose(self) -> ComposeResult:
        c = self.tebiki.content
        with Vertical(classes="dialog facts-dialog"):
            yield Static(Text(_("わかっていること（直すことができます）"), style="bold"))
            yield Static(
                Text(
                    _(
                        "パスワードや暗証番号、マイナンバー、メールアドレス、電話番号は"
                        "聞きません。入力しないでください。"
                    ),
                    style="dim",
                )
            )
            with VerticalScroll():
                for fid, fd in c.facts.items():
                    yield Static(Text(tr(f"fact.{fid}.label", fd.label)), classes="fact-label")
                    if fd.type == "count":
                        with Horizontal(classes="count-row"):
                            yield Button("－", id=f"dec--{fid}", classes="small")
                            yield Static(id=f"count--{fid}", classes="count")
                            yield Button("＋", id=f"inc--{fid}", classes="small")
                    else:
                        yield Select(
                            self._options(fd),
                            value=self._current(fd),
                            allow_blank=False,
                            id=f"fact--{fid}",
                        )
            with Horizontal(classes="buttons"):
                yield Button(_("閉じる"), id="close", variant="primary")

    def on_mount(self) -> None:
        self._refresh_counts()

    def _options(self, fd: FactDef) -> list[tuple[str, Any]]:
        opts: list[tuple[str, Any]] = [(_("わからない・未回答"), UNKNOWN)]
        if fd.type == "flag":
            opts += [(_("はい"), True), (_("いいえ"), False)]
        else:
            opts += [(tr(f"fact.{fd.id}.values.{k}", v), k) for k, v in fd.values]
        return opts

    def _current(self, fd: FactDef) -> Any:
        value = self.tebiki.session.fact(fd.id)
        return UNKNOWN if value is None else value

    def _refresh_counts(self) -> None:
        s = self.tebiki.session
        for fid, fd in self.tebiki.content.facts.items():
            if fd.type == "count":
                n = int(s.fact(fid, 0))
                self.query_one(f"#count--{fid}", Static).update(
                    ngettext("{n}回", "{n}回", n).format(n=number(n)) + f" / {number(fd.max)}"
                )

    def on_select_changed(self, event: Select.Changed) -> None:
        fid = (event.select.id or "").removeprefix("fact--")
        value = None if event.value in (UNKNOWN, Select.BLANK) else event.value
        self.tebiki.session = engine.report(self.tebiki.content, self.tebiki.session, fid, value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        bid = event.button.id or ""
        if bid == "close":
            self.dismiss(None)
            return
        kind, _sep, fid = bid.partition("--")
        if kind in ("inc", "dec"):
            self.tebiki.session = engine.add(
                self.tebiki.content, self.tebiki.session, fid, 1 if kind == "inc" else -1
            )
            self._refresh_counts()

    def action_close(self) -> None:
        self.dismiss(None)

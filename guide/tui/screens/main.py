"""The main screen: one pane per kind of view, switched, each built once and updated.

Widgets don't change the session: they post what the user asked for (button ids) and the app
calls the engine, then pushes the new view down through :meth:`MainScreen.show`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, Static
from textual.widgets.option_list import Option

from guide import engine, i18n
from guide.i18n import _, ngettext, number
from guide.render import local_values, tr
from guide.schema import STEP_COUNT, Content
from guide.tui.lang import LANG_HINT, LANG_KEY, language_options
from guide.tui.modes import mode_options
from guide.tui.widgets.footer import Footer
from guide.tui.widgets.later import LaterPane
from guide.tui.widgets.options import OptionList
from guide.tui.widgets.phone import PhoneView
from guide.tui.widgets.rail import Rail

if TYPE_CHECKING:
    from guide.tui.app import TebikiApp


def _bullets(items: list[str], mark: str = "・") -> Text:
    out = Text()
    for i, item in enumerate(items):
        if i:
            out.append("\n")
        out.append(mark)
        out.append(item)
    return out


def _section(title: str, body: Text | str, style: str = "bold") -> Text:
    out = Text()
    out.append(title, style=style)
    out.append("\n")
    out.append(body if isinstance(body, Text) else Text(body))
    return out


class MainScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    # Long text scrolls from the keyboard whatever has focus (a focused list uses ↑↓ itself).
    BINDINGS = [
        Binding("down", "scroll_body(3)", show=False),
        Binding("up", "scroll_body(-3)", show=False),
        Binding("pagedown,space", "scroll_body(15)", show=False),
        Binding("pageup", "scroll_body(-15)", show=False),
    ]

    def action_scroll_body(self, lines: int) -> None:
        """Scroll the visible pane's text."""
        current = self.query_one("#panes", ContentSwitcher).current
        if not current:
            return
        pane = self.query_one(f"#{current}")
        bodies = [w for w in pane.query(".body, #pane-start, #pane-done") if w.display]
        target = bodies[0] if bodies else pane
        if current == "pane-trouble":
            target = self.query_one("#trouble-body")
        target.scroll_relative(y=lines, animate=False)

    def __init__(self, content: Content) -> None:
        super().__init__()
        self.content = content
        self._composed = False
        self._go = False  # build_later() has been called
        self._later = 0  # panes still being built after the first frame (see _pane)
        self._deferred: list[Callable[[], None]] = []  # what to show once they are in

    @property
    def tebiki(self) -> TebikiApp:
        return self.app  # type: ignore[return-value]

    # Build the panes other than the start pane after the first frame; None: unless headless
    # (Pilot tests get the whole screen at once; tests/test_later_panes.py covers the other way).
    BUILD_LATER: bool | None = None

    def _pane(self, pane: Widget, hidden: bool = True) -> Widget:
        """On the first compose of a fresh session, every pane but the start pane is built just
        after the first frame (LaterPane), so the start screen appears sooner; a recompose (a
        language switch) builds them at once, so nothing flickers."""
        later = not self.app.is_headless if self.BUILD_LATER is None else self.BUILD_LATER
        if not later or self._composed or self.tebiki.session.screen != "start":
            return pane
        self._later += 1
        return LaterPane(pane, hidden=hidden)

    def build_later(self) -> None:
        """Build the panes held back for the first frame. The app calls this when it is ready
        (``on_ready``: its start-up batch is over); one more refresh, and the start screen is on
        the terminal before the work begins."""
        self._go = True
        self.call_after_refresh(self._build_held)

    def _build_held(self) -> None:
        for held in self.query(LaterPane):
            held.build()

    def on_later_pane_mounted(self, event: LaterPane.Mounted) -> None:
        event.stop()
        self._later -= 1
        if not self._later:
            deferred, self._deferred = self._deferred, []
            for show in deferred:
                show()

    def _wait(self, show: Callable[[], None]) -> bool:
        """Keep ``show`` for later (True) while panes are still being built."""
        if self._later:
            self._deferred.append(show)
        return bool(self._later)

    def compose(self) -> ComposeResult:
        c = self.content
        self._later, self._deferred = 0, []  # a recompose starts afresh (the app shows again)
        pane = self._pane
        with ContentSwitcher(initial="pane-start", id="panes"):
            with VerticalScroll(id="pane-start", classes="pane"):
                yield Static(Text(tr("meta.title", c.meta.title), style="bold"), id="start-title")
                yield Static(Text(tr("meta.intro", c.meta.intro)), id="start-intro")
                with Horizontal(classes="buttons"):
                    yield Button(_("はじめる"), id="begin", variant="primary")
                    yield Button(_("手順1から"), id="goto-step-1")
                with pane(Vertical(id="start-modes"), hidden=False):  # just after the 1st frame
                    yield Static(Text(_("使い方（m）"), style="bold"))
                    yield OptionList(*mode_options(), id="mode-list")
                # Filled after the first paint (language names need babel): fill_languages().
                with pane(Vertical(id="start-languages")):
                    yield Static(Text(f"{LANG_HINT}（{LANG_KEY}）", style="bold"))
                    yield OptionList(id="language-list")
            with pane(Vertical(id="pane-prep", classes="pane")):
                yield Static(Text(_("事前準備：はじめる前に用意するもの"), style="bold"),
                             classes="pane-title")
                with VerticalScroll(classes="body"):
                    for p in c.prerequisites:
                        yield Static(self._prereq_text(p.id), classes="prereq")
                with Horizontal(classes="buttons"):
                    yield Button(_("＜ 戻る"), id="back")
                    yield Button(_("手順1へ ＞"), id="next", variant="primary")
            with pane(Vertical(id="pane-step", classes="pane")):
                yield Rail(id="rail")
                yield Static(id="step-title", classes="pane-title")
                with VerticalScroll(id="step-body", classes="body"):
                    yield PhoneView(id="phone")
                    yield Static(id="step-details")
                with Horizontal(classes="buttons"):
                    yield Button(_("＜ 戻る"), id="back")
                    yield Button(_("次へ ＞"), id="next", variant="primary")
                    yield Button(_("困ったとき"), id="troubles", variant="warning")
            with pane(Vertical(id="pane-troubles", classes="pane")):
                yield Static(Text(_("うまくいかないこと：どれに近いですか？"), style="bold"),
                             classes="pane-title")
                yield OptionList(id="trouble-list", classes="body")
                with Horizontal(classes="buttons"):
                    yield Button(_("＜ 手順に戻る"), id="close-troubles")
            with pane(Vertical(id="pane-trouble", classes="pane")):
                yield Static(id="trouble-title", classes="pane-title")
                with Horizontal(id="trouble-main"):
                    with VerticalScroll(id="trouble-body", classes="body"):
                        yield Static(id="trouble-text")
                        yield OptionList(id="trouble-options")
                    with Vertical(id="facts-box"):
                        yield Static(id="facts-panel")
                        yield Button(_("パスワードを間違えた"), id="report-password",
                                     classes="report")
                        yield Button(_("カードが読み取れなかった"), id="report-card",
                                     classes="report")
                        yield Button(_("パスワードが通った"), id="report-accepted",
                                     classes="report")
                with Horizontal(classes="buttons"):
                    yield Button(_("＜ 戻る"), id="back")
                    yield Button(_("最初から"), id="trouble-restart")
                    yield Button(_("手順に戻る"), id="close-trouble")
            with pane(VerticalScroll(id="pane-done", classes="pane")):
                yield Static(Text(_("おつかれさまでした。申請は完了です。"), style="bold"))
                yield Static(Text(_("申請のあとに届くメールや、ギフトの受け取り方は"
                                    "「申請のあと」で確認できます。")))
                with Horizontal(classes="buttons"):
                    yield Button(_("＜ 手順16に戻る"), id="back")
                    yield Button(_("申請のあと"), id="after-applying")
                    yield Button(_("最初に戻る"), id="restart")
        yield Footer()
        self._composed = True

    def on_mount(self) -> None:
        self.show_mode(getattr(self.app, "mode", "resident"))
        self.query("#start-languages").set(display=False)  # may be held back (LaterPane)
        self.call_after_refresh(self.fill_languages)
        if self._go:  # the app was ready before this screen was
            self.call_after_refresh(self._build_held)

    def show_mode(self, mode: str) -> None:
        """Highlight the mode in use in the start screen's list."""
        from guide.tui.modes import MODES

        if self._wait(lambda: self.show_mode(mode)):
            return
        if mode in MODES:
            for box in self.query("#mode-list").results(OptionList):  # none before compose
                box.highlighted = MODES.index(mode)  # type: ignore[arg-type]

    def fill_languages(self) -> None:
        """The start screen's language menu: every language with a catalog, in its own name."""
        if self._wait(self.fill_languages):
            return
        langs = i18n.available_languages()
        self.query_one("#start-languages").display = len(langs) > 1
        if len(langs) > 1:
            box = self.query_one("#language-list", OptionList)
            box.clear_options()
            box.add_options(language_options())
            box.highlighted = langs.index(i18n.current_language())

    # ------------------------------------------------------------------ rendering
    def _prereq_text(self, pid: str) -> Text:
        p = next(p for p in self.content.prerequisites if p.id == pid)
        ctx = f"prerequisite.{p.id}"
        out = Text()
        out.append(_("【確認】") + tr(f"{ctx}.title", p.title), style="bold")
        out.append("\n" + tr(f"{ctx}.text", p.text))
        out.append("\n" + _("確認：") + tr(f"{ctx}.check", p.check))
        out.append("\n" + _("ないときは：") + tr(f"{ctx}.if_missing", p.if_missing))
        return out

    def show(self, view: engine.View, session: engine.Session) -> None:
        """Push a new view into the panes; only the visible pane is updated."""
        if self._wait(lambda: self.show(view, session)):
            return
        switcher = self.query_one("#panes", ContentSwitcher)
        if view.topic is not None:
            self._show_trouble(view)
            switcher.current = "pane-trouble"
        elif view.screen == "step" and view.step is not None:
            self._show_step(view, session)
            switcher.current = "pane-step"
        else:
            switcher.current = f"pane-{view.screen}"
            if view.screen == "done":  # nothing to go on to: offer what comes after applying
                self.query_one("#after-applying", Button).focus(scroll_visible=False)

    def _show_step(self, view: engine.View, session: engine.Session) -> None:
        assert view.step is not None
        step = self.content.step(view.step)
        values = local_values(self.content, view.values)
        ctx = f"step.{step.id}"
        self.query_one(Rail).show(view.step, session.visited)
        self.query_one("#step-title", Static).update(Text(
            _("手順 {n} / {total}　").format(n=step.number, total=STEP_COUNT)
            + tr(f"{ctx}.title", step.title), style="bold"))
        self.query_one(PhoneView).show(step)
        details = Text()
        mode = getattr(self.app, "mode", "resident")
        if mode == "helpdesk":
            # Staff keep what the caller reported in view at every step.
            details.append_text(self.facts_line(view))
            details.append("\n\n")
        details.append_text(_section(_("すること"), _bullets(
            [tr(f"{ctx}.do[{i}]", d, values) for i, d in enumerate(step.do)], "▸")))
        details.append("\n\n")
        details.append_text(_section(_("このあと見える画面"),
                                     tr(f"{ctx}.expect", step.expect, values)))
        if step.cautions:
            details.append("\n\n")
            details.append_text(_section(_("注意"), _bullets(
                [tr(f"{ctx}.cautions[{i}]", c, values) for i, c in enumerate(step.cautions)],
                "！"), style="bold yellow"))
        if mode == "trainer":
            common = [t for t in step.troubles if t != engine.TALK_TO_SOMEONE]
            if common:
                details.append("\n\n")
                details.append_text(_section(_("講師メモ：この手順でよくあるつまずき"), _bullets([
                    tr(f"trouble.{t}.title", self.content.troubles[t].title)
                    + "：" + tr(f"trouble.{t}.summary", self.content.troubles[t].summary)
                    for t in common
                ]), style="bold cyan"))
        if step.troubles:
            details.append("\n\n")
            details.append(_("うまくいかないときは「困ったとき」（t キー）"), style="dim")
        if step.links:
            details.append("\n" if step.troubles else "\n\n")
            details.append(_("この手順のリンクをスマホで開くQRコード：r キー"), style="dim")
        self.query_one("#step-details", Static).update(details)
        self.query_one("#step-body", VerticalScroll).scroll_home(animate=False)
        next_label = _("完了 ＞") if view.step == STEP_COUNT else _("次へ ＞")
        self.query_one("#pane-step #next", Button).label = next_label

    def show_trouble_list(self, step: int | None) -> None:
        if self._wait(lambda: self.show_trouble_list(step)):
            return
        box = self.query_one("#trouble-list", OptionList)
        box.clear_options()
        for tid in engine.troubles_for_step(self.content, step):
            t = self.content.troubles[tid]
            prompt = Text()
            prompt.append(tr(f"trouble.{tid}.title", t.title), style="bold")
            summary = tr(f"trouble.{tid}.summary", t.summary)
            if summary:
                prompt.append("\n" + summary, style="dim")
            box.add_option(Option(prompt, id=f"topic--{tid}"))
            box.add_option(None)  # a separator line between topics
        self.query_one("#panes", ContentSwitcher).current = "pane-troubles"
        box.highlighted = 0
        box.focus(scroll_visible=False)

    def _show_trouble(self, view: engine.View) -> None:
        assert view.topic is not None and view.node is not None
        values = local_values(self.content, view.values)
        t = self.content.troubles[view.topic]
        node = t.nodes[view.node]
        ctx = f"trouble.{t.id}.nodes.{node.id}"
        self.query_one("#trouble-title", Static).update(
            Text(tr(f"trouble.{t.id}.title", t.title), style="bold"))
        body = Text()
        if node.text:
            body.append(tr(f"{ctx}.text", node.text, values), style="bold")
        if node.advice:
            body.append("\n\n")
            body.append_text(_bullets(
                [tr(f"{ctx}.advice[{i}]", a, values) for i, a in enumerate(node.advice)],
                "▸"))
        if node.uncertain:
            body.append("\n\n")
            body.append_text(_section(_("確かでないこと（市にご確認ください）"), _bullets(
                [tr(f"{ctx}.uncertain[{i}]", u, values)
                 for i, u in enumerate(node.uncertain)]), style="bold yellow"))
        if node.office and node.office in self.content.offices:
            o = self.content.offices[node.office]
            octx = f"office.{o.id}"
            body.append("\n\n")
            lines = [tr(f"{octx}.name", o.name)]
            if o.hours:
                lines.append(_("受付：") + tr(f"{octx}.hours", o.hours))
            if o.phone:
                lines.append(_("電話：") + o.phone)
            if o.bring:
                lines.append(_("持ち物：") + "、".join(
                    tr(f"{octx}.bring[{i}]", b) for i, b in enumerate(o.bring)))
            if o.note:
                lines.append(tr(f"{octx}.note", o.note))
            body.append_text(_section(_("窓口"), "\n".join(lines)))
        if node.sources:
            body.append("\n\n")
            body.append(_("出典：") + "\n" + "\n".join(node.sources), style="dim")
        self.query_one("#trouble-text", Static).update(body)
        box = self.query_one("#trouble-options", OptionList)
        box.clear_options()
        for i, opt in enumerate(node.options):
            box.add_option(Option(Text(tr(f"{ctx}.options[{i}]", opt.label)), id=f"option--{i}"))
        see = [s_id for s_id in node.see if s_id in self.content.troubles]
        if see:
            if node.options:
                box.add_option(None)
            for s_id in see:
                title = tr(f"trouble.{s_id}.title", self.content.troubles[s_id].title)
                box.add_option(Option(Text(_("＞ ") + title), id=f"topic--{s_id}"))
        box.display = box.option_count > 0
        self.query_one("#facts-panel", Static).update(self.facts_text(view))
        self.query_one("#trouble-body", VerticalScroll).scroll_home(animate=False)
        if box.option_count:
            box.highlighted = 0
            box.focus(scroll_visible=False)

    def facts_line(self, view: engine.View) -> Text:
        """「わかっていること」 in one line, for the help desk's step screen."""
        text = self.facts_text(view)
        lines = text.plain.split("\n")
        body = [ln for ln in lines[1:-1] if ln.strip()]  # drop the heading and the f-key hint
        out = Text()
        out.append(lines[0] + "：", style="bold")
        out.append("／".join(body) if body else _("まだありません"))
        out.append("　" + _("（f で直す・n で次の人）"), style="dim")
        return out

    def facts_text(self, view: engine.View) -> Text:
        """The 'what I know so far' panel."""
        out = Text()
        out.append(_("わかっていること"), style="bold")
        known = 0
        for fid, fd in self.content.facts.items():
            value = view.values.get(fid)
            if value is None or (fd.type == "count" and not value):
                continue
            known += 1
            label = tr(f"fact.{fid}.label", fd.label)
            if fd.type == "count":
                shown = ngettext("{n}回", "{n}回", value).format(n=number(value))
                if fid == engine.SIGNING_TRIES:
                    left = view.values["tries_left"]
                    shown += ngettext(
                        "（ロックまであと{n}回）", "（ロックまであと{n}回）", left
                    ).format(n=number(left))
            elif fd.type == "flag":
                shown = _("はい") if value else _("いいえ")
            else:
                shown = tr(f"fact.{fid}.values.{value}", fd.value_label(value))
            out.append(f"\n{label}：", style="dim")
            out.append(shown)
        if not known:
            out.append("\n" + _("まだありません"), style="dim")
        out.append("\n" + _("直すとき：f キー"), style="dim")
        return out

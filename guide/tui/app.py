"""The Textual app: holds the one :class:`~guide.engine.Session` and replaces it on each action.

Attributes down, messages up: widgets report what was pressed; the app calls the engine and
pushes the new view into the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.events import Key
from textual.widgets import Button

from guide import engine, i18n
from guide.i18n import N_, _
from guide.render import tr
from guide.schema import STEP_COUNT, Content
from guide.tui.lang import LANG_HINT, LANG_KEY, LanguageScreen, localize_bindings
from guide.tui.modes import DEFAULT_MODE, MODES, ModeScreen
from guide.tui.screens.dialogs import ConfirmScreen, HelpScreen
from guide.tui.screens.main import MainScreen
from guide.tui.widgets.options import OptionList

JUMP_WINDOW = 1.0  # seconds in which a second digit extends a jump ("1" then "2" → step 12)


class TebikiApp(App[None]):
    CSS_PATH = Path(__file__).parent / "styles.tcss"
    ENABLE_COMMAND_PALETTE = False
    jump_window = JUMP_WINDOW  # tests on a loaded machine widen it

    BINDINGS = [
        Binding("right,l", "next", N_("次へ"), key_display="→"),
        # The language key comes early so its hint is on screen even when the footer is cut.
        Binding(LANG_KEY, "language", LANG_HINT, key_display=LANG_KEY),
        Binding("left,h", "go_back", N_("戻る"), key_display="←", show=False),
        Binding("enter", "next", N_("次へ"), show=False),
        Binding("t", "troubles", N_("困ったとき")),
        Binding("k", "ask", N_("困ったこと")),
        Binding("r", "qr", N_("QRコード")),
        Binding("p", "wrong_password", N_("パスワード間違い"), show=False),
        Binding("c", "card_failure", N_("読み取り失敗"), show=False),
        Binding("f", "facts", N_("わかっていること"), show=False),
        Binding("escape", "escape", N_("戻る"), show=False),
        Binding("s", "finder", N_("画面から探す"), show=False),
        Binding("m", "mode", N_("使い方"), show=False),
        Binding("n", "new_caller", N_("次の人"), show=False),
        Binding("question_mark", "help", N_("ヘルプ"), key_display="?"),
        Binding("q", "quit_confirm", N_("終了")),
        # Textual's own ctrl+q quits at once and ctrl+c shows an English hint: ask first, here.
        Binding("ctrl+q,ctrl+c", "quit_confirm", N_("終了"), show=False, priority=True),
    ]

    # Binding descriptions are Japanese source strings (N_); each instance gets them in the
    # current language (guide.tui.lang.localize_bindings), again after every language switch.

    def __init__(
        self, content: Content, session: engine.Session | None = None, mode: str = DEFAULT_MODE
    ) -> None:
        super().__init__()
        localize_bindings(self)
        self.content = content
        self.session = session or engine.Session()
        self.mode = mode if mode in MODES else DEFAULT_MODE
        self._digits = ""
        self._digit_timer: Any = None
        self.content_root: str | Path | None = None  # where content was loaded from, if not shipped
        self.symptoms: dict[str, Any] = {}  # 困ったこと matchers per language, built on first use
        self.title = tr("meta.title", content.meta.title)

    def get_default_screen(self) -> MainScreen:
        """The main screen is the app's first screen (not pushed over an empty one), so it is
        built with the app and painted as soon as the app starts."""
        self.main = MainScreen(self.content)
        localize_bindings(self.main)  # as push_screen does for every other screen
        return self.main

    def on_mount(self) -> None:
        for m in MODES:
            self.main.set_class(m == self.mode, f"-mode-{m}")
        self.main.show_mode(self.mode)
        self.call_after_refresh(self.refresh_view)

    def on_ready(self) -> None:
        self.main.build_later()  # the panes held back so the start screen shows sooner
        if self.mode == "helpdesk" and self.session.screen == "start":
            self.action_finder()  # staff start from what the caller's screen says

    # ------------------------------------------------------------------ state
    def apply(self, fn: Callable[..., engine.Session], *args: Any) -> None:
        """Replace the session with ``fn(session, *args)`` and show the result."""
        self.session = fn(self.session, *args)
        self.refresh_view()

    def apply_c(self, fn: Callable[..., engine.Session], *args: Any) -> None:
        """Like :meth:`apply` for engine functions that take the content first."""
        self.session = fn(self.content, self.session, *args)
        self.refresh_view()

    def refresh_view(self) -> None:
        self.main.show(engine.view(self.content, self.session), self.session)

    # ------------------------------------------------------------------ language
    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if not isinstance(screen, str):
            localize_bindings(screen)  # key hints of every screen in the current language
        return super().push_screen(screen, *args, **kwargs)

    def action_language(self) -> None:
        """``L``: pick a language in a small dialog."""
        if not self._on_main:
            return

        async def picked(lang: str | None) -> None:
            if lang:
                await self.switch_language(lang)

        self.push_screen(LanguageScreen(), picked)

    async def switch_language(self, lang: str) -> None:
        """Show everything in ``lang``; the session (step, open trouble, facts) is untouched."""
        if lang not in i18n.available_languages() or lang == i18n.current_language():
            return
        i18n.set_language(lang)
        localize_bindings(self)
        localize_bindings(self.main)
        self.title = tr("meta.title", self.content.meta.title)
        listing = self.main.query_one("#panes").current == "pane-troubles"  # type: ignore[attr-defined]
        await self.main.recompose()
        # The widget that had focus was replaced: a stale focus would cut the key bindings off.
        self.main.set_focus(None)
        # The start screen's lists are filled after a compose, not by it.
        self.main.fill_languages()
        self.main.show_mode(self.mode)
        self.refresh_view()
        if listing:  # the troubles list is a view of its own, not in the session
            self.main.show_trouble_list(
                self.session.step if self.session.screen == "step" else None
            )
        self.refresh_bindings()

    @property
    def _on_main(self) -> bool:
        return self.screen is self.main

    # ------------------------------------------------------------------ actions
    def action_next(self) -> None:
        if not self._on_main or self.session.trouble is not None:
            return
        if self.main.query_one("#panes").current == "pane-troubles":  # type: ignore[attr-defined]
            return
        self._next()

    def _next(self) -> None:
        before = self.session.fact(engine.SIGNING_TRIES)
        self.apply(engine.next_)
        if before and not self.session.fact(engine.SIGNING_TRIES):
            self.notify(_("署名ができたので、パスワードを間違えた回数は0回にもどりました。"))

    def action_go_back(self) -> None:
        if not self._on_main:
            return
        if self.main.query_one("#panes").current == "pane-troubles":  # type: ignore[attr-defined]
            self.refresh_view()
            return
        self.apply(engine.back)

    def action_escape(self) -> None:
        if not self._on_main:
            return
        if self.session.trouble is not None:
            self.apply(engine.leave_trouble)
        else:
            self.refresh_view()

    def action_ask(self) -> None:
        from guide.tui.screens.ask import open_ask

        open_ask(self)

    def action_troubles(self) -> None:
        if not self._on_main:
            return
        step = self.session.step if self.session.screen == "step" else None
        if self.session.trouble is not None:
            self.session = engine.leave_trouble(self.session)
        self.main.show_trouble_list(step)

    def action_wrong_password(self) -> None:
        if self._on_main:
            self.apply_c(engine.report_wrong_password)

    def action_card_failure(self) -> None:
        if self._on_main:
            self.apply_c(engine.report_card_read_failure)

    def action_facts(self) -> None:
        from guide.tui.screens.facts import FactsScreen

        def done(_result: None) -> None:
            self.refresh_view()

        self.push_screen(FactsScreen(self), done)

    # ------------------------------------------------------------------ modes
    def set_mode(self, mode: str) -> None:
        """Present the same session for residents, help-desk staff or a class."""
        if mode not in MODES:
            return
        self.mode = mode
        for m in MODES:
            self.main.set_class(m == mode, f"-mode-{m}")
        self.main.show_mode(mode)
        self.refresh_view()

    def action_mode(self) -> None:
        if not self._on_main:
            return

        def picked(mode: str | None) -> None:
            if mode:
                self.set_mode(mode)
                if mode == "helpdesk" and self.session.screen == "start":
                    self.action_finder()

        self.push_screen(ModeScreen(self.mode), picked)

    def action_finder(self) -> None:
        """「画面から探す」: find the caller's step from what their screen shows."""
        from guide.tui.screens.finder import FinderScreen

        if not self._on_main:
            return
        current = self.session.step if self.session.screen == "step" else None

        def picked(step: int | None) -> None:
            if step:
                self.apply(engine.jump, step)

        self.push_screen(FinderScreen(self.content, current), picked)

    def action_new_caller(self) -> None:
        """Forget everything the last caller reported (asks first)."""
        if not self._on_main or isinstance(self.screen, ConfirmScreen):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.apply(engine.forget)
                if self.mode == "helpdesk":
                    self.action_finder()

        self.push_screen(
            ConfirmScreen(
                _("わかっていることをすべて消して、次の人の案内を始めますか？"),
                _("消して始める"),
                _("やめる"),
            ),
            answered,
        )

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_qr(self) -> None:
        """QR codes for the current step's links (the portal where a step has none)."""
        from guide.tui.screens.qr import QRScreen

        if not (self._on_main or isinstance(self.screen, HelpScreen)):
            return
        ids = self.content.step(self.session.step).links if self.session.screen == "step" else ()
        links = [self.content.links[i] for i in ids if i in self.content.links]
        if not links:
            portal = self.content.links.get("portal-home")
            links = [portal] if portal else list(self.content.links.values())[:1]
        if links:
            self.push_screen(QRScreen(links))

    def action_quit_confirm(self) -> None:
        if isinstance(self.screen, ConfirmScreen):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen(_("手引きを終了しますか？"), _("終了する"), _("続ける")),
                         answered)

    # ------------------------------------------------------------------ digits: jump to a step
    def on_key(self, event: Key) -> None:
        if not self._on_main or event.character is None or not event.character.isdigit():
            return
        if not event.character.isascii():
            return
        event.stop()
        digits = self._digits + event.character
        if self._digits and 1 <= int(digits) <= STEP_COUNT:
            self._digits = ""
        elif digits == "1":
            self._digits = "1"  # maybe 10-16: wait briefly for a second digit
        else:
            self._digits = ""
            digits = event.character
        if self._digit_timer is not None:
            self._digit_timer.stop()
            self._digit_timer = None
        if self._digits:
            self._digit_timer = self.set_timer(self.jump_window, self._clear_digits)
        n = int(digits)
        if 1 <= n <= STEP_COUNT:
            self.apply(engine.jump, n)

    def _clear_digits(self) -> None:
        self._digits = ""
        self._digit_timer = None

    # ------------------------------------------------------------------ buttons
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._dispatch(event.option.id or "")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if self._dispatch(event.button.id or ""):
            event.stop()

    def _dispatch(self, bid: str) -> bool:
        """Act on a button or option id; False if it isn't one of ours."""
        if bid == "next":
            self._next()
        elif bid == "back":
            self.action_go_back()
        elif bid == "begin":
            self.apply(engine.next_)
        elif bid.startswith("mode--"):
            self.set_mode(bid.removeprefix("mode--"))
            if self.mode == "helpdesk":
                self.action_finder()
            else:
                self.apply(engine.next_)
        elif bid == "goto-step-1":
            self.apply(engine.jump, 1)
        elif bid == "restart":
            self.apply(engine.restart)
        elif bid == "troubles":
            self.action_troubles()
        elif bid in ("close-troubles", "close-trouble"):
            self.apply(engine.leave_trouble)
        elif bid == "trouble-restart":
            self.apply_c(engine.trouble_restart)
        elif bid == "report-password":
            self.apply_c(engine.report_wrong_password)
        elif bid == "report-card":
            self.apply_c(engine.report_card_read_failure)
        elif bid == "report-accepted":
            self.apply_c(engine.report_password_accepted)
        elif bid == "after-applying":
            self.apply_c(engine.enter_trouble, "after-applying")
        elif bid.startswith("topic--"):
            self.apply_c(engine.enter_trouble, bid.removeprefix("topic--"))
        elif bid.startswith("lang--"):
            self.call_later(self.switch_language, bid.removeprefix("lang--"))
        elif bid.startswith("option--"):
            self.apply_c(engine.choose, int(bid.removeprefix("option--")))
        else:
            return False
        return True


def create_app(
    content: Content,
    session: engine.Session | None = None,
    lang: str | None = None,
    mode: str = DEFAULT_MODE,
) -> TebikiApp:
    """The one factory used by the CLI, the web server and the tests. ``lang``: start in that
    language (else the one :mod:`guide.i18n` has installed, Japanese by default)."""
    if lang is not None and lang != i18n.current_language():
        i18n.set_language(lang)
    return TebikiApp(content, session, mode)

"""The 困ったこと box: the resident (or a help-desk worker) types what is wrong in their own
words; the guide answers 「これのことですか？」 with the likeliest troubleshooting topics.

A conversation, newest at the bottom. The resident's words are shown as plain text (never
parsed as markup), with anything that looks like a password, PIN, e-mail address or phone
number masked; nothing typed is kept once the box is closed. Choosing a topic closes the box and
opens that tree at the matched node; 「どれも違う」 opens talk-to-someone.

The matcher (:mod:`guide.symptoms`) is the current language's (``content/symptoms/<lang>.yaml``),
built once per app and word list on first use, and weighted by the step the resident is at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from guide import engine
from guide.i18n import N_, _, current_language
from guide.render import tr
from guide.symptoms import Matcher, MatchResult, load_matcher, normalise, redact, words_language
from guide.tui.lang import localize_bindings

if TYPE_CHECKING:
    from guide.schema import Content
    from guide.tui.app import TebikiApp

MAX_SHOWN = 3
SHOW_RATIO = 0.5  # when sure, also offer the runners-up scoring at least half the best


def matcher_for(app: TebikiApp) -> Matcher | None:
    """The matcher of the current language, built on first use and kept per word list (ja-easy
    and a language without its own list share the Japanese one). None if the list is broken."""
    lang = words_language(current_language(), app.content_root)
    if lang not in app.symptoms:
        app.symptoms[lang], _diags = load_matcher(app.content, app.content_root, lang)
    return app.symptoms[lang]  # type: ignore[no-any-return]


def open_ask(app: TebikiApp) -> None:
    """Open the box over the current screen (the ``k`` key), weighted by the current step."""
    if isinstance(app.screen, AskScreen):
        return
    step = app.session.step if app.session.screen == "step" else None

    def chosen(choice: tuple[str, str | None] | None) -> None:
        if choice is not None:
            topic, node = choice
            app.apply_c(engine.enter_trouble, topic, node)

    app.push_screen(AskScreen(app.content, matcher_for(app), step), chosen)


class AskScreen(ModalScreen[tuple[str, str | None] | None]):
    """Dismisses with (topic, node) when a candidate is chosen, or None when closed."""

    BINDINGS = [Binding("escape", "close", N_("閉じる"))]

    def __init__(self, content: Content, matcher: Matcher | None, step: int | None) -> None:
        super().__init__()
        localize_bindings(self)
        self.content = content
        self.matcher = matcher
        self.step = step
        self._round = 0
        self._choices: dict[str, tuple[str, str | None]] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog ask-dialog"):
            yield Static(Text(_("困ったこと"), style="bold"), classes="pane-title")
            with VerticalScroll(id="ask-log"):
                yield Static(self._greeting(), classes="ask-guide")
            yield Input(placeholder=_("例：カードが反応しない"), id="ask-input")
            with Horizontal(classes="buttons"):
                yield Button(_("閉じる"), id="ask-close")

    def _greeting(self) -> Text:
        out = Text(
            _(
                "どんなことでお困りですか？ 起きていることや、画面に出たことばを、"
                "ご自分のことばで書いて Enter を押してください。"
            )
        )
        if self.step is not None:
            out.append(
                "\n" + _("いまの手順（手順{n}）に合わせて探します。").format(n=self.step),
                style="dim",
            )
        out.append(
            "\n"
            + _(
                "パスワード・暗証番号・マイナンバー・メールアドレス・電話番号は書かないでください。"
            ),
            style="dim",
        )
        if self.matcher is None:
            out.append(
                "\n"
                + _("ことばの一覧を読み込めませんでした。「どれも違う」から相談先をご覧ください。"),
                style="bold yellow",
            )
        return out

    def on_mount(self) -> None:
        self.query_one("#ask-input", Input).focus()

    # ------------------------------------------------------------------ the conversation
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        said = event.value
        event.input.value = ""  # nothing typed is kept
        if not normalise(said):
            return
        self.answer(said)

    def answer(self, said: str) -> None:
        """Show what was said and the guide's reply with the candidates as buttons."""
        self._round += 1
        shown, masked = redact(said)
        log = self.query_one("#ask-log", VerticalScroll)
        widgets: list[Static | Button] = [
            Static(Text.assemble((_("あなた") + "：", "bold"), shown), classes="ask-you"),
        ]
        if masked:
            widgets.append(
                Static(
                    Text(
                        _(
                            "パスワード・暗証番号・メールアドレス・電話番号のようなものは、伏せて表示しました。"
                            "ここには書かないでください。"
                        ),
                        style="bold yellow",
                    ),
                    classes="ask-guide",
                )
            )
        result = self.matcher.match(said, self.step) if self.matcher is not None else None
        picks = self._picks(result)
        widgets.append(Static(Text(self._prompt(result, picks)), classes="ask-guide"))
        for i, (topic, node) in enumerate(picks):
            bid = f"ask-{self._round}-{i}"
            self._choices[bid] = (topic, node)
            t = self.content.troubles[topic]
            label = Text(tr(f"trouble.{topic}.title", t.title), style="bold")
            summary = tr(f"trouble.{topic}.summary", t.summary)
            if summary:
                label.append("\n" + summary)
            widgets.append(Button(label, id=bid, classes="ask-choice"))
        none_id = f"ask-{self._round}-none"
        self._choices[none_id] = (engine.TALK_TO_SOMEONE, None)
        widgets.append(
            Button(
                Text(_("どれも違う（だれかに相談する）")), id=none_id, classes="ask-choice ask-none"
            )
        )
        log.mount_all(widgets)
        first_choice = next((w for w in widgets if isinstance(w, Button)), None)

        def show_round() -> None:
            # Keep this round's question in view, and put the best match under Enter.
            log.scroll_to_widget(widgets[0], animate=False, top=True)
            if first_choice is not None:
                first_choice.focus(scroll_visible=False)

        self.call_after_refresh(show_round)

    def on_key(self, event: events.Key) -> None:
        """Typing while a suggestion is focused goes back to the input box."""
        box = self.query_one("#ask-input", Input)
        char = event.character
        if self.focused is not box and char and char.isprintable() and char != " ":
            event.stop()
            event.prevent_default()
            box.focus()
            box.insert_text_at_cursor(char)

    def _picks(self, result: MatchResult | None) -> list[tuple[str, str | None]]:
        if result is None or not result.candidates:
            # nothing matched: offer what commonly goes wrong at this step instead
            common = [
                tid
                for tid in engine.troubles_for_step(self.content, self.step)
                if tid != engine.TALK_TO_SOMEONE
            ]
            return [(tid, None) for tid in common[:MAX_SHOWN]] if self.step is not None else []
        best = result.candidates[0].score
        return [
            (c.topic, c.node)
            for c in result.candidates[:MAX_SHOWN]
            if result.unsure or c.score >= SHOW_RATIO * best
            if c.topic != engine.TALK_TO_SOMEONE or c is result.candidates[0]
        ]

    def _prompt(self, result: MatchResult | None, picks: list[tuple[str, str | None]]) -> str:
        if result is None or not result.candidates:
            if picks:
                return _(
                    "すみません、どれのことか分かりませんでした。"
                    "別のことばで書いてみてください。この手順でよくあるのは、次のことです。"
                )
            return _("すみません、どれのことか分かりませんでした。別のことばで書いてみてください。")
        if result.weak:
            return _("はっきりとは分かりませんでした。これのことですか？")
        if result.close:
            return _("いくつか考えられます。これのことですか？")
        return _("これのことですか？")

    # ------------------------------------------------------------------ choosing
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        bid = event.button.id or ""
        if bid == "ask-close":
            self.dismiss(None)
        elif bid in self._choices:
            self.dismiss(self._choices[bid])

    def action_close(self) -> None:
        self.dismiss(None)

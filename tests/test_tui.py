"""The Textual app, driven with Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import ContentSwitcher, OptionList, Static

from guide.tui.app import create_app
from guide.tui.screens.dialogs import ConfirmScreen, HelpScreen

from .test_cli import LABELS


def screen_text(app) -> str:
    """All the text the main screen's visible statics show (phone drawing, details, titles)."""
    parts = []
    for w in app.main.query(Static):
        if w.display and w.region.width:
            parts.append(str(w.render()))
    return "\n".join(parts)


def pane(app) -> str:
    return app.main.query_one("#panes", ContentSwitcher).current


async def test_walk_all_16_steps_with_labels(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert pane(app) == "pane-start"
        await pilot.press("right")
        assert pane(app) == "pane-prep"
        shown = []
        for n in range(1, 17):
            await pilot.press("right")
            assert app.session.step == n and pane(app) == "pane-step"
            text = screen_text(app)
            assert f"手順 {n} / 16" in text
            step = content.step(n)
            for label in step.screen.labels():
                assert label in text
            shown.append(text)
        await pilot.press("right")
        assert pane(app) == "pane-done"
    everything = "\n".join(shown)
    for label in LABELS:
        assert label in everything, label


async def test_buttons_and_mouse(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.click("#begin")
        assert pane(app) == "pane-prep"
        await pilot.click("#pane-prep #next")
        assert app.session.step == 1
        await pilot.click("#pane-step #next")
        assert app.session.step == 2
        await pilot.click("#pane-step #back")
        assert app.session.step == 1


async def test_back_and_jump(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7")
        assert app.session.step == 7
        await pilot.press("left")
        assert app.session.step == 6
        await pilot.press("1", "2")
        assert app.session.step == 12
        await pilot.press("1", "6")
        assert app.session.step == 16
        await pilot.press("9")
        assert app.session.step == 9
        assert "手順 9 / 16" in screen_text(app)


@pytest.mark.parametrize("size", [(40, 30), (80, 24), (160, 50), (20, 8)])
async def test_layouts_show_the_step(content, size) -> None:
    app = create_app(content)
    async with app.run_test(size=size) as pilot:
        await pilot.press("1", "1")
        await pilot.pause()
        assert app.session.step == 11
        assert app.screen.has_class("-narrow") == (size[0] < 70)
        phone = app.main.query_one("#phone")
        details = app.main.query_one("#step-details")
        if size[0] >= 40:
            # narrow: phone above the details; wide: side by side
            if size[0] < 70:
                assert phone.region.y < details.region.y
            else:
                assert phone.region.x < details.region.x
        await pilot.press("right", "left", "t", "escape", "question_mark", "escape")


async def test_quit_asks_first(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.screen is app.main
        await pilot.press("q")
        await pilot.click("#yes")
        await pilot.pause()
    assert app.return_code == 0


async def test_help_screen(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is app.main


async def test_odd_keys_do_not_crash(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right")
        for key in [
            "x",
            "0",
            "ctrl+x",
            "f12",
            "tab",
            "shift+tab",
            "end",
            "home",
            "space",
            "あ",
            "1",
            "9",
            "9",
            "enter",
            "backspace",
            "delete",
            "pageup",
            "pagedown",
        ]:
            await pilot.press(key)
        assert app.screen is app.main or app.screen.is_modal


async def test_trouble_list_from_step(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "0")
        await pilot.press("t")
        assert pane(app) == "pane-troubles"
        box = app.main.query_one("#trouble-list", OptionList)
        ids = [box.get_option_at_index(i).id for i in range(box.option_count)]
        ids = [i for i in ids if i]
        assert ids[0] == f"topic--{content.step(10).troubles[0]}"
        assert ids[-1] == "topic--talk-to-someone"
        await pilot.press("escape")
        assert pane(app) == "pane-step" and app.session.step == 10


def trouble_text(app) -> str:
    return str(app.main.query_one("#trouble-text", Static).render())


def facts_text(app) -> str:
    return str(app.main.query_one("#facts-panel", Static).render())


async def test_reporting_wrong_tries_changes_the_panel_and_the_advice(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("1", "0")
        await pilot.press("p")  # 1st wrong try: the ledger asks about earlier tries once
        assert app.session.trouble.node == "ask-earlier-tries"
        assert "ロックまであと4回" in facts_text(app)
        await pilot.press("enter")  # "ない（いまの回数で合っている）"
        assert app.session.fact("signing_history_checked") is True
        await pilot.click("#report-password")  # 2nd: straight to the ledger now
        await pilot.pause()
        assert app.session.trouble.node == "ledger"
        assert "ロックまであと3回" in trouble_text(app)
        assert "ロックまであと3回" in facts_text(app)
        await pilot.press("p")  # 3rd: stop and check the basics
        assert app.session.trouble.node == "stop-and-check"
        assert "手を止めましょう" in trouble_text(app)
        await pilot.press("p")  # 4th: do not try again
        assert app.session.trouble.node == "one-try-left"
        assert "もう入力しないでください" in trouble_text(app)
        await pilot.press("p")  # 5th: locked
        assert app.session.trouble.node == "locked"
        assert "ロック" in trouble_text(app)
        assert "5回" in facts_text(app)
        await pilot.press("p")  # never above the lock
        assert app.session.fact("signing_wrong_tries") == 5


async def test_card_failures_escalate(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("1", "1")
        await pilot.press("c")
        assert app.session.trouble.topic == "card-read"
        assert "カードが読み取れなかった回数" in facts_text(app)


async def test_choosing_an_option_with_the_keyboard(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("1", "1", "t")
        await pilot.press("enter")  # first topic of step 11
        assert app.session.trouble is not None
        first = app.session.trouble.node
        await pilot.press("enter")  # first option
        assert app.session.trouble.node != first
        await pilot.press("left")  # back one question
        assert app.session.trouble.node == first
        await pilot.press("escape")
        assert app.session.trouble is None and app.session.step == 11


async def test_long_text_scrolls_from_the_keyboard(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "0")  # step 10 has long cautions
        body = app.main.query_one("#step-body")
        assert body.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("question_mark")
        help_body = app.screen.query_one("#help-body")
        assert help_body.max_scroll_y > 0  # the key list is longer than 24 rows
        await pilot.press("pagedown")
        await pilot.pause()
        assert help_body.scroll_y > 0


async def test_ctrl_c_and_ctrl_q_ask_before_quitting(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("ctrl+c", "ctrl+q"):
            await pilot.press(key)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            assert app.screen is app.main


async def test_the_end_offers_what_comes_after(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "6", "right")
        assert pane(app) == "pane-done"
        assert app.focused is not None and app.focused.id == "after-applying"
        await pilot.press("enter")
        assert app.session.trouble is not None
        assert app.session.trouble.topic == "after-applying"


@pytest.mark.parametrize(
    ("size", "keys"),
    [
        ((6, 10), []),
        ((1, 1), ["t", "s", "escape", "k"]),
        ((40, 10), ["s", "down", "pageup"]),
        ((20, 6), ["t", "pagedown", "pageup"]),
        ((20, 6), ["L", "pagedown"]),
        ((3, 30), ["right", "right", "1", "1", "c", "pagedown"]),
    ],
)
async def test_tiny_terminals_do_not_crash(content, size, keys) -> None:
    """Regression: lists crashed Textual's OptionList at tiny sizes (page keys, narrow wraps)."""
    app = create_app(content)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        assert app.is_running

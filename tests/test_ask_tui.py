"""The 困ったこと box (guide/tui/screens/ask.py), driven with Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import Button, ContentSwitcher, Input, Static

from guide import engine
from guide.tui.app import create_app
from guide.tui.screens.ask import AskScreen

# These tests read Japanese titles: run them in Japanese whatever ran before.
pytestmark = pytest.mark.usefixtures("japanese")


def pane(app) -> str:
    return app.main.query_one("#panes", ContentSwitcher).current


def said(app) -> list[str]:
    """What the conversation shows as the resident's words."""
    return [str(w.render()) for w in app.screen.query(".ask-you").results(Static)]


def choices(app) -> list[Button]:
    return list(app.screen.query(".ask-choice").results(Button))


async def open_at_step(pilot, app, step: int) -> None:
    # jump through the engine: digit keys wait for a second digit, which is timing-dependent
    app.apply(engine.jump, step)
    await pilot.pause()
    assert app.session.step == step
    await pilot.press("k")
    await pilot.pause()
    assert isinstance(app.screen, AskScreen)


async def type_and_send(pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


async def test_open_type_japanese_choose_and_the_tree_opens(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_at_step(pilot, app, 11)
        assert app.screen.focused is app.screen.query_one("#ask-input", Input)
        await type_and_send(pilot, "カードが反応しない")
        assert said(app) == ["あなた：カードが反応しない"]
        assert app.screen.query_one("#ask-input", Input).value == ""
        buttons = choices(app)
        assert "カードが読み取れない" in str(buttons[0].label)
        assert "どれも違う" in str(buttons[-1].label)
        await pilot.click(f"#{buttons[0].id}")
        await pilot.pause()
        assert app.screen is app.main
        assert app.session.trouble is not None and app.session.trouble.topic == "card-read"
        assert pane(app) == "pane-trouble"
        assert app.session.step == 11  # still at the step, inside its tree


async def test_none_of_these_leads_to_talk_to_someone(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_at_step(pilot, app, 6)
        await type_and_send(pilot, "メアド一致しないって出る")
        none = choices(app)[-1]
        assert none.id is not None and none.id.endswith("-none")
        await pilot.click(f"#{none.id}")
        await pilot.pause()
        assert app.session.trouble is not None
        assert app.session.trouble.topic == "talk-to-someone"
        assert pane(app) == "pane-trouble"


async def test_markup_like_input_is_shown_literally(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("k")
        await type_and_send(pilot, "[bold]x[/] [red]カード[/red]")
        assert said(app) == ["あなた：[bold]x[/] [red]カード[/red]"]


async def test_step_weights_the_answer(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_at_step(pilot, app, 16)
        await type_and_send(pilot, "来ない")
        assert "メールが届かない" in str(choices(app)[0].label)
        await pilot.press("escape")
        await open_at_step(pilot, app, 11)
        await type_and_send(pilot, "エラー")
        first = str(choices(app)[0].label)
        assert "カードが読み取れない" in first


async def test_the_chosen_node_is_entered(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("k")
        await type_and_send(pilot, "マイナンバーカードを落としてしまいました")
        await pilot.click(f"#{choices(app)[0].id}")
        await pilot.pause()
        assert app.session.trouble is not None
        assert (app.session.trouble.topic, app.session.trouble.node) == (
            "talk-to-someone",
            "lost-card",
        )


async def test_reachable_from_every_pane_and_escape_closes(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        seen = []
        for keys in ([], ["right"], ["right"], ["t"]):  # start, 事前準備, step 1, the trouble list
            await pilot.press(*keys)
            await pilot.pause()
            seen.append(pane(app))
            before = app.session
            await pilot.press("k")
            await pilot.pause()
            assert isinstance(app.screen, AskScreen), pane(app)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is app.main and app.session == before
        assert seen == ["pane-start", "pane-prep", "pane-step", "pane-troubles"]
        # from inside a tree: the new choice replaces the open tree
        await pilot.press("c")  # a failed card read: opens the card-read tree
        await pilot.pause()
        assert app.session.trouble is not None and app.session.trouble.topic == "card-read"
        assert pane(app) == "pane-trouble"
        await pilot.press("k")
        await type_and_send(pilot, "メールが届かない")
        await pilot.click(f"#{choices(app)[0].id}")
        await pilot.pause()
        assert app.session.trouble is not None
        assert app.session.trouble.topic == "email-delivery"


async def test_typing_does_not_trigger_app_keys(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("k")
        await pilot.press("q", "t", "1", "?", "k")
        assert isinstance(app.screen, AskScreen)
        assert app.screen.query_one("#ask-input", Input).value == "qt1?k"
        assert app.session.screen == "start"


async def test_matcher_built_once_per_app(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 40)) as pilot:
        assert app.symptoms == {}
        await pilot.press("k")
        first = app.screen.matcher  # type: ignore[attr-defined]
        assert first is not None
        await pilot.press("escape")
        await pilot.press("k")
        assert app.screen.matcher is first  # type: ignore[attr-defined]
        assert list(app.symptoms) == ["ja"]


async def test_secrets_are_masked_and_nothing_matched_offers_the_step(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_at_step(pilot, app, 4)
        await type_and_send(pilot, "hanako@example.jp でログインできない")
        assert "hanako" not in said(app)[0]
        texts = [str(w.render()) for w in app.screen.query(".ask-guide").results(Static)]
        assert any("伏せて表示しました" in t for t in texts)
        await type_and_send(pilot, "ほげほげ")
        last_round = [b for b in choices(app) if (b.id or "").startswith("ask-2-")]
        labels = [str(b.label) for b in last_round]
        assert any("ポータルにログインできない" in lb for lb in labels)  # step 4's first trouble
        assert "どれも違う" in labels[-1]


async def test_narrow_terminal(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.press("k")
        await type_and_send(pilot, "ロックされたかも")
        buttons = choices(app)
        assert buttons and all(b.region.width <= 40 for b in buttons)
        await pilot.click(f"#{buttons[0].id}")
        await pilot.pause()
        assert app.session.trouble is not None
        assert app.session.trouble.topic == "password-locked"

"""The three modes: resident, help desk, trainer — one content source, different presentations."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from guide.tui.app import create_app
from guide.tui.screens.dialogs import ConfirmScreen
from guide.tui.screens.finder import FinderScreen


def details(app) -> str:
    return str(app.main.query_one("#step-details", Static).render())


async def test_helpdesk_starts_at_the_screen_finder_and_jumps(content) -> None:
    app = create_app(content, mode="helpdesk")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FinderScreen)
        box = app.screen.query_one(OptionList)
        # every step is listed with the words its screen shows
        prompts = [str(box.get_option_at_index(i).prompt) for i in range(box.option_count)]
        assert any("申請内容に署名" in p for p in prompts)
        assert any("ログインが必要です。" in p for p in prompts)
        target = next(i for i, p in enumerate(prompts) if "申請内容に署名" in p)
        box.focus()
        box.highlighted = target
        await pilot.press("enter")
        assert app.screen is app.main
        assert app.session.step == content.step(13).number == 13


async def test_helpdesk_keeps_what_the_caller_said_in_view(content) -> None:
    app = create_app(content, mode="helpdesk")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("escape")  # close the finder
        await pilot.press("1", "0")
        assert "わかっていること：まだありません" in details(app)
        await pilot.press("p", "escape")
        assert "ロックまであと4回" in details(app)
        await pilot.press("n")  # next caller: asks first
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await pilot.pause()
        assert app.session.fact("signing_wrong_tries") is None
        assert isinstance(app.screen, FinderScreen)


async def test_trainer_sees_the_common_troubles_of_each_step(content) -> None:
    app = create_app(content, mode="trainer")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("1", "1")
        text = details(app)
        assert "講師メモ" in text
        assert content.troubles["card-read"].title in text
        assert "わかっていること" not in text


async def test_resident_mode_has_neither(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("1", "1")
        text = details(app)
        assert "講師メモ" not in text and "わかっていること" not in text


async def test_switching_mode_keeps_the_place(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("1", "1", "m")
        box = app.screen.query_one(OptionList)
        box.highlighted = 2  # trainer
        await pilot.press("enter")
        assert app.mode == "trainer" and app.session.step == 11
        assert app.main.has_class("-mode-trainer")
        assert "講師メモ" in details(app)


async def test_choosing_a_mode_on_the_start_screen(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        box = app.main.query_one("#mode-list", OptionList)
        box.focus()
        box.highlighted = 1  # help desk
        await pilot.press("enter")
        assert app.mode == "helpdesk"
        assert isinstance(app.screen, FinderScreen)


async def test_finder_narrows_by_the_words_typed(content) -> None:
    app = create_app(content, mode="helpdesk")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FinderScreen)
        box = app.screen.query_one(OptionList)
        app.screen.query_one("#finder-input").value = "ｎｏｔｈｉｎｇ like this"
        await pilot.pause()
        assert box.option_count == 0
        app.screen.query_one("#finder-input").value = "電子署名済み"
        await pilot.pause()
        ids = [box.get_option_at_index(i).id for i in range(box.option_count)]
        assert [i for i in ids if i] == ["step--14"]
        await pilot.press("enter")
        assert app.session.step == 14

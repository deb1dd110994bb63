"""The main screen's panes built after the first frame (guide/tui/widgets/later.py): what is
asked for in the meantime is shown once they are in, and nothing is lost or shown twice."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import ContentSwitcher, OptionList, Static

from guide.tui.app import create_app
from guide.tui.screens.main import MainScreen
from guide.tui.widgets.later import LaterPane

PANES = ["pane-start", "pane-prep", "pane-step", "pane-troubles", "pane-trouble", "pane-done"]


@pytest.fixture
def build_later(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """Build panes later even under Pilot, and hold them back until the event is set."""
    monkeypatch.setattr(MainScreen, "BUILD_LATER", True)
    release = asyncio.Event()
    real = LaterPane._mount_pane
    tasks: set[asyncio.Task[None]] = set()

    async def mount_when_released(pane: LaterPane) -> None:
        await release.wait()
        await real(pane)

    async def held(self: LaterPane) -> None:
        # Not awaited here: the screen keeps running (and taking keys) while the panes wait.
        task = asyncio.create_task(mount_when_released(self))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    monkeypatch.setattr(LaterPane, "_mount_pane", held)
    return release


def switcher(app) -> ContentSwitcher:  # type: ignore[no-untyped-def]
    return app.main.query_one("#panes", ContentSwitcher)


async def test_the_first_screen_needs_only_the_start_pane(content, build_later) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        ids = [w.id for w in switcher(app).children]
        assert ids[0] == "pane-start" and ids[1:] == [None] * 5  # five placeholders
        assert switcher(app).current == "pane-start"
        assert app.main.query_one("#begin")  # what the first frame needs is there
        assert not app.main.query("#mode-list") and not app.main.query("#language-list")
        build_later.set()
        await pilot.pause()
        await pilot.pause()
        assert [w.id for w in switcher(app).children] == PANES
        assert not app.main.query(LaterPane)
        assert [w.id for w in switcher(app).children if w.display] == ["pane-start"]
        # The start screen's lists appear just after, filled and showing the current choice.
        modes = app.main.query_one("#mode-list", OptionList)
        assert modes.display and modes.highlighted == 0  # resident, the default mode
        languages = app.main.query_one("#language-list", OptionList)
        assert app.main.query_one("#start-languages").display and languages.option_count > 1


async def test_keys_pressed_while_panes_are_built_are_shown_after(content, build_later) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right", "right", "right")  # start → 事前準備 → step 1 → step 2
        assert app.session.screen == "step" and app.session.step == 2
        assert switcher(app).current == "pane-start"  # nothing to show it in yet
        build_later.set()
        await pilot.pause()
        await pilot.pause()
        assert switcher(app).current == "pane-step"
        title = app.main.query_one("#step-title", Static)
        assert "手順 2 / 16" in str(title.render())
        await pilot.press("t")
        assert switcher(app).current == "pane-troubles"


async def test_a_recompose_builds_every_pane_at_once(content, build_later) -> None:
    build_later.set()
    app = create_app(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right", "right")
        await pilot.pause()
        await app.main.recompose()
        assert [w.id for w in switcher(app).children] == PANES
        app.refresh_view()
        await pilot.pause()
        assert switcher(app).current == "pane-step"

"""The QR screen in the TUI, driven with Pilot. Codes are read back from what the screen draws."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from guide.render import qr
from guide.tui.app import create_app
from guide.tui.screens.dialogs import HelpScreen
from guide.tui.screens.qr import QRScreen

from .test_qr import BLACK, RGB, WHITE, decode, draw_cells

FINDER_TOP = qr.FULL + qr.UPPER * 5 + qr.FULL  # the top edge of a finder pattern, "█▀▀▀▀▀█"


def drawn_cells(app, widget) -> list[list[tuple[str, RGB, RGB]]]:
    """The characters and colours the terminal would show in ``widget``'s region."""
    region = widget.region
    strips = app.screen._compositor.render_strips()
    rows = []
    for y in range(region.y, region.bottom):
        row = []
        for seg in strips[y].crop(region.x, region.right):
            assert seg.style is not None and seg.style.color and seg.style.bgcolor, seg
            ink = tuple(seg.style.color.get_truecolor())
            bg = tuple(seg.style.bgcolor.get_truecolor())
            row.extend((ch, ink, bg) for ch in seg.text)
        rows.append(row)
    return rows


def whole_screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def info_text(screen: QRScreen) -> str:
    return str(screen.query_one("#qr-info", Static).render())


async def open_qr(pilot, step_keys: tuple[str, ...]) -> QRScreen:
    await pilot.press(*step_keys)
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, QRScreen)
    return screen


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_step_8_shows_scannable_codes_for_both_store_links(content, theme) -> None:
    app = create_app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        screen = await open_qr(pilot, ("8",))
        assert [lk.id for lk in screen.links] == list(content.step(8).links)
        seen = []
        for lk in screen.links:
            assert screen.link is lk
            assert screen.layout_name == "-side"
            cells = drawn_cells(app, screen.query_one("#qr-code"))
            # forced colours: the theme changes nothing in the code
            assert {(ink, bg) for row in cells for _c, ink, bg in row} == {(BLACK, WHITE)}
            assert decode(draw_cells(cells)) == [lk.url]
            info = info_text(screen)
            assert lk.url in info and "このリンクはまだ確認されていません" in info
            seen.append(lk.url)
            await pilot.press("n")  # the 「次のリンク」 button's key (the button: see below)
            await pilot.pause()
        assert screen.link is screen.links[0]  # cycled round
        assert seen == [lk.url for lk in screen.links]
        await pilot.press("escape")
        assert app.screen is app.main


async def test_tiny_terminal_shows_the_url_instead_of_a_broken_code(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await open_qr(pilot, ("8",))
        assert screen.layout_name == "-no-code"
        assert not screen.query_one("#qr-code").display
        assert FINDER_TOP not in whole_screen_text(app)
        info = info_text(screen)
        assert screen.link.url in info and "画面が小さい" in info


async def test_resizing_redraws_or_hides_the_code(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_qr(pilot, ("1",))
        assert FINDER_TOP in whole_screen_text(app)
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert screen.layout_name == "-no-code"
        assert FINDER_TOP not in whole_screen_text(app)
        await pilot.resize_terminal(50, 40)  # too narrow beside the text, tall enough above it
        await pilot.pause()
        assert screen.layout_name == "-stacked"
        code = screen.query_one("#qr-code")
        assert code.region.bottom <= screen.query_one("#qr-side").region.y
        assert decode(draw_cells(drawn_cells(app, code))) == [screen.link.url]


async def test_open_button_calls_open_url(content, monkeypatch) -> None:
    app = create_app(content)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_kw: opened.append(url))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_qr(pilot, ("8",))
        await pilot.click("#qr-open")
        await pilot.click("#qr-next")
        await pilot.pause(0.3)  # a Button ignores clicks for 0.2 s after being pressed
        await pilot.click("#qr-open")
    assert opened == [content.links[i].url for i in content.step(8).links]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (("1",), ("portal-home",)),
        (("1", "1"), ("jpki-android-models",)),
        (("2",), ("portal-home",)),  # a step without links: the portal
        ((), ("portal-home",)),  # the start screen
    ],
)
async def test_which_links_r_shows(content, keys, expected) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_qr(pilot, keys)
        assert tuple(lk.id for lk in screen.links) == expected
        assert not screen.query("#qr-next")  # one link: no button to switch


async def test_r_from_the_help_screen(content) -> None:
    app = create_app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("8", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "QRコード" in str(app.screen.query_one(Static).render())
        await pilot.press("r")
        assert isinstance(app.screen, QRScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HelpScreen)


async def test_verified_link_has_no_warning_and_steps_with_links_hint_r(mini_content) -> None:
    app = create_app(mini_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        details = str(app.main.query_one("#step-details", Static).render())
        assert "r キー" in details
        await pilot.press("right")  # step 2: no links
        await pilot.pause()
        assert app.session.step == 2
        assert "r キー" not in str(app.main.query_one("#step-details", Static).render())
        await pilot.press("1", "r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QRScreen) and screen.link.verified
        info = info_text(screen)
        assert screen.link.url in info and "確認されていません" not in info

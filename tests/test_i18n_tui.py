"""Languages in the Textual app (Pilot): every content string the app shows is in the catalogs'
list, every language walks through without a gap or a crash, switching keeps your place."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList, Static

from guide import catalogs, engine, i18n
from guide.content_strings import iter_strings
from guide.render.plain import render_guide
from guide.schema import Content
from guide.tui.app import TebikiApp, create_app
from guide.tui.lang import LanguageScreen

ROOT = Path(__file__).resolve().parent.parent
LANGS = i18n.available_languages(ROOT / "locales")
# Facts with a value each, so the 'what I know' panel and {{ }} values are drawn too.
FACTS = {
    "phone_os": "ios",
    "phone_family": "pixel",
    "signing_wrong_tries": 2,
    "card_read_failures": 1,
    "mail_service": "docomo",
    "app_installed": True,
    "card_type": "standard",
    "pin_known": False,
    "browser": "in-app",
}


# Each test starts and ends in Japanese, compiling catalogs into a private cache.
pytestmark = pytest.mark.usefixtures("fresh_japanese")


def _text(app: TebikiApp, selector: str) -> str:
    return str(app.main.query_one(selector, Static).render())


def _session(content: Content) -> engine.Session:
    s = engine.Session()
    for fact, value in FACTS.items():
        if fact in content.facts:
            s = engine.report(content, s, fact, value)
    return s


async def _walk(app: TebikiApp, pilot: Any, content: Content) -> int:
    """Show every step, the 事前準備, the end, every step's trouble list, every question and
    outcome of every tree, the facts dialog and the QR dialog. Returns the views shown."""
    shown = 0
    app.session = _session(content)
    for screen in ("start", "prep"):
        app.session = engine.replace(app.session, screen=screen)
        app.refresh_view()
        shown += 1
    for n in range(1, 17):
        app.apply(engine.jump, n)
        app.main.show_trouble_list(n)
        shown += 2
        await pilot.pause()
    app.session = engine.replace(app.session, screen="done")
    app.refresh_view()
    base = app.session
    for tid, tree in content.troubles.items():
        for nid, node in tree.nodes.items():
            if node.kind == "route":
                continue
            app.session = engine.enter_trouble(content, base, tid, nid)
            app.refresh_view()
            shown += 1
        await pilot.pause()
    app.session = engine.leave_trouble(app.session)
    app.apply(engine.jump, 8)  # a step with links: the QR dialog names them
    await pilot.press("f")
    await pilot.pause()
    await pilot.press("escape")
    await pilot.press("r")
    await pilot.pause()
    await pilot.press("escape")
    await pilot.pause()
    return shown


async def test_every_content_string_the_app_shows_is_listed_for_translators(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Record each (context, text) the app translates during a full walk and `guide print`;
    every one must be in iter_strings (what the extractor and `guide check` count), so a
    renderer can't build a context the catalogs don't have."""
    recorded: set[tuple[str, str]] = set()
    original = i18n.ct

    def recording_ct(context: str, text: str) -> str:
        if text:
            recorded.add((context, text))
        return original(context, text)

    for name, module in list(sys.modules.items()):
        ours = name == "guide" or name.startswith("guide.")
        if ours and getattr(module, "ct", None) is original:
            monkeypatch.setattr(module, "ct", recording_ct)
    app = create_app(content)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        await _walk(app, pilot, content)
    render_guide(content)
    listed = {(c, t) for c, t, _m in iter_strings(content)}
    assert recorded - listed == set()
    # The walk reaches nearly everything: each step's texts and each tree's nodes.
    assert {c for c, _t in recorded} >= {f"step.{s.id}.title" for s in content.steps}
    assert {c for c, _t in recorded} >= {f"trouble.{t}.title" for t in content.troubles}
    assert len(recorded) > 0.9 * len(listed)


@pytest.mark.parametrize("lang", LANGS)
async def test_walk_in_every_language_without_gaps(content: Content, lang: str) -> None:
    """In each language: no crash, and every string shown in Japanese instead is one that
    `guide check` counts as missing (a complete catalog shows none)."""
    app = create_app(content, lang=lang)
    with i18n.track_missing() as missing:
        async with app.run_test(size=(110, 40)) as pilot:
            await pilot.pause()
            assert await _walk(app, pilot, content) > 100
            assert app.session.step == 8
    if lang == i18n.SOURCE:
        return
    report = catalogs.completeness(content, lang)
    assert missing - set(report.missing) == set()
    if report.percent == 100:
        assert missing == set()


async def test_switching_language_at_step_11_keeps_step_11(content: Content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await pilot.press("1", "1")
        await pilot.pause()
        assert app.session.step == 11
        before = app.session
        assert "手順 11 / 16" in _text(app, "#step-title")
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, LanguageScreen)
        box = app.screen.query_one(OptionList)
        box.highlighted = LANGS.index("en")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.main
        assert i18n.current_language() == "en"
        assert app.session == before
        assert app.main.query_one("#panes").current == "pane-step"
        title = _text(app, "#step-title")
        assert "Step 11 of 16" in title and "Hold the card against the phone" in title
        phone = str(app.main.query_one("#phone", Static).render())
        assert "TASKポータル（TASK Portal）" in phone
        # The footer follows: the app's key hints are now in English.
        hints = {k: b.binding.description for k, b in app.screen.active_bindings.items()}
        assert hints["t"] == "Having trouble" and hints["q"] == "Quit"
        # The keys still work (a stale focus after the rebuild would swallow them).
        await pilot.press("right", "left")
        assert app.session.step == 11
        await pilot.press("t")
        assert app.main.query_one("#panes").current == "pane-troubles"


async def test_switching_language_keeps_an_open_trouble_open(content: Content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        app.apply(engine.jump, 10)
        app.apply_c(engine.enter_trouble, "signing-password")
        await pilot.pause()
        before = app.session
        assert before.trouble is not None
        await app.switch_language("en")
        await pilot.pause()
        assert app.session == before
        assert app.main.query_one("#panes").current == "pane-trouble"
        assert _text(app, "#trouble-title") == "Wrong signing password"
        await app.switch_language("ja")
        await pilot.pause()
        assert app.session == before
        assert _text(app, "#trouble-title") == "署名用パスワードを間違えた"


async def test_the_trouble_list_stays_open_across_a_switch(content: Content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        app.apply(engine.jump, 11)
        await pilot.press("t")
        await pilot.pause()
        assert app.main.query_one("#panes").current == "pane-troubles"
        await app.switch_language("en")
        await pilot.pause()
        assert app.main.query_one("#panes").current == "pane-troubles"
        prompts = [str(o.prompt) for o in app.main.query_one("#trouble-list", OptionList).options]
        assert any(p.startswith("The card can't be read") for p in prompts)


async def test_start_screen_menu_lists_languages_in_their_own_names(content: Content) -> None:
    app = create_app(content)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        box = app.main.query_one("#language-list", OptionList)
        assert app.main.query_one("#start-languages").display == (len(LANGS) > 1)
        prompts = {o.id: str(o.prompt) for o in box.options}
        assert list(prompts) == [f"lang--{lang}" for lang in LANGS]
        assert "日本語" in prompts["lang--ja"]
        assert "English (draft)" in prompts["lang--en"]
        if "ja-easy" in LANGS:
            assert "やさしい にほんご" in prompts["lang--ja-easy"]
        box.focus()
        box.highlighted = LANGS.index("en")
        await pilot.press("enter")
        await pilot.pause()
        assert i18n.current_language() == "en"
        assert app.session.screen == "start"
        assert str(app.main.query_one("#start-title", Static).render()).startswith("Tebiki - ")
        assert str(app.main.query_one("#begin").label) == "Start"


@pytest.mark.parametrize(("tries", "expected"), [(3, "2 tries left"), (4, "1 try left")])
async def test_the_facts_panel_uses_plural_forms(
    content: Content, tries: int, expected: str
) -> None:
    session = engine.report(content, engine.Session(), "signing_wrong_tries", tries)
    app = create_app(content, session, lang="en")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        app.apply_c(engine.enter_trouble, "signing-password")
        await pilot.pause()
        panel = _text(app, "#facts-panel")
        assert f"Wrong signing-password entries：{tries} times" in panel
        assert expected in panel


async def test_the_choice_value_in_a_text_follows_the_language(content: Content) -> None:
    """`{{ phone_os_label }}` and the like show the value in the current language."""
    from guide.render import local_values

    session = engine.report(content, engine.Session(), "phone_os", "other")
    values = engine.values(content, session)
    assert local_values(content, values)["phone_os_label"] == "その他・わからない"
    i18n.set_language("en")
    assert local_values(content, values)["phone_os_label"] == "Other / not sure"


async def test_language_list_is_refilled_after_a_switch(content) -> None:
    """Regression: after a switch the start screen's language list stayed empty."""
    from textual.widgets import OptionList

    from guide.tui.app import create_app

    app = create_app(content)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await app.switch_language("en")
        await pilot.pause()
        box = app.main.query_one("#language-list", OptionList)
        assert box.option_count > 1
        assert app.main.query_one("#mode-list", OptionList).highlighted == 0

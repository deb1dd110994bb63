"""`guide serve` in a real browser: Debian's chromium driven by playwright, against 127.0.0.1.

The browser terminal draws on a canvas, so the tests read what xterm.js holds in its buffer: the
page's textual.js is patched *in the test browser only* (a playwright route) to keep a reference
to each terminal in ``window.__xterms``. App processes are found by scanning /proc for the
command line of an app started on this test's own copy of the content (a unique path).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from guide.schema import Content

try:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        Page,
        Route,
        ViewportSize,
        sync_playwright,
    )
except ImportError:  # pragma: no cover - depends on the machine
    pytest.skip(
        "BROWSER TESTS NOT RUN: playwright is missing (pip install -e '.[test]')",
        allow_module_level=True,
    )

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("TEBIKI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():  # pragma: no cover - depends on the machine
    pytest.skip(
        "BROWSER TESTS NOT RUN: no chromium at /usr/bin/chromium "
        "(apt-get install chromium fonts-noto-cjk; .ci/run does this)",
        allow_module_level=True,
    )

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WIDE: ViewportSize = {"width": 1200, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

# Test-only patch: expose each xterm.js Terminal so the test can read its buffer.
XTERM_OPEN = "this.terminal.open(e)"
XTERM_OPEN_EXPOSED = (
    "this.terminal.open(e),(window.__xterms=window.__xterms||[]).push(this.terminal)"
)

SCREEN_JS = """() => {
  const t = (window.__xterms || [])[0];
  if (!t) return null;
  const b = t.buffer.active, lines = [];
  for (let y = 0; y < t.rows; y++) {
    const line = b.getLine(b.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return {cols: t.cols, rows: t.rows, lines: lines};
}"""

# The cell (column, row) where ``text`` starts on screen, counting wide characters as 2 cells.
FIND_JS = """(text) => {
  const t = (window.__xterms || [])[0];
  if (!t) return null;
  const b = t.buffer.active;
  for (let y = 0; y < t.rows; y++) {
    const line = b.getLine(b.viewportY + y);
    if (!line) continue;
    let s = "", cols = [];
    for (let x = 0; x < t.cols; x++) {
      const ch = line.getCell(x).getChars();
      if (ch === "") continue;  // the right half of a wide character
      for (const c of ch) { s += c; cols.push(x); }
    }
    const i = s.indexOf(text);
    if (i >= 0) return {col: cols[i], row: y};
  }
  return null;
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(
    predicate: Callable[[], Any], timeout: float, what: str, pump: Page | None = None
) -> Any:
    """Poll ``predicate``; with ``pump``, let playwright dispatch that page's events meanwhile."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        if pump is not None:
            pump.wait_for_timeout(50)
        else:
            time.sleep(0.05)


def app_pids(marker: str) -> set[int]:
    """Live app processes (not the server) whose command line contains ``marker``."""
    pids = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            argv = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        words = [a.decode(errors="replace") for a in argv]
        if state != "Z" and any(marker in w for w in words) and "serve" not in words:
            pids.add(int(entry))
    return pids


# --------------------------------------------------------------------------- server


@dataclass
class Served:
    proc: subprocess.Popen[bytes]
    port: int
    log: Path
    marker: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def serving(argv: list[str], log: Path, marker: str) -> Iterator[Served]:
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*argv, "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, cwd=ROOT
        )
    served = Served(proc, port, log, marker)

    def listening() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"server exited ({proc.returncode}):\n{served.output()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return True
        return False

    try:
        wait_until(listening, 20, "the server to listen")
        yield served
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for pid in app_pids(marker):  # never leave anything behind, even when a test failed
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def guide_serve(content_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "guide", "serve", "--content", str(content_dir), *extra]


@pytest.fixture(scope="module")
def web_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the real content: its path marks this module's app processes."""
    target = tmp_path_factory.mktemp("web") / "content-under-test"
    shutil.copytree(ROOT / "content", target)
    return target


@pytest.fixture
def own_content(tmp_path: Path) -> Path:
    """A copy of the content for one test's own server (its apps are told apart by the path)."""
    target = tmp_path / "content-own"
    shutil.copytree(ROOT / "content", target)
    return target


@pytest.fixture(scope="module")
def server(web_content: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    log = tmp_path_factory.mktemp("log") / "serve.log"
    with serving(guide_serve(web_content), log, str(web_content)) as served:
        yield served


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Tab:
    context: BrowserContext
    page: Page
    requests: list[str] = field(default_factory=list)

    def screen(self) -> dict[str, Any]:
        return self.page.evaluate(SCREEN_JS) or {"cols": 0, "rows": 0, "lines": []}

    def text(self) -> str:
        return "\n".join(self.screen()["lines"])

    def wait_for_text(self, text: str, timeout: float = 30) -> None:
        try:
            self.page.wait_for_function(
                "(text) => { const f = " + FIND_JS + "; return f(text) !== null; }",
                arg=text,
                timeout=timeout * 1000,
            )
        except Exception as e:
            raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.text()}") from e

    def find(self, text: str) -> dict[str, int] | None:
        return self.page.evaluate(FIND_JS, text)

    def focus(self) -> None:
        self.page.focus(".xterm-helper-textarea")

    def click_text(self, text: str) -> None:
        """Click the middle of the first cell showing ``text``."""
        cell = self.find(text)
        assert cell is not None, f"{text!r} is not on screen:\n{self.text()}"
        box = self.page.locator(".xterm-screen").bounding_box()
        assert box is not None
        screen = self.screen()
        width, height = box["width"] / screen["cols"], box["height"] / screen["rows"]
        self.page.mouse.click(
            box["x"] + (cell["col"] + 0.5) * width, box["y"] + (cell["row"] + 0.5) * height
        )

    def close(self) -> None:
        self.context.close()


def open_tab(
    browser: Browser,
    url: str,
    viewport: ViewportSize = WIDE,
    *,
    hold_script: list[Route] | None = None,
) -> Tab:
    """Open ``url`` in a fresh browser context; record every request it makes.

    With ``hold_script`` the page's textual.js request is parked in that list (the page can't
    connect until the test continues it).
    """
    context = browser.new_context(viewport=viewport, locale="ja-JP")
    tab = Tab(context, context.new_page())
    tab.page.on("request", lambda r: tab.requests.append(r.url))
    tab.page.on("websocket", lambda ws: tab.requests.append(ws.url))

    def expose_terminal(route: Route) -> None:
        if hold_script is not None and not getattr(route, "_released", False):
            route._released = True  # type: ignore[attr-defined]
            hold_script.append(route)
            return
        response = route.fetch()
        body = response.text()
        assert XTERM_OPEN in body, "textual.js changed: update the test's terminal hook"
        route.fulfill(response=response, body=body.replace(XTERM_OPEN, XTERM_OPEN_EXPOSED))

    context.route("**/static/js/textual.js", expose_terminal)
    tab._expose = expose_terminal  # type: ignore[attr-defined]
    tab.page.goto(url, wait_until="commit")
    return tab


def release(tab: Tab, held: list[Route]) -> None:
    """Let a held textual.js request through (patched, like every other tab's)."""
    route = held.pop()
    tab._expose(route)  # type: ignore[attr-defined]


@pytest.fixture
def tabs(browser: Browser) -> Iterator[Callable[..., Tab]]:
    opened: list[Tab] = []

    def make(url: str, viewport: ViewportSize = WIDE, **kw: Any) -> Tab:
        tab = open_tab(browser, url, viewport, **kw)
        opened.append(tab)
        return tab

    yield make
    for tab in opened:
        with contextlib.suppress(Exception):
            tab.close()


# --------------------------------------------------------------------------- tests


def test_page_is_japanese_offline_and_shows_the_start_screen(
    server: Served, tabs: Callable[..., Tab], content: Content
) -> None:
    tab = tabs(server.url)
    tab.wait_for_text(content.meta.title)
    tab.wait_for_text("はじめる")
    page = tab.page
    assert page.evaluate("document.documentElement.lang") == "ja"
    assert page.title() == content.meta.title
    own = ("127.0.0.1", server.port)
    others = [u for u in tab.requests if (urlsplit(u).hostname, urlsplit(u).port) != own]
    assert others == [], f"requests left the machine: {others}"
    assert any(urlsplit(u).scheme == "ws" for u in tab.requests), tab.requests
    if NOTO_CJK.exists():  # the page maps the terminal font onto the local CJK monospace font
        loaded = page.evaluate(
            "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
        )
        assert any("Roboto Mono" in f for f in loaded), loaded
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-start.png"))


def test_keys_and_clicks_move_through_the_steps(
    server: Served, tabs: Callable[..., Tab], content: Content
) -> None:
    tab = tabs(server.url)
    tab.wait_for_text("はじめる")
    tab.focus()
    tab.page.keyboard.press("ArrowRight")
    tab.wait_for_text("事前準備")
    tab.click_text("手順1へ")
    tab.wait_for_text(content.steps[0].title)
    tab.page.keyboard.press("ArrowRight")
    tab.wait_for_text(content.steps[1].title)
    tab.click_text("戻る")
    tab.wait_for_text(content.steps[0].title)
    tab.page.keyboard.press("5")
    tab.wait_for_text(content.steps[4].title)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(ARTIFACTS / "web-step.png"))


def test_phone_sized_browser_gets_the_narrow_layout(
    server: Served, tabs: Callable[..., Tab], content: Content
) -> None:
    """Under 70 columns the step's details go below the phone drawing, not beside it."""
    positions = {}
    for name, viewport in (("wide", WIDE), ("phone", PHONE)):
        tab = tabs(server.url, viewport)
        tab.wait_for_text("はじめる")
        tab.focus()
        tab.page.keyboard.press("1")
        tab.wait_for_text(content.steps[0].title)
        tab.wait_for_text("すること")
        positions[name] = (tab.screen()["cols"], tab.find("すること"))
        if name == "phone":
            ARTIFACTS.mkdir(exist_ok=True)
            tab.page.screenshot(path=str(ARTIFACTS / "web-phone.png"))
    (wide_cols, wide_at), (phone_cols, phone_at) = positions["wide"], positions["phone"]
    assert wide_cols >= 70 > phone_cols
    assert wide_at is not None and phone_at is not None
    assert wide_at["col"] > 20, "wide: details should sit beside the phone drawing"
    assert phone_at["col"] < 5, "narrow: details should start at the left edge"


ECHO_APP = """
import sys
from pathlib import Path
from textual.app import App
from textual.widgets import Input, Static
from rich.text import Text

class Echo(App):
    def compose(self):
        yield Static("入力してください", id="prompt")
        yield Input(id="box")
        yield Static(id="echo")

    def on_input_submitted(self, event):
        Path(sys.argv[1]).write_text(event.value, encoding="utf-8")
        self.query_one("#echo", Static).update(Text("受信:" + event.value))

Echo().run()
"""


def test_japanese_text_typed_in_the_browser_reaches_the_app_intact(
    tabs: Callable[..., Tab], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IME-style text (as a Japanese input method commits it) crosses browser → server → app.

    Served through GuideServer with a tiny app whose Input writes what it received to a file.
    """
    script, received = tmp_path / "echo_app.py", tmp_path / "received.txt"
    script.write_text(ECHO_APP, encoding="utf-8")
    # The app command travels in the environment, so only the app's own command line (not the
    # server's) names the script.
    monkeypatch.setenv("TEBIKI_TEST_APP", shlex.join([sys.executable, str(script), str(received)]))
    launcher = [
        sys.executable,
        "-c",
        "import os, sys; from guide.web.server import GuideServer; "
        "GuideServer('exec ' + os.environ['TEBIKI_TEST_APP'], port=int(sys.argv[2])).serve()",
    ]
    typed = "カードが読めない・ﾊﾟｽﾜｰﾄﾞ？①😀"
    with serving(launcher, tmp_path / "serve.log", str(script)) as served:
        tab = tabs(served.url)
        tab.wait_for_text("入力してください")
        tab.focus()
        tab.page.keyboard.insert_text(typed)
        tab.page.keyboard.press("Enter")
        wait_until(received.exists, 30, "the app to receive the text")
        assert received.read_text(encoding="utf-8") == typed
        tab.wait_for_text("受信:カードが読めない")


def test_japanese_text_reaches_the_guides_own_question_box(
    server: Served, tabs: Callable[..., Tab]
) -> None:
    """The 困ったこと box (key k): typed Japanese is echoed back as the resident's words."""
    if not (ROOT / "guide" / "tui" / "screens" / "ask.py").exists():
        pytest.skip("the 困ったこと box (guide/tui/screens/ask.py, key k) is not built yet")
    tab = tabs(server.url)
    tab.wait_for_text("はじめる")
    tab.focus()
    tab.page.keyboard.press("k")
    tab.wait_for_text("どんなことでお困りですか")
    typed = "カードが読めない"
    tab.page.keyboard.insert_text(typed)
    tab.wait_for_text(typed)  # in the input box
    tab.page.keyboard.press("Enter")
    tab.wait_for_text("あなた：" + typed)  # the conversation shows what arrived


def test_busy_page_at_the_session_limit(
    tabs: Callable[..., Tab], own_content: Path, tmp_path: Path
) -> None:
    with serving(
        guide_serve(own_content, "--max-sessions", "1"), tmp_path / "serve.log", str(own_content)
    ) as served:
        # A page loaded while a place was free, whose websocket arrives once it's taken.
        held: list[Route] = []
        late = tabs(served.url, hold_script=held)
        wait_until(lambda: held, 30, "the late tab to ask for textual.js", late.page)

        first = tabs(served.url)
        first.wait_for_text("はじめる")

        # A new visitor gets the busy page straight away: 503, Japanese, a way back.
        response = first.context.request.get(served.url)
        assert response.status == 503
        assert response.headers.get("retry-after", "").isdigit()
        busy = tabs(served.url)
        busy.page.wait_for_selector("#busy", timeout=30_000)
        assert "混み合って" in busy.page.inner_text("h1")
        assert busy.page.evaluate("document.documentElement.lang") == "ja"

        # The late tab is sent to the busy page rather than left hanging.
        release(late, held)
        late.page.wait_for_selector("#busy", timeout=30_000)
        assert len(app_pids(served.marker)) == 1

        # Once the first visitor leaves, the next one gets the guide.
        first.close()
        wait_until(lambda: not app_pids(served.marker), 30, "the first tab's app to end")
        again = tabs(served.url)
        again.wait_for_text("はじめる")


def test_closing_a_tab_ends_its_app_process(server: Served, tabs: Callable[..., Tab]) -> None:
    before = app_pids(server.marker)
    tab = tabs(server.url)
    tab.wait_for_text("はじめる")
    mine = wait_until(lambda: app_pids(server.marker) - before, 30, "the tab's app process")
    assert len(mine) == 1
    pid = next(iter(mine))
    # One process per tab, started by the server itself (`exec`: no shell left in between),
    # with the server's interpreter and content.
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    assert argv[:5] == [sys.executable, "-m", "guide", "--content", server.marker]
    assert argv[5:] == ["--lang", "ja"]
    ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    assert ppid == server.proc.pid
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    assert b"UNICODE_VERSION=11.0.0" in environ  # Rich measures as xterm.js draws
    tab.close()
    wait_until(lambda: pid not in app_pids(server.marker), 30, "the app to end after the tab")


def test_a_crashed_session_leaves_the_others_alone(
    server: Served, tabs: Callable[..., Tab]
) -> None:
    before = app_pids(server.marker)
    victim = tabs(server.url)
    victim.wait_for_text("はじめる")
    victim_pid = next(iter(wait_until(lambda: app_pids(server.marker) - before, 30, "an app")))
    survivor = tabs(server.url)
    survivor.wait_for_text("はじめる")

    os.kill(victim_pid, signal.SIGKILL)
    victim.page.wait_for_selector(".closed-dialog", state="visible", timeout=30_000)
    assert "接続が終わりました" in victim.page.inner_text(".closed-dialog")

    survivor.focus()
    survivor.page.keyboard.press("ArrowRight")
    survivor.wait_for_text("事前準備")
    assert server.proc.poll() is None


def test_an_idle_session_is_ended(
    tabs: Callable[..., Tab], own_content: Path, tmp_path: Path
) -> None:
    """An abandoned tab (e.g. left open on a centre's PC) gives its place back."""
    argv = guide_serve(own_content, "--idle-timeout", "0.04")  # 2.4 s
    with serving(argv, tmp_path / "serve.log", str(own_content)) as served:
        tab = tabs(served.url)
        tab.wait_for_text("はじめる")
        assert app_pids(served.marker)
        tab.page.wait_for_selector(".closed-dialog", state="visible", timeout=30_000)
        wait_until(lambda: not app_pids(served.marker), 30, "the idle app to end")


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGKILL"])
def test_stopping_the_server_ends_every_app(
    how: str, tabs: Callable[..., Tab], own_content: Path, tmp_path: Path
) -> None:
    """SIGTERM / Ctrl-C end the apps on the way out; SIGKILL via the parent-death signal."""
    with serving(guide_serve(own_content), tmp_path / "serve.log", str(own_content)) as served:
        for _ in range(2):
            tabs(served.url).wait_for_text("はじめる")
        pids = wait_until(
            lambda: len(app_pids(served.marker)) == 2 and app_pids(served.marker),
            30,
            "two app processes",
        )
        served.proc.send_signal(getattr(signal, how))
        served.proc.wait(20)
        if how != "SIGKILL":
            assert served.proc.returncode == 0, served.output()
        wait_until(lambda: not (app_pids(served.marker) & pids), 10, "every app to end")

"""Benchmarks: the guide side by side with a bare Textual hello-world (``benchmarks/hello.py``).

    python benchmarks/run.py            # everything, in well under two minutes on 2 cores
    python benchmarks/run.py --quick    # fewer repetitions, for a rough look

Both apps run in a real pseudo-terminal (120×40) started the same way (the same interpreter,
environment and terminal), so what is timed is what a resident waits for:

* cold start → first frame: fork + exec until the first screen's text has been written
  (「はじめる」 for the guide, 「こんにちは、世界」 for the hello-world); runs alternate A B A B.
* keypress → repaint: → / ← written to the pty until the new 「手順 n / 16」 frame has been
  written ("frame") and until the output has gone quiet ("settled" — every frame the key
  caused), presses alternating between the two apps. Not Pilot: it polls in 20 ms steps.
* RSS and USS (/proc/PID/smaps_rollup) after start and, for the guide, after walking all 16
  steps and opening every trouble once; CPU used while idle for 10 s (/proc/PID/stat).
* In a fresh interpreter: content load + validation (``guide.loader.load``), for every language
  that exists; matcher time per query (``guide.symptoms``) and QR render time
  (``guide.render.qr``), each "n/a" while that module doesn't exist.

The harness answers the terminal's synchronized-output query (as kitty, WezTerm, iTerm2 and
Windows Terminal do), so Textual brackets each frame with ``ESC[?2026h … ESC[?2026l``. Child
processes get a private, empty XDG cache/config/data directory, warmed by one discarded start of
each app, so the figures are a returning visitor's, not the developer's own settings.

Standard library only (plus the project itself, imported in the child for the micro-benchmarks).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import platform
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HELLO = Path(__file__).resolve().parent / "hello.py"
COLS, ROWS = 120, 40
STEPS = 16
QUIET = 0.06  # seconds without output that count as "settled"
PRESS_TIMEOUT = 8.0  # generous: a loaded machine must not turn into a failure
START_TIMEOUT = 20.0
IDLE_SECONDS = 10.0

RIGHT, LEFT, DOWN, ENTER, ESCAPE = b"\x1b[C", b"\x1b[D", b"\x1b[B", b"\r", b"\x1b"
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;1$y"
SYNC_END = b"\x1b[?2026l"
# CSI, OSC, DCS and two-byte escapes: what is left is the text the terminal draws.
ESCAPES = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|[()][0-9A-Za-z]"
    rb"|[=>78cDEHM])"
)

GUIDE_FIRST = "はじめる"
HELLO_FIRST = "こんにちは、世界"


def step_text(n: int) -> str:
    return f"手順 {n} / {STEPS}"


# --------------------------------------------------------------------------- a screen model

TOKEN = re.compile(
    r"\x1b(?:\[([0-?]*)[ -/]*([@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|[()][0-9A-Za-z]"
    r"|[=>78cDEHM])|([^\x1b]+)"
)


class Screen:
    """Just enough of a terminal to know what is on screen: cursor moves, erases, text (wide
    characters take two cells, as Rich counts them) and the current SGR string per cell.

    It notes when a frame (``ESC[?2026l``, or each read without synchronized output) actually
    changed a cell, so a redundant repaint is not mistaken for more painting.
    """

    def __init__(self, cols: int, rows: int) -> None:
        import codecs

        self.cols, self.rows = cols, rows
        self.cells = [[(" ", "")] * cols for _ in range(rows)]
        self.r = self.c = 0
        self.sgr = ""
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.pending = ""
        self.changed = False  # since the last frame end
        self.now = 0.0  # time of the data being fed
        self.last_change = 0.0  # end time of the last frame that changed a cell
        self.synchronized = False

    def feed(self, data: bytes, now: float) -> None:
        self.now = now
        s = self.pending + self.decoder.decode(data)
        self.pending = ""
        esc = s.rfind("\x1b")
        if esc != -1 and not TOKEN.match(s, esc):  # an escape sequence cut in two
            s, self.pending = s[:esc], s[esc:]
        for m in TOKEN.finditer(s):
            if m.group(3) is not None:
                self._text(m.group(3))
            elif m.group(2):
                self._csi(m.group(1), m.group(2))
        if not self.synchronized:
            self._frame_end()

    def _frame_end(self) -> None:
        if self.changed:
            self.last_change = self.now
            self.changed = False

    def _csi(self, params: str, final: str) -> None:
        if final in "Hf":
            p = [int(x or 1) for x in params.split(";")] if params else [1, 1]
            self.r, self.c = p[0] - 1, (p[1] if len(p) > 1 else 1) - 1
        elif final == "m":
            self.sgr = "" if params in ("", "0") else f"{self.sgr};{params}"
        elif final == "K" and 0 <= self.r < self.rows:
            for c in range(max(0, self.c), self.cols):
                self._put(self.r, c, " ")
        elif final == "J":
            for r in range(self.rows):
                for c in range(self.cols):
                    self._put(r, c, " ")
        elif final == "C":
            self.c += int(params or 1)
        elif final == "D":
            self.c -= int(params or 1)
        elif params == "?2026" and final == "h":
            self.synchronized = True
        elif params == "?2026" and final == "l":
            self._frame_end()

    def _put(self, r: int, c: int, ch: str) -> None:
        cell = (ch, self.sgr)
        if self.cells[r][c] != cell:
            self.cells[r][c] = cell
            self.changed = True

    def _text(self, text: str) -> None:
        for ch in text:
            if ch == "\n":
                self.r += 1
            elif ch == "\r":
                self.c = 0
            elif ch >= " ":
                wide = unicodedata.east_asian_width(ch) in "WF"
                if 0 <= self.r < self.rows and 0 <= self.c < self.cols:
                    self._put(self.r, self.c, ch)
                    if wide and self.c + 1 < self.cols:
                        self._put(self.r, self.c + 1, "")
                self.c += 0 if unicodedata.combining(ch) else 2 if wide else 1

    def lines(self) -> list[str]:
        return ["".join(ch for ch, _ in row).rstrip() for row in self.cells]


# --------------------------------------------------------------------------- a process in a pty


class PtyApp:
    """A child process on a pseudo-terminal of COLS×ROWS; reads and answers its output."""

    def __init__(self, argv: Sequence[str], env: dict[str, str]) -> None:
        self.t_spawn = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.chdir(ROOT)
                os.execve(argv[0], list(argv), env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.raw = bytearray()
        self.mark_at = 0  # searches look at output from here on
        self.t_first_byte: float | None = None
        self.t_last_byte = self.t_spawn
        self.dead = False
        self.screen = Screen(COLS, ROWS)
        self.unseen: list[tuple[float, bytes]] = []  # output the screen model hasn't taken yet

    # reading ---------------------------------------------------------------
    def _read_once(self, timeout: float) -> bool:
        """Read what is available within ``timeout``; False if nothing came."""
        if self.dead:
            return False
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            data = b""
        now = time.perf_counter()
        if not data:
            self.dead = True
            return False
        if self.t_first_byte is None:
            self.t_first_byte = now
        self.t_last_byte = now
        tail = bytes(self.raw[-16:]) + data
        self.raw += data
        self.unseen.append((now, data))  # modelled later: reading must keep up with the app
        if SYNC_QUERY in tail:
            os.write(self.fd, SYNC_REPLY)
        return True

    def model(self) -> Screen:
        """The screen model, brought up to date with everything read so far."""
        for now, data in self.unseen:
            self.screen.feed(data, now)
        self.unseen.clear()
        return self.screen

    def mark(self) -> None:
        """Forget the output so far: the next wait looks only at what comes after this."""
        self.raw.clear()
        self.mark_at = 0

    def text(self, window: int | None = None) -> bytes:
        data = self.raw if window is None else self.raw[-window:]
        return ESCAPES.sub(b"", bytes(data))

    def wait_for(self, needle: str, timeout: float) -> tuple[float, float | None]:
        """Read until ``needle`` has been drawn; return (time seen, time its frame ended)."""
        want = needle.encode()
        deadline = time.perf_counter() + timeout
        scanned = 0
        seen_at: float | None = None
        found_pos = 0
        while True:
            left = deadline - time.perf_counter()
            if left <= 0 or self.dead:
                raise TimeoutError(f"{needle!r} did not appear (pid {self.pid})")
            if not self._read_once(left):
                continue
            if seen_at is None:
                # Look at the new output plus an overlap, so a needle split across reads is found.
                start = max(0, scanned - 4096)
                clean = ESCAPES.sub(b"", bytes(self.raw[start:]))
                scanned = len(self.raw)
                if want in clean:
                    seen_at = self.t_last_byte
                    found_pos = start
            if seen_at is not None:
                if SYNC_END in self.raw[found_pos:]:
                    return seen_at, self.t_last_byte
                if not select.select([self.fd], [], [], QUIET)[0]:
                    return seen_at, None  # no synchronized output: the frame is what came

    def settle(self, quiet: float = QUIET, limit: float = 5.0) -> float:
        """Read until nothing has come for ``quiet`` seconds; return the time of the last byte."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end and self._read_once(quiet):
            pass
        return self.t_last_byte

    def drain_for(self, seconds: float) -> int:
        """Keep reading for ``seconds``; return how many bytes came."""
        before = len(self.raw)
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            self._read_once(min(left, 0.5))
        return len(self.raw) - before

    def send(self, data: bytes) -> float:
        t = time.perf_counter()
        os.write(self.fd, data)
        return t

    # /proc -----------------------------------------------------------------
    def memory(self) -> tuple[int, int]:
        """(RSS, USS) in KiB, from /proc/PID/smaps_rollup."""
        fields: dict[str, int] = {}
        with open(f"/proc/{self.pid}/smaps_rollup") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                    fields[parts[0][:-1]] = int(parts[1])
        return fields["Rss"], fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)

    def cpu_seconds(self) -> float:
        """utime + stime of the process so far."""
        with open(f"/proc/{self.pid}/stat") as f:
            stat = f.read()
        rest = stat[stat.rindex(")") + 2 :].split()
        utime, stime = int(rest[11]), int(rest[12])
        return (utime + stime) / os.sysconf("SC_CLK_TCK")

    def threads(self) -> int:
        return len(os.listdir(f"/proc/{self.pid}/task"))

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        os.close(self.fd)


# --------------------------------------------------------------------------- statistics


def pct(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))
    return s[k]


def ms(x: float) -> str:
    return f"{x * 1000:7.1f}"


class Table:
    def __init__(self, title: str, head: Sequence[str]) -> None:
        self.title, self.head, self.rows = title, list(head), []  # type: ignore[var-annotated]

    def add(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])

    def print(self) -> None:
        widths = [max(len(r[i]) for r in [self.head, *self.rows]) for i in range(len(self.head))]
        print(f"\n{self.title}")

        def line(cells: Sequence[str]) -> str:
            return "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )

        print(line(self.head))
        print("  ".join("-" * w for w in widths))
        for r in self.rows:
            print(line(r))


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "—"


# --------------------------------------------------------------------------- the measurements


def child_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTHON"))}
    for k in ("COLUMNS", "LINES", "NO_COLOR", "TERM_PROGRAM"):
        env.pop(k, None)
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
    )
    return env


def cold_starts(
    apps: dict[str, tuple[list[str], str]], env: dict[str, str], runs: int
) -> dict[str, dict[str, list[float]]]:
    """Alternate the apps; per app the times to first byte and to the first screen's text."""
    out: dict[str, dict[str, list[float]]] = {n: {"byte": [], "frame": []} for n in apps}
    for argv, needle in apps.values():  # warm-up: fills the OS file cache and app caches
        app = PtyApp(argv, env)
        try:
            app.wait_for(needle, START_TIMEOUT)
            app.settle()
        finally:
            app.close()
    for _ in range(runs):
        for name, (argv, needle) in apps.items():
            app = PtyApp(argv, env)
            try:
                seen, _end = app.wait_for(needle, START_TIMEOUT)
                out[name]["frame"].append(seen - app.t_spawn)
                out[name]["byte"].append((app.t_first_byte or seen) - app.t_spawn)
            finally:
                app.close()
    return out


def press_and_time(app: PtyApp, key: bytes, needle: str) -> tuple[float, float, float, float]:
    """After pressing ``key``, in seconds: the new text written, its frame complete, the screen
    final (the last frame that changed a cell), the output settled (the last byte).

    The previous press has settled already (each press ends by waiting for quiet)."""
    app.mark()
    t0 = app.send(key)
    seen, frame_end = app.wait_for(needle, PRESS_TIMEOUT)
    settled = app.settle()
    screen = app.model()
    if not any(needle in line for line in screen.lines()):
        raise TimeoutError(f"{needle!r} was written but is not on the screen at the end")
    final = max(screen.last_change, seen)
    return seen - t0, (frame_end or seen) - t0, final - t0, settled - t0


def step_walk(rounds: int) -> list[tuple[bytes, int]]:
    """Key presses that go 1 → 16 → 1, ``rounds`` times: (key, step it leads to)."""
    walk: list[tuple[bytes, int]] = []
    for _ in range(rounds):
        walk += [(RIGHT, n) for n in range(2, STEPS + 1)]
        walk += [(LEFT, n) for n in range(STEPS - 1, 0, -1)]
    return walk


def trouble_order() -> list[tuple[str, str]]:
    """The trouble list as the guide shows it on step 1: (id, title)."""
    sys.path.insert(0, str(ROOT))
    from guide.engine import troubles_for_step
    from guide.loader import load_or_raise
    from guide.render import tr

    content = load_or_raise()
    return [
        (tid, tr(f"trouble.{tid}.title", content.troubles[tid].title))
        for tid in troubles_for_step(content, 1)
    ]


def micro(quick: bool) -> dict[str, Any]:
    """Run in a fresh interpreter (``--micro``): load, matcher and QR timings."""
    sys.path.insert(0, str(ROOT))
    res: dict[str, Any] = {}
    n = 5 if quick else 20

    t = time.perf_counter()
    import guide.loader as loader

    res["import_loader"] = time.perf_counter() - t
    t = time.perf_counter()
    content, diags = loader.load()
    res["load_first"] = time.perf_counter() - t
    times = []
    for _ in range(n):
        t = time.perf_counter()
        loader.load()
        times.append(time.perf_counter() - t)
    res["load"] = times
    res["diagnostics"] = [len([d for d in diags if d.severity == s]) for s in ("error", "warning")]
    res["languages"] = languages()
    res["load_lang"] = load_languages(res["languages"], n)

    try:
        import guide.cache as cache  # the start-up path: the same load, cached between runs
    except ImportError:
        res["cached"] = None
    else:
        cache.load()
        times = []
        for _ in range(n):
            t = time.perf_counter()
            cache.load()
            times.append(time.perf_counter() - t)
        res["cached"] = times

    res["matcher"] = matcher_times(content, quick)
    res["qr"] = qr_times(content)
    return res


def languages() -> list[str]:
    """Japanese (the source) plus every language that has a catalog."""
    try:
        from guide.i18n import available_languages
    except ImportError:
        return ["ja"]
    return list(available_languages())


def load_languages(langs: list[str], n: int) -> dict[str, Any]:
    """Per language: make it current (parse its catalog, from scratch each time) and load +
    validate the content in it."""
    import guide.i18n as i18n
    import guide.loader as loader

    switch: Callable[[str], Any] | None = getattr(i18n, "set_language", None)
    clear = getattr(getattr(i18n, "_load", None), "cache_clear", lambda: None)
    out: dict[str, Any] = {}
    for lang in langs:
        times = []
        try:
            for _ in range(max(3, n // 4)):
                clear()
                t = time.perf_counter()
                if switch is not None:
                    switch(lang)
                loader.load()
                times.append(time.perf_counter() - t)
        except Exception as e:  # report, don't stop the benchmark
            out[lang] = f"failed: {type(e).__name__}: {e}"
            continue
        out[lang] = times
    if switch is not None:
        switch(langs[0] if langs else "ja")
    return out


def queries() -> list[tuple[str, int | None]]:
    """What residents say: the real cases beside the repository, else a few of our own."""
    cases = ROOT.parent / "shared" / "cases" / "cases.yaml"
    try:
        import yaml

        data = yaml.safe_load(cases.read_text(encoding="utf-8")) or []
        got = [(str(c["says"]), c.get("step")) for c in data if c.get("says")]
        if got:
            return got
    except (OSError, ImportError, KeyError, TypeError, AttributeError):
        pass
    return [
        (q, None)
        for q in (
            "パスワードを間違えた",
            "カードが読めない",
            "メールが来ない",
            "ロックされた",
            "アプリから戻れない",
            "ぱすわーど",
            "時間切れ",
        )
    ]


def matcher_times(content: Any, quick: bool) -> Any:
    try:
        import guide.symptoms as symptoms
    except ImportError:
        return None
    load_matcher = getattr(symptoms, "load_matcher", None)
    if load_matcher is None:
        return "no load_matcher in guide.symptoms"
    try:
        t = time.perf_counter()
        matcher, _diags = load_matcher(content)
        build = time.perf_counter() - t
        if matcher is None:
            return "no matcher (symptoms file missing or invalid)"
        qs = queries()
        t = time.perf_counter()
        matcher.match(*qs[0])
        first = time.perf_counter() - t
        times = []
        for _ in range(1 if quick else 5):
            for q, step in qs:
                t = time.perf_counter()
                matcher.match(q, step)
                times.append(time.perf_counter() - t)
    except Exception as e:
        return f"failed: {type(e).__name__}: {e}"
    return {"build": build, "first": first, "times": times, "queries": len(qs)}


def qr_times(content: Any) -> Any:
    try:
        from guide.render import qr
    except ImportError:
        return None
    render = getattr(qr, "rich_text", None) or getattr(qr, "half_block_lines", None)
    if render is None:
        return "no rich_text/half_block_lines in guide.render.qr"

    def clear() -> None:
        for v in vars(qr).values():
            if callable(getattr(v, "cache_clear", None)):
                v.cache_clear()

    urls = [lk.url for lk in content.links.values()]
    try:
        t = time.perf_counter()
        render(urls[0])
        first = time.perf_counter() - t  # includes importing qrcode
        times = []
        for _ in range(3):
            for u in urls:
                clear()
                t = time.perf_counter()
                render(u)
                times.append(time.perf_counter() - t)
        cached = []
        for u in urls:
            render(u)
            t = time.perf_counter()
            render(u)
            cached.append(time.perf_counter() - t)
    except Exception as e:
        return f"failed: {type(e).__name__}: {e}"
    return {"first": first, "times": times, "cached": cached, "fn": render.__name__}


# --------------------------------------------------------------------------- main


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        textual = version("textual")
    except Exception:
        textual = "?"
    return (
        f"{cpu}, {os.cpu_count()} CPUs; Python {platform.python_version()}; Textual {textual}; "
        f"{platform.system()} {platform.release()}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument("--micro", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.micro:
        print(json.dumps(micro(args.quick)))
        return 0

    t_begin = time.perf_counter()
    py = sys.executable
    apps = {"guide": ([py, "-m", "guide"], GUIDE_FIRST), "hello": ([py, str(HELLO)], HELLO_FIRST)}
    starts = 3 if args.quick else 12
    rounds = 1 if args.quick else 4  # 30 presses a round
    print(f"Tebiki benchmarks — {machine()}")
    print(
        f"pty {COLS}×{ROWS}, TERM=xterm-256color; guide = `{Path(py).name} -m guide`, "
        f"hello = `{Path(py).name} benchmarks/hello.py`"
    )

    home = Path(tempfile.mkdtemp(prefix="tebiki-bench-"))
    failures: list[str] = []
    try:
        env = child_env(home)
        cold = cold_starts(apps, env, starts)

        # One live session of each, side by side.
        live = {name: PtyApp(argv_, env) for name, (argv_, _n) in apps.items()}
        for name, app in live.items():
            app.wait_for(apps[name][1], START_TIMEOUT)
        time.sleep(0.5)
        for app in live.values():
            app.settle()
        mem_start = {name: app.memory() for name, app in live.items()}

        # Both to "step 1": the guide by the digit 1 (it waits 1 s for a second digit, which
        # arrow keys don't disturb); the hello-world by →.
        live["guide"].send(b"1")
        live["guide"].wait_for(step_text(1), PRESS_TIMEOUT)
        live["hello"].send(RIGHT)
        live["hello"].wait_for(step_text(1), PRESS_TIMEOUT)
        press: dict[str, list[tuple[float, float, float, float]]] = {"guide": [], "hello": []}
        for key, n in step_walk(rounds):
            for name in ("guide", "hello"):
                try:
                    press[name].append(press_and_time(live[name], key, step_text(n)))
                except TimeoutError as e:
                    failures.append(f"{name}: step {n}: {e}")

        # Every trouble once, from step 1's list: t, ↓ × i, Enter, Escape.
        g = live["guide"]
        troubles = trouble_order()
        opened = 0
        for i, (tid, title) in enumerate(troubles):
            try:
                g.settle()
                g.mark()
                g.send(b"t")
                g.wait_for("どれに近いですか", PRESS_TIMEOUT)
                if i:
                    g.settle()
                    g.send(DOWN * i)
                g.settle()
                g.mark()
                g.send(ENTER)
                g.wait_for(title, PRESS_TIMEOUT)
                g.settle()
                g.mark()
                g.send(ESCAPE)
                g.wait_for(step_text(1), PRESS_TIMEOUT)
                opened += 1
            except TimeoutError as e:
                failures.append(f"trouble {tid}: {e}")
        for app in live.values():
            app.settle()
        mem_walk = {name: app.memory() for name, app in live.items()}

        # Idle, both at once.
        time.sleep(0.5)
        for app in live.values():
            app.settle()
        cpu0 = {name: app.cpu_seconds() for name, app in live.items()}
        t0 = time.perf_counter()
        idle_bytes = {name: 0 for name in live}
        end = t0 + IDLE_SECONDS
        while (left := end - time.perf_counter()) > 0:
            for name, app in live.items():
                before = len(app.raw)
                app._read_once(min(left, 0.05))
                idle_bytes[name] += len(app.raw) - before
        idle_span = time.perf_counter() - t0
        cpu_idle = {name: app.cpu_seconds() - cpu0[name] for name, app in live.items()}
        threads = {name: app.threads() for name, app in live.items()}
        for app in live.values():
            app.close()

        # Micro-benchmarks in a fresh interpreter, with nothing else running.
        proc = subprocess.run(
            [py, str(Path(__file__).resolve()), "--micro", *(["--quick"] if args.quick else [])],
            capture_output=True,
            text=True,
            env={**env, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            timeout=60,
        )
        if proc.returncode != 0:
            failures.append(f"micro-benchmarks failed: {proc.stderr.strip()[-500:]}")
            mic: dict[str, Any] = {}
        else:
            mic = json.loads(proc.stdout)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    # ------------------------------------------------------------------ report
    t = Table(
        f"Cold start (fork+exec → text on screen), {starts} runs each, alternating; ms",
        ["", "guide med", "[min–max]", "hello med", "[min–max]", "ratio"],
    )
    for label, key in (("first byte", "byte"), ("first frame", "frame")):
        a, b = cold["guide"][key], cold["hello"][key]
        t.add(
            label,
            ms(statistics.median(a)),
            f"[{ms(min(a)).strip()}–{ms(max(a)).strip()}]",
            ms(statistics.median(b)),
            f"[{ms(min(b)).strip()}–{ms(max(b)).strip()}]",
            ratio(statistics.median(a), statistics.median(b)),
        )
    t.print()

    t = Table(
        f"Keypress → next 「手順 n / 16」 painted, pty {COLS}×{ROWS}, → and ← over all 16 "
        "steps, alternating apps; ms",
        ["", "n", "median", "p95", "max", "hello med", "hello p95", "ratio (med)"],
    )
    for label, k in (
        ("text written", 0),
        ("its frame complete", 1),
        ("screen final (painted)", 2),
        ("output settled (last byte)", 3),
    ):
        a = [p[k] for p in press["guide"]]
        b = [p[k] for p in press["hello"]]
        if not a or not b:
            continue
        t.add(
            label,
            len(a),
            ms(statistics.median(a)),
            ms(pct(a, 95)),
            ms(max(a)),
            ms(statistics.median(b)),
            ms(pct(b, 95)),
            ratio(statistics.median(a), statistics.median(b)),
        )
    t.print()

    t = Table("Memory (KiB; USS = private pages) and idle CPU", ["", "guide", "hello", "ratio"])
    t.add(
        "RSS after start",
        mem_start["guide"][0],
        mem_start["hello"][0],
        ratio(mem_start["guide"][0], mem_start["hello"][0]),
    )
    t.add(
        "USS after start",
        mem_start["guide"][1],
        mem_start["hello"][1],
        ratio(mem_start["guide"][1], mem_start["hello"][1]),
    )
    t.add(
        f"RSS after walk ({opened}/{len(troubles)} troubles)",
        mem_walk["guide"][0],
        mem_walk["hello"][0],
        ratio(mem_walk["guide"][0], mem_walk["hello"][0]),
    )
    t.add(
        "USS after walk",
        mem_walk["guide"][1],
        mem_walk["hello"][1],
        ratio(mem_walk["guide"][1], mem_walk["hello"][1]),
    )
    t.add(
        f"CPU idle {idle_span:.0f} s (ms)",
        f"{cpu_idle['guide'] * 1000:.0f}",
        f"{cpu_idle['hello'] * 1000:.0f}",
        "",
    )
    t.add("bytes written while idle", idle_bytes["guide"], idle_bytes["hello"], "")
    t.add("threads", threads["guide"], threads["hello"], "")
    t.print()

    if mic:
        t = Table("In-process (fresh interpreter); ms", ["", "n", "median", "min", "max"])
        t.add("import guide.loader", 1, ms(mic["import_loader"]), "", "")
        t.add("load + validate, first call", 1, ms(mic["load_first"]), "", "")
        t.add(
            "load + validate",
            len(mic["load"]),
            ms(statistics.median(mic["load"])),
            ms(min(mic["load"])),
            ms(max(mic["load"])),
        )
        for lang, v in mic["load_lang"].items():
            if isinstance(v, list):
                t.add(
                    f"  language {lang}: catalog + load",
                    len(v),
                    ms(statistics.median(v)),
                    ms(min(v)),
                    ms(max(v)),
                )
            else:
                t.add(f"  language {lang}", "", v, "", "")
        if mic.get("cached"):
            c = mic["cached"]
            t.add(
                "cached load (guide.cache)",
                len(c),
                ms(statistics.median(c)),
                ms(min(c)),
                ms(max(c)),
            )
        m = mic.get("matcher")
        if m is None:
            t.add("matcher per query", "", "n/a (not built)", "", "")
        elif isinstance(m, str):
            t.add("matcher per query", "", m, "", "")
        else:
            t.add("matcher build (load_matcher, ja)", 1, ms(m["build"]), "", "")
            t.add("matcher first query", 1, ms(m["first"]), "", "")
            t.add(
                f"matcher per query ({m['queries']} queries)",
                len(m["times"]),
                f"{statistics.median(m['times']) * 1e6:.0f} µs",
                f"{min(m['times']) * 1e6:.0f} µs",
                f"{max(m['times']) * 1e6:.0f} µs",
            )
        q = mic.get("qr")
        if q is None:
            t.add("QR render", "", "n/a (not built)", "", "")
        elif isinstance(q, str):
            t.add("QR render", "", q, "", "")
        else:
            t.add(f"QR first ({q['fn']}, imports qrcode)", 1, ms(q["first"]), "", "")
            t.add(
                "QR render, uncached",
                len(q["times"]),
                ms(statistics.median(q["times"])),
                ms(min(q["times"])),
                ms(max(q["times"])),
            )
            t.add(
                "QR render, cached",
                len(q["cached"]),
                ms(statistics.median(q["cached"])),
                ms(min(q["cached"])),
                ms(max(q["cached"])),
            )
        t.print()

    # ------------------------------------------------------------------ targets
    print("\nTargets")
    checks: list[tuple[str, bool, str]] = []
    fa, fb = statistics.median(cold["guide"]["frame"]), statistics.median(cold["hello"]["frame"])
    checks.append(("first frame ≤ 1.25× hello", fa <= 1.25 * fb, f"{fa / fb:.2f}×"))
    if press["guide"]:
        painted = [p[2] for p in press["guide"]]
        med, p95 = statistics.median(painted), pct(painted, 95)
        checks.append(("step change median ≤ 16 ms", med <= 0.016, f"{med * 1000:.1f} ms"))
        checks.append(("step change p95 ≤ 33 ms", p95 <= 0.033, f"{p95 * 1000:.1f} ms"))
    rw = mem_walk["guide"][0] / mem_walk["hello"][0]
    checks.append(("RSS after walk ≤ 1.5× hello", rw <= 1.5, f"{rw:.2f}×"))
    idle = cpu_idle["guide"]
    checks.append(
        (
            "idle CPU ≈ 0 (≤ 1 % of one core)",
            idle <= 0.01 * idle_span,
            f"{idle * 1000:.0f} ms in {idle_span:.0f} s",
        )
    )
    if mic:
        lm = statistics.median(mic["load"])
        checks.append(("content load + validation ≤ 50 ms", lm <= 0.050, f"{lm * 1000:.1f} ms"))
    for name, ok, fig in checks:
        print(f"  {'met    ' if ok else 'NOT MET'}  {name}: {fig}")
    for f in failures:
        print(f"  problem: {f}")
    print(f"\nTotal time {time.perf_counter() - t_begin:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

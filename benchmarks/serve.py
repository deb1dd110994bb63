"""Benchmark ``guide serve``: the guide beside a bare Textual hello-world, served the same way.

    python benchmarks/serve.py                 # 1, 10, 50 and 100 concurrent sessions
    python benchmarks/serve.py --levels 1 10   # a quicker look

Both apps are served by the same :class:`guide.web.server.GuideServer` (the same interpreter,
environment, ``exec`` command and ``UNICODE_VERSION``), each in its own server process on
127.0.0.1. The client is aiohttp's websocket client speaking textual-serve's protocol as the
browser page does: connect to ``/ws?width=W&height=H``, send ``["resize", {...}]``, then read
binary frames (the app's output). "First screen" is the moment the output (escape sequences
removed) first contains a known string of the start screen: 「はじめる」 for the guide,
「こんにちは、世界」 for the hello-world.

Measured:

* one session at a time (repeated, median): time to first screen; RSS and USS of the app
  process (``/proc/PID/smaps_rollup``, 1 s after the first screen); CPU time it used to start;
* N sessions opened at once, N = 1, 10, 50, 100: time to first screen (median, p95, max), total
  RSS/USS of the app processes once every session is up, and errors (connection refused or
  closed, no first screen within the time limit, closed by the server afterwards).

Targets (from issue #6): per-session RSS ≤ 1.5 × the hello-world's; first screen ≤ 1.3 × the
hello-world's at each concurrency; 100 concurrent sessions with zero errors.

Everything is bounded by timeouts; only loopback is used. Run from the repository root with the
project's interpreter (``.venv/bin/python benchmarks/serve.py``). ``--hello-app`` runs the
hello-world itself (that is how the server starts it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE_MARK = "はじめる"
HELLO_MARK = "こんにちは、世界"
WIDTH, HEIGHT = 120, 40
ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def hello_app() -> None:
    """The yardstick: a bare Textual app with a Static and a Footer."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static(HELLO_MARK)
            yield Footer()

    Hello().run()


# --------------------------------------------------------------------------- /proc


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found


def memory(pid: int) -> tuple[int, int]:
    """(RSS, USS) in bytes from smaps_rollup; (0, 0) if the process has gone."""
    values: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, _, rest = line.partition(":")
            values[name] = int(rest.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        return 0, 0
    uss = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return values.get("Rss", 0), uss


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


# --------------------------------------------------------------------------- servers


@dataclass
class Served:
    name: str
    mark: str
    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    def log_tail(self, lines: int = 12) -> str:
        """The end of the server's log (app errors land there), to explain an error."""
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join("         | " + line for line in text[-lines:])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(name: str, mark: str, command: str, log: Path, max_sessions: int) -> Served:
    port = free_port()
    code = (
        "import sys; from guide.web.server import GuideServer; "
        "GuideServer(sys.argv[1], port=int(sys.argv[2]), max_sessions=int(sys.argv[3]), "
        "idle_timeout=0).serve()"
    )
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, command, str(port), str(max_sessions)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{name} server exited:\n{log.read_text(errors='replace')}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return Served(name, mark, proc, port, log)
        time.sleep(0.05)
    proc.kill()
    raise SystemExit(f"{name} server did not start listening")


def stop_server(served: Served) -> None:
    served.proc.send_signal(signal.SIGTERM)
    try:
        served.proc.wait(20)
    except subprocess.TimeoutExpired:
        served.proc.kill()
        served.proc.wait()


# --------------------------------------------------------------------------- sessions


@dataclass
class Result:
    first_screen: float | None = None
    error: str | None = None


@dataclass
class Session:
    ws: object = None
    result: Result = field(default_factory=Result)
    reader: asyncio.Task[None] | None = None
    closing: bool = False


async def open_session(http: object, served: Served, timeout: float) -> Session:
    """Connect like the page does and wait for the first screen; keep the socket open."""
    import aiohttp

    assert isinstance(http, aiohttp.ClientSession)
    session = Session()
    t0 = time.perf_counter()
    url = f"ws://127.0.0.1:{served.port}/ws?width={WIDTH}&height={HEIGHT}"
    text = ""
    try:
        async with asyncio.timeout(timeout):
            ws = await http.ws_connect(url, heartbeat=None, max_msg_size=0)
            session.ws = ws
            await ws.send_str(json.dumps(["resize", {"width": WIDTH, "height": HEIGHT}]))
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    text += message.data.decode("utf-8", "replace")
                    if served.mark in ESCAPES.sub("", text):
                        session.result.first_screen = time.perf_counter() - t0
                        # Keep reading at once: an unread socket answers no pings, and the
                        # server would close it as a vanished client.
                        session.reader = asyncio.create_task(drain(session))
                        break
                elif message.type == aiohttp.WSMsgType.TEXT:
                    if "busy" in message.data:
                        session.result.error = "busy"
                        break
                else:
                    session.result.error = f"closed ({message.type.name})"
                    break
            else:
                session.result.error = "closed before the first screen"
    except TimeoutError:
        session.result.error = f"no first screen within {timeout:.0f} s"
    except (aiohttp.ClientError, OSError) as e:
        session.result.error = f"{type(e).__name__}: {e}"
    return session


async def drain(session: Session) -> None:
    """Keep reading (and discarding) output; note a session that ends before we close it."""
    ws = session.ws
    if ws is None:
        return
    with contextlib.suppress(Exception):
        async for _message in ws:  # type: ignore[attr-defined]
            pass
    if not session.closing and session.result.error is None:
        session.result.error = "closed by the server after the first screen"


async def close_all(sessions: list[Session], served: Served, timeout: float = 30) -> None:
    for s in sessions:
        s.closing = True
        if s.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(s.ws.close(), 5)  # type: ignore[attr-defined]
        if s.reader is not None:
            s.reader.cancel()
    deadline = time.monotonic() + timeout
    while children(served.proc.pid) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    if left := children(served.proc.pid):
        print(f"  warning: {len(left)} {served.name} app(s) still running after closing")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


async def single(http: object, served: Served, reps: int) -> dict[str, float]:
    """One session at a time: first screen, RSS/USS and CPU of the app."""
    times, rss, uss, cpu = [], [], [], []
    for _ in range(reps):
        session = await open_session(http, served, 30)
        if session.result.first_screen is None:
            raise SystemExit(f"{served.name}: {session.result.error}")
        await asyncio.sleep(1.0)
        pids = children(served.proc.pid)
        assert len(pids) == 1, pids
        r, u = memory(pids[0])
        times.append(session.result.first_screen)
        rss.append(r)
        uss.append(u)
        cpu.append(cpu_seconds(pids[0]))
        await close_all([session], served)
    return {
        "first": statistics.median(times),
        "rss": statistics.median(rss),
        "uss": statistics.median(uss),
        "cpu": statistics.median(cpu),
    }


@dataclass
class Level:
    n: int
    median: float
    p95: float
    max: float
    rss: int
    uss: int
    errors: list[str]


async def concurrent(http: object, served: Served, n: int, timeout: float) -> Level:
    sessions = await asyncio.gather(*(open_session(http, served, timeout) for _ in range(n)))
    await asyncio.sleep(0.5)
    pids = children(served.proc.pid)
    mem = [memory(p) for p in pids]
    times = [s.result.first_screen for s in sessions if s.result.first_screen is not None]
    errors = [s.result.error for s in sessions if s.result.error]
    await close_all(list(sessions), served)
    nan = float("nan")
    return Level(
        n=n,
        median=statistics.median(times) if times else nan,
        p95=pct(times, 95) if times else nan,
        max=max(times) if times else nan,
        rss=sum(m[0] for m in mem),
        uss=sum(m[1] for m in mem),
        errors=errors,
    )


# --------------------------------------------------------------------------- report


def mib(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


async def run(args: argparse.Namespace) -> int:
    import aiohttp

    from guide.paths import content_dir
    from guide.web.server import app_command

    content = Path(args.content).resolve() if args.content else content_dir()
    hello_command = "exec " + shlex.join(
        [sys.executable, str(Path(__file__).resolve()), "--hello-app"]
    )
    top = max(args.levels)
    with tempfile.TemporaryDirectory(prefix="tebiki-serve-bench-") as tmp:
        servers = [
            start_server("guide", GUIDE_MARK, app_command(content), Path(tmp) / "guide.log", top),
            start_server("hello", HELLO_MARK, hello_command, Path(tmp) / "hello.log", top),
        ]
        try:
            connector = aiohttp.TCPConnector(limit=0)
            async with aiohttp.ClientSession(connector=connector) as http:
                # Warm-up: one discarded session each (page cache, .pyc files).
                for served in servers:
                    await single(http, served, 1)

                print(
                    f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
                    f"terminal {WIDTH}×{HEIGHT}, Python {sys.version.split()[0]}"
                )
                print(f"\nOne session at a time (median of {args.reps}):")
                print(
                    f"  {'app':6} {'first screen':>13} {'CPU to start':>13} {'RSS':>11} {'USS':>11}"
                )
                one: dict[str, dict[str, float]] = {}
                for served in servers:
                    one[served.name] = s = await single(http, served, args.reps)
                    print(
                        f"  {served.name:6} {s['first'] * 1000:10.0f} ms "
                        f"{s['cpu']:11.2f} s {mib(s['rss']):>11} {mib(s['uss']):>11}"
                    )

                print("\nSessions opened at once (time to first screen; memory of all apps):")
                print(
                    f"  {'N':>4} {'app':6} {'median':>9} {'p95':>9} {'max':>9} "
                    f"{'total RSS':>11} {'total USS':>11} {'errors':>6}"
                )
                many: dict[tuple[int, str], Level] = {}
                for n in args.levels:
                    for served in servers:
                        r = many[n, served.name] = await concurrent(http, served, n, args.timeout)
                        print(
                            f"  {n:>4} {served.name:6} {r.median * 1000:7.0f} ms "
                            f"{r.p95 * 1000:7.0f} ms {r.max * 1000:7.0f} ms "
                            f"{mib(r.rss):>11} {mib(r.uss):>11} {len(r.errors):>6}"
                        )
                        for e in sorted(set(r.errors))[:3]:
                            print(f"         {r.errors.count(e)} × {e}")
                        if r.errors:
                            print(served.log_tail())
        finally:
            for served in servers:
                stop_server(served)

    print("\nTargets:")
    ratio = one["guide"]["rss"] / one["hello"]["rss"]
    print(f"  per-session RSS ≤ 1.5 × hello-world: {ratio:.2f} × — {verdict(ratio <= 1.5)}")
    ratio = one["guide"]["first"] / one["hello"]["first"]
    print(f"  first screen, one at a time ≤ 1.3 ×: {ratio:.2f} × — {verdict(ratio <= 1.3)}")
    for n in args.levels:
        ratio = many[n, "guide"].median / many[n, "hello"].median
        print(f"  first screen at {n:>3} (median) ≤ 1.3 ×: {ratio:.2f} × — {verdict(ratio <= 1.3)}")
    if 100 in args.levels:
        errs = many[100, "guide"].errors
        print(f"  100 concurrent guide sessions, zero errors: {len(errs)} — {verdict(not errs)}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hello-app", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--content", metavar="DIR", help="content directory (default: shipped)")
    parser.add_argument(
        "--levels",
        type=int,
        nargs="+",
        default=[1, 10, 50, 100],
        help="concurrent sessions to try (default: 1 10 50 100)",
    )
    parser.add_argument("--reps", type=int, default=5, help="one-at-a-time repetitions")
    parser.add_argument(
        "--timeout",
        type=float,
        default=120,
        help="seconds a session may take to show its first screen",
    )
    args = parser.parse_args()
    if args.hello_app:
        hello_app()
        return 0
    sys.path.insert(0, str(ROOT))
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())

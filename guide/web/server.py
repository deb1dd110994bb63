"""``guide serve``: the guide in a browser through textual-serve, one app process per tab.

textual-serve gives us the protocol (a websocket per tab, an app process behind it speaking
Textual's web driver) and the browser terminal (xterm.js). This module adds what a community
centre or a city's help page needs on top:

- our own page (``templates/``): nothing fetched from outside the machine, a Japanese font stack,
  relative URLs so it works behind any proxy path, the websocket opened without waiting for
  ``window.onload``;
- a session limit with a friendly Japanese "busy" page instead of a hang;
- process hygiene: every app runs in its own process group (so it can be ended with everything
  it started), dies with the server even on SIGKILL (Linux parent-death signal), is ended when
  its tab closes, goes idle or crashes, and is ended on SIGTERM / Ctrl-C, promptly;
- ``UNICODE_VERSION=11.0.0`` for the apps, so Rich measures emoji as xterm.js draws them.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import os
import random
import shlex
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
import textual_serve
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from guide.i18n import _

log = logging.getLogger("guide.web")

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATICS = Path(textual_serve.__file__).resolve().parent / "static"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 30  # a class of 30; see the README for sizing (≈ 40 MiB each)
DEFAULT_IDLE_MINUTES = 30

XTERM_UNICODE_VERSION = "11.0.0"  # the widths xterm.js's Unicode11Addon uses
HEARTBEAT = 15.0  # seconds between websocket pings; a vanished client is noticed in ≈ 2×
QUIT_GRACE = 2.0  # after asking an app to quit, wait this long before SIGTERM …
TERM_GRACE = 2.0  # … then this long before SIGKILL …
KILL_GRACE = 2.0  # … then this long for the kernel to reap it
SHUTDOWN_TIMEOUT = 3.0  # aiohttp's wait for lingering connections once every app has ended
RETRY_AFTER = 60  # seconds a busy visitor is asked to wait
FONT_SIZES = (10, 40)  # accepted range of ?fontsize=

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'"
)

_PR_SET_PDEATHSIG = 1


def app_command(content_dir: Path, lang: str | None = None, *, python: str = sys.executable) -> str:
    """The shell command that starts one app: the same interpreter and content as the server.

    ``exec`` makes the shell replace itself with Python, so each tab costs one process and the
    pid textual-serve holds is the app's own.
    """
    argv = [python, "-m", "guide", "--content", str(Path(content_dir).resolve())]
    if lang is not None:
        argv += ["--lang", lang]
    return "exec " + shlex.join(argv)


def _parent_death_hook() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child get SIGTERM when the server dies (Linux only).

    Without it, a server killed with SIGKILL (or by the OOM killer) would leave every app running.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    parent = os.getpid()

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the server died between fork and prctl
            os._exit(1)

    return hook


def _signal_group(process: asyncio.subprocess.Process, sig: int) -> None:
    """Send ``sig`` to the app's process group (the app and anything it started)."""
    if process.returncode is not None:  # already reaped: its pid may belong to someone else now
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


async def end_process(process: asyncio.subprocess.Process, grace: float = QUIT_GRACE) -> bool:
    """Wait ``grace`` seconds for ``process`` to exit, then SIGTERM, then SIGKILL its group.

    Returns True once the process has been reaped.
    """
    for sig, wait in ((None, grace), (signal.SIGTERM, TERM_GRACE), (signal.SIGKILL, KILL_GRACE)):
        if sig is not None:
            _signal_group(process, sig)
        try:
            await asyncio.wait_for(process.wait(), wait)
            return True
        except TimeoutError:
            continue
    log.error("app process %s did not end even after SIGKILL", process.pid)
    return False


class GuideAppService(AppService):
    """One browser tab's app process."""

    def __init__(self, command: str, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.last_activity = time.monotonic()
        self._stopping: asyncio.Future[None] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment["UNICODE_VERSION"] = XTERM_UNICODE_VERSION
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_shell(
            self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,  # its own process group: killpg ends it and its children
            preexec_fn=_parent_death_hook(),
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            # The app has gone (quit, crashed or was ended): close the tab's connection too, so
            # the page says the session is over instead of showing a frozen screen.
            with contextlib.suppress(Exception):
                await self.remote_close()

    async def stop(self) -> None:
        """End the app: ask it to quit, then signal its group; safe to call more than once."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        process = self._process
        task = self._task
        if task is not None:
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        if process is not None:
            if process.returncode is None:
                await self.send_meta({"type": "quit"})
            await end_process(process)
        if task is not None:
            try:
                await asyncio.wait_for(task, KILL_GRACE)
            except TimeoutError:
                log.warning("session reader for app %s did not finish; cancelled", self.pid)
            except Exception:
                log.exception("session reader for app %s failed", self.pid)
            self._task = None


def _clamp(value: object, default: int, low: int, high: int) -> int:
    """A size from a browser message: anything not a sane whole number becomes ``default``."""
    try:
        number = int(value) if value is not None else default  # type: ignore[call-overload]
    except (ValueError, TypeError, OverflowError):
        number = default
    return max(low, min(high, number))


class GuideServer(Server):
    """textual-serve's server with our page, a session limit and process hygiene."""

    def __init__(
        self,
        command: str,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        title: str = "",
        public_url: str | None = None,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        idle_timeout: float = DEFAULT_IDLE_MINUTES * 60,
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=title or None,
            public_url=public_url,
            statics_path=STATICS,
            templates_path=TEMPLATES,
        )
        # With no public URL the page uses URLs relative to itself, so it works unchanged behind
        # a proxy, under a sub-path, or on another host name.
        self.base_url = public_url.rstrip("/") if public_url else None
        self.max_sessions = max_sessions
        self.idle_timeout = idle_timeout
        self.sessions: set[GuideAppService] = set()
        self.closing = False
        self._idle_task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ set-up
    def initialize_logging(self) -> None:
        logging.basicConfig(
            level=logging.DEBUG if self.debug else logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{path}" if self.base_url else path

    @property
    def full(self) -> bool:
        return len(self.sessions) >= self.max_sessions

    async def _make_app(self) -> web.Application:
        app = web.Application()
        env = aiohttp_jinja2.setup(
            app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True
        )
        env.globals["_"] = _
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/busy", self.handle_busy, name="busy"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_response_prepare.append(self._security_headers)
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        app.on_cleanup.append(self.on_cleanup)
        return app

    @staticmethod
    async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        if response.content_type == "text/html":
            headers.setdefault("Content-Security-Policy", CSP)
            headers.setdefault("Cache-Control", "no-store")

    # ------------------------------------------------------------------ pages
    async def handle_index(self, request: web.Request) -> web.Response:  # type: ignore[override]
        if self.full or self.closing:
            return self._busy(request)
        context = {
            "title": self.title,
            "font_size": _clamp(request.query.get("fontsize"), 16, *FONT_SIZES),
            "static_url": self._url("static/"),
            # Empty: the page derives ws(s)://<its own location>/ws itself.
            "websocket_url": self._ws_url() if self.base_url else "",
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_busy(self, request: web.Request) -> web.Response:
        return self._busy(request)

    def _busy(self, request: web.Request) -> web.Response:
        wait = RETRY_AFTER + random.randint(0, 30)  # spread the retries of a whole class
        context = {"title": self.title, "index_url": self._url("") or "./", "refresh": wait}
        response = aiohttp_jinja2.render_template("busy.html", request, context, status=503)
        response.headers["Retry-After"] = str(wait)
        return response

    def _ws_url(self) -> str:
        assert self.base_url is not None
        scheme, rest = self.base_url.split(":", 1)
        return ("wss:" if scheme == "https" else "ws:") + rest + "/ws"

    # ------------------------------------------------------------------ sessions
    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT)
        await websocket.prepare(request)
        if self.full or self.closing:
            # The page was loaded while a place was free; send the tab to the busy page.
            busy = json.dumps(["open_url", {"url": self._url("busy"), "new_tab": False}])
            with contextlib.suppress(Exception):
                await websocket.send_str(busy)
                await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"busy")
            return websocket

        width = _clamp(request.query.get("width"), 80, 10, 1000)
        height = _clamp(request.query.get("height"), 24, 5, 1000)
        service = GuideAppService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.sessions.add(service)
        try:
            await service.start(width, height)
            log.info(
                "session started: app %s (%d/%d)",
                service.pid,
                len(self.sessions),
                self.max_sessions,
            )
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("session failed")
        finally:
            try:
                await service.stop()
                with contextlib.suppress(Exception):
                    await websocket.close()
            finally:
                self.sessions.discard(service)
                log.info(
                    "session ended: app %s (%d/%d)",
                    service.pid,
                    len(self.sessions),
                    self.max_sessions,
                )
        return websocket

    async def _process_messages(  # type: ignore[override]
        self, websocket: web.WebSocketResponse, app_service: GuideAppService
    ) -> None:
        """Relay the browser's messages; ignore anything malformed instead of failing."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                app_service.last_activity = time.monotonic()
                await app_service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                app_service.last_activity = time.monotonic()
                await app_service.set_terminal_size(
                    _clamp(data.get("width"), 80, 10, 1000),
                    _clamp(data.get("height"), 24, 5, 1000),
                )
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    async def _end_idle_sessions(self) -> None:
        period = max(1.0, min(30.0, self.idle_timeout / 4))
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            idle = [s for s in self.sessions if now - s.last_activity > self.idle_timeout]
            for service in idle:
                log.info("ending idle session: app %s", service.pid)
            if idle:
                await asyncio.gather(*(s.stop() for s in idle), return_exceptions=True)

    # ------------------------------------------------------------------ life cycle
    async def on_startup(self, app: web.Application) -> None:
        url = self.base_url or f"http://{self.host}:{self.port}"
        print(
            _("手引きを {url} で公開しています（同時に {n} 人まで）。終了は Ctrl+C です。").format(
                url=url, n=self.max_sessions
            ),
            flush=True,
        )
        if self.host not in ("127.0.0.1", "::1", "localhost"):
            print(
                _(
                    "注意: {host} で待ち受けています。インターネットに直接公開せず、接続数を"
                    "制限するプロキシ（nginx など）の後ろに置いてください。"
                ).format(host=self.host),
                file=sys.stderr,
                flush=True,
            )
        if self.idle_timeout > 0:
            self._idle_task = asyncio.create_task(self._end_idle_sessions())

    async def on_shutdown(self, app: web.Application) -> None:
        """End every app we started (ask, then SIGTERM, then SIGKILL), all at once."""
        self.closing = True
        sessions = list(self.sessions)
        if sessions:
            log.info("stopping %d session(s)", len(sessions))
            await asyncio.gather(*(s.stop() for s in sessions), return_exceptions=True)

    async def on_cleanup(self, app: web.Application) -> None:
        if self._idle_task is not None:
            self._idle_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._idle_task

    async def run_async(self, stop: asyncio.Event | None = None) -> None:
        """Serve until ``stop`` is set or SIGINT/SIGTERM arrives; then end every app."""
        stop = stop or asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        runner = web.AppRunner(
            await self._make_app(), access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            await stop.wait()
        finally:
            await runner.cleanup()

    def serve(self, debug: bool = False) -> None:
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self.run_async())


def serve(
    content_dir: Path,
    *,
    title: str,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    public_url: str | None = None,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    idle_minutes: float = DEFAULT_IDLE_MINUTES,
    lang: str | None = None,
) -> None:
    """Serve the guide for ``content_dir`` until interrupted (the body of ``guide serve``)."""
    server = GuideServer(
        app_command(content_dir, lang),
        host=host,
        port=port,
        title=title,
        public_url=public_url,
        max_sessions=max_sessions,
        idle_timeout=idle_minutes * 60,
    )
    server.serve()

"""Command line: ``guide`` (the app), ``guide check``, ``guide print`` and friends.

Every command loads content through :func:`load_content_or_exit`, so broken content always gives
the same readable list of diagnostics and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from guide.i18n import _

if TYPE_CHECKING:
    from guide.schema import Content

EXIT_CONTENT = 2


def _print_diagnostics(diags: list, stream: object = None) -> None:
    out = stream or sys.stderr
    for d in diags:
        print(str(d), file=out)  # type: ignore[arg-type]


def load_content_or_exit(content_dir: str | None, *, quiet_warnings: bool = True) -> Content:
    from guide.cache import load  # the loader's result, cached between runs (not for `check`)

    content, diags = load(Path(content_dir) if content_dir else None)
    if content is None:
        errors = [d for d in diags if d.severity == "error"]
        print(_("内容ファイルに誤りがあるため、手引きを開始できません（{n}件）:").format(
            n=len(errors)), file=sys.stderr)
        _print_diagnostics(errors)
        print(_("`guide check` で詳しく確認できます。"), file=sys.stderr)
        raise SystemExit(EXIT_CONTENT)
    if not quiet_warnings:
        _print_diagnostics([d for d in diags if d.severity == "warning"])
    return content


def _lang_arg(text: str) -> str:
    """``--lang``: a language with a catalog (``ja``, ``ja-easy``, ``en``, ``vi``, ``zh-Hans``,
    ``ko``; case and ``_``/``-`` don't matter)."""
    from guide import i18n

    code = i18n.normalize(text)
    langs = i18n.available_languages()
    if code not in langs:
        raise argparse.ArgumentTypeError(
            _("その言語はありません：{text}（使える言語：{langs}）").format(
                text=text, langs=", ".join(langs)
            )
        )
    return code


def use_language(args: argparse.Namespace) -> str:
    """Switch to ``--lang``, else to the language negotiated from ``LANGUAGE``/``LANG``."""
    from guide import i18n

    lang = i18n.default_language(getattr(args, "lang", None))
    if lang != i18n.current_language():
        i18n.set_language(lang)
    return lang


def cmd_run(args: argparse.Namespace) -> int:
    use_language(args)
    content = load_content_or_exit(args.content)
    if not os.environ.get("TEXTUAL_DRIVER") and not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal Textual's input thread spins on end-of-file; say so instead.
        # (guide serve runs the app with TEXTUAL_DRIVER set, so it is not affected.)
        print(_("手引きは端末（ターミナル）の中で開いてください。ブラウザで使うときは "
                "`guide serve` を使います。"), file=sys.stderr)
        return EXIT_CONTENT
    from guide.tui.app import create_app

    app = create_app(content, mode=getattr(args, "mode", "resident"))
    app.content_root = args.content
    app.run()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from guide.loader import load

    _content, diags = load(Path(args.content) if args.content else None)
    if _content is not None:
        from guide.symptoms import check_symptoms

        diags += check_symptoms(_content, args.content)
    if _content is not None:
        from guide.catalogs import check_languages

        lines, lang_diags = check_languages(_content, getattr(args, "lang", None), args.content)
        diags += lang_diags
    else:
        lines = []
    _print_diagnostics(diags, sys.stdout)
    for line in lines:
        print(line)
    errors = sum(d.severity == "error" for d in diags)
    warnings = len(diags) - errors
    print(f"{errors} error(s), {warnings} warning(s)")
    return EXIT_CONTENT if errors else 0


def cmd_print(args: argparse.Namespace) -> int:
    use_language(args)
    content = load_content_or_exit(args.content)
    from guide.render.plain import render_guide

    sys.stdout.write(render_guide(content))
    return 0


def cmd_qr(args: argparse.Namespace) -> int:
    """``guide qr``: list the links. ``guide qr ID``: its QR code as text, then the URL.

    On a terminal the code is forced black-on-white (ANSI); piped or redirected it is plain
    characters with ``█`` = dark, for a light page or paper. ``--svg FILE`` writes an SVG instead.
    """
    import os

    from guide.render import qr, tr

    content = load_content_or_exit(args.content)
    if args.link_id is None:
        if args.svg:
            print(_("--svg にはリンクのIDが必要です（guide qr ID --svg FILE）。"), file=sys.stderr)
            return EXIT_CONTENT
        for lk in content.links.values():
            state = _("確認済み") if lk.verified else _("未確認")
            print(f"{lk.id}  [{state}]  {tr(f'link.{lk.id}.label', lk.label)}\n    {lk.url}")
        print(_("QRコードを表示するには：guide qr リンクのID"))
        return 0
    link = content.links.get(args.link_id)
    if link is None:
        print(_("リンク「{id}」はありません。使えるID：{ids}").format(
            id=args.link_id, ids=", ".join(content.links)), file=sys.stderr)
        return EXIT_CONTENT
    try:
        if args.svg:
            if args.svg == "-":
                sys.stdout.write(qr.svg(link.url))
            else:
                Path(args.svg).write_text(qr.svg(link.url), encoding="utf-8")
                print(_("SVGを書き出しました：{path}").format(path=args.svg), file=sys.stderr)
        else:
            tty = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
            sys.stdout.write(qr.ansi(link.url) if tty else qr.plain(link.url))
            print(link.url)
            if tty:
                print(_("コードが崩れて見えるときは、上のURLを使ってください。"), file=sys.stderr)
    except qr.QRError as e:
        print(_("QRコードにできません：{why}").format(why=e), file=sys.stderr)
        return EXIT_CONTENT
    except OSError as e:
        print(_("SVGを書き出せません：{why}").format(why=e), file=sys.stderr)
        return 1
    if not link.verified:
        print(_("注意：このリンクはまだ確認されていません（URLの先のページを確かめていません）。"),
              file=sys.stderr)
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("1以上の整数を指定してください：{text}").format(text=text)
        )
    return value


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(_("ポート番号は1〜65535です：{text}").format(text=text))
    return value


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(
            _("0以上の分数を指定してください：{text}").format(text=text)
        )
    return value


def _public_url(text: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise argparse.ArgumentTypeError(
            _("http:// か https:// で始まるURLを指定してください：{text}").format(text=text)
        )
    return text.rstrip("/")


def cmd_serve(args: argparse.Namespace) -> int:
    """``guide serve``: the guide in a browser, one app process per tab (see guide.web)."""
    content = load_content_or_exit(args.content)  # refuse to serve broken content
    from guide.paths import content_dir
    from guide.render import tr

    try:
        from guide.web.server import serve
    except ImportError as e:
        print(
            _("ブラウザー版を動かすには textual-serve が必要です：{why}").format(why=e),
            file=sys.stderr,
        )
        return 1
    root = Path(args.content).resolve() if args.content else content_dir()
    try:
        serve(
            root,
            title=tr("meta.title", content.meta.title),
            host=args.host,
            port=args.port,
            public_url=args.public_url,
            max_sessions=args.max_sessions,
            idle_minutes=args.idle_timeout,
            lang=args.lang,
        )
    except OSError as e:
        print(
            _("{host}:{port} で待ち受けられません：{why}").format(
                host=args.host, port=args.port, why=e.strerror or e
            ),
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    """``guide ask "…"``: which troubleshooting topic fits the resident's words."""
    from guide.symptoms import ask_command

    lang = use_language(args)
    content = load_content_or_exit(args.content)
    status, out, err = ask_command(content, args.content, args.query, args.step, lang,
                                   args.json)
    sys.stdout.write(out)
    sys.stderr.write(err)
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guide",
        description="Tebiki: a guide to applying online for 介護支援ボランティアポイント.",
    )
    parser.add_argument("--content", metavar="DIR", help="content directory (default: shipped)")
    lang_help = (
        "language: ja, ja-easy, en, vi, zh-Hans, ko (default: from LANGUAGE/LANG, else ja; "
        "ja-easy only when asked for)"
    )
    parser.add_argument("--lang", metavar="LANG", type=_lang_arg, help=lang_help)
    mode_help = (
        "how the guide is used: resident (practise or apply alone; the default), helpdesk "
        "(staff on the phone: find the step from the caller's screen), trainer (a class)"
    )
    parser.add_argument("--mode", choices=("resident", "helpdesk", "trainer"),
                        default="resident", help=mode_help)
    parser.set_defaults(func=cmd_run)
    sub = parser.add_subparsers(dest="command")

    def add(name: str, func, help_: str) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        p = sub.add_parser(name, help=help_)
        p.add_argument("--content", metavar="DIR", default=argparse.SUPPRESS,
                       help="content directory (default: shipped)")
        p.set_defaults(func=func)
        return p

    run = add("run", cmd_run, "start the guide in this terminal (the default)")
    run.add_argument(
        "--lang", metavar="LANG", type=_lang_arg, default=argparse.SUPPRESS, help=lang_help
    )
    run.add_argument("--mode", choices=("resident", "helpdesk", "trainer"),
                     default=argparse.SUPPRESS, help=mode_help)
    for name, func, help_ in (
        ("check", cmd_check, "validate the content and translations; list every problem"),
        ("print", cmd_print, "print the whole guide as plain text"),
    ):
        add(name, func, help_).add_argument(
            "--lang", metavar="LANG", type=_lang_arg, default=argparse.SUPPRESS, help=lang_help
        )
    ask = add("ask", cmd_ask, "which troubleshooting topic fits the resident's own words")
    ask.add_argument("query", help="what the resident says, e.g. \"カードが反応しない\"")
    ask.add_argument("--step", type=int, metavar="N", help="the step (1-16) they are at")
    ask.add_argument(
        "--lang", metavar="LANG", type=_lang_arg, default=argparse.SUPPRESS, help=lang_help
    )
    ask.add_argument("--json", action="store_true", help="print a machine-readable object")
    qr_cmd = add("qr", cmd_qr, "list the links, or show one as a QR code")
    qr_cmd.add_argument("link_id", nargs="?", metavar="LINK_ID", help="a link id (see `guide qr`)")
    qr_cmd.add_argument("--svg", metavar="FILE", help="write the code as SVG to FILE ('-': stdout)")
    serve = add("serve", cmd_serve, "serve the guide to web browsers (one app per tab)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    serve.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    serve.add_argument(
        "--public-url",
        type=_public_url,
        metavar="URL",
        help="the address visitors use, e.g. https://example.jp/tebiki "
        "(default: URLs relative to the page)",
    )
    serve.add_argument(
        "--max-sessions",
        type=_positive_int,
        default=30,
        metavar="N",
        help="browser tabs served at once; more get a 'busy' page (default: 30)",
    )
    serve.add_argument(
        "--idle-timeout",
        type=_minutes,
        default=30,
        metavar="MINUTES",
        help="end a tab's session after this long without input; 0: never (default: 30)",
    )
    serve.add_argument(
        "--lang",
        metavar="LANG",
        type=_lang_arg,
        default="ja",
        help="the language a new visitor starts in; each visitor can change it in the app "
        "(default: ja)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `guide print | head`
        return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Command line: ``guide`` (the app), ``guide check``, ``guide print`` and friends.

Every command loads content through :func:`load_content_or_exit`, so broken content always gives
the same readable list of diagnostics and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
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
    from guide.loader import load

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


def cmd_run(args: argparse.Namespace) -> int:
    content = load_content_or_exit(args.content)
    from guide.tui.app import create_app

    app = create_app(content)
    app.run()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from guide.loader import load

    _content, diags = load(Path(args.content) if args.content else None)
    _print_diagnostics(diags, sys.stdout)
    errors = sum(d.severity == "error" for d in diags)
    warnings = len(diags) - errors
    print(f"{errors} error(s), {warnings} warning(s)")
    return EXIT_CONTENT if errors else 0


def cmd_print(args: argparse.Namespace) -> int:
    content = load_content_or_exit(args.content)
    from guide.render.plain import render_guide

    sys.stdout.write(render_guide(content))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guide",
        description="Tebiki: a guide to applying online for 介護支援ボランティアポイント.",
    )
    parser.add_argument("--content", metavar="DIR", help="content directory (default: shipped)")
    parser.set_defaults(func=cmd_run)
    sub = parser.add_subparsers(dest="command")

    def add(name: str, func, help_: str) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        p = sub.add_parser(name, help=help_)
        p.add_argument("--content", metavar="DIR", default=argparse.SUPPRESS,
                       help="content directory (default: shipped)")
        p.set_defaults(func=func)
        return p

    add("run", cmd_run, "start the guide in this terminal (the default)")
    add("check", cmd_check, "validate the content and list every problem")
    add("print", cmd_print, "print the whole guide as plain text")
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

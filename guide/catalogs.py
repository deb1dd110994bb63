"""Translation catalogs: extract, create, update and compile them; count and check them.

Run from the repository root (README, "Translating")::

    python -m guide.catalogs extract          # content YAML + Python → locales/guide.pot
    python -m guide.catalogs init LANG        # a new locales/LANG/LC_MESSAGES/guide.po (draft)
    python -m guide.catalogs update [LANG…]   # merge guide.pot into the .po files
    python -m guide.catalogs compile [LANG…]  # check the .po files and write .mo files
    python -m guide.catalogs stats [LANG…]    # how complete each catalog is

``extract`` is ``pybabel extract -F babel.cfg …`` with fixed options; ``init``/``update`` wrap
babel's API rather than ``pybabel init/update`` because the language codes ``ja-easy`` and
``zh-Hans`` are not babel locale names (their catalogs use the ``ja`` and ``zh_Hans`` rules),
and because babel drops unknown header fields: these commands keep ``X-Tebiki-Status``. The app
itself never needs the ``.mo`` files (see :mod:`guide.i18n`).

:func:`completeness` and :func:`check` are what ``guide check`` reports per language. Pure
Python, no Textual.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guide import i18n
from guide.content_strings import iter_strings, placeholders
from guide.diagnostics import Diagnostic
from guide.schema import Content

EXTRACT_OPTIONS = [
    "-F",
    "babel.cfg",
    "-c",
    "TRANSLATORS:",
    "--no-wrap",
    "--project=Tebiki",
    "--version=0.1.0",
    "--copyright-holder=Tebiki contributors",
]
BRACE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")


def pot_path(root: Path | None = None) -> Path:
    return (root or i18n.locales_dir()) / f"{i18n.DOMAIN}.pot"


def rel_po(lang: str) -> str:
    return f"locales/{lang}/LC_MESSAGES/{i18n.DOMAIN}.po"


def _key(msg: Any) -> tuple[str, str]:
    msgid = msg.id[0] if isinstance(msg.id, (tuple, list)) else msg.id
    return (msg.context or "", msgid)


def is_translated(msg: Any) -> bool:
    if msg.fuzzy or not msg.id:
        return False
    if isinstance(msg.string, (tuple, list)):
        return all(msg.string)
    return bool(msg.string)


def write_catalog(catalog: Any, path: Path, status: str) -> None:
    """Write a catalog as a ``.po`` file, with ``X-Tebiki-Status`` in its header."""
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=0, include_previous=False)
    data = buf.getvalue()
    marker = b'"Generated-By: '
    at = data.find(marker)
    line = f'"{i18n.DRAFT_HEADER}: {status}\\n"\n'.encode()
    data = data[:at] + line + data[at:] if at >= 0 else data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# ---------------------------------------------------------------------- counting and checks


@dataclass
class Completeness:
    lang: str
    content_total: int = 0
    content_done: int = 0
    ui_total: int = 0
    ui_done: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.content_total + self.ui_total

    @property
    def done(self) -> int:
        return self.content_done + self.ui_done

    @property
    def percent(self) -> int:
        """Rounded down, so 100% means every string."""
        return 100 if not self.total else self.done * 100 // self.total

    def __str__(self) -> str:
        return (
            f"{self.lang}: {self.done}/{self.total} ({self.percent}%)"
            f" — content {self.content_done}/{self.content_total},"
            f" interface {self.ui_done}/{self.ui_total}"
        )


def ui_messages(root: Path | None = None) -> list[tuple[str, str]]:
    """``(context, msgid)`` of the interface strings (those extracted from the Python code),
    read from ``guide.pot``."""
    from babel.messages.pofile import read_po

    path = pot_path(root)
    if not path.is_file():
        return []
    with path.open("rb") as f:
        pot = read_po(f)
    return [
        _key(m)
        for m in pot
        if m.id and m.locations and all(not loc.startswith("content/") for loc, _n in m.locations)
    ]


def _catalog(lang: str, root: Path | None) -> Any:
    path = i18n.po_path(lang, root)
    return i18n.read_catalog(path, lang) if path.is_file() else None


def completeness(content: Content, lang: str, root: Path | None = None) -> Completeness:
    """How many of the current content's strings and of the interface strings ``lang``
    translates (non-empty, not fuzzy). Untranslated strings are shown in Japanese."""
    out = Completeness(lang)
    catalog = _catalog(lang, root) if lang != i18n.SOURCE else None
    done = {_key(m) for m in catalog if is_translated(m)} if catalog is not None else set()
    for context, text, _comment in iter_strings(content):
        out.content_total += 1
        if lang == i18n.SOURCE or (context, text) in done:
            out.content_done += 1
        else:
            out.missing.append((context, text))
    for key in ui_messages(root):
        out.ui_total += 1
        if lang == i18n.SOURCE or key in done:
            out.ui_done += 1
        else:
            out.missing.append(key)
    return out


def check(lang: str, root: Path | None = None) -> list[Diagnostic]:
    """Problems in a catalog: placeholders that differ from the source (errors) and screen-label
    glosses that repeat the Japanese (warnings)."""
    catalog = _catalog(lang, root)
    if catalog is None:
        return []
    file = rel_po(lang)
    diags: list[Diagnostic] = []
    for m in catalog:
        if not m.id or not is_translated(m):
            continue
        context, msgid = _key(m)
        where = context or msgid[:30]
        ids = list(m.id) if isinstance(m.id, (tuple, list)) else [m.id]
        strs = list(m.string) if isinstance(m.string, (tuple, list)) else [m.string]
        want_jinja = placeholders(ids[0])
        want_brace = sorted(set(BRACE.findall(ids[0])))
        for s in strs:
            got_jinja, got_brace = placeholders(s), sorted(set(BRACE.findall(s)))
            if got_jinja != want_jinja:
                message = (
                    f"{{{{ }}}} placeholders {got_jinja} differ from the source's {want_jinja}"
                )
                diags.append(Diagnostic("T001", "error", file, where, message))
            if got_brace != want_brace:
                message = f"{{name}} placeholders {got_brace} differ from the source's {want_brace}"
                diags.append(Diagnostic("T002", "error", file, where, message))
        repeats = msgid in strs[0] and strs[0] != msgid  # equal: no gloss needed, fine
        if ".screen." in context and not msgid.isascii() and repeats:
            diags.append(
                Diagnostic(
                    "T003",
                    "warning",
                    file,
                    where,
                    "an on-screen label's translation repeats the Japanese label; the app already "
                    "shows the label, so give only the gloss",
                )
            )
    return diags


def check_languages(
    content: Content, lang: str | None = None, content_dir: str | Path | None = None
) -> tuple[list[str], list[Diagnostic]]:
    """What ``guide check`` reports about translations: one completeness line per language
    (``lang`` only, if given) and the catalogs' problems; for ``ja-easy`` also the
    やさしい日本語 warnings (:mod:`guide.easy_japanese`)."""
    langs = [lang] if lang else [x for x in i18n.available_languages() if x != i18n.SOURCE]
    lines = ["translations (strings not translated are shown in Japanese):"] if langs else []
    diags: list[Diagnostic] = []
    for code in langs:
        if code == i18n.SOURCE:
            lines.append(f"  {code}: source language")
            continue
        c = completeness(content, code)
        lines.append(f"  {c} [{i18n.catalog_status(code)}]")
        diags += check(code)
        if code == i18n.EASY:
            from guide import easy_japanese

            diags += easy_japanese.check(content_dir)
    return lines, diags


# ---------------------------------------------------------------------- commands


def _repo_root() -> Path:
    root = Path.cwd()
    if not (root / "babel.cfg").is_file():
        raise SystemExit("Run this from the repository root (where babel.cfg is).")
    return root


def cmd_extract(_args: argparse.Namespace) -> int:
    from babel.messages.frontend import CommandLineInterface

    root = _repo_root()
    out = root / "locales" / f"{i18n.DOMAIN}.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", *EXTRACT_OPTIONS, "-o", str(out.relative_to(root)), "."]
    )
    print(f"wrote {out.relative_to(root)}")
    return 0


def _langs(names: Iterable[str], root: Path) -> list[str]:
    langs: list[str] = []
    for name in names:
        code = i18n.normalize(name)
        if code is None or code == i18n.SOURCE:
            raise SystemExit(
                f"unknown language {name!r}; use one of: {', '.join(i18n.LANGUAGES[1:])}"
            )
        langs.append(code)
    return langs or [lang for lang in i18n.available_languages(root) if lang != i18n.SOURCE]


def _read_pot(root: Path) -> Any:
    from babel.messages.pofile import read_po

    path = pot_path(root)
    if not path.is_file():
        raise SystemExit(f"{path} is missing: run `python -m guide.catalogs extract` first.")
    with path.open("rb") as f:
        return read_po(f)


def cmd_init(args: argparse.Namespace) -> int:
    from babel.core import Locale

    root = _repo_root() / "locales"
    (lang,) = _langs([args.lang], root)
    path = i18n.po_path(lang, root)
    if path.exists():
        raise SystemExit(f"{path} exists; use `update`.")
    catalog = _read_pot(root)
    catalog.locale = Locale.parse(i18n.BABEL_LOCALE[lang])
    catalog.revision_date = catalog.creation_date
    catalog.fuzzy = False
    catalog.last_translator = "draft, not reviewed by a native speaker"
    catalog.language_team = lang
    write_catalog(catalog, path, "draft")
    print(f"created {path} (marked draft)")
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    root = _repo_root() / "locales"
    pot = _read_pot(root)
    for lang in _langs(args.langs, root):
        path = i18n.po_path(lang, root)
        if not path.is_file():
            print(f"{lang}: no catalog ({path}); create it with `init {lang}`", file=sys.stderr)
            continue
        status = i18n.catalog_status(lang, root)
        catalog = i18n.read_catalog(path, lang)
        catalog.update(pot, no_fuzzy_matching=args.no_fuzzy_matching)
        write_catalog(catalog, path, status)
        print(f"updated {path}")
    return 0


def cmd_compile(args: argparse.Namespace) -> int:
    from babel.messages.mofile import write_mo

    root = _repo_root() / "locales"
    errors = 0
    for lang in _langs(args.langs, root):
        path = i18n.po_path(lang, root)
        diags = check(lang, root)
        for d in diags:
            print(d, file=sys.stderr)
        errors += sum(d.severity == "error" for d in diags)
        catalog = i18n.read_catalog(path, lang)
        with path.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        print(f"compiled {path.with_suffix('.mo')}")
    return 1 if errors else 0


def cmd_stats(args: argparse.Namespace) -> int:
    from guide.loader import load_or_raise

    root = _repo_root()
    content = load_or_raise(root / "content")
    for lang in _langs(args.langs, root / "locales"):
        c = completeness(content, lang, root / "locales")
        print(f"{c}  [{i18n.catalog_status(lang, root / 'locales')}]")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guide.catalogs", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help="write locales/guide.pot").set_defaults(func=cmd_extract)
    p = sub.add_parser("init", help="start a catalog for a language (marked draft)")
    p.add_argument("lang")
    p.set_defaults(func=cmd_init)
    p = sub.add_parser("update", help="merge guide.pot into the catalogs")
    p.add_argument("langs", nargs="*")
    p.add_argument("--no-fuzzy-matching", action="store_true")
    p.set_defaults(func=cmd_update)
    p = sub.add_parser("compile", help="check the catalogs and write .mo files")
    p.add_argument("langs", nargs="*")
    p.set_defaults(func=cmd_compile)
    p = sub.add_parser("stats", help="completeness per language")
    p.add_argument("langs", nargs="*")
    p.set_defaults(func=cmd_stats)
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())

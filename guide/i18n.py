"""Translation entry points for user-facing text, and the choice of language.

Every user-facing string in Python goes through :func:`_`, :func:`ngettext` or :func:`pgettext`
(:func:`N_` marks a string for extraction where it is translated later); every string that comes
from content goes through :func:`ct` with the content id as its context. Japanese is the source
language, so with no catalog installed the text is shown as written.

Catalogs are ``locales/<lang>/LC_MESSAGES/guide.po`` and ship as such (in the checkout and, via
pyproject's force-include, in the wheel); no ``.mo`` file is committed or needed. On first use
babel compiles the ``.po`` and the result is kept in the user's cache directory under a name
holding the SHA-256 of the ``.po`` (:func:`cache_dir`), so an edited catalog is recompiled and a
stale one is never used, and a read-only install still works (the cache is skipped when it can't
be written). A cache hit needs no babel at all: ``gettext.GNUTranslations`` reads the bytes.
Compiling costs ~150 ms (mostly importing babel and parsing the ``.po``); a hit costs a few.

babel is imported lazily: the default Japanese path (no catalog, ``str`` formatting) never
imports it.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

SOURCE = "ja"
EASY = "ja-easy"
# Every language the app knows, in menu order. A language is offered when its catalog exists.
LANGUAGES = ("ja", "ja-easy", "en", "vi", "zh-Hans", "ko")
# The babel locale of each language (plural rules, number formats, display names).
BABEL_LOCALE = {
    "ja": "ja",
    "ja-easy": "ja",
    "en": "en",
    "vi": "vi",
    "zh-Hans": "zh_Hans",
    "ko": "ko",
}
# Shown in the language menu; babel has no name for やさしい日本語.
EASY_NAME = "やさしい にほんご"
DRAFT_HEADER = "X-Tebiki-Status"
DOMAIN = "guide"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_lang = SOURCE
_missing: set[tuple[str, str]] | None = None


# ---------------------------------------------------------------------- the active catalog


def install(translations: gettext.NullTranslations, lang: str) -> None:
    """Make ``translations`` the active catalog for ``lang``."""
    global _translations, _lang
    _translations = translations
    _lang = lang


def set_language(lang: str) -> None:
    """Load and install the catalog of ``lang`` (a code from :data:`LANGUAGES`)."""
    install(translations(lang), lang)


def current_language() -> str:
    """The language code in use (``ja``, ``ja-easy``, ``en`` …), e.g. to pick
    ``content/symptoms/<lang>.yaml``."""
    return _lang


def _track(context: str, message: str) -> None:
    if _missing is not None and _lang != SOURCE and not _has(context, message):
        _missing.add((context, message))


def _has(context: str, message: str) -> bool:
    catalog: dict[Any, str] = getattr(_translations, "_catalog", {})
    key = f"{context}\x04{message}" if context else message
    return key in catalog or (key, 0) in catalog


def _(message: str) -> str:
    if _missing is not None:
        _track("", message)
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction; translate it later with :func:`_`."""
    return message


# TRANSLATORS: after a language's name in the language menu, when the translation has not been
# reviewed by a native speaker. Write it in your language.
DRAFT = N_("（下書き）")


def ngettext(singular: str, plural: str, n: int) -> str:
    if _missing is not None:
        _track("", singular)
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    if _missing is not None:
        _track(context, message)
    return _translations.pgettext(context, message)


def ct(context: str, text: str) -> str:
    """Content text: ``text`` (Japanese source) translated in the context of its content id."""
    if not text:
        return text
    return pgettext(context, text)


@contextmanager
def track_missing() -> Iterator[set[tuple[str, str]]]:
    """Collect ``(context, msgid)`` of every string shown untranslated (falling back to
    Japanese) while the block runs, in a language other than Japanese. For tests and checks."""
    global _missing
    previous, _missing = _missing, set()
    try:
        yield _missing
    finally:
        _missing = previous


# ---------------------------------------------------------------------- catalogs


def locales_dir() -> Path:
    from guide.paths import locales_dir as shipped

    return shipped()


def po_path(lang: str, root: Path | None = None) -> Path:
    return (root or locales_dir()) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_languages(root: Path | None = None) -> list[str]:
    """Japanese plus every language of :data:`LANGUAGES` that has a catalog, in menu order."""
    return [lang for lang in LANGUAGES if lang == SOURCE or po_path(lang, root).is_file()]


def read_catalog(path: Path, lang: str) -> Any:
    """The babel ``Catalog`` of a ``.po`` file."""
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return read_po(f, locale=BABEL_LOCALE.get(lang, "ja"), domain=DOMAIN)


def compile_catalog(catalog: Any) -> bytes:
    """A babel ``Catalog`` compiled to ``.mo`` bytes (fuzzy entries left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def cache_dir() -> Path | None:
    """Where compiled catalogs are kept: ``$TEBIKI_CACHE_DIR``, else the user's cache directory
    (``$XDG_CACHE_HOME/tebiki``, ``~/.cache/tebiki``); None when there is no home."""
    env = os.environ.get("TEBIKI_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "tebiki"
    try:
        return Path.home() / ".cache" / "tebiki"
    except RuntimeError:
        return None


def _compiled(po: Path, lang: str) -> bytes:
    """The ``.mo`` bytes of ``po``: from the cache when this exact ``.po`` was compiled before,
    else compiled now with babel and cached. The cache is best-effort: if it can't be written
    the catalog is used from memory."""
    import hashlib  # here, not at the top: ~0.6 MB of OpenSSL the Japanese path never needs

    data = po.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:20]
    folder = cache_dir()
    cached = folder / f"{lang}-{digest}.mo" if folder else None
    if cached is not None:
        try:
            return cached.read_bytes()
        except OSError:
            pass
    mo = compile_catalog(read_catalog(po, lang))
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(f".{cached.name}.{os.getpid()}")
            tmp.write_bytes(mo)
            os.replace(tmp, cached)  # atomic: concurrent processes never see half a file
        except OSError:
            pass
    return mo


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int, lang: str) -> gettext.NullTranslations:
    return gettext.GNUTranslations(io.BytesIO(_compiled(Path(path), lang)))


def translations(lang: str, root: Path | None = None) -> gettext.NullTranslations:
    """The catalog of ``lang``; Japanese (or a language without a catalog) gives the source
    text back unchanged."""
    if lang == SOURCE:
        return gettext.NullTranslations()
    path = po_path(lang, root)
    try:
        stat = path.stat()
    except OSError:
        return gettext.NullTranslations()
    try:
        return _load(str(path), stat.st_mtime_ns, stat.st_size, lang)
    except Exception as e:  # a broken catalog must not stop the guide: show Japanese instead
        print(f"tebiki: cannot read {path} ({e}); showing Japanese", file=sys.stderr)
        return gettext.NullTranslations()


_STATUS = re.compile(r'^"X-Tebiki-Status:\s*([A-Za-z-]+)\\n"\s*$', re.MULTILINE)


def catalog_status(lang: str, root: Path | None = None) -> str:
    """The ``X-Tebiki-Status`` header of ``lang``'s catalog: ``reviewed`` (by a native speaker)
    or ``draft`` (also when the header is missing). Japanese is the source: ``reviewed``."""
    if lang == SOURCE:
        return "reviewed"
    try:
        with po_path(lang, root).open(encoding="utf-8", errors="replace") as f:
            head = f.read(4000)
    except OSError:
        return "draft"
    found = _STATUS.search(head)
    return found.group(1).lower() if found else "draft"


def is_draft(lang: str, root: Path | None = None) -> bool:
    """True when the translation has not been reviewed by a native speaker."""
    return catalog_status(lang, root) != "reviewed"


# ---------------------------------------------------------------------- names and negotiation


def babel_locale(lang: str | None = None) -> str:
    return BABEL_LOCALE.get(lang or _lang, "ja")


# Each language's name in itself, as babel's ``Locale.get_display_name`` gives it (capitalised):
# the start screen's language menu needs them at once, and babel costs ~8 MB and ~0.1 s to ask.
ENDONYMS = {
    "ja": "日本語",
    "ja-easy": EASY_NAME,
    "en": "English",
    "vi": "Tiếng Việt",
    "zh-Hans": "中文 (简体)",
    "ko": "한국어",
}


@lru_cache(maxsize=16)
def language_name(lang: str) -> str:
    """The language's name in that language (日本語, English, Tiếng Việt, 中文 (简体), 한국어)."""
    if lang in ENDONYMS:
        return ENDONYMS[lang]
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(babel_locale(lang))
    except (ValueError, UnknownLocaleError):
        return lang
    name = locale.get_display_name(locale) or lang
    return name[:1].upper() + name[1:]


def draft_mark(lang: str, root: Path | None = None) -> str:
    """「（下書き）」 in the language itself, for the language menu.

    Read straight from the ``.po`` file (:func:`po_message`): the menu lists every language, and
    compiling every catalog for one word each cost ~0.3 s and ~5 MB before the first screen."""
    if lang == SOURCE:
        return DRAFT
    try:
        text = po_path(lang, root).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return translations(lang, root).gettext(DRAFT)
    found = po_message(text, DRAFT)
    if found is None:  # not in the simple form po_message reads: ask the whole catalog
        return translations(lang, root).gettext(DRAFT)
    return found or DRAFT


_PO_ESCAPE = re.compile(r"\\(.)")
_PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}


def _po_string(line: str) -> str:
    """The text of one quoted ``.po`` line (``"…"``), unescaped."""
    body = line.strip()[1:-1]
    return _PO_ESCAPE.sub(lambda m: _PO_ESCAPES.get(m.group(1), m.group(1)), body)


def po_message(text: str, msgid: str) -> str | None:
    """The translation of the context-free, singular ``msgid`` in ``.po`` file ``text``, as
    :func:`translations` would give it: "" when it is untranslated or fuzzy (the compiled
    catalog leaves fuzzy entries out). None when the entry isn't there in its one-line form."""
    quoted = '"' + msgid.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    needle = f"\nmsgid {quoted}\n"
    at = text.find(needle)
    while at >= 0:
        start = text.rfind("\n\n", 0, at + 1)  # the blank line before this entry
        head = text[start + 2 if start >= 0 else 0 : at].splitlines()
        if not any(line.startswith("msgctxt") for line in head):
            end = text.find("\n\n", at + len(needle))
            lines = text[at + len(needle) : end if end >= 0 else len(text)].split("\n")
            if not lines[0].startswith("msgstr "):
                return None  # a plural entry, or something this reader doesn't know
            out = [_po_string(lines[0][len("msgstr ") :])]
            for line in lines[1:]:
                if not line.startswith('"'):
                    break
                out.append(_po_string(line))
            fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in head)
            return "" if fuzzy else "".join(out)
        at = text.find(needle, at + 1)
    return None


def _env_preferences(env: Mapping[str, str]) -> list[str]:
    """Preferred locales from ``LANGUAGE`` (a colon list), ``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``, as gettext reads them; ``C``/``POSIX`` mean no preference."""
    prefs: list[str] = []
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        for item in value.split(":"):
            item = item.split(".")[0].split("@")[0].strip()
            if item and item not in ("C", "POSIX") and item not in prefs:
                prefs.append(item)
    return prefs


def normalize(lang: str) -> str | None:
    """A code from :data:`LANGUAGES` for what a user typed (``en``, ``EN``, ``zh-hans``,
    ``ja_easy``), or None."""
    key = lang.strip().replace("_", "-").lower()
    for code in LANGUAGES:
        if code.lower() == key:
            return code
    return None


def negotiate(preferred: list[str], available: list[str] | None = None) -> str:
    """The best language of ``available`` for locale names like ``en_US`` or ``zh_CN``
    (babel's ``negotiate_locale``). やさしい日本語 is never chosen this way, only explicitly."""
    langs = [lang for lang in (available or available_languages()) if lang != EASY]
    if not preferred:
        return SOURCE
    from babel import negotiate_locale

    by_locale = {BABEL_LOCALE[lang]: lang for lang in langs}
    wanted = []
    for p in preferred:
        p = p.replace("-", "_")
        # Simplified Chinese is written zh_CN or zh_SG in most environments.
        wanted.append("zh_Hans" if p in ("zh", "zh_CN", "zh_SG") or p.startswith("zh_Hans") else p)
    found = negotiate_locale(wanted, list(by_locale), sep="_")
    return by_locale.get(found or "", SOURCE)


def default_language(cli: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The language to start in: ``--lang`` if given, else negotiated from the environment,
    else Japanese. Raises ValueError for a ``--lang`` that is not a known language."""
    if cli:
        code = normalize(cli)
        if code is None:
            raise ValueError(cli)
        return code
    prefs = _env_preferences(os.environ if env is None else env)
    if not prefs or prefs[0].split("_")[0].lower() == "ja":
        return SOURCE  # the default path: no babel import
    return negotiate(prefs)


# ---------------------------------------------------------------------- numbers


def number(n: int | float) -> str:
    """``n`` formatted for the current language (babel's ``format_decimal``)."""
    if _lang in (SOURCE, EASY):
        return f"{n:,}"
    from babel.numbers import format_decimal

    return str(format_decimal(n, locale=babel_locale()))

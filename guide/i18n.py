"""Translation entry points for user-facing text.

Every user-facing string in Python goes through :func:`_` or :func:`pgettext`; every string that
comes from content goes through :func:`ct` with the content id as its context. Japanese is the
source language, so with no catalog installed the text is shown as written.
"""

from __future__ import annotations

import gettext

_translations: gettext.NullTranslations = gettext.NullTranslations()
_lang = "ja"


def install(translations: gettext.NullTranslations, lang: str) -> None:
    """Make ``translations`` the active catalog for ``lang``."""
    global _translations, _lang
    _translations = translations
    _lang = lang


def current_language() -> str:
    return _lang


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def ct(context: str, text: str) -> str:
    """Content text: ``text`` (Japanese source) translated in the context of its content id."""
    if not text:
        return text
    return _translations.pgettext(context, text)

"""Turning views and content into text: placeholders, plain text, phone drawings, QR codes.

Pure: no Textual. jinja2 is imported only when a text actually has a ``{{ }}`` placeholder, so
the first screen does not pay for it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from guide.i18n import ct


@lru_cache(maxsize=1)
def _env() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


@lru_cache(maxsize=512)
def _template(text: str) -> Any:
    return _env().from_string(text)


def fill(text: str, values: dict[str, Any]) -> str:
    """Put the session's values into ``text`` ("あと{{ tries_left }}回" → "あと3回")."""
    if "{{" not in text:
        return text
    from jinja2 import TemplateError

    try:
        return str(_template(text).render(**values))
    except TemplateError:
        # Content is checked for unknown placeholders; a translation may still be broken.
        # Show the text as written rather than crash.
        return text


def tr(context: str, text: str, values: dict[str, Any] | None = None) -> str:
    """Translate a content string in its context, then fill in values."""
    out = ct(context, text)
    return fill(out, values) if values else out


def screen_label(context: str, text: str) -> str:
    """An on-screen label of the portal or app: always shown exactly as the phone shows it
    (in Japanese), followed by its translation in brackets when one exists."""
    out = ct(context, text)
    return text if out == text else f"{text}（{out}）"

"""Turning views and content into text: placeholders, plain text, phone drawings, QR codes.

Pure: no Textual. jinja2 is imported only when a text actually has a ``{{ }}`` placeholder, so
the first screen does not pay for it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from guide.i18n import ct
from guide.schema import Content


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


def local_values(content: Content, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with each choice fact's ``<fact>_label`` in the current language (the engine
    gives the content's Japanese label)."""
    out = dict(values)
    for fid, fd in content.facts.items():
        value = values.get(fid)
        if fd.type == "choice" and value is not None:
            out[f"{fid}_label"] = tr(f"fact.{fid}.values.{value}", fd.value_label(value))
    return out


def screen_label(context: str, text: str) -> str:
    """An on-screen label of the portal or app: always shown exactly as the phone shows it
    (in Japanese), followed by its translation in brackets when one exists."""
    out = ct(context, text)
    return text if out == text else f"{text}（{out}）"

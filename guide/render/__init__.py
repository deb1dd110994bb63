"""Turning views and content into text: placeholders, plain text, phone drawings, QR codes.

Pure: no Textual. A text whose placeholders are all plain ``{{ name }}`` is filled directly, the
way jinja2 would; jinja2 (a sandbox, ~3 MB per process) is imported only for anything else.
"""

from __future__ import annotations

import re
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


_NAME = re.compile(r"{{\s*([A-Za-z_][A-Za-z0-9_]*)\s*}}")
_LITERALS = frozenset({"true", "false", "none", "True", "False", "None"})  # not names in jinja2


def _fill_names(text: str, values: dict[str, Any]) -> str | None:
    """:func:`fill` without jinja2, for texts whose only template syntax is ``{{ name }}`` with
    a value for every name: what jinja2 gives (``str`` of each value; a single trailing newline
    of the text dropped). None for anything else, which goes to jinja2."""
    rest = _NAME.sub("", text)
    if "{{" in rest or "{%" in rest or "{#" in rest or "\r" in text:
        return None
    if any(name not in values or name in _LITERALS for name in _NAME.findall(text)):
        return None
    body = text[:-1] if text.endswith("\n") else text
    return _NAME.sub(lambda m: str(values[m.group(1)]), body)


def fill(text: str, values: dict[str, Any]) -> str:
    """Put the session's values into ``text`` ("あと{{ tries_left }}回" → "あと3回")."""
    if "{{" not in text:
        return text
    direct = _fill_names(text, values)
    return direct if direct is not None else _fill_jinja(text, values)


def _fill_jinja(text: str, values: dict[str, Any]) -> str:
    from jinja2 import TemplateError

    try:
        return str(_template(text).render(**values))
    except (TemplateError, TypeError, ValueError, ArithmeticError, AttributeError, LookupError):
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

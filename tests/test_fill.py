"""Placeholders filled without jinja2 (guide/render: fill) give exactly what jinja2 gives."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from guide import i18n
from guide.render import _fill_jinja, fill
from guide.schema import Content

NAME = re.compile(r"{{\s*([A-Za-z_][A-Za-z0-9_]*)\s*}}")


def strings(obj: Any) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from strings(getattr(obj, f.name))
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from strings(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from strings(v)


def shipped_texts(content: Content) -> list[str]:
    """Every text with a placeholder: the content (Japanese) and every catalog's translations."""
    texts = {t for t in strings(content) if "{{" in t}
    for lang in i18n.available_languages():
        if lang == i18n.SOURCE:
            continue
        catalog = i18n.read_catalog(i18n.po_path(lang), lang)
        for message in catalog:
            for s in message.string if isinstance(message.string, tuple) else (message.string,):
                if s and "{{" in s:
                    texts.add(s)
    return sorted(texts)


def value_sets(text: str) -> list[dict[str, Any]]:
    names = sorted(set(NAME.findall(text)))
    full: dict[str, Any] = {n: i + 2 for i, n in enumerate(names)}
    sets = [full, {n: f"「{n}」" for n in names}, {n: None for n in names}]
    if names:
        sets.append({n: v for n, v in full.items() if n != names[0]})  # one missing
    return sets


def test_shipped_texts_fill_as_jinja2_does(content: Content) -> None:
    texts = shipped_texts(content)
    assert len(texts) > 20  # the content really has placeholders to check
    for text in texts:
        for values in value_sets(text):
            assert fill(text, values) == _fill_jinja(text, values), (text, values)


@pytest.mark.parametrize(
    "text",
    [
        "あと{{ n }}回",
        "{{n}}と{{  m  }}",
        "最後に改行\n{{ n }}\n",
        "二つの改行{{ n }}\n\n",
        "改行コード{{ n }}\r\n",
        "}} 閉じ括弧だけ {{ n }}",
        "{{ true }} と {{ n }}",
        "{{ none }}",
        "{% if n %}{{ n }}回{% endif %}",
        "{# コメント #}{{ n }}",
        "{{ n + 1 }}",
        "{{ n|default(0) }}",
        "{{ range }}",
        "壊れた {{ n",
    ],
)
def test_edge_cases_fill_as_jinja2_does(text: str) -> None:
    for values in ({"n": 3, "m": "x"}, {"n": "末尾\n", "m": None}, {"m": 1}, {}):
        try:
            expected: Any = _fill_jinja(text, values)
        except Exception as e:  # e.g. "{{ n + 1 }}" with a text value: then fill fails alike
            expected = type(e)
        try:
            got: Any = fill(text, values)
        except Exception as e:
            got = type(e)
        assert got == expected, values


def test_plain_placeholders_do_not_import_jinja2() -> None:
    code = (
        "import sys\n"
        "from guide.render import fill\n"
        "assert fill('あと{{ tries_left }}回', {'tries_left': 3}) == 'あと3回'\n"
        "print('jinja2' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_broken_translation_shows_its_text_instead_of_crashing() -> None:
    from guide.render import fill

    text = "あと{{ tries_left + 'x' }}回"
    assert fill(text, {"tries_left": 3}) == text

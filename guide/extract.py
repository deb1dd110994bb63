"""A babel extractor for the content YAML.

Registered in pyproject.toml as the ``tebiki_content`` extraction method
(``[project.entry-points."babel.extractors"]``) and used from ``babel.cfg``::

    [tebiki_content: content/*.yaml]
    [tebiki_content: content/troubles/*.yaml]

For one YAML file it loads and validates the whole content directory the file belongs to (the
context of a string, e.g. a step's id, is only known from the validated content), then yields
the strings of :func:`guide.content_strings.iter_strings` that come from that file, each as a
``pgettext(context, text)`` call with a translator comment and the line it is on. Files that are
not part of the translatable content (``symptoms/*.yaml``, ``easy-japanese.yaml``) yield nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from guide.content_strings import iter_strings, source_file

Extracted = tuple[int, str, tuple[str, str], list[str]]


@lru_cache(maxsize=4)
def _strings(root: Path) -> dict[str, list[tuple[str, str, str]]]:
    """The content strings of the directory ``root``, grouped by source file."""
    from guide.loader import load

    content, diags = load(root)
    if content is None:
        errors = [str(d) for d in diags if d.severity == "error"]
        print(
            f"tebiki_content: {root} has errors; fix them before extracting "
            f"(`guide --content {root} check`):",
            *errors,
            sep="\n",
            file=sys.stderr,
        )
        raise SystemExit(2)
    by_file: dict[str, list[tuple[str, str, str]]] = {}
    for entry in iter_strings(content):
        by_file.setdefault(source_file(entry[0]), []).append(entry)
    return by_file


def _content_root(path: Path) -> tuple[Path, str]:
    """The content directory holding ``path`` and the file's name relative to it."""
    if path.parent.name == "troubles":
        return path.parent.parent, f"troubles/{path.name}"
    return path.parent, path.name


def _scalar_lines(data: bytes) -> list[tuple[str, int]]:
    """Every string scalar in a YAML document with its 1-based line, in document order."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out: list[tuple[str, int]] = []
    try:
        root = yaml.compose(data, Loader=loader)
    except yaml.YAMLError:
        return out
    stack: list[Any] = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            out.append((str(node.value), node.start_mark.line + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.append(value)
                stack.append(key)
    return out


def extract_content(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """The babel extraction function (see babel's ``extract``): yields
    ``(lineno, "pgettext", (context, text), [comment])``."""
    name = getattr(fileobj, "name", None)
    if not isinstance(name, str):
        return
    root, rel = _content_root(Path(name).resolve())
    entries = _strings(root).get(rel, [])
    if not entries:
        return
    scalars = _scalar_lines(fileobj.read())
    last = 0
    for context, text, comment in entries:
        lines = [line for value, line in scalars if value == text]
        after = [line for line in lines if line >= last]
        lineno = (after or lines or [0])[0]
        last = max(last, lineno)
        yield lineno, "pgettext", (context, text), [comment]

"""やさしい日本語 checks for the ``ja-easy`` catalog (``guide check --lang ja-easy``).

Three warnings, with their limits and word list in ``content/easy-japanese.yaml``:

- J001 a sentence is longer than ``max_sentence_chars``;
- J002 a string has a larger share of kanji than ``max_kanji_share``;
- J003 a string uses a word from ``avoid`` (the message names the plain replacement).

Labels the phone shows, quoted in 「」, are left out: they must match the phone exactly.
J000 (an error) means the rules file itself is broken. Pure Python, no Textual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guide import i18n
from guide.diagnostics import Diagnostic

RULES_FILE = "easy-japanese.yaml"
QUOTED = re.compile(r"「[^「」]*」")
PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}|\{[A-Za-z_][A-Za-z0-9_]*\}")
SENTENCE_END = re.compile(r"(?<=[。！？!?])|\n")


@dataclass(frozen=True)
class Rules:
    max_sentence_chars: int = 40
    max_kanji_share: float = 0.3
    min_chars_for_kanji_share: int = 12
    avoid: tuple[tuple[str, str], ...] = ()


def is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch == "々"


def _letters(text: str) -> list[str]:
    return [ch for ch in text if ch.isalpha()]


def plain(text: str) -> str:
    """``text`` without quoted phone labels; each placeholder becomes one character."""
    return PLACEHOLDER.sub("＊", QUOTED.sub("「」", text))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def kanji_share(text: str) -> float:
    letters = _letters(text)
    return sum(map(is_kanji, letters)) / len(letters) if letters else 0.0


def load_rules(content_dir: str | Path | None = None) -> tuple[Rules | None, list[Diagnostic]]:
    import yaml

    from guide.paths import content_dir as shipped

    path = Path(content_dir) if content_dir else shipped()
    path = path / RULES_FILE

    def broken(message: str) -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic("J000", "error", RULES_FILE, "", message)]

    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        return broken(f"cannot read the やさしい日本語 rules: {e.strerror or e}")
    except yaml.YAMLError as e:
        return broken(f"not valid YAML: {str(e).splitlines()[0]}")
    if not isinstance(data, dict):
        return broken("expected a mapping with max_sentence_chars, max_kanji_share and avoid")
    try:
        avoid = tuple((str(a["word"]), str(a["use"])) for a in data.get("avoid") or ())
        rules = Rules(
            max_sentence_chars=int(data.get("max_sentence_chars", Rules.max_sentence_chars)),
            max_kanji_share=float(data.get("max_kanji_share", Rules.max_kanji_share)),
            min_chars_for_kanji_share=int(
                data.get("min_chars_for_kanji_share", Rules.min_chars_for_kanji_share)
            ),
            avoid=avoid,
        )
    except (KeyError, TypeError, ValueError) as e:
        return broken(f"every avoid entry needs `word` and `use`, limits are numbers ({e})")
    return rules, []


def check_text(text: str, rules: Rules) -> list[tuple[str, str]]:
    """``(code, message)`` for each rule ``text`` breaks (at most one per rule)."""
    out: list[tuple[str, str]] = []
    body = plain(text)
    long = [s for s in sentences(body) if len(s.replace(" ", "")) > rules.max_sentence_chars]
    if long:
        worst = max(long, key=len)
        out.append(
            (
                "J001",
                f"a sentence has {len(worst.replace(' ', ''))} characters (limit "
                f"{rules.max_sentence_chars}); split it: 「{worst[:24]}…」",
            )
        )
    letters = _letters(body)
    if len(letters) >= rules.min_chars_for_kanji_share:
        share = kanji_share(body)
        if share > rules.max_kanji_share:
            out.append(
                (
                    "J002",
                    f"{share:.0%} of the letters are kanji (limit {rules.max_kanji_share:.0%}); "
                    "write some words in hiragana",
                )
            )
    found = [(w, use) for w, use in rules.avoid if w in body]
    if found:
        out.append(("J003", "；".join(f"「{w}」→「{use}」" for w, use in found)))
    return out


def check(content_dir: str | Path | None = None) -> list[Diagnostic]:
    """Warnings for every translated string of the ``ja-easy`` catalog."""
    from guide.catalogs import is_translated, rel_po

    rules, diags = load_rules(content_dir)
    if rules is None:
        return diags
    path = i18n.po_path(i18n.EASY)
    if not path.is_file():
        return diags
    catalog = i18n.read_catalog(path, i18n.EASY)
    file = rel_po(i18n.EASY)
    for m in catalog:
        if not is_translated(m):
            continue
        strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
        msgid = m.id[0] if isinstance(m.id, (tuple, list)) else m.id
        where = m.context or msgid[:30]
        for code, message in check_text(strings[0], rules):
            diags.append(Diagnostic(code, "warning", file, where, message))
    return diags

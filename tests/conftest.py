"""Shared fixtures: the real content, and a tiny valid content tree to break one rule at a time."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from guide.loader import load
from guide.schema import Content

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# The 13 troubleshooting topics the issues name (content may not lose any of them).
TOPICS = (
    "signing-password",
    "password-locked",
    "card-read",
    "certificate-invalid",
    "app-handoff",
    "return-to-browser",
    "portal-login",
    "email-delivery",
    "session-timeout",
    "unsupported-phone",
    "form-input",
    "after-applying",
    "talk-to-someone",
)


def modules_loaded_by(code: str) -> list[str]:
    """Run ``code`` in a fresh interpreter; it prints a list of module names, returned here."""
    import ast
    import os
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return list(ast.literal_eval(out.stdout.strip()))


@pytest.fixture(scope="session")
def content() -> Content:
    loaded, diags = load(ROOT / "content")
    assert loaded is not None, "\n".join(map(str, diags))
    return loaded


def minimal_tree() -> dict[str, Any]:
    """A valid content tree as Python data: file name -> YAML data."""
    steps = [
        {
            "id": f"step-{n}",
            "number": n,
            "title": f"手順{n}",
            "screen": {"messages": [f"画面{n}"], "buttons": [{"label": "OK", "tap": True}]},
            "do": ["「OK」をタップします。"],
            "expect": "次の画面が出ます。",
            "troubles": ["talk-to-someone"],
        }
        for n in range(1, 17)
    ]
    steps[9]["troubles"] = ["signing-password", "talk-to-someone"]
    steps[0]["links"] = ["portal"]
    return {
        "guide.yaml": {
            "meta": {"title": "テスト", "procedure": "申請", "city": "市", "intro": "説明"},
            "prerequisites": [
                {
                    "id": "card",
                    "title": "カード",
                    "text": "t",
                    "check": "c",
                    "if_missing": "m",
                    "trouble": "talk-to-someone",
                }
            ],
        },
        "steps.yaml": {"steps": steps},
        "facts.yaml": {
            "facts": {
                "phone_os": {
                    "label": "スマホ",
                    "type": "choice",
                    "values": {"ios": "iPhone", "android": "Android"},
                },
                "signing_wrong_tries": {"label": "間違えた回数", "type": "count", "max": 5},
                "app_installed": {"label": "アプリ", "type": "flag"},
            }
        },
        "links.yaml": {
            "allowed_hosts": ["example.jp"],
            "links": [
                {
                    "id": "portal",
                    "label": "ポータル",
                    "url": "https://example.jp/p",
                    "verified": True,
                },
            ],
        },
        "offices.yaml": {"offices": [{"id": "counter", "name": "窓口"}]},
        "troubles/talk-to-someone.yaml": {
            "title": "相談",
            "summary": "s",
            "steps": [1],
            "start": "who",
            "nodes": {"who": {"kind": "outcome", "text": "窓口へ", "office": "counter"}},
        },
        "troubles/signing-password.yaml": {
            "title": "パスワード",
            "summary": "s",
            "steps": [10],
            "start": "route",
            "nodes": {
                "route": {
                    "kind": "route",
                    "routes": [
                        {"when": {"signing_wrong_tries": {"at_least": 5}}, "next": "locked"},
                    ],
                    "otherwise": "ask",
                },
                "ask": {
                    "kind": "question",
                    "text": "スマホは？",
                    "options": [
                        {"label": "iPhone", "set": {"phone_os": "ios"}, "next": "ledger"},
                        {
                            "label": "もう1回間違えた",
                            "add": {"signing_wrong_tries": 1},
                            "next": "ledger",
                        },
                    ],
                },
                "ledger": {
                    "kind": "outcome",
                    "text": "あと{{ tries_left }}回",
                    "see": ["talk-to-someone"],
                },
                "locked": {"kind": "outcome", "text": "ロック"},
            },
        },
    }


def write_tree(root: Path, tree: dict[str, Any]) -> Path:
    for name, data in tree.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_text(
                yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
    return root


@pytest.fixture
def make_content(tmp_path: Path):
    """``make_content(mutate)``: write the minimal tree after ``mutate(tree)`` changed it."""

    def make(mutate=None) -> Path:
        tree = copy.deepcopy(minimal_tree())
        if mutate is not None:
            mutate(tree)
        return write_tree(tmp_path / "content", tree)

    return make


@pytest.fixture(scope="session")
def mini_content(tmp_path_factory) -> Content:
    """The minimal tree, loaded once (for property tests, which re-run a test many times)."""
    from guide.loader import load_or_raise

    root = write_tree(tmp_path_factory.mktemp("mini") / "content", minimal_tree())
    return load_or_raise(root)


@pytest.fixture(autouse=True)
def _patient_digit_jumps(monkeypatch) -> None:
    """Pilot presses can be slow on a busy CI machine; "1" then "2" must still mean step 12."""
    from guide.tui.app import TebikiApp

    monkeypatch.setattr(TebikiApp, "jump_window", 30.0)


@pytest.fixture(autouse=True)
def _no_locale_from_the_environment(monkeypatch) -> None:
    """`guide` negotiates its language from LANGUAGE/LC_ALL/LC_MESSAGES/LANG; tests expect
    Japanese unless they ask for another language, whatever the developer's locale is."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def japanese():
    """Run a test in Japanese (titles and advice read as written) whatever ran before."""
    from guide import i18n

    before = i18n.current_language()
    i18n.set_language("ja")
    yield
    i18n.set_language(before)


@pytest.fixture
def fresh_japanese(tmp_path_factory, monkeypatch):
    """Start and end in Japanese with no catalog installed, compiling into a private cache."""
    import gettext

    from guide import i18n

    monkeypatch.setenv("TEBIKI_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "i18n-cache"))
    i18n.install(gettext.NullTranslations(), i18n.SOURCE)
    yield
    i18n.install(gettext.NullTranslations(), i18n.SOURCE)

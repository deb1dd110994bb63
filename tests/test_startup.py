"""What the app's start does without: the shortcuts keep giving what the full machinery gives.

No timings here (benchmarks/run.py prints those); these check that the start path stays free of
the heavy imports, and that each shortcut agrees with what it replaces.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guide import i18n
from tests.conftest import ROOT


def test_the_start_path_imports_no_yaml_babel_jinja2_or_loader(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from guide import cli\n"
        "content = cli.load_content_or_exit(None)\n"
        "from guide.tui.app import create_app\n"
        "app = create_app(content)\n"
        "heavy = ('yaml', 'babel', 'jinja2', 'guide.loader', 'hashlib', 'json', 'qrcode')\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TEBIKI_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("LANGUAGE", None)
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8")  # Japanese, the default path
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "guide.loader" in first.stdout  # no cache yet: a full load (and it fills the cache)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == ""


@pytest.mark.parametrize("lang", [lang for lang in i18n.available_languages() if lang != "ja"])
def test_the_draft_mark_read_from_the_po_file_is_the_catalogs(lang: str) -> None:
    assert i18n.draft_mark(lang) == i18n.translations(lang).gettext(i18n.DRAFT)


def test_language_names_in_the_table_are_babels() -> None:
    babel = pytest.importorskip("babel")
    for lang, name in i18n.ENDONYMS.items():
        if lang in (i18n.SOURCE, i18n.EASY):
            continue
        locale = babel.Locale.parse(i18n.BABEL_LOCALE[lang])
        shown = locale.get_display_name(locale)
        assert name == shown[:1].upper() + shown[1:], lang


PO = """msgid ""
msgstr ""
"Language: en\\n"

msgctxt "step.x"
msgid "a"
msgstr "with a context"

#, fuzzy
msgid "b"
msgstr "fuzzy"

#. a comment
#: guide/i18n.py:1
msgid "a"
msgstr ""
"one \\"two\\"\\n"
"three"

msgid "c"
msgid_plural "cs"
msgstr[0] "plural"

msgid "d"
msgstr ""
"""


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("a", 'one "two"\nthree'),  # the entry without a context, continued lines unescaped
        ("b", ""),  # fuzzy: left out of the compiled catalog
        ("c", None),  # a plural entry: not read here
        ("d", ""),  # untranslated
        ("zz", None),  # not there
    ],
)
def test_po_message(msgid: str, expected: str | None) -> None:
    assert i18n.po_message(PO, msgid) == expected

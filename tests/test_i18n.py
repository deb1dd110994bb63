"""Catalogs, extraction, language choice and formatting (guide.i18n, guide.catalogs,
guide.extract, guide.content_strings, guide.easy_japanese)."""

from __future__ import annotations

import gettext
import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from guide import catalogs, easy_japanese, i18n
from guide.cli import main
from guide.content_strings import iter_strings, placeholders, source_file
from guide.schema import Content

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
CATALOG_LANGS = [lang for lang in i18n.available_languages(LOCALES) if lang != i18n.SOURCE]


# Each test starts and ends in Japanese, compiling catalogs into a private cache.
pytestmark = pytest.mark.usefixtures("fresh_japanese")


def _extract(method_map: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, list[str]]]:
    """Run babel's extraction with the mapping of babel.cfg; (context, msgid) → (line, comments)."""
    out: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for _file, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, {}, comment_tags=("TRANSLATORS:",)
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        out[(context or "", msgid)] = (lineno, comments)
    return out


def _mapping() -> tuple[list[tuple[str, str]], dict]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        return parse_mapping_cfg(f)


# ---------------------------------------------------------------------- content strings


def test_iter_strings_contexts_are_unique_and_name_their_file(content: Content) -> None:
    entries = list(iter_strings(content))
    contexts = [c for c, _t, _m in entries]
    assert len(contexts) == len(set(contexts))
    for context, text, comment in entries:
        assert text, context
        assert comment.startswith(source_file(context) + ": "), (context, comment)
        if placeholders(text):
            assert "{{ name }}" in comment, context


def test_the_extractor_yields_every_content_string_with_its_context(content: Content) -> None:
    method_map, _options = _mapping()
    content_map = [(pattern, method) for pattern, method in method_map if method != "python"]
    assert content_map, "babel.cfg has no content mapping"
    extracted = _extract(content_map)
    expected = {(c, t): m for c, t, m in iter_strings(content)}
    assert set(extracted) == set(expected)
    for key, (lineno, comments) in extracted.items():
        assert comments == [expected[key]], key
        assert lineno > 0, key


def test_the_committed_template_is_current() -> None:
    """locales/guide.pot holds exactly what extraction finds now (content and Python)."""
    method_map, _options = _mapping()
    fresh = set(_extract(method_map))
    with (LOCALES / "guide.pot").open("rb") as f:
        pot = {catalogs._key(m) for m in read_po(f) if m.id}
    assert fresh - pot == set(), "run `python -m guide.catalogs extract` (new strings)"
    assert pot - fresh == set(), "run `python -m guide.catalogs extract` (stale strings)"


def test_pybabel_extract_finds_the_registered_extractor(tmp_path: Path) -> None:
    out = tmp_path / "guide.pot"
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            str(out),
            ".",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with out.open("rb") as f:
        contexts = {m.context for m in read_po(f) if m.id}
    assert "step.open-procedure.title" in contexts
    assert "trouble.card-read.nodes.ask-phone.text" in contexts


def test_no_translation_call_hides_inside_an_f_string() -> None:
    """babel's Python extractor can't see _() inside an f-string (Python 3.11 tokenizes the
    whole f-string as one token), so such a string would silently never be translated."""
    call = re.compile(r"\{\s*(_|ngettext|pgettext|N_)\(\s*['\"]")
    offenders = []
    for path in sorted((ROOT / "guide").rglob("*.py")):
        with path.open("rb") as f:
            for tok in tokenize.tokenize(f.readline):
                is_f = tok.type == tokenize.STRING and re.match(r"[rbuRBU]*[fF]", tok.string)
                if is_f and call.search(tok.string):
                    offenders.append(f"{path.relative_to(ROOT)}:{tok.start[0]}")
    assert offenders == []


# ---------------------------------------------------------------------- catalogs


@pytest.mark.parametrize("lang", CATALOG_LANGS)
def test_catalog_compiles_and_loads(lang: str) -> None:
    catalog = i18n.read_catalog(i18n.po_path(lang, LOCALES), lang)
    mo = i18n.compile_catalog(catalog)
    translations = gettext.GNUTranslations(io.BytesIO(mo))
    assert translations.info()["language"]
    assert isinstance(i18n.translations(lang, LOCALES), gettext.GNUTranslations)


@pytest.mark.parametrize("lang", CATALOG_LANGS)
def test_every_placeholder_in_a_translation_matches_its_source(lang: str) -> None:
    errors = [str(d) for d in catalogs.check(lang, LOCALES) if d.severity == "error"]
    assert errors == []


def test_the_placeholder_check_catches_a_broken_translation(tmp_path: Path) -> None:
    catalog = i18n.read_catalog(i18n.po_path("en", LOCALES), "en")
    bad = next(m for m in catalog if m.context and "{{" in m.id)
    bad.string = bad.string.replace("{{", "{{ oops }} {{", 1)
    brace = next(m for m in catalog if not m.context and "{n}" in str(m.id))
    brace.string = (
        tuple(s.replace("{n}", "{m}") for s in brace.string)
        if isinstance(brace.string, tuple)
        else brace.string.replace("{n}", "{m}")
    )
    catalogs.write_catalog(catalog, i18n.po_path("en", tmp_path), "draft")
    codes = {(d.code, d.path) for d in catalogs.check("en", tmp_path)}
    assert ("T001", bad.context) in codes
    assert any(code == "T002" for code, _p in codes)


def test_a_screen_label_gloss_that_repeats_the_label_is_flagged(tmp_path: Path) -> None:
    catalog = i18n.read_catalog(i18n.po_path("en", LOCALES), "en")
    labels = [m for m in catalog if m.context and ".screen." in m.context and not m.id.isascii()]
    repeated, same = labels[0], labels[1]
    repeated.string = f"{repeated.id} (gloss)"
    same.string = same.id  # no gloss needed: the app shows the label once
    catalogs.write_catalog(catalog, i18n.po_path("en", tmp_path), "draft")
    flagged = {d.path for d in catalogs.check("en", tmp_path) if d.code == "T003"}
    assert flagged == {repeated.context}


@pytest.mark.parametrize("lang", CATALOG_LANGS)
def test_every_catalog_says_whether_it_was_reviewed(lang: str) -> None:
    head = i18n.po_path(lang, LOCALES).read_text(encoding="utf-8")[:4000]
    assert re.search(r'^"X-Tebiki-Status: (draft|reviewed)\\n"$', head, re.MULTILINE), (
        f"{lang}: the header lost X-Tebiki-Status (use `python -m guide.catalogs update`)"
    )


def test_english_is_complete_and_a_draft(content: Content) -> None:
    report = catalogs.completeness(content, "en", LOCALES)
    assert report.missing == []
    assert (report.done, report.percent) == (report.total, 100)
    assert report.ui_total > 100 and report.content_total == len(list(iter_strings(content)))
    assert i18n.is_draft("en", LOCALES)


def test_completeness_counts_what_a_catalog_lacks(content: Content, tmp_path: Path) -> None:
    catalog = i18n.read_catalog(i18n.po_path("en", LOCALES), "en")
    dropped = [m for m in catalog if m.context and m.context.startswith("step.done.")]
    for m in dropped:
        m.string = ""
    fuzzy = next(m for m in catalog if m.context == "meta.title")
    fuzzy.flags.add("fuzzy")
    write_target = i18n.po_path("en", tmp_path)
    catalogs.write_catalog(catalog, write_target, "draft")
    (tmp_path / "guide.pot").write_bytes((LOCALES / "guide.pot").read_bytes())
    report = catalogs.completeness(content, "en", tmp_path)
    assert set(report.missing) == {(m.context, m.id) for m in [*dropped, fuzzy]}
    assert report.done == report.total - len(dropped) - 1
    assert str(report).startswith(f"en: {report.done}/{report.total} (")


def test_guide_check_reports_every_language(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check"])
    out = capsys.readouterr().out
    for lang in CATALOG_LANGS:
        assert re.search(rf"^  {re.escape(lang)}: \d+/\d+ \(\d+%\)", out, re.MULTILINE), lang
    assert re.search(r"^  en: (\d+)/\1 \(100%\)", out, re.MULTILINE)


def test_guide_check_for_one_language(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--lang", "en"])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if re.match(r"  \S+: \d+/\d+", line)]
    assert len(lines) == 1 and lines[0].startswith("  en: ")


def test_an_unknown_language_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--lang", "xx", "print"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "xx" in err and "Traceback" not in err


# ---------------------------------------------------------------------- runtime


def test_untranslated_strings_fall_back_to_japanese_and_are_recorded(tmp_path: Path) -> None:
    catalog = i18n.read_catalog(i18n.po_path("en", LOCALES), "en")
    gone = next(m for m in catalog if m.context == "step.done.title")
    gone.string = ""
    catalogs.write_catalog(catalog, i18n.po_path("en", tmp_path), "draft")
    i18n.install(i18n.translations("en", tmp_path), "en")
    with i18n.track_missing() as missing:
        assert i18n.ct("step.done.title", gone.id) == gone.id
        title = "手続きのページを開く"
        assert i18n.ct("step.open-procedure.title", title) != title
    assert missing == {("step.done.title", gone.id)}


def test_the_compiled_catalog_is_cached_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("TEBIKI_CACHE_DIR", str(cache))
    root = tmp_path / "locales"
    po = i18n.po_path("en", root)
    po.parent.mkdir(parents=True)
    po.write_bytes(i18n.po_path("en", LOCALES).read_bytes())
    first = i18n.translations("en", root)
    assert first.gettext("はい") == "Yes"
    assert len(list(cache.glob("en-*.mo"))) == 1
    catalog = i18n.read_catalog(po, "en")
    next(m for m in catalog if m.id == "はい").string = "Yes!"
    catalogs.write_catalog(catalog, po, "draft")
    assert i18n.translations("en", root).gettext("はい") == "Yes!"
    assert len(list(cache.glob("en-*.mo"))) == 2  # a new .po is compiled, never a stale one


def test_an_unwritable_cache_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("TEBIKI_CACHE_DIR", str(blocker / "cache"))
    root = tmp_path / "locales"
    po = i18n.po_path("en", root)
    po.parent.mkdir(parents=True)
    po.write_bytes(i18n.po_path("en", LOCALES).read_bytes())
    assert i18n.translations("en", root).gettext("いいえ") == "No"


def test_plural_forms_follow_the_language() -> None:
    i18n.set_language("en")
    one = i18n.ngettext("（ロックまであと{n}回）", "（ロックまであと{n}回）", 1).format(n=1)
    two = i18n.ngettext("（ロックまであと{n}回）", "（ロックまであと{n}回）", 2).format(n=2)
    assert "1 try left" in one and "2 tries left" in two
    assert i18n.ngettext("{n}回", "{n}回", 1).format(n=1) == "1 time"
    i18n.set_language("ja")
    assert i18n.ngettext("{n}回", "{n}回", 2).format(n=2) == "2回"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ja", "12,345"), ("en", "12,345"), ("vi", "12.345"), ("ko", "12,345")],
)
def test_numbers_are_formatted_for_the_language(lang: str, expected: str) -> None:
    i18n.install(gettext.NullTranslations(), lang)
    assert i18n.number(12345) == expected
    assert i18n.number(3) == "3"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "ja"),
        ({"LANG": "C.UTF-8"}, "ja"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANGUAGE": "fr:en_GB", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-Hans"),
        ({"LANG": "vi_VN.UTF-8"}, "vi"),
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "de_DE.UTF-8"}, "ja"),
        ({"LANGUAGE": "ja_easy:ja-easy"}, "ja"),  # やさしい日本語 only by explicit choice
    ],
)
def test_the_default_language_is_negotiated_from_the_environment(
    env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n, "available_languages", lambda root=None: list(i18n.LANGUAGES))
    assert i18n.default_language(env=env) == expected


def test_lang_on_the_command_line_wins_and_accepts_any_spelling() -> None:
    env = {"LANG": "en_US.UTF-8"}
    assert i18n.default_language("ja-easy", env=env) == "ja-easy"
    assert i18n.default_language("ZH_hans", env=env) == "zh-Hans"
    with pytest.raises(ValueError):
        i18n.default_language("klingon", env=env)


def test_language_names_are_in_their_own_language() -> None:
    assert i18n.language_name("ja") == "日本語"
    assert i18n.language_name("ja-easy") == "やさしい にほんご"
    assert i18n.language_name("en") == "English"
    assert i18n.language_name("vi") == "Tiếng Việt"
    assert i18n.language_name("ko") == "한국어"
    assert i18n.language_name("zh-Hans").startswith("中文")


def test_the_japanese_path_does_not_import_babel() -> None:
    code = (
        "import sys\n"
        "from guide import i18n\n"
        "lang = i18n.default_language(env={'LANG': 'ja_JP.UTF-8'})\n"
        "i18n.set_language(lang)\n"
        "i18n._('はい'); i18n.ct('meta.title', 'x'); i18n.number(1234)\n"
        "from guide.render import plain\n"
        "print(lang, 'babel' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert out.stdout.split() == ["ja", "False"], out.stderr


def test_guide_print_in_english_glosses_every_screen_label(
    content: Content, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["print", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    i18n.set_language("en")
    for step in content.steps:
        scr = step.screen
        labels = (
            ([("heading", scr.heading)] if scr.heading else [])
            + [(f"messages[{i}]", m) for i, m in enumerate(scr.messages)]
            + [(f"fields[{i}]", f.label) for i, f in enumerate(scr.fields)]
            + [(f"buttons[{i}]", b.label) for i, b in enumerate(scr.buttons)]
        )
        for where, label in labels:
            gloss = i18n.ct(f"step.{step.id}.screen.{where}", label)
            assert gloss.isascii() or gloss == label, (step.id, where, gloss)
            assert (f"{label}（{gloss}）" if gloss != label else label) in out, (step.id, where)
    assert "Step 11: " in out


# ---------------------------------------------------------------------- やさしい日本語


def _rules() -> easy_japanese.Rules:
    rules, diags = easy_japanese.load_rules(ROOT / "content")
    assert rules is not None, diags
    return rules


def test_the_easy_japanese_rules_load_from_content() -> None:
    rules = _rules()
    assert rules.max_sentence_chars > 0 and 0 < rules.max_kanji_share < 1
    assert ("確認", "たしかめる・見る") in rules.avoid


def test_easy_japanese_warns_about_long_sentences_kanji_and_hard_words() -> None:
    rules = _rules()
    assert easy_japanese.check_text("カードを　スマホに　あてます。", rules) == []
    long = "これは" + "とても" * 20 + "ながい ぶんです。"
    assert [c for c, _m in easy_japanese.check_text(long, rules)] == ["J001"]
    assert [c for c, _m in easy_japanese.check_text("東京都内電車乗換駅前広場集合。", rules)] == [
        "J002"
    ]
    codes = easy_japanese.check_text("じぶんで かくにんして、入力します。", rules)
    assert [c for c, _m in codes] == ["J003"]
    assert "「入力」→「書く・入れる」" in codes[0][1]


def test_easy_japanese_leaves_quoted_phone_labels_alone() -> None:
    rules = _rules()
    text = (
        "「電子署名が必要な手続きです。【マイナンバーカード】をご用意ください。」と でたら、"
        "OKを おします。"
    )
    assert easy_japanese.check_text(text, rules) == []


def test_a_broken_rules_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "easy-japanese.yaml").write_text("avoid: [{word: 確認}]\n", encoding="utf-8")
    rules, diags = easy_japanese.load_rules(tmp_path)
    assert rules is None
    assert [d.code for d in diags] == ["J000"]


def test_guide_check_for_easy_japanese_runs_the_checks(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: Content,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With a tiny ja-easy catalog: one string breaks each rule, and `guide check --lang
    ja-easy` lists the three warnings (with the real catalog they are advice for writers)."""
    root = tmp_path / "locales"
    catalog = read_po((LOCALES / "guide.pot").open("rb"), locale="ja")
    samples = {
        "meta.intro": "これは" + "とても" * 20 + "ながい ぶんです。",
        "meta.title": "東京都内電車乗換駅前広場集合。",
        "step.open-procedure.title": "ページを　確認します。",
    }
    for m in catalog:
        if m.context in samples:
            m.string = samples[m.context]
    path = i18n.po_path("ja-easy", root)
    path.parent.mkdir(parents=True)
    with path.open("wb") as f:
        write_po(f, catalog)
    (root / "guide.pot").write_bytes((LOCALES / "guide.pot").read_bytes())
    monkeypatch.setattr(i18n, "locales_dir", lambda: root)
    main(["check", "--lang", "ja-easy"])
    out = capsys.readouterr().out
    assert "warning J001 locales/ja-easy/LC_MESSAGES/guide.po: meta.intro:" in out
    assert "warning J002 locales/ja-easy/LC_MESSAGES/guide.po: meta.title:" in out
    assert "warning J003 locales/ja-easy/LC_MESSAGES/guide.po: step.open-procedure.title:" in out
    assert re.search(r"^  ja-easy: 3/\d+ \(0%\)", out, re.MULTILINE)


# ---------------------------------------------------------------------- catalog commands


def test_catalog_update_keeps_translations_and_the_status_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "babel.cfg").write_text("", encoding="utf-8")
    root = tmp_path / "locales"
    root.mkdir()
    (root / "guide.pot").write_bytes((LOCALES / "guide.pot").read_bytes())
    monkeypatch.chdir(tmp_path)
    assert catalogs.main(["init", "ko"]) == 0
    po = i18n.po_path("ko", root)
    assert i18n.catalog_status("ko", root) == "draft"
    catalog = i18n.read_catalog(po, "ko")
    next(m for m in catalog if m.id == "はい").string = "예"
    catalogs.write_catalog(catalog, po, "reviewed")
    assert catalogs.main(["update", "ko"]) == 0
    assert i18n.catalog_status("ko", root) == "reviewed"
    assert not i18n.is_draft("ko", root)
    assert i18n.read_catalog(po, "ko").get("はい").string == "예"
    assert catalogs.main(["compile", "ko"]) == 0
    assert po.with_suffix(".mo").is_file()


def test_a_broken_catalog_shows_japanese_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = i18n.po_path("en", tmp_path)
    po.parent.mkdir(parents=True)
    po.write_bytes(b'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=x; plural=(((;\\n"\n')
    translations = i18n.translations("en", tmp_path)
    assert translations.gettext("はい") == "はい"
    err = capsys.readouterr().err
    assert "showing Japanese" in err and "Traceback" not in err

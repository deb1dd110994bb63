"""Everyday words → troubleshooting entry points (the 困ったこと box and ``guide ask``).

Pure: no Textual, no I/O at query time, no model, no network. Deterministic.

How a query is matched
----------------------
1. **Normalise** (:func:`normalise`) the query exactly as the content's phrases were normalised
   at load time (Japanese here; other languages under "Languages" below): NFKC (full-width →
   half-width ASCII, half-width katakana → full-width), lower case, katakana → hiragana,
   small kana → big kana (っ→つ, ゃ→や: so 「ロツク」 typed for 「ロック」 still matches), the
   long-vowel mark → the vowel it lengthens (「メール」, 「めーる」 and 「めえる」 all become
   ``めえる``; a hyphen or wave dash after kana counts as one), and every space, punctuation
   mark and symbol dropped.
2. **Synonyms** (:meth:`Matcher.canonical`): every written form in a synonym group of the content
   file is replaced by the group's first form, longest match first, left to right (「読めない」,
   「よみとれない」 and 「読み込めない」 all contain the same ``読み取り``). This is what makes
   hiragana-only and kanji queries meet.
3. **Score** each entry point (a topic, or a node inside it) with two signals:

   - *keywords*: short canonical strings; each distinct keyword found as a substring adds its
     weight (weights may be negative to steer away: 「ポータル」 lowers the signing password);
   - *phrases*: whole everyday sentences, compared by **character bigrams** weighted by inverse
     document frequency (a bigram shared by many topics, like ``ない``, counts little). A
     phrase contributes ``weight × coverage²`` where coverage is the idf-weighted share of its
     bigrams that occur in the query, once coverage reaches :data:`MIN_COVERAGE`.

   A topic's score is its own score plus half (:data:`INNER_SHARE`) its best inner entry's
   score (the inner entry also chooses the node the tree opens at), times the **step
   weight**: the topics a step lists under ``troubles`` (most likely first) get up to
   +:data:`STEP_LIST_BONUS`, topics whose ``steps`` include the step get +:data:`STEP_BONUS`,
   a neighbouring step +:data:`NEAR_BONUS`, and the content file can multiply further per step.
   A topic offered at every step (talk-to-someone) gets no step weight: it says nothing about
   the step.
4. Candidates are ranked by score; the result says whether the best is **weak** (below
   :data:`WEAK_SCORE`) or the first two are **close** (the second at least
   :data:`CLOSE_RATIO` of the first), so the UI can ask rather than assume.

Languages
---------
Each language has its own word list, ``symptoms/<lang>.yaml``, read and matched in that
language's :class:`Script` (:data:`SCRIPTS`); a language without a list (ja-easy, by design:
やさしい日本語 is Japanese, and ja.yaml's synonyms carry the hiragana spellings) uses ja.yaml
(:func:`words_language`).

- Japanese, Chinese, Korean: as above. Chinese also folds traditional and Japanese character
  forms to simplified ones (讀/読 → 读), so 電子証明書 copied from the phone's screen meets
  电子证明书. Korean Hangul typed as separate jamo is composed by NFKC; spacing, which residents
  often drop, is ignored like every space.
- English, Vietnamese (spaced scripts): NFKC, case folded, apostrophes inside words dropped
  (don't = dont), Latin diacritics folded away on both sides (NFD, combining marks U+0300-036F
  removed, đ → d: 「thẻ không đọc được」 = "the khong doc duoc"; the kana voicing marks are not
  touched), one space kept between words. Keywords and synonyms match only where a word starts
  (Japanese typed into the query still matches as substrings); English forms whose last word has
  four or more letters also match the words they begin (stems: "expir" → expired), shorter ones
  and every Vietnamese syllable only whole words ("au" is not "august"). Phrases are compared by
  each word's padded character trigrams plus neighbouring word pairs instead of bigrams:
  Latin-letter bigrams say too little, and trigrams still share most of an inflected or
  mistyped word.

Why bigrams and a synonym dictionary rather than a word segmenter
----------------------------------------------------------------
Japanese has no spaces; a morphological analyser (MeCab, Sudachi) would bring a dictionary of
tens of megabytes into a guide that must start fast in a browser tab, and still would not know
that 「ピッてならない」 is about the card. Residents' words are short, colloquial, dialectal and
often mistyped. Character bigrams need no segmentation and tolerate inflection (「読めない」
「読めへん」「読めません」 share ``読め``); a small, city-editable synonym dictionary bridges
scripts (kanji / hiragana / katakana / English) and vocabulary (「ケース」「カバー」). Everything
is precomputed at load time into dictionaries keyed by string, so a query costs a few hundred
dictionary look-ups: tens of microseconds.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guide.loader import Diagnostic, _read_yaml, _Reader
from guide.schema import STEP_COUNT, Content

DEFAULT_LANG = "ja"
SYMPTOMS_DIR = "symptoms"

MIN_COVERAGE = 0.5  # share of a phrase's (idf-weighted) bigrams the query must contain
PHRASE_SCALE = 4.0  # a fully matched phrase of weight 1 counts like a keyword of weight 4
INNER_SHARE = 0.5  # an inner entry's score chooses the node and counts half toward its topic
STEP_LIST_BONUS = 0.6  # the first trouble a step lists gets ×1.6, the last of n gets ×(1+0.6/n)
STEP_BONUS = 0.3  # topic lists the step in its `steps`
NEAR_BONUS = 0.1  # topic lists a neighbouring step
WEAK_SCORE = 2.0  # below this the best candidate is only a guess
CLOSE_RATIO = 0.8  # second ≥ 80% of the first: the two are close

# --------------------------------------------------------------------------- normalising

_KANA = {i: i - 0x60 for i in range(0x30A1, 0x30F7)}  # katakana ァ..ヶ → hiragana ぁ..ゖ
_KANA.update({0x30FD: 0x309D, 0x30FE: 0x309E})  # ヽヾ → ゝゞ
_SMALL = dict(
    zip(map(ord, "ぁぃぅぇぉっゃゅょゎゕゖ"), map(ord, "あいうえおつやゆよわかけ"), strict=True)
)
_VOWEL_ROWS = {
    "あ": "あかさたなはまやらわがざだばぱ",
    "い": "いきしちにひみりぎじぢびぴ",
    "う": "うくすつぬふむゆるぐずづぶぷゔ",
    "え": "えけせてねへめれげぜでべぺ",
    "お": "おこそとのほもよろをごぞどぼぽ",
}
_VOWEL = {ch: v for v, row in _VOWEL_ROWS.items() for ch in row}
_LONG_MARKS = "ー〜~\\-‐−—―"
_LONG_RE = re.compile(f"([ぁ-ゖ])[{_LONG_MARKS}]+")
_DROP_RE = re.compile(r"[\W_ー]+")
_APOSTROPHE_RE = re.compile(r"(?<=\w)['’‘`´](?=\w)")  # don't → dont, can’t → cant
_MARKS_RE = re.compile("[\u0300-\u036f]")  # Latin combining marks (not the kana voicing marks)

# Traditional and Japanese forms → simplified, for the characters residents' words about this
# procedure use (so 讀不到卡, 読み取り and 读不了 share 读; 電子証明書 reaches 电子证明书).
_ZH_PAIRS = (
    "讀读 読读 證证 証证 碼码 書书 電电 郵邮 錯错 鎖锁 認认 設设 機机 號号 請请 應应 "
    "開开 過过 時时 間间 無无 帳帐 簽签 網网 頁页 動动 錄录 録录 輸输 驗验 験验 發发 "
    "効效 變变 変变 換换 門门 話话 關关 對对 鍵键 顯显 顕显 確确 單单 續续 続续 試试 "
    "識识 寫写 舊旧 損损 壞坏 圖图 導导 總总 後后 沒没 記记 憶忆 禮礼 積积 兌兑 領领 "
    "務务 處处 辦办 詢询 問问 諮咨 談谈 線线 臉脸 區区 櫃柜 們们 這这 個个 麼么 為为 "
    "點点 擊击 從从 來来 還还 選选 擇择 傳传 進进 專专 業业 現现 實实 実实 際际 連连 "
    "絡络 護护 幫帮 難难 題题 該该 數数 種种 類类 體体 費费 額额 當当 屆届 滿满 於于 "
    "夠够 轉转 剛刚 兩两 貼贴 讓让 給给 東东 車车 長长 見见 說说 紙纸"
)
_ZH_FOLD = {ord(pair[0]): ord(pair[1]) for pair in _ZH_PAIRS.split()}


@dataclass(frozen=True)
class Script:
    """How a language is written, which decides how its text is normalised and compared.

    Unspaced scripts (Japanese, Chinese, Korean: words run together or are spaced loosely) drop
    every space and compare substrings and character bigrams. Spaced scripts (English,
    Vietnamese) keep one space between words, match keywords and synonyms only where a word
    starts, and compare phrases by the words' character trigrams and word pairs."""

    spaced: bool = False
    stems: bool = False  # (spaced) a form whose last word has 4+ letters also matches longer
    #                      words it starts (English "expir" → expired, expiry); else whole words
    fold_marks: bool = False  # drop Latin diacritics: ế → e, đ → d (typed with or without)
    chars: Any = None  # a str.translate table applied after NFKC (Chinese character forms)


_CJK = Script()
SCRIPTS: dict[str, Script] = {
    "ja": _CJK,
    "ja-easy": _CJK,
    "zh-Hans": Script(chars=_ZH_FOLD),
    "ko": _CJK,  # Hangul syllables; NFKC composes decomposed jamo into syllables
    "en": Script(spaced=True, stems=True, fold_marks=True),
    "vi": Script(spaced=True, fold_marks=True),  # syllables don't inflect: whole syllables only
}


def script_for(lang: str) -> Script:
    """The script of ``lang``; a language not listed is treated like Japanese."""
    return SCRIPTS.get(lang, _CJK)


def _lengthen(m: re.Match[str]) -> str:
    kana = m.group(1)
    return kana + _VOWEL.get(kana, "")


def _fold_marks(text: str) -> str:
    if text.isascii():
        return text
    text = _MARKS_RE.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", text).replace("đ", "d")


def normalise(text: str, lang: str = DEFAULT_LANG) -> str:
    """The form queries and phrases are compared in (see the module docstring, step 1)."""
    script = script_for(lang)
    text = unicodedata.normalize("NFKC", text).casefold()
    if script.chars is not None:
        text = text.translate(script.chars)
    text = text.translate(_KANA).translate(_SMALL)
    text = _LONG_RE.sub(_lengthen, text)
    if script.fold_marks:
        text = _fold_marks(text)
    if script.spaced:
        return _DROP_RE.sub(" ", _APOSTROPHE_RE.sub("", text)).strip()
    return _DROP_RE.sub("", text)


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _starts_word(s: str, i: int) -> bool:
    """In spaced text: can a form start at ``s[i]``? At a word's first letter, and anywhere in
    a run of other scripts (Japanese words typed into an English query are still substrings)."""
    return i == 0 or not (_is_word_char(s[i - 1]) and _is_word_char(s[i]))


def _ends_word(s: str, j: int) -> bool:
    return j >= len(s) or not (_is_word_char(s[j - 1]) and _is_word_char(s[j]))


def _whole_word(form: str, script: Script) -> bool:
    """Must ``form`` (normalised) end where a word ends? Always, unless the script matches
    stems and the form's last word has four or more letters (\"pin\" is not \"pink\")."""
    if not script.spaced:
        return False
    if not script.stems:
        return True
    n = 0
    for ch in reversed(form):
        if not _is_word_char(ch):
            break
        n += 1
    return n < 4


# --------------------------------------------------------------------------- privacy

_EMAIL_RE = re.compile(r"[\w.+\-]+(?=@)")
_DIGITS_RE = re.compile(r"\d(?:[\s\-‐－]?\d){3,}")
_ALNUM = "A-Za-z0-9Ａ-Ｚａ-ｚ０-９"
_SECRET_RE = re.compile(
    rf"(?<![{_ALNUM}])(?=[{_ALNUM}]*[0-9０-９])(?=[{_ALNUM}]*[A-Za-zＡ-Ｚａ-ｚ])[{_ALNUM}]{{6,16}}"
    rf"(?![{_ALNUM}])"
)
_DEVICE_RE = re.compile(
    r"^(iphone|ipad|pixel|galaxy|xperia|aquos|arrows|android|ios)", re.IGNORECASE
)


def redact(text: str) -> tuple[str, bool]:
    """Mask what looks like an e-mail address, a phone number or PIN (4+ digits) or a password
    (6-16 letters mixed with digits) before text is shown again. Returns (text, masked?)."""
    found = False

    def mask(m: re.Match[str]) -> str:
        nonlocal found
        if _DEVICE_RE.match(m.group(0)):
            return m.group(0)
        found = True
        return "●" * min(len(m.group(0)), 8)

    text = _EMAIL_RE.sub(mask, text)
    text = _DIGITS_RE.sub(mask, text)
    text = _SECRET_RE.sub(mask, text)
    return text, found


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Candidate:
    topic: str
    node: str  # entry node id; may be a route node (engine.enter_trouble resolves it)
    score: float


@dataclass(frozen=True)
class MatchResult:
    query: str
    step: int | None
    candidates: tuple[Candidate, ...]
    weak: bool  # no candidate, or the best scores below WEAK_SCORE
    close: bool  # the first two are within CLOSE_RATIO of each other

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def unsure(self) -> bool:
        return self.weak or self.close


# --------------------------------------------------------------------------- the spec


@dataclass
class _Entry:
    topic: str
    node: str | None  # None: the topic-level entry (its default node)
    keywords: list[tuple[str, float]] = field(default_factory=list)
    phrases: list[tuple[str, float]] = field(default_factory=list)
    steps: dict[int, float] = field(default_factory=dict)


@dataclass
class _Spec:
    lang: str = DEFAULT_LANG  # the language the words are in (decides the normalising)
    synonyms: list[list[str]] = field(default_factory=list)
    entries: list[_Entry] = field(default_factory=list)
    default_node: dict[str, str] = field(default_factory=dict)


_TOPIC_KEYS = ("node", "keywords", "phrases", "steps", "entries")
_ENTRY_KEYS = ("keywords", "phrases", "steps")


def _read_weighted(
    r: _Reader, data: Any, path: str, what: str, lang: str = DEFAULT_LANG
) -> list[tuple[str, float]]:
    """``keywords``: a list of texts or a mapping text → weight; ``phrases``: a list of texts or
    ``{text, weight}`` mappings."""
    out: list[tuple[str, float]] = []
    if data is None:
        return out
    if isinstance(data, dict) and what == "keywords":
        items: Iterable[tuple[Any, Any, str]] = (
            (str(k), v, f"{path}.{k}") for k, v in data.items()
        )
    elif isinstance(data, list):
        listed: list[tuple[Any, Any, str]] = []
        items = listed
        for i, item in enumerate(data):
            ip = f"{path}[{i}]"
            if isinstance(item, dict):
                r.keys(item, ip, ("text", "weight"))
                listed.append((item.get("text"), item.get("weight", 1), ip))
            else:
                listed.append((item, 1, ip))
    else:
        r.error("E011", path, f"expected a list{' or a mapping' if what == 'keywords' else ''}")
        return out
    for text, weight, ip in items:
        if isinstance(text, bool) or not isinstance(text, (str, int, float)):
            r.error("E011", ip, "expected text (quote it)")
            continue
        if isinstance(weight, bool) or not isinstance(weight, (int, float)):
            r.error("E011", ip, f"the weight must be a number, not {weight!r}")
            continue
        if not normalise(str(text), lang):
            r.warn(
                "W083",
                ip,
                f"{str(text)!r} has no letters left after normalising; it can never match",
            )
            continue
        out.append((str(text), float(weight)))
    return out


def _read_steps(r: _Reader, data: Any, path: str) -> dict[int, float]:
    out: dict[int, float] = {}
    if data is None:
        return out
    if not isinstance(data, dict):
        r.error("E011", path, "expected a mapping of step number → multiplier, e.g. {11: 1.5}")
        return out
    for k, v in data.items():
        p = f"{path}.{k}"
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= STEP_COUNT:
            r.error("E082", p, f"step {k!r} is not a step number between 1 and {STEP_COUNT}")
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            r.error("E011", p, f"the multiplier must be a number of 0 or more, not {v!r}")
            continue
        out[k] = float(v)
    return out


def _read_entry(
    r: _Reader, item: dict[str, Any], path: str, topic: str, node: str | None, lang: str
) -> _Entry:
    """One entry point (a topic, or a node inside it) with its words, read at ``path``."""
    return _Entry(
        topic=topic,
        node=node,
        keywords=_read_weighted(r, item.get("keywords"), f"{path}.keywords", "keywords", lang),
        phrases=_read_weighted(r, item.get("phrases"), f"{path}.phrases", "phrases", lang),
        steps=_read_steps(r, item.get("steps"), f"{path}.steps"),
    )


def _read_spec(r: _Reader, data: Any, content: Content, lang: str = DEFAULT_LANG) -> _Spec:
    spec = _Spec(lang=lang)
    data = r.mapping(data, "")
    r.keys(data, "", ("synonyms", "topics"))
    syn = data.get("synonyms") or []
    if not isinstance(syn, list):
        r.error("E011", "synonyms", "expected a list of groups (lists of texts)")
        syn = []
    seen: dict[str, str] = {}
    for i, group in enumerate(syn):
        gp = f"synonyms[{i}]"
        if not isinstance(group, list) or len(group) < 2:
            r.error("E011", gp, "a synonym group is a list of two or more texts")
            continue
        forms = []
        for j, form in enumerate(group):
            if isinstance(form, bool) or not isinstance(form, (str, int, float)):
                r.error("E011", f"{gp}[{j}]", "expected text (quote it)")
                continue
            norm = normalise(str(form), lang)
            if not norm:
                r.warn("W083", f"{gp}[{j}]", f"{form!r} has no letters left after normalising")
                continue
            if norm in seen and seen[norm] != gp:
                r.warn(
                    "W085", f"{gp}[{j}]", f"{form!r} is also in {seen[norm]}; the first group wins"
                )
                continue
            seen[norm] = gp
            forms.append(str(form))
        if len(forms) >= 2:
            spec.synonyms.append(forms)
    topics = r.mapping(data.get("topics", {}), "topics")
    for tid, item in topics.items():
        tid = str(tid)
        tp = f"topics.{tid}"
        trouble = content.troubles.get(tid)
        if trouble is None:
            r.error(
                "E080",
                tp,
                f"unknown trouble id {tid!r} (troubles: {', '.join(sorted(content.troubles))})",
            )
            continue
        item = r.mapping(item, tp)
        r.keys(item, tp, _TOPIC_KEYS)
        node = item.get("node")
        if node is not None and str(node) not in trouble.nodes:
            r.error("E081", f"{tp}.node", f"trouble {tid!r} has no node {node!r}")
            node = None
        spec.default_node[tid] = str(node) if node is not None else trouble.start
        spec.entries.append(_read_entry(r, item, tp, tid, None, lang))
        inner = item.get("entries")
        if inner is None:
            continue
        for nid, e in r.mapping(inner, f"{tp}.entries").items():
            nid = str(nid)
            ep = f"{tp}.entries.{nid}"
            if nid not in trouble.nodes:
                r.error("E081", ep, f"trouble {tid!r} has no node {nid!r}")
                continue
            e = r.mapping(e, ep)
            r.keys(e, ep, _ENTRY_KEYS)
            spec.entries.append(_read_entry(r, e, ep, tid, nid, lang))
    covered = {e.topic for e in spec.entries if e.keywords or e.phrases}
    for tid in content.troubles:
        if tid not in covered:
            r.warn(
                "W084",
                "topics",
                f"trouble {tid!r} has no keywords or phrases: the "
                "困ったこと box can never suggest it",
            )
    return spec


# --------------------------------------------------------------------------- the matcher


def _step_weights(content: Content, topics: list[str]) -> list[list[float]]:
    """weights[step][i] for step 0 (unknown) .. 16, from the steps' and troubles' lists."""
    out = [[1.0] * len(topics)]
    everywhere = {
        tid for tid, t in content.troubles.items() if set(range(1, STEP_COUNT + 1)) <= set(t.steps)
    }
    for n in range(1, STEP_COUNT + 1):
        listed = [tid for tid in content.step(n).troubles if tid not in everywhere]
        row = []
        for tid in topics:
            t = content.troubles[tid]
            w = 1.0
            if tid in everywhere:
                pass
            elif tid in listed:
                w += STEP_LIST_BONUS * (len(listed) - listed.index(tid)) / len(listed)
            elif n in t.steps:
                w += STEP_BONUS
            elif n - 1 in t.steps or n + 1 in t.steps:
                w += NEAR_BONUS
            row.append(w)
        out.append(row)
    return out


class Matcher:
    """Built once from content and a symptoms file; :meth:`match` is the fast part."""

    def __init__(self, content: Content, spec: _Spec) -> None:
        self.lang = spec.lang
        self.script = script = script_for(spec.lang)
        # synonyms: normalised form → canonical form, and lengths to try per first character;
        # in spaced scripts, the forms that must end where a word ends
        self._syn: dict[str, str] = {}
        for group in spec.synonyms:
            canon = normalise(group[0], spec.lang)
            for form in group:
                self._syn.setdefault(normalise(form, spec.lang), canon)
        self._syn_first = _lengths_by_first_char(self._syn)
        self._syn_whole = {f for f in self._syn if _whole_word(f, script)}

        self.topics: list[str] = [
            tid for tid in content.troubles if any(e.topic == tid for e in spec.entries)
        ]
        tindex = {tid: i for i, tid in enumerate(self.topics)}
        entries = sorted(spec.entries, key=lambda e: (tindex[e.topic], e.node is not None))
        self._entry_topic = [tindex[e.topic] for e in entries]
        self._entry_node = [e.node for e in entries]
        self._default_node = [spec.default_node[tid] for tid in self.topics]
        self._topic_entry = [-1] * len(self.topics)
        self._inner: list[list[int]] = [[] for _ in self.topics]
        for ei, e in enumerate(entries):
            if e.node is None:
                self._topic_entry[tindex[e.topic]] = ei
            else:
                self._inner[tindex[e.topic]].append(ei)

        # keywords: canonical text → ((entry, weight), ...)
        kw: dict[str, list[tuple[int, float]]] = {}
        for ei, e in enumerate(entries):
            for text, weight in e.keywords:
                kw.setdefault(self.canonical(text), []).append((ei, weight))
        self._kw = {k: tuple(v) for k, v in kw.items()}
        self._kw_first = _lengths_by_first_char(self._kw)
        self._kw_whole = {k for k in self._kw if _whole_word(k, script)}
        self._grams = _word_grams if script.spaced else _bigrams

        # phrases: bigram → ((phrase, idf), ...), with each phrase's total idf
        phrase_bigrams: list[set[str]] = []
        self._phrase_entry: list[int] = []
        self._phrase_weight: list[float] = []
        for ei, e in enumerate(entries):
            for text, weight in e.phrases:
                grams = self._grams(self.canonical(text))
                if grams:
                    phrase_bigrams.append(grams)
                    self._phrase_entry.append(ei)
                    self._phrase_weight.append(weight)
        df: dict[str, set[int]] = {}
        for pi, grams in enumerate(phrase_bigrams):
            for g in grams:
                df.setdefault(g, set()).add(self._entry_topic[self._phrase_entry[pi]])
        n_topics = max(1, len(self.topics))
        idf = {g: math.log(1.0 + n_topics / len(ts)) for g, ts in df.items()}
        postings: dict[str, list[tuple[int, float]]] = {}
        self._phrase_total: list[float] = []
        for pi, grams in enumerate(phrase_bigrams):
            self._phrase_total.append(sum(idf[g] for g in grams))
            for g in grams:
                postings.setdefault(g, []).append((pi, idf[g]))
        self._postings = {g: tuple(v) for g, v in postings.items()}

        # step weights, per topic and per inner entry
        base = _step_weights(content, self.topics)
        self._topic_step = [
            [
                base[n][ti]
                * (
                    entries[self._topic_entry[ti]].steps.get(n, 1.0)
                    if n and self._topic_entry[ti] >= 0
                    else 1.0
                )
                for ti in range(len(self.topics))
            ]
            for n in range(STEP_COUNT + 1)
        ]
        self._entry_step = [
            [e.steps.get(n, 1.0) if n else 1.0 for e in entries] for n in range(STEP_COUNT + 1)
        ]

    # ------------------------------------------------------------------ text
    def canonical(self, text: str) -> str:
        """Normalise, then replace every synonym by its group's first form (longest first; in
        spaced scripts only where a word starts, and whole words unless stems may match)."""
        s = normalise(text, self.lang)
        syn, first = self._syn, self._syn_first
        spaced, whole = self.script.spaced, self._syn_whole
        out: list[str] = []
        i, n = 0, len(s)
        while i < n:
            if not spaced or _starts_word(s, i):
                for length in first.get(s[i], ()):
                    form = s[i : i + length]
                    if form in syn and (form not in whole or _ends_word(s, i + length)):
                        out.append(syn[form])
                        i += length
                        break
                else:
                    out.append(s[i])
                    i += 1
            else:
                out.append(s[i])
                i += 1
        return "".join(out)

    # ------------------------------------------------------------------ matching
    def match(self, query: str, step: int | None = None, limit: int = 3) -> MatchResult:
        """Rank the topics for ``query`` typed at ``step`` (1-16, or None when unknown)."""
        if step is not None and not 1 <= step <= STEP_COUNT:
            raise ValueError(f"step must be between 1 and {STEP_COUNT}, not {step}")
        q = self.canonical(query)
        scores = [0.0] * len(self._entry_topic)
        # keywords
        kw, first, whole = self._kw, self._kw_first, self._kw_whole
        spaced = self.script.spaced
        found: set[str] = set()
        for i, ch in enumerate(q):
            if spaced and not _starts_word(q, i):
                continue
            for length in first.get(ch, ()):
                k = q[i : i + length]
                if k in kw and k not in found and (k not in whole or _ends_word(q, i + length)):
                    found.add(k)
                    for ei, w in kw[k]:
                        scores[ei] += w
        # phrases
        acc: dict[int, float] = {}
        postings = self._postings
        for g in self._grams(q) if spaced else {q[i : i + 2] for i in range(len(q) - 1)}:
            for pi, w in postings.get(g, ()):
                acc[pi] = acc.get(pi, 0.0) + w
        best_phrase: dict[int, float] = {}
        for pi, got in acc.items():
            cov = got / self._phrase_total[pi]
            if cov >= MIN_COVERAGE:
                ei = self._phrase_entry[pi]
                v = self._phrase_weight[pi] * cov * cov
                if v > best_phrase.get(ei, 0.0):
                    best_phrase[ei] = v
        for ei, v in best_phrase.items():
            scores[ei] += PHRASE_SCALE * v
        # per topic: own score + best inner entry, times the step weight
        n = step or 0
        topic_step, entry_step = self._topic_step[n], self._entry_step[n]
        ranked: list[tuple[float, int, str]] = []
        for ti in range(len(self.topics)):
            te = self._topic_entry[ti]
            own = scores[te] if te >= 0 else 0.0
            node = self._default_node[ti]
            best_inner = 0.0
            for ei in self._inner[ti]:
                s = scores[ei] * entry_step[ei]
                if s > best_inner:
                    best_inner, node = s, self._entry_node[ei] or node
            total = (own + INNER_SHARE * best_inner) * topic_step[ti]
            if total > 0:
                ranked.append((total, ti, node))
        ranked.sort(key=lambda x: (-x[0], x[1]))
        cands = tuple(
            Candidate(self.topics[ti], node, round(s, 3)) for s, ti, node in ranked[: max(0, limit)]
        )
        weak = not ranked or ranked[0][0] < WEAK_SCORE
        close = len(ranked) >= 2 and ranked[1][0] >= CLOSE_RATIO * ranked[0][0]
        return MatchResult(query=query, step=step, candidates=cands, weak=weak, close=close)


def _lengths_by_first_char(forms: Iterable[str]) -> dict[str, tuple[int, ...]]:
    by: dict[str, set[int]] = {}
    for f in forms:
        if f:
            by.setdefault(f[0], set()).add(len(f))
    return {ch: tuple(sorted(ls, reverse=True)) for ch, ls in by.items()}


def _bigrams(s: str) -> set[str]:
    if len(s) == 1:
        return {s}
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _word_grams(s: str) -> set[str]:
    """Spaced scripts: each word's character trigrams, padded with a space at both ends (so
    inflections and typos still share most: " read" "rea" "ead" "ad "), and each pair of
    neighbouring words (word order: "not read" is not "read not")."""
    words = s.split(" ")
    out: set[str] = set()
    for w in words:
        if not w:
            continue
        p = f" {w} "
        out.update(p[i : i + 3] for i in range(len(p) - 2))
    out.update(f"{a} {b}" for a, b in itertools.pairwise(words) if a and b)
    return out


# --------------------------------------------------------------------------- loading


def symptoms_dir(root: Path | str | None = None) -> Path:
    from guide.paths import content_dir

    return (Path(root) if root is not None else content_dir()) / SYMPTOMS_DIR


def available_languages(root: Path | str | None = None) -> tuple[str, ...]:
    d = symptoms_dir(root)
    return tuple(sorted(p.stem for p in d.glob("*.yaml"))) if d.is_dir() else ()


def _load_file(content: Content, path: Path, root: Path, diags: list[Diagnostic]) -> _Spec | None:
    data = _read_yaml(path, root, diags)
    if data is None and any(d.severity == "error" for d in diags):
        return None
    r = _Reader(f"{root.name}/{SYMPTOMS_DIR}/{path.name}", diags)
    return _read_spec(r, data, content, path.stem)


def words_language(lang: str, root: Path | str | None = None) -> str:
    """The language whose word list serves ``lang``: its own ``symptoms/<lang>.yaml`` when there
    is one, else Japanese (ja-easy has no file of its own: やさしい日本語 is Japanese, and
    ja.yaml's synonyms already carry the hiragana spellings)."""
    return lang if (symptoms_dir(root) / f"{lang}.yaml").is_file() else DEFAULT_LANG


def load_matcher(
    content: Content, root: Path | str | None = None, lang: str = DEFAULT_LANG
) -> tuple[Matcher | None, list[Diagnostic]]:
    """Build the matcher for ``lang`` (falling back to Japanese when that language has no
    symptoms file, see :func:`words_language`). Returns (None, diagnostics) when the file is
    missing or has errors."""
    d = symptoms_dir(root)
    path = d / f"{words_language(lang, root)}.yaml"
    diags: list[Diagnostic] = []
    spec = _load_file(content, path, d.parent, diags)
    if spec is None or any(x.severity == "error" for x in diags):
        return None, diags
    return Matcher(content, spec), diags


def check_symptoms(content: Content, root: Path | str | None = None) -> list[Diagnostic]:
    """Validate every ``symptoms/<lang>.yaml`` against the content (for ``guide check``)."""
    d = symptoms_dir(root)
    if not d.is_dir():
        return []
    diags: list[Diagnostic] = []
    if not (d / f"{DEFAULT_LANG}.yaml").is_file():
        diags.append(
            Diagnostic(
                "W086",
                "warning",
                f"{d.parent.name}/{SYMPTOMS_DIR}",
                "",
                f"no {DEFAULT_LANG}.yaml: the 困ったこと box cannot suggest anything",
            )
        )
    from guide.i18n import LANGUAGES

    for path in sorted(d.glob("*.yaml")):
        if path.stem not in LANGUAGES:
            diags.append(
                Diagnostic(
                    "W087",
                    "warning",
                    f"{d.parent.name}/{SYMPTOMS_DIR}/{path.name}",
                    "",
                    f"{path.stem!r} is not a language of the app ({', '.join(LANGUAGES)}): "
                    "this file is never used",
                )
            )
        _load_file(content, path, d.parent, diags)
    return diags


# --------------------------------------------------------------------------- answers


def entry_advice(content: Content, topic: str, node: str) -> str:
    """What the tree says first when entered at ``node`` from a fresh session: the shown node's
    text, or its first advice line (routes followed, values filled in)."""
    from guide import engine
    from guide.render import tr

    session = engine.enter_trouble(content, engine.Session(), topic, node)
    if session.trouble is None:
        return ""
    shown = content.troubles[topic].nodes[session.trouble.node]
    values = engine.values(content, session)
    ctx = f"trouble.{topic}.nodes.{shown.id}"
    if shown.text:
        return tr(f"{ctx}.text", shown.text, values)
    if shown.advice:
        return tr(f"{ctx}.advice[0]", shown.advice[0], values)
    return ""


def ask_payload(content: Content, result: MatchResult) -> dict[str, Any]:
    """The stable, machine-readable form of a match (``guide ask --json``)."""
    from guide.render import tr

    shown, _masked = redact(result.query)
    return {
        "query": shown,
        "step": result.step,
        "results": [
            {
                "topic": c.topic,
                "node": c.node,
                "score": c.score,
                "title": tr(f"trouble.{c.topic}.title", content.troubles[c.topic].title),
                "advice": entry_advice(content, c.topic, c.node),
            }
            for c in result.candidates
        ],
        "weak": result.weak,
        "close": result.close,
    }


def format_payload(payload: Mapping[str, Any]) -> str:
    """Plain text for ``guide ask``: the candidates (id, title, score) and their first advice."""
    from guide.i18n import _

    lines = []
    where = _("（手順{n}）").format(n=payload["step"]) if payload["step"] else ""
    lines.append(_("「{q}」{where}").format(q=payload["query"], where=where))
    results = payload["results"]
    if not results:
        lines.append(
            _(
                "当てはまりそうなものが見つかりませんでした。別の言葉で試すか、"
                "「だれかに相談したい」（talk-to-someone）をご覧ください。"
            )
        )
        return "\n".join(lines) + "\n"
    if payload["weak"]:
        lines.append(_("はっきりとは分かりません。近そうなものです："))
    elif payload["close"]:
        lines.append(_("いくつか考えられます："))
    for i, r in enumerate(results, 1):
        lines.append(f"{i}. {r['topic']}  {r['title']}  ({r['score']:.2f})")
        if r["advice"]:
            lines.append(f"   {r['advice']}")
    return "\n".join(lines) + "\n"


def ask_command(
    content: Content,
    root: Path | str | None,
    query: str,
    step: int | None,
    lang: str = DEFAULT_LANG,
    as_json: bool = False,
) -> tuple[int, str, str]:
    """``guide ask``: returns (exit status, standard output, standard error). Bad input gives a
    sentence and status 2, never a traceback."""
    import json

    from guide.i18n import _

    if not normalise(query):
        return (
            2,
            "",
            _(
                "困っていることを、ことばで入れてください"
                '（例：guide ask "カードが反応しない" --step 11）。'
            )
            + "\n",
        )
    if step is not None and not 1 <= step <= STEP_COUNT:
        return (
            2,
            "",
            _("--step には手順の番号（1〜{n}）を入れてください（{step} は使えません）。").format(
                n=STEP_COUNT, step=step
            )
            + "\n",
        )
    langs = available_languages(root)
    note = ""
    if lang not in langs:
        if DEFAULT_LANG not in langs:
            return (
                2,
                "",
                _("ことばの一覧（symptoms/{lang}.yaml）がありません。").format(lang=DEFAULT_LANG)
                + "\n",
            )
        if not lang.startswith(DEFAULT_LANG):  # ja-easy: the words are Japanese anyway
            note = (
                _("「{lang}」のことばの一覧はまだないので、日本語のことばで探します。").format(
                    lang=lang
                )
                + "\n"
            )
        lang = DEFAULT_LANG
    matcher, diags = load_matcher(content, root, lang)
    if matcher is None:
        errors = "\n".join(str(d) for d in diags if d.severity == "error")
        message = _("ことばの一覧（symptoms）に誤りがあります。`guide check` で確かめてください：")
        return 2, "", message + "\n" + errors + "\n"
    payload = ask_payload(content, matcher.match(query, step))
    err = note
    if redact(query)[1]:
        err += (
            _("パスワード・暗証番号・メールアドレス・電話番号などは、入れないでください。") + "\n"
        )
    if as_json:
        return 0, json.dumps(payload, ensure_ascii=False, indent=2) + "\n", err
    return 0, format_payload(payload), err

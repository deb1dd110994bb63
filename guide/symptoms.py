"""Everyday words → troubleshooting entry points (the 困ったこと box and ``guide ask``).

Pure: no Textual, no I/O at query time, no model, no network. Deterministic.

How a query is matched
----------------------
1. **Normalise** (:func:`normalise`) the query exactly as the content's phrases were normalised
   at load time: NFKC (full-width → half-width ASCII, half-width katakana → full-width), lower
   case, katakana → hiragana, small kana → big kana (っ→つ, ゃ→や: so 「ロツク」 typed for
   「ロック」 still matches), the long-vowel mark → the vowel it lengthens (「メール」,
   「めーる」 and 「めえる」 all become ``めえる``; a hyphen or wave dash after kana counts as
   one), and every space, punctuation mark and symbol dropped.
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


def _lengthen(m: re.Match[str]) -> str:
    kana = m.group(1)
    return kana + _VOWEL.get(kana, "")


def normalise(text: str) -> str:
    """The form queries and phrases are compared in (see the module docstring, step 1)."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_KANA).translate(_SMALL)
    text = _LONG_RE.sub(_lengthen, text)
    return _DROP_RE.sub("", text)


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
    synonyms: list[list[str]] = field(default_factory=list)
    entries: list[_Entry] = field(default_factory=list)
    default_node: dict[str, str] = field(default_factory=dict)


_TOPIC_KEYS = ("node", "keywords", "phrases", "steps", "entries")
_ENTRY_KEYS = ("keywords", "phrases", "steps")


def _read_weighted(r: _Reader, data: Any, path: str, what: str) -> list[tuple[str, float]]:
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
        if not normalise(str(text)):
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


def _read_spec(r: _Reader, data: Any, content: Content) -> _Spec:
    spec = _Spec()
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
            norm = normalise(str(form))
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
        spec.entries.append(
            _Entry(
                topic=tid,
                node=None,
                keywords=_read_weighted(r, item.get("keywords"), f"{tp}.keywords", "keywords"),
                phrases=_read_weighted(r, item.get("phrases"), f"{tp}.phrases", "phrases"),
                steps=_read_steps(r, item.get("steps"), f"{tp}.steps"),
            )
        )
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
            spec.entries.append(
                _Entry(
                    topic=tid,
                    node=nid,
                    keywords=_read_weighted(r, e.get("keywords"), f"{ep}.keywords", "keywords"),
                    phrases=_read_weighted(r, e.get("phrases"), f"{ep}.phrases", "phrases"),
                    steps=_read_steps(r, e.get("steps"), f"{ep}.steps"),
                )
            )
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
        # synonyms: normalised form → canonical form, and lengths to try per first character
        self._syn: dict[str, str] = {}
        for group in spec.synonyms:
            canon = normalise(group[0])
            for form in group:
                self._syn.setdefault(normalise(form), canon)
        self._syn_first = _lengths_by_first_char(self._syn)

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

        # phrases: bigram → ((phrase, idf), ...), with each phrase's total idf
        phrase_bigrams: list[set[str]] = []
        self._phrase_entry: list[int] = []
        self._phrase_weight: list[float] = []
        for ei, e in enumerate(entries):
            for text, weight in e.phrases:
                grams = _bigrams(self.canonical(text))
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
        """Normalise, then replace every synonym by its group's first form (longest first)."""
        s = normalise(text)
        syn, first = self._syn, self._syn_first
        out: list[str] = []
        i, n = 0, len(s)
        while i < n:
            for length in first.get(s[i], ()):
                form = s[i : i + length]
                if form in syn:
                    out.append(syn[form])
                    i += length
                    break
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
        kw, first = self._kw, self._kw_first
        found: set[str] = set()
        for i, ch in enumerate(q):
            for length in first.get(ch, ()):
                k = q[i : i + length]
                if k in kw and k not in found:
                    found.add(k)
                    for ei, w in kw[k]:
                        scores[ei] += w
        # phrases
        acc: dict[int, float] = {}
        postings = self._postings
        for g in {q[i : i + 2] for i in range(len(q) - 1)}:
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
    return _read_spec(r, data, content)


def load_matcher(
    content: Content, root: Path | str | None = None, lang: str = DEFAULT_LANG
) -> tuple[Matcher | None, list[Diagnostic]]:
    """Build the matcher for ``lang`` (falling back to Japanese when that language has no
    symptoms file). Returns (None, diagnostics) when the file is missing or has errors."""
    d = symptoms_dir(root)
    path = d / f"{lang}.yaml"
    if not path.is_file():
        path = d / f"{DEFAULT_LANG}.yaml"
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
    for path in sorted(d.glob("*.yaml")):
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

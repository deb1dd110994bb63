"""Load the content YAML into :mod:`guide.schema` objects and check it.

Loading happens in two passes, as script compilers do: the first reads each file into typed
objects, reporting wrong types and missing fields; the second resolves every cross-reference
(step → trouble, step → link, option → node, condition → fact …) and checks the structure (16
steps, reachable nodes, no dead ends or loops). Every problem is a :class:`Diagnostic` with a
code, the file, the YAML path and a sentence; nothing raises.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from guide.diagnostics import Diagnostic
from guide.schema import (
    LOCK_AT,
    STEP_COUNT,
    Button,
    Condition,
    Content,
    FactDef,
    Link,
    Meta,
    Node,
    Office,
    Option,
    PhoneScreen,
    Prerequisite,
    Route,
    ScreenField,
    Step,
    Trouble,
)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FACT_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
PLACEHOLDER_RE = re.compile(r"{{\s*([A-Za-z_][A-Za-z0-9_]*)\s*}}")
# Values a text may use besides fact ids (see content/README.md, "Values").
DERIVED_VALUES = frozenset({"tries_left", "lock_at"})
# Words that would mean the guide remembers a secret or a personal identifier.
PRIVATE_WORDS = (
    "password",
    "pin",
    "mynumber",
    "email",
    "address",
    "phone",
    "tel",
    "number",
    "パスワード",
    "暗証番号",
    "マイナンバー",
    "個人番号",
    "メールアドレス",
    "電話番号",
)
# East-Asian-Ambiguous characters that commonly appear in Japanese text. Rich counts them as one
# cell; many Japanese terminals draw two.
CONDITION_OPS = ("equals", "in", "at_least", "at_most", "known")


class ContentError(Exception):
    """Raised by :func:`load_or_raise` when content has errors; carries the diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{sum(d.severity == 'error' for d in diagnostics)} content error(s)")
        self.diagnostics = diagnostics


def is_ambiguous(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) == "A" and ord(ch) > 0x7F


def ambiguous_chars(text: str) -> str:
    return "".join(sorted({ch for ch in text if is_ambiguous(ch)}))


class _Reader:
    """Reads one YAML file's data, recording diagnostics with the file and YAML path."""

    def __init__(self, file: str, diags: list[Diagnostic]):
        self.file = file
        self.diags = diags

    def error(self, code: str, path: str, message: str) -> None:
        self.diags.append(Diagnostic(code, "error", self.file, path, message))

    def warn(self, code: str, path: str, message: str) -> None:
        self.diags.append(Diagnostic(code, "warning", self.file, path, message))

    def mapping(self, data: Any, path: str) -> dict[str, Any]:
        if isinstance(data, dict):
            return data
        self.error("E011", path, f"expected a mapping, found {_kind(data)}")
        return {}

    def keys(self, data: dict[str, Any], path: str, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in data:
            if key not in allowed:
                self.warn(
                    "W012",
                    _join(path, str(key)),
                    f"unknown field {key!r} (known: {', '.join(sorted(allowed))})",
                )

    def text(
        self, data: dict[str, Any], key: str, path: str, *, required: bool = True, default: str = ""
    ) -> str:
        p = _join(path, key)
        if key not in data or data[key] is None:
            if required:
                self.error("E010", p, f"required field {key!r} is missing")
            return default
        value = data[key]
        if isinstance(value, bool):
            self.error("E011", p, f'expected text, found {value!r} (quote it: "{value}")')
            return str(value)
        if not isinstance(value, (str, int, float)):
            self.error("E011", p, f"expected text, found {_kind(value)}")
            return default
        value = str(value)
        if required and not value.strip():
            self.error("E010", p, f"required field {key!r} is empty")
        return value

    def text_list(
        self, data: dict[str, Any], key: str, path: str, *, required: bool = False
    ) -> tuple[str, ...]:
        p = _join(path, key)
        if key not in data or data[key] is None:
            if required:
                self.error("E010", p, f"required field {key!r} is missing")
            return ()
        value = data[key]
        if not isinstance(value, list):
            self.error("E011", p, f"expected a list, found {_kind(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                self.error("E011", f"{p}[{i}]", f"expected text, found {_kind(item)}")
                continue
            out.append(str(item))
        return tuple(out)

    def integer(
        self, data: dict[str, Any], key: str, path: str, *, required: bool = True, default: int = 0
    ) -> int:
        p = _join(path, key)
        if key not in data:
            if required:
                self.error("E010", p, f"required field {key!r} is missing")
            return default
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error("E011", p, f"expected a whole number, found {_kind(value)}")
            return default
        return value

    def int_list(self, data: dict[str, Any], key: str, path: str) -> tuple[int, ...]:
        p = _join(path, key)
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error("E011", p, f"expected a list of numbers, found {_kind(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, int):
                self.error("E011", f"{p}[{i}]", f"expected a whole number, found {_kind(item)}")
            else:
                out.append(item)
        return tuple(out)

    def flag(self, data: dict[str, Any], key: str, path: str, default: bool = False) -> bool:
        if key not in data:
            return default
        value = data[key]
        if not isinstance(value, bool):
            self.error("E011", _join(path, key), f"expected true or false, found {_kind(value)}")
            return default
        return value

    def ident(self, value: str, path: str) -> None:
        if value and not ID_RE.match(value):
            self.error("E013", path, f"id {value!r} is not kebab-case (a-z, 0-9 and single '-')")

    def list_of_maps(
        self, data: dict[str, Any], key: str, path: str, *, required: bool = True
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        p = _join(path, key)
        value = data.get(key)
        if value is None:
            if required:
                self.error("E010", p, f"required field {key!r} is missing")
            return
        if not isinstance(value, list):
            self.error("E011", p, f"expected a list, found {_kind(value)}")
            return
        for i, item in enumerate(value):
            ip = f"{p}[{i}]"
            if not isinstance(item, dict):
                self.error("E011", ip, f"expected a mapping, found {_kind(item)}")
                continue
            yield ip, item


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# --------------------------------------------------------------------------- first pass: read


def _read_yaml(path: Path, root: Path, diags: list[Diagnostic]) -> Any:
    rel = _rel(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        diags.append(Diagnostic("E002", "error", rel, "", "file is missing"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        diags.append(Diagnostic("E003", "error", rel, "", f"cannot be read as UTF-8 text: {exc}"))
        return None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        diags.append(Diagnostic("E001", "error", rel, where, f"not valid YAML: {problem}"))
        return None


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent)) if root.name else str(path)
    except ValueError:
        return str(path)


def _read_guide(r: _Reader, data: Any) -> tuple[Meta, tuple[Prerequisite, ...]]:
    data = r.mapping(data, "")
    r.keys(data, "", ("meta", "prerequisites"))
    m = r.mapping(data.get("meta", {}), "meta")
    r.keys(m, "meta", ("title", "procedure", "city", "intro"))
    meta = Meta(
        title=r.text(m, "title", "meta"),
        procedure=r.text(m, "procedure", "meta"),
        city=r.text(m, "city", "meta", required=False),
        intro=r.text(m, "intro", "meta"),
    )
    prereqs = []
    for p, item in r.list_of_maps(data, "prerequisites", ""):
        r.keys(item, p, ("id", "title", "text", "check", "if_missing", "trouble"))
        pid = r.text(item, "id", p)
        r.ident(pid, _join(p, "id"))
        trouble = r.text(item, "trouble", p, required=False) or None
        prereqs.append(
            Prerequisite(
                id=pid,
                title=r.text(item, "title", p),
                text=r.text(item, "text", p),
                check=r.text(item, "check", p),
                if_missing=r.text(item, "if_missing", p),
                trouble=trouble,
            )
        )
    return meta, tuple(prereqs)


def _read_steps(r: _Reader, data: Any) -> tuple[Step, ...]:
    data = r.mapping(data, "")
    r.keys(data, "", ("steps",))
    steps = []
    for p, item in r.list_of_maps(data, "steps", ""):
        r.keys(
            item,
            p,
            ("id", "number", "title", "screen", "do", "expect", "cautions", "links", "troubles"),
        )
        sid = r.text(item, "id", p)
        r.ident(sid, _join(p, "id"))
        sp = _join(p, "screen")
        s = r.mapping(item.get("screen", {}), sp) if "screen" in item else {}
        if "screen" not in item:
            r.error("E010", sp, "required field 'screen' is missing")
        r.keys(s, sp, ("heading", "messages", "fields", "buttons"))
        fields = tuple(
            ScreenField(label=r.text(f, "label", fp), value=r.text(f, "value", fp, required=False))
            for fp, f in r.list_of_maps(s, "fields", sp, required=False)
        )
        buttons = tuple(
            Button(label=r.text(b, "label", bp), tap=r.flag(b, "tap", bp))
            for bp, b in r.list_of_maps(s, "buttons", sp, required=False)
        )
        screen = PhoneScreen(
            heading=r.text(s, "heading", sp, required=False) or None,
            messages=r.text_list(s, "messages", sp),
            fields=fields,
            buttons=buttons,
        )
        steps.append(
            Step(
                id=sid,
                number=r.integer(item, "number", p),
                title=r.text(item, "title", p),
                screen=screen,
                do=r.text_list(item, "do", p, required=True),
                expect=r.text(item, "expect", p),
                cautions=r.text_list(item, "cautions", p),
                links=r.text_list(item, "links", p),
                troubles=r.text_list(item, "troubles", p),
            )
        )
    return tuple(steps)


def _read_facts(r: _Reader, data: Any) -> dict[str, FactDef]:
    data = r.mapping(data, "")
    r.keys(data, "", ("facts",))
    facts: dict[str, FactDef] = {}
    for fid, item in r.mapping(data.get("facts", {}), "facts").items():
        p = f"facts.{fid}"
        fid = str(fid)
        if not FACT_ID_RE.match(fid):
            r.error("E013", p, f"fact id {fid!r} must be snake_case (a-z, 0-9, '_')")
        item = r.mapping(item, p)
        r.keys(item, p, ("label", "type", "values", "max"))
        label = r.text(item, "label", p)
        ftype = r.text(item, "type", p)
        if ftype not in ("choice", "count", "flag"):
            r.error("E011", _join(p, "type"), f"type must be choice, count or flag, not {ftype!r}")
            ftype = "flag"
        values: tuple[tuple[str, str], ...] = ()
        if ftype == "choice":
            vp = _join(p, "values")
            vals = r.mapping(item.get("values"), vp)
            if not vals:
                r.error("E010", vp, "a choice fact needs at least one value")
            values = tuple((str(k), str(v)) for k, v in vals.items())
        fmax = r.integer(item, "max", p) if ftype == "count" else 0
        if ftype == "count" and fmax < 1 and "max" in item:
            r.error("E011", _join(p, "max"), "max must be 1 or more")
        tokens = set(fid.lower().split("_"))
        hit = next((w for w in PRIVATE_WORDS if (w in tokens if w.isascii() else w in label)), None)
        if hit and not _privacy_ok(fid):
            r.error(
                "E070",
                p,
                f"a fact must never hold a secret or personal identifier "
                f"({hit!r} in its id or label); remember only facts about it, such as "
                "a count of wrong tries or whether it is known",
            )
        facts[fid] = FactDef(id=fid, label=label, type=ftype, values=values, max=fmax)  # type: ignore[arg-type]
    return facts


def _privacy_ok(fid: str) -> bool:
    """Facts *about* a secret (a count of wrong tries, whether a PIN is known) are fine, and so
    are facts about the phone as a device (its OS or model)."""
    return fid.endswith(("_tries", "_known", "_failures", "_os", "_family"))


def _read_condition(r: _Reader, data: Any, path: str) -> tuple[Condition, ...]:
    data = r.mapping(data, path)
    conds = []
    for fact, test in data.items():
        p = _join(path, str(fact))
        test = r.mapping(test, p)
        if len(test) != 1:
            r.error("E037", p, f"a condition has exactly one test ({', '.join(CONDITION_OPS)})")
            continue
        ((op, value),) = test.items()
        if op not in CONDITION_OPS:
            r.error(
                "E037",
                _join(p, str(op)),
                f"unknown test {op!r}; use one of {', '.join(CONDITION_OPS)}",
            )
            continue
        conds.append(Condition(fact=str(fact), op=op, value=value))  # type: ignore[arg-type]
    if not conds and data:
        return ()
    return tuple(conds)


def _read_trouble(r: _Reader, tid: str, data: Any) -> Trouble:
    data = r.mapping(data, "")
    r.keys(data, "", ("title", "summary", "steps", "start", "nodes"))
    nodes: dict[str, Node] = {}
    for nid, item in r.mapping(data.get("nodes", {}), "nodes").items():
        nid = str(nid)
        p = f"nodes.{nid}"
        r.ident(nid, p)
        item = r.mapping(item, p)
        kind = r.text(item, "kind", p)
        if kind not in ("question", "route", "outcome"):
            r.error(
                "E011", _join(p, "kind"), f"kind must be question, route or outcome, not {kind!r}"
            )
            kind = "outcome"
        common = ("kind", "text")
        if kind == "question":
            r.keys(item, p, (*common, "options"))
            options = []
            for op_path, o in r.list_of_maps(item, "options", p):
                r.keys(o, op_path, ("label", "next", "set", "add"))
                sets = tuple(
                    (str(k), v)
                    for k, v in r.mapping(o.get("set", {}), _join(op_path, "set")).items()
                )
                adds = []
                for k, v in r.mapping(o.get("add", {}), _join(op_path, "add")).items():
                    if isinstance(v, bool) or not isinstance(v, int):
                        r.error("E011", _join(op_path, f"add.{k}"), "expected a whole number")
                    else:
                        adds.append((str(k), v))
                options.append(
                    Option(
                        label=r.text(o, "label", op_path),
                        next=r.text(o, "next", op_path),
                        set=sets,
                        add=tuple(adds),
                    )
                )
            nodes[nid] = Node(
                id=nid, kind="question", text=r.text(item, "text", p), options=tuple(options)
            )
        elif kind == "route":
            r.keys(item, p, (*common, "routes", "otherwise"))
            routes = []
            for rp, rt in r.list_of_maps(item, "routes", p):
                r.keys(rt, rp, ("when", "next"))
                if "when" not in rt:
                    r.error("E010", _join(rp, "when"), "required field 'when' is missing")
                routes.append(
                    Route(
                        when=_read_condition(r, rt.get("when", {}), _join(rp, "when")),
                        next=r.text(rt, "next", rp),
                    )
                )
            otherwise = r.text(item, "otherwise", p)
            nodes[nid] = Node(
                id=nid,
                kind="route",
                text=r.text(item, "text", p, required=False),
                routes=tuple(routes),
                otherwise=otherwise or None,
            )
        else:
            r.keys(
                item,
                p,
                (*common, "advice", "uncertain", "sources", "see", "office", "back_to_step"),
            )
            nodes[nid] = Node(
                id=nid,
                kind="outcome",
                text=r.text(item, "text", p),
                advice=r.text_list(item, "advice", p),
                uncertain=r.text_list(item, "uncertain", p),
                sources=r.text_list(item, "sources", p),
                see=r.text_list(item, "see", p),
                office=r.text(item, "office", p, required=False) or None,
                back_to_step=r.flag(item, "back_to_step", p),
            )
    return Trouble(
        id=tid,
        title=r.text(data, "title", ""),
        summary=r.text(data, "summary", ""),
        steps=r.int_list(data, "steps", ""),
        start=r.text(data, "start", ""),
        nodes=nodes,
    )


def _read_links(r: _Reader, data: Any) -> tuple[dict[str, Link], tuple[str, ...]]:
    data = r.mapping(data, "")
    r.keys(data, "", ("links", "allowed_hosts"))
    hosts = r.text_list(data, "allowed_hosts", "", required=True)
    links: dict[str, Link] = {}
    for p, item in r.list_of_maps(data, "links", ""):
        r.keys(item, p, ("id", "label", "url", "steps", "qr", "verified", "note"))
        lid = r.text(item, "id", p)
        r.ident(lid, _join(p, "id"))
        if lid in links:
            r.error("E014", _join(p, "id"), f"link id {lid!r} is used twice")
        links[lid] = Link(
            id=lid,
            label=r.text(item, "label", p),
            url=r.text(item, "url", p),
            steps=r.int_list(item, "steps", p),
            qr=r.flag(item, "qr", p, True),
            verified=r.flag(item, "verified", p, False),
            note=r.text(item, "note", p, required=False),
        )
    return links, hosts


def _read_offices(r: _Reader, data: Any) -> dict[str, Office]:
    data = r.mapping(data, "")
    r.keys(data, "", ("offices",))
    offices: dict[str, Office] = {}
    for p, item in r.list_of_maps(data, "offices", ""):
        r.keys(item, p, ("id", "name", "hours", "phone", "bring", "note"))
        oid = r.text(item, "id", p)
        r.ident(oid, _join(p, "id"))
        if oid in offices:
            r.error("E014", _join(p, "id"), f"office id {oid!r} is used twice")
        offices[oid] = Office(
            id=oid,
            name=r.text(item, "name", p),
            hours=r.text(item, "hours", p, required=False),
            phone=r.text(item, "phone", p, required=False),
            bring=r.text_list(item, "bring", p),
            note=r.text(item, "note", p, required=False),
        )
    return offices


# --------------------------------------------------------------------------- entry points


def load(root: Path | str | None = None) -> tuple[Content | None, list[Diagnostic]]:
    """Load and validate the content in ``root``; return it (or None) and every diagnostic."""
    from guide.paths import content_dir

    root = Path(root) if root is not None else content_dir()
    diags: list[Diagnostic] = []
    if not root.is_dir():
        return None, [Diagnostic("E002", "error", str(root), "", "content directory is missing")]

    def reader(name: str) -> tuple[_Reader, Any]:
        path = root / name
        return _Reader(_rel(path, root), diags), _read_yaml(path, root, diags)

    r, d = reader("guide.yaml")
    meta, prereqs = _read_guide(r, d) if d is not None else (Meta("", "", "", ""), ())
    r, d = reader("steps.yaml")
    steps = _read_steps(r, d) if d is not None else ()
    r, d = reader("facts.yaml")
    facts = _read_facts(r, d) if d is not None else {}
    r, d = reader("links.yaml")
    links, hosts = _read_links(r, d) if d is not None else ({}, ())
    offices: dict[str, Office] = {}
    if (root / "offices.yaml").exists():
        r, d = reader("offices.yaml")
        offices = _read_offices(r, d) if d is not None else {}
    troubles: dict[str, Trouble] = {}
    tdir = root / "troubles"
    for path in sorted(tdir.glob("*.yaml")) if tdir.is_dir() else []:
        r, d = reader(f"troubles/{path.name}")
        tid = path.stem
        r.ident(tid, "")
        if d is not None:
            troubles[tid] = _read_trouble(r, tid, d)

    content = Content(
        meta=meta,
        prerequisites=prereqs,
        steps=tuple(sorted(steps, key=lambda s: s.number)),
        facts=facts,
        troubles=troubles,
        links=links,
        allowed_hosts=hosts,
        offices=offices,
    )
    _check(content, root, diags)
    has_errors = any(d.severity == "error" for d in diags)
    return (None if has_errors else content), diags


def load_or_raise(root: Path | str | None = None) -> Content:
    content, diags = load(root)
    if content is None:
        raise ContentError(diags)
    return content


# --------------------------------------------------------------------------- second pass: check


def _check(c: Content, root: Path, diags: list[Diagnostic]) -> None:
    def err(code: str, file: str, path: str, msg: str) -> None:
        diags.append(Diagnostic(code, "error", f"{root.name}/{file}", path, msg))

    def warn(code: str, file: str, path: str, msg: str) -> None:
        diags.append(Diagnostic(code, "warning", f"{root.name}/{file}", path, msg))

    values = set(c.facts) | {f"{f}_label" for f in c.facts} | DERIVED_VALUES

    # The engine's tries ledger locks at LOCK_AT (facts.md §2.1); content may not say otherwise.
    tries = c.facts.get("signing_wrong_tries")
    if tries is not None and (tries.type != "count" or tries.max != LOCK_AT):
        err(
            "E072",
            "facts.yaml",
            "facts.signing_wrong_tries",
            f"the signing password locks after {LOCK_AT} wrong entries: this fact must be a count "
            f"with max: {LOCK_AT}",
        )

    def placeholders(text: str, file: str, path: str) -> None:
        # Only plain {{ name }} is allowed: an expression could fail when it is shown.
        if text.count("{{") != len(PLACEHOLDER_RE.findall(text)) or "{%" in text:
            err("E071", file, path, "only plain {{ name }} placeholders are allowed in text")
        for name in PLACEHOLDER_RE.findall(text):
            if name not in values:
                err(
                    "E071",
                    file,
                    path,
                    f"unknown value {{{{ {name} }}}} in text "
                    f"(known: facts, <fact>_label, {', '.join(sorted(DERIVED_VALUES))})",
                )

    # steps: exactly 1..16, unique ids, references
    numbers = [s.number for s in c.steps]
    if sorted(numbers) != list(range(1, STEP_COUNT + 1)):
        missing = sorted(set(range(1, STEP_COUNT + 1)) - set(numbers))
        extra = sorted({n for n in numbers if numbers.count(n) > 1 or not 1 <= n <= STEP_COUNT})
        detail = "; ".join(
            x
            for x in (
                f"missing {missing}" if missing else "",
                f"duplicate or out of range {extra}" if extra else "",
            )
            if x
        )
        err(
            "E020",
            "steps.yaml",
            "steps",
            f"there must be exactly {STEP_COUNT} steps numbered 1-{STEP_COUNT} "
            f"(found {len(numbers)}{': ' + detail if detail else ''})",
        )
    seen: dict[str, int] = {}
    for i, s in enumerate(c.steps):
        p = f"steps[{i}]"
        if s.id in seen:
            err("E014", "steps.yaml", f"{p}.id", f"step id {s.id!r} is used twice")
        seen[s.id] = i
        for j, tref in enumerate(s.troubles):
            if tref not in c.troubles:
                err("E030", "steps.yaml", f"{p}.troubles[{j}]", f"unknown trouble id {tref!r}")
        for j, lref in enumerate(s.links):
            if lref not in c.links:
                err("E031", "steps.yaml", f"{p}.links[{j}]", f"unknown link id {lref!r}")
        if s.screen.buttons and not any(b.tap for b in s.screen.buttons):
            warn(
                "W022",
                "steps.yaml",
                f"{p}.screen.buttons",
                "no button is marked 'tap: true': the resident won't know which to tap",
            )
        amb = ambiguous_chars(s.title)
        if amb:
            warn(
                "W060",
                "steps.yaml",
                f"{p}.title",
                f"ambiguous-width character(s) {amb!r} in a title: many Japanese terminals draw "
                "them two cells wide and break borders; reword the title",
            )
        for field_name in ("expect",):
            placeholders(getattr(s, field_name), "steps.yaml", f"{p}.{field_name}")
    for i, pr in enumerate(c.prerequisites):
        if pr.trouble and pr.trouble not in c.troubles:
            err(
                "E030",
                "guide.yaml",
                f"prerequisites[{i}].trouble",
                f"unknown trouble id {pr.trouble!r}",
            )

    # links
    for i, lk in enumerate(c.links.values()):
        p = f"links[{i}]"
        try:
            parts = urlsplit(lk.url)
            host = parts.hostname
        except ValueError as exc:  # e.g. "https://[bad": not a URL at all
            err("E050", "links.yaml", f"{p}.url", f"link {lk.id!r} is not a valid URL: {exc}")
            continue
        if parts.scheme != "https":
            err("E050", "links.yaml", f"{p}.url", f"link {lk.id!r} must use https:// ({lk.url})")
        elif host not in c.allowed_hosts:
            err(
                "E051",
                "links.yaml",
                f"{p}.url",
                f"host {parts.hostname!r} of link {lk.id!r} is not in allowed_hosts",
            )
        if not lk.verified:
            warn(
                "W052",
                "links.yaml",
                f"{p}.verified",
                f"link {lk.id!r} has not been verified against the live page: {lk.url}",
            )
        for n in lk.steps:
            if not 1 <= n <= STEP_COUNT:
                err("E011", "links.yaml", f"{p}.steps", f"step {n} is not between 1 and 16")

    # troubles
    reachable_topics: set[str] = {t for s in c.steps for t in s.troubles}
    reachable_topics |= {p.trouble for p in c.prerequisites if p.trouble}
    for tid, t in c.troubles.items():
        file = f"troubles/{tid}.yaml"
        for n in t.steps:
            if not 1 <= n <= STEP_COUNT:
                err("E011", file, "steps", f"step {n} is not between 1 and 16")
        if t.start not in t.nodes:
            if t.start:
                err("E032", file, "start", f"start node {t.start!r} does not exist")
            continue
        for nid, node in t.nodes.items():
            p = f"nodes.{nid}"
            placeholders(node.text, file, f"{p}.text")
            for k, a in enumerate(node.advice):
                placeholders(a, file, f"{p}.advice[{k}]")
            for k, u in enumerate(node.uncertain):
                placeholders(u, file, f"{p}.uncertain[{k}]")
            if node.kind == "question":
                if not node.options:
                    err("E034", file, f"{p}.options", "a question needs at least one option")
                for k, o in enumerate(node.options):
                    op = f"{p}.options[{k}]"
                    if o.next and o.next not in t.nodes:
                        err("E032", file, f"{op}.next", f"node {o.next!r} does not exist")
                    for fact, value in o.set:
                        _check_fact_value(c, fact, value, file, f"{op}.set.{fact}", err)
                    for fact, _n in o.add:
                        fd = c.facts.get(fact)
                        if fd is None:
                            err("E036", file, f"{op}.add.{fact}", f"unknown fact {fact!r}")
                        elif fd.type != "count":
                            err(
                                "E038",
                                file,
                                f"{op}.add.{fact}",
                                f"only count facts can be added to; {fact!r} is a {fd.type}",
                            )
            elif node.kind == "route":
                if not node.otherwise:
                    err(
                        "E034",
                        file,
                        f"{p}.otherwise",
                        "a route needs 'otherwise' so it never stops with no way on",
                    )
                elif node.otherwise not in t.nodes:
                    err("E032", file, f"{p}.otherwise", f"node {node.otherwise!r} does not exist")
                for k, rt in enumerate(node.routes):
                    rp = f"{p}.routes[{k}]"
                    if rt.next and rt.next not in t.nodes:
                        err("E032", file, f"{rp}.next", f"node {rt.next!r} does not exist")
                    for cond in rt.when:
                        _check_condition(c, cond, file, f"{rp}.when.{cond.fact}", err)
            else:
                for k, s_id in enumerate(node.see):
                    if s_id not in c.troubles:
                        err("E030", file, f"{p}.see[{k}]", f"unknown trouble id {s_id!r}")
                    else:
                        reachable_topics.add(s_id)
                if node.office and c.offices and node.office not in c.offices:
                    err("E040", file, f"{p}.office", f"unknown office id {node.office!r}")
                if not node.advice and not node.text:
                    err("E010", file, p, "an outcome needs text or advice")
        _check_graph(t, file, err)
    for tid in c.troubles:
        if tid not in reachable_topics:
            err(
                "E039",
                f"troubles/{tid}.yaml",
                "",
                f"trouble {tid!r} is not offered by any step, prerequisite or other trouble",
            )


def _check_fact_value(c: Content, fact: str, value: Any, file: str, path: str, err: Any) -> None:
    fd = c.facts.get(fact)
    if fd is None:
        err("E036", file, path, f"unknown fact {fact!r} (facts.yaml lists: {', '.join(c.facts)})")
        return
    if fd.type == "choice" and value not in {k for k, _ in fd.values}:
        err(
            "E038",
            file,
            path,
            f"{value!r} is not a value of {fact!r} ({', '.join(k for k, _ in fd.values)})",
        )
    elif fd.type == "flag" and not isinstance(value, bool):
        err("E038", file, path, f"{fact!r} is true or false, not {value!r}")
    elif fd.type == "count" and (
        isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= fd.max
    ):
        err("E038", file, path, f"{fact!r} is a count from 0 to {fd.max}, not {value!r}")


def _check_condition(c: Content, cond: Condition, file: str, path: str, err: Any) -> None:
    fd = c.facts.get(cond.fact)
    if fd is None:
        err(
            "E036",
            file,
            path,
            f"unknown fact {cond.fact!r} (facts.yaml lists: {', '.join(c.facts)})",
        )
        return
    if cond.op == "known":
        if not isinstance(cond.value, bool):
            err("E037", file, path, "'known' takes true or false")
    elif cond.op in ("at_least", "at_most"):
        if fd.type != "count":
            err("E037", file, path, f"{cond.op!r} needs a count fact; {cond.fact!r} is a {fd.type}")
        elif isinstance(cond.value, bool) or not isinstance(cond.value, int):
            err("E037", file, path, f"{cond.op!r} takes a whole number")
    elif cond.op == "in":
        if not isinstance(cond.value, list) or not cond.value:
            err("E037", file, path, "'in' takes a non-empty list of values")
        else:
            for v in cond.value:
                _check_fact_value(c, cond.fact, v, file, path, err)
    else:
        _check_fact_value(c, cond.fact, cond.value, file, path, err)


def _edges(node: Node) -> list[str]:
    if node.kind == "question":
        return [o.next for o in node.options if o.next]
    if node.kind == "route":
        return [r.next for r in node.routes if r.next] + (
            [node.otherwise] if node.otherwise else []
        )
    return []


def _check_graph(t: Trouble, file: str, err: Any) -> None:
    """Every node reachable from start; no cycles (so every path ends in an outcome)."""
    seen: set[str] = set()
    stack = [t.start]
    while stack:
        nid = stack.pop()
        if nid in seen or nid not in t.nodes:
            continue
        seen.add(nid)
        stack.extend(_edges(t.nodes[nid]))
    for nid in t.nodes:
        if nid not in seen:
            err("E033", file, f"nodes.{nid}", f"node {nid!r} cannot be reached from {t.start!r}")
    # cycle detection (iterative DFS, colours)
    state: dict[str, int] = {}
    for root in t.nodes:
        if state.get(root):
            continue
        path: list[tuple[str, Iterator[str]]] = [(root, iter(_edges(t.nodes[root])))]
        state[root] = 1
        while path:
            nid, it = path[-1]
            nxt = next(it, None)
            if nxt is None:
                state[nid] = 2
                path.pop()
                continue
            if nxt not in t.nodes:
                continue
            if state.get(nxt) == 1:
                err(
                    "E035",
                    file,
                    f"nodes.{nid}",
                    f"loop: {nid!r} leads back to {nxt!r}; every path must end in an outcome",
                )
            elif not state.get(nxt):
                state[nxt] = 1
                path.append((nxt, iter(_edges(t.nodes[nxt]))))

"""The guide's state machine: pure functions from a :class:`Session` to a new one.

No Textual, no jinja2, no I/O. A session says where the resident is (start, 事前準備, a step,
the end), what they have told the guide (facts such as their phone type or how many wrong
signing-password entries the card has counted) and, when something went wrong, where they are in
a troubleshooting tree. :func:`view` turns a session into ids and values for the renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from guide.schema import LOCK_AT, STEP_COUNT, Condition, Content, Node, Trouble

Screen = Literal["start", "prep", "step", "done"]
SCREENS: tuple[Screen, ...] = ("start", "prep", "step", "done")
TALK_TO_SOMEONE = "talk-to-someone"
SIGNING_TRIES = "signing_wrong_tries"
CARD_FAILURES = "card_read_failures"
SIGNING_TREE = "signing-password"
SIGNED_AFTER = 12  # the step that shows 「電子署名が完了しました。」: the password was accepted


@dataclass(frozen=True)
class TroublePath:
    """Where the resident is inside one troubleshooting tree."""

    topic: str
    node: str  # the node shown: a question or an outcome, never a route
    via: str | None = None  # the route node that chose ``node``, re-evaluated when facts change
    history: tuple[tuple[str, str | None], ...] = ()  # earlier (node, via) pairs, for back


@dataclass(frozen=True)
class Session:
    screen: Screen = "start"
    step: int = 1
    visited: tuple[int, ...] = ()
    facts: tuple[tuple[str, Any], ...] = ()
    trouble: TroublePath | None = None

    def fact(self, name: str, default: Any = None) -> Any:
        for key, value in self.facts:
            if key == name:
                return value
        return default

    @property
    def fact_map(self) -> dict[str, Any]:
        return dict(self.facts)

    # ------------------------------------------------------------------ serialisation
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "screen": self.screen,
            "step": self.step,
            "visited": list(self.visited),
            "facts": dict(self.facts),
            "trouble": None,
        }
        if self.trouble:
            t = self.trouble
            out["trouble"] = {
                "topic": t.topic,
                "node": t.node,
                "via": t.via,
                "history": [list(h) for h in t.history],
            }
        return out

    def to_json(self) -> str:
        import json  # here: the app doesn't need it to start

        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], content: Content | None = None) -> Session:
        """Rebuild a session; raises ValueError on anything malformed or (given content) unknown."""
        try:
            screen = data["screen"]
            step = int(data["step"])
            visited = tuple(sorted({int(n) for n in data.get("visited", ())}))
            facts_in = dict(data.get("facts", {}))
            t = data.get("trouble")
            trouble = None
            if t:
                trouble = TroublePath(
                    topic=str(t["topic"]),
                    node=str(t["node"]),
                    via=None if t.get("via") is None else str(t["via"]),
                    history=tuple(
                        (str(n), None if v is None else str(v)) for n, v in t.get("history", ())
                    ),
                )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a saved session: {exc}") from exc
        if screen not in SCREENS or not 1 <= step <= STEP_COUNT:
            raise ValueError("not a saved session: position out of range")
        if any(not 1 <= n <= STEP_COUNT for n in visited):
            raise ValueError("not a saved session: visited step out of range")
        session = cls(screen=screen, step=step, visited=visited)
        if content is not None:
            # Facts are validated one by one with no tree open, so restoring them never
            # re-routes the saved position; the saved node is then put back as it was.
            for key, value in facts_in.items():
                session = report(content, session, key, value)
            if trouble is not None:
                tree = content.troubles.get(trouble.topic)
                nodes = tree.nodes if tree is not None else {}
                shown = [trouble.node, *(n for n, _v in trouble.history)]
                routes = [v for v in (trouble.via, *(v for _n, v in trouble.history)) if v]
                if any(n not in nodes or nodes[n].kind == "route" for n in shown) or any(
                    v not in nodes or nodes[v].kind != "route" for v in routes
                ):
                    raise ValueError("not a saved session: unknown trouble node")
        else:
            session = replace(session, facts=tuple(sorted(facts_in.items())))
        return replace(session, trouble=trouble)

    @classmethod
    def from_json(cls, text: str, content: Content | None = None) -> Session:
        import json

        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not a saved session: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError("not a saved session: expected an object")
        return cls.from_dict(data, content)


# ---------------------------------------------------------------------- the walkthrough


def _at_step(s: Session, n: int) -> Session:
    n = max(1, min(STEP_COUNT, n))
    visited = s.visited if n in s.visited else tuple(sorted((*s.visited, n)))
    return replace(s, screen="step", step=n, visited=visited, trouble=None)


def next_(s: Session) -> Session:
    """Forward one screen: start → 事前準備 → step 1 … step 16 → done."""
    if s.screen == "start":
        return replace(s, screen="prep", trouble=None)
    if s.screen == "prep":
        return _at_step(s, 1)
    if s.screen == "step":
        if s.step >= STEP_COUNT:
            return replace(s, screen="done", trouble=None)
        if s.step == SIGNED_AFTER - 1 and s.fact(SIGNING_TRIES):
            # Moving on to 「電子署名が完了しました。」 means the card accepted the password, and a
            # correct entry clears the card's count (facts.md §2.2).
            s = replace(s, facts=tuple((k, 0 if k == SIGNING_TRIES else v) for k, v in s.facts))
        return _at_step(s, s.step + 1)
    return replace(s, trouble=None)


def back(s: Session) -> Session:
    """Back one screen; from a troubleshooting tree, back one question."""
    if s.trouble is not None:
        return trouble_back(s)
    if s.screen == "prep":
        return replace(s, screen="start")
    if s.screen == "step":
        return replace(s, screen="prep") if s.step == 1 else _at_step(s, s.step - 1)
    if s.screen == "done":
        return _at_step(s, STEP_COUNT)
    return s


def jump(s: Session, n: int) -> Session:
    """Go to step ``n`` (clamped to 1–16)."""
    return _at_step(s, n)


def restart(s: Session) -> Session:
    """Back to the start screen. Facts stay: the card still counts its wrong tries."""
    return replace(s, screen="start", step=1, visited=(), trouble=None)


def forget(s: Session) -> Session:
    """A new resident: drop every fact and the position."""
    return Session()


# ---------------------------------------------------------------------- facts


def report(c: Content, s: Session, fact: str, value: Any) -> Session:
    """Record what the resident reported. Unknown facts and invalid values are ignored;
    counts are clamped to 0..max. If a tree is open, its advice is re-chosen at once."""
    fd = c.facts.get(fact)
    if fd is None:
        return s
    if value is None:
        facts = tuple((k, v) for k, v in s.facts if k != fact)
        return _reroute(c, replace(s, facts=facts))
    if fd.type == "count":
        if isinstance(value, bool) or not isinstance(value, int):
            return s
        value = max(0, min(fd.max, value))
    elif fd.type == "flag":
        if not isinstance(value, bool):
            return s
    elif value not in {k for k, _ in fd.values}:
        return s
    merged = dict(s.facts)
    merged[fact] = value
    changed = replace(s, facts=tuple(sorted(merged.items())))
    tp = s.trouble
    # The ledger's advice depends on the count wherever the resident is in the tree (5 is the
    # lock), so a new count re-opens the tree at its routing start.
    if (
        fact == SIGNING_TRIES
        and tp is not None
        and tp.topic == SIGNING_TREE
        and value != s.fact(fact, 0)
        and SIGNING_TREE in c.troubles
    ):
        return enter_trouble(c, changed, SIGNING_TREE)
    return _reroute(c, changed)


def add(c: Content, s: Session, fact: str, by: int = 1) -> Session:
    """Add ``by`` to a count fact (clamped)."""
    fd = c.facts.get(fact)
    if fd is None or fd.type != "count":
        return s
    return report(c, s, fact, int(s.fact(fact, 0)) + by)


def report_wrong_password(c: Content, s: Session) -> Session:
    """The resident typed a wrong signing password once more: count it and open the ledger."""
    s = add(c, s, SIGNING_TRIES, 1)
    return enter_trouble(c, s, "signing-password") if "signing-password" in c.troubles else s


def report_password_accepted(c: Content, s: Session) -> Session:
    """A correct entry clears the card's counter (facts.md §2.2)."""
    return report(c, s, SIGNING_TRIES, 0)


def report_card_read_failure(c: Content, s: Session) -> Session:
    """The card was not read once more: count it and open the card-read advice."""
    s = add(c, s, CARD_FAILURES, 1)
    return enter_trouble(c, s, "card-read") if "card-read" in c.troubles else s


def tries_left(s: Session) -> int:
    return max(0, LOCK_AT - int(s.fact(SIGNING_TRIES, 0)))


def values(c: Content, s: Session) -> dict[str, Any]:
    """Everything text may refer to with ``{{ name }}``."""
    out: dict[str, Any] = {}
    for fid, fd in c.facts.items():
        value = s.fact(fid, 0 if fd.type == "count" else None)
        out[fid] = value
        out[f"{fid}_label"] = fd.value_label(value) if value is not None else ""
    out["tries_left"] = tries_left(s)
    out["lock_at"] = LOCK_AT
    return out


# ---------------------------------------------------------------------- troubleshooting


def holds(cond: Condition, s: Session) -> bool:
    value = s.fact(cond.fact)
    if cond.op == "known":
        return (value is not None) == bool(cond.value)
    if cond.op in ("at_least", "at_most"):
        n = int(value or 0)
        return n >= cond.value if cond.op == "at_least" else n <= cond.value
    if value is None:
        return False
    if cond.op == "in":
        return value in cond.value
    return bool(value == cond.value)


def _resolve(t: Trouble, s: Session, node_id: str) -> tuple[str, str | None]:
    """Follow route nodes from ``node_id`` to the question or outcome they choose."""
    via = None
    for _ in range(len(t.nodes) + 1):  # content is checked loop-free; this bounds it anyway
        node = t.nodes[node_id]
        if node.kind != "route":
            return node_id, via
        via = node_id
        for route in node.routes:
            if all(holds(cond, s) for cond in route.when):
                node_id = route.next
                break
        else:
            node_id = node.otherwise or node_id
    raise ValueError(f"route loop in trouble {t.id!r}")


def enter_trouble(c: Content, s: Session, topic: str, node: str | None = None) -> Session:
    """Open ``topic`` at its start (or at ``node``), following routes by what is known."""
    t = c.troubles.get(topic)
    if t is None:
        return s
    start = node if node in t.nodes else t.start
    shown, via = _resolve(t, s, start)
    return replace(s, trouble=TroublePath(topic=topic, node=shown, via=via))


def choose(c: Content, s: Session, index: int) -> Session:
    """Pick option ``index`` of the current question: record its facts and move on."""
    if s.trouble is None:
        return s
    t = c.troubles[s.trouble.topic]
    node = t.nodes[s.trouble.node]
    if node.kind != "question" or not 0 <= index < len(node.options):
        return s
    option = node.options[index]
    here = s.trouble
    for fact, value in option.set:
        s = report(c, s, fact, value)
    for fact, by in option.add:
        s = add(c, s, fact, by)
    shown, via = _resolve(t, s, option.next)
    history = (*here.history, (here.node, here.via))
    return replace(s, trouble=TroublePath(topic=here.topic, node=shown, via=via, history=history))


def trouble_back(s: Session) -> Session:
    """One question back; from the first question, close the tree."""
    if s.trouble is None:
        return s
    if not s.trouble.history:
        return replace(s, trouble=None)
    (node, via), history = s.trouble.history[-1], s.trouble.history[:-1]
    return replace(s, trouble=replace(s.trouble, node=node, via=via, history=history))


def trouble_restart(c: Content, s: Session) -> Session:
    return enter_trouble(c, s, s.trouble.topic) if s.trouble else s


def leave_trouble(s: Session) -> Session:
    """Close the tree and return to where the resident was in the walkthrough."""
    return replace(s, trouble=None)


def _reroute(c: Content, s: Session) -> Session:
    """Facts changed: let the route that chose the current node choose again."""
    tp = s.trouble
    if tp is None or tp.via is None or tp.topic not in c.troubles:
        return s
    shown, via = _resolve(c.troubles[tp.topic], s, tp.via)
    if shown == tp.node:
        return s
    return replace(s, trouble=replace(tp, node=shown, via=via))


def troubles_for_step(c: Content, step: int | None) -> tuple[str, ...]:
    """Trouble ids for the うまくいかない list: the step's own first, talk-to-someone last."""
    order: list[str] = []
    if step is not None and 1 <= step <= STEP_COUNT:
        order.extend(c.step(step).troubles)
        order.extend(tid for tid, t in c.troubles.items() if step in t.steps)
    order.extend(c.troubles)
    seen: dict[str, None] = {}
    for tid in order:
        if tid != TALK_TO_SOMEONE and tid in c.troubles:
            seen.setdefault(tid, None)
    if TALK_TO_SOMEONE in c.troubles:
        seen[TALK_TO_SOMEONE] = None
    return tuple(seen)


# ---------------------------------------------------------------------- views


@dataclass(frozen=True)
class View:
    """What to show: ids into content and values, not finished text."""

    screen: Screen
    step: int | None  # 1..16 on a step screen
    step_id: str | None
    topic: str | None = None
    node: str | None = None
    node_kind: str | None = None
    choices: int = 0  # number of options of the current question
    values: dict[str, Any] = field(default_factory=dict)
    can_back: bool = True
    can_next: bool = True


def view(c: Content, s: Session) -> View:
    step = s.step if s.screen == "step" else None
    step_id = c.step(step).id if step is not None else None
    topic = node_id = kind = None
    choices = 0
    if s.trouble is not None:
        topic, node_id = s.trouble.topic, s.trouble.node
        node: Node = c.troubles[topic].nodes[node_id]
        kind = node.kind
        choices = len(node.options)
    return View(
        screen=s.screen,
        step=step,
        step_id=step_id,
        topic=topic,
        node=node_id,
        node_kind=kind,
        choices=choices,
        values=values(c, s),
        can_back=s.screen != "start" or s.trouble is not None,
        can_next=s.screen != "done",
    )

"""Playthrough plans (tests/plans/*.yaml) against the real content, plus exhaustive tree walks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from guide import engine
from guide.engine import Session
from guide.render import fill
from guide.schema import Content

PLANS = sorted((Path(__file__).parent / "plans").glob("*.yaml"))


def _load_plans() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in PLANS:
        for plan in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append((f"{path.stem}: {plan['name']}", plan))
    return out


def node_text(c: Content, s: Session) -> str:
    assert s.trouble is not None
    node = c.troubles[s.trouble.topic].nodes[s.trouble.node]
    values = engine.values(c, s)
    parts = [node.text, *node.advice, *node.uncertain]
    if node.office:
        o = c.offices[node.office]
        parts += [o.name, o.hours, o.phone, *o.bring, o.note]
    return "\n".join(fill(t, values) for t in parts)


def _do(c: Content, s: Session, action: dict[str, Any]) -> Session:
    if "enter" in action:
        return engine.enter_trouble(c, s, action["enter"])
    if "choose" in action:
        assert s.trouble is not None, "choose outside a tree"
        node = c.troubles[s.trouble.topic].nodes[s.trouble.node]
        matches = [i for i, o in enumerate(node.options) if o.label.startswith(action["choose"])]
        assert len(matches) == 1, (
            f"{action['choose']!r} matches {len(matches)} options of {node.id}: "
            f"{[o.label for o in node.options]}"
        )
        return engine.choose(c, s, matches[0])
    if "wrong_password" in action:
        return engine.report_wrong_password(c, s)
    if "card_failure" in action:
        return engine.report_card_read_failure(c, s)
    if "accepted" in action:
        return engine.report_password_accepted(c, s)
    if "back" in action:
        return engine.back(s)
    if "report" in action:
        for fact, value in action["report"].items():
            s = engine.report(c, s, fact, value)
        return s
    raise AssertionError(f"unknown action {action}")


def _check(c: Content, s: Session, expect: dict[str, Any] | None, where: str) -> None:
    if not expect:
        return
    if "node" in expect:
        assert s.trouble is not None and s.trouble.node == expect["node"], (
            f"{where}: at {s.trouble and s.trouble.node}, expected {expect['node']}"
        )
    for fact, value in expect.get("facts", {}).items():
        assert s.fact(fact, 0 if fact.endswith(("_tries", "_failures")) else None) == value, (
            f"{where}: fact {fact} is {s.fact(fact)!r}, expected {value!r}"
        )
    text = node_text(c, s) if s.trouble else ""
    for needle in expect.get("says", []):
        assert needle in text, f"{where}: {needle!r} not in the advice:\n{text}"
    if "see" in expect:
        assert s.trouble is not None
        node = c.troubles[s.trouble.topic].nodes[s.trouble.node]
        assert set(expect["see"]) <= set(node.see), f"{where}: see {node.see}"


@pytest.mark.parametrize(("name", "plan"), _load_plans(), ids=[n for n, _ in _load_plans()])
def test_plan(content: Content, name: str, plan: dict[str, Any]) -> None:
    s = engine.jump(Session(), 10)
    for fact, value in (plan.get("facts") or {}).items():
        s = engine.report(content, s, fact, value)
        assert s.fact(fact) == value, f"plan fact {fact}={value!r} rejected"
    if "enter" in plan:
        s = engine.enter_trouble(content, s, plan["enter"])
    _check(content, s, plan.get("expect"), "start")
    for i, step in enumerate(plan.get("then") or []):
        s = _do(content, s, step)
        _check(content, s, step.get("expect"), f"action {i + 1}")
    # every plan's session survives a save/restore
    assert Session.from_json(s.to_json(), content) == s


def test_every_tree_has_a_plan(content: Content) -> None:
    planned = {p.get("enter") for _, p in _load_plans()} | {
        "signing-password" for _, p in _load_plans() if "facts" in p
    }
    assert set(content.troubles) <= planned


PRESETS: list[dict[str, Any]] = [
    {},
    {"phone_os": "ios", "phone_family": "iphone-7-or-later"},
    {"phone_os": "android", "phone_family": "galaxy", "card_read_failures": 1},
    {"phone_os": "android", "phone_family": "pixel", "card_read_failures": 5},
    {"signing_wrong_tries": 3, "app_installed": True, "browser": "safari"},
    {"signing_wrong_tries": 5, "mail_service": "docomo", "signing_history_checked": True},
]


def test_every_path_of_every_tree_ends_in_sourced_advice(content: Content) -> None:
    """Walk every option sequence from several fact states: each ends at an outcome that says
    something concrete; every outcome but a success note cites a source."""
    reached: set[tuple[str, str]] = set()
    for topic in content.troubles:
        for preset in PRESETS:
            s = Session()
            for fact, value in preset.items():
                s = engine.report(content, s, fact, value)
            stack = [engine.enter_trouble(content, s, topic)]
            walked = 0
            while stack:
                walked += 1
                assert walked < 5000, f"{topic}: too many paths"
                cur = stack.pop()
                assert cur.trouble is not None
                node = content.troubles[topic].nodes[cur.trouble.node]
                if node.kind == "outcome":
                    reached.add((topic, node.id))
                    assert node.text or node.advice
                    continue
                assert node.kind == "question" and node.options
                for i in range(len(node.options)):
                    stack.append(engine.choose(content, cur, i))
    outcomes = {
        (tid, nid)
        for tid, t in content.troubles.items()
        for nid, n in t.nodes.items()
        if n.kind == "outcome"
    }
    assert outcomes - reached == set(), "outcomes no walk reaches"
    unsourced = {
        (tid, nid)
        for tid, nid in outcomes
        if not content.troubles[tid].nodes[nid].sources
        and content.troubles[tid].nodes[nid].back_to_step is False
        and nid != "read-ok"
    }
    assert unsourced == set()


def test_every_topic_is_offered_at_a_step_where_it_happens(content: Content) -> None:
    for tid, t in content.troubles.items():
        for n in t.steps:
            assert tid in engine.troubles_for_step(content, n)

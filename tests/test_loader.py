"""Loader rules: one tiny broken content tree per rule, asserting the code and the YAML path."""

from __future__ import annotations

from typing import Any

import pytest

from guide.loader import load

from .conftest import minimal_tree


def test_minimal_tree_is_valid(make_content) -> None:
    content, diags = load(make_content())
    assert content is not None, diags
    assert [d for d in diags if d.severity == "error"] == []
    assert len(content.steps) == 16


def _trouble(tree: dict[str, Any]) -> dict[str, Any]:
    return tree["troubles/signing-password.yaml"]


def _nodes(tree: dict[str, Any]) -> dict[str, Any]:
    return _trouble(tree)["nodes"]


def _set(tree, name, value):
    tree[name] = value


RULES: list[tuple[str, str, str, Any]] = [
    # (rule name, code, file suffix, path, mutation)
    (
        "yaml_syntax",
        "E001",
        "steps.yaml",
        lambda t: _set(t, "steps.yaml", "steps: [\n  - id: 'x'\n"),
    ),
    ("file_missing", "E002", "facts.yaml", lambda t: t.pop("facts.yaml")),
    ("required_field", "E010", "steps.yaml", lambda t: t["steps.yaml"]["steps"][3].pop("expect")),
    ("wrong_type", "E011", "steps.yaml", lambda t: t["steps.yaml"]["steps"][2].update(number="3")),
    (
        "boolean_label",
        "E011",
        "steps.yaml",
        lambda t: t["steps.yaml"]["steps"][0]["screen"]["buttons"][0].update(label=True),
    ),
    (
        "unknown_field",
        "W012",
        "steps.yaml",
        lambda t: t["steps.yaml"]["steps"][1].update(titel="x"),
    ),
    ("bad_id", "E013", "steps.yaml", lambda t: t["steps.yaml"]["steps"][4].update(id="Step_5")),
    (
        "duplicate_id",
        "E014",
        "steps.yaml",
        lambda t: t["steps.yaml"]["steps"][5].update(id="step-1"),
    ),
    ("step_count", "E020", "steps.yaml", lambda t: t["steps.yaml"]["steps"].pop()),
    (
        "no_tap_button",
        "W022",
        "steps.yaml",
        lambda t: t["steps.yaml"]["steps"][6]["screen"]["buttons"][0].update(tap=False),
    ),
    (
        "unknown_trouble",
        "E030",
        "steps.yaml",
        lambda t: t["steps.yaml"]["steps"][7].update(troubles=["no-such-trouble"]),
    ),
    (
        "unknown_link",
        "E031",
        "steps.yaml",
        lambda t: t["steps.yaml"]["steps"][0].update(links=["x"]),
    ),
    (
        "unknown_node",
        "E032",
        "signing-password.yaml",
        lambda t: _nodes(t)["ask"]["options"][0].update(next="nowhere"),
    ),
    (
        "unreachable_node",
        "E033",
        "signing-password.yaml",
        lambda t: _nodes(t).update(orphan={"kind": "outcome", "text": "x"}),
    ),
    (
        "question_without_options",
        "E034",
        "signing-password.yaml",
        lambda t: _nodes(t)["ask"].update(options=[]),
    ),
    (
        "route_without_otherwise",
        "E034",
        "signing-password.yaml",
        lambda t: _nodes(t)["route"].pop("otherwise"),
    ),
    (
        "loop",
        "E035",
        "signing-password.yaml",
        lambda t: _nodes(t)["ask"]["options"].append({"label": "戻る", "next": "route"}),
    ),
    (
        "unknown_fact",
        "E036",
        "signing-password.yaml",
        lambda t: _nodes(t)["route"]["routes"][0].update(when={"shoe_size": {"at_least": 5}}),
    ),
    (
        "bad_condition",
        "E037",
        "signing-password.yaml",
        lambda t: _nodes(t)["route"]["routes"][0].update(when={"signing_wrong_tries": {"over": 5}}),
    ),
    (
        "bad_fact_value",
        "E038",
        "signing-password.yaml",
        lambda t: _nodes(t)["ask"]["options"][0].update(set={"phone_os": "windows"}),
    ),
    (
        "trouble_not_offered",
        "E039",
        "lonely.yaml",
        lambda t: _set(
            t,
            "troubles/lonely.yaml",
            {
                "title": "x",
                "summary": "x",
                "steps": [1],
                "start": "a",
                "nodes": {"a": {"kind": "outcome", "text": "x"}},
            },
        ),
    ),
    (
        "unknown_office",
        "E040",
        "talk-to-someone.yaml",
        lambda t: t["troubles/talk-to-someone.yaml"]["nodes"]["who"].update(office="moon"),
    ),
    (
        "link_not_https",
        "E050",
        "links.yaml",
        lambda t: t["links.yaml"]["links"][0].update(url="http://example.jp/p"),
    ),
    (
        "link_host_not_allowed",
        "E051",
        "links.yaml",
        lambda t: t["links.yaml"]["links"][0].update(url="https://evil.example.com/p"),
    ),
    (
        "link_unverified",
        "W052",
        "links.yaml",
        lambda t: t["links.yaml"]["links"][0].update(verified=False),
    ),
    (
        "ambiguous_width_title",
        "W060",
        "steps.yaml",
        lambda t: t["steps.yaml"]["steps"][12].update(title="「◀」で戻る"),
    ),
    (
        "private_fact",
        "E070",
        "facts.yaml",
        lambda t: t["facts.yaml"]["facts"].update(
            signing_password={"label": "パスワード", "type": "flag"}
        ),
    ),
    (
        "unknown_placeholder",
        "E071",
        "signing-password.yaml",
        lambda t: _nodes(t)["ledger"].update(text="あと{{ tries_remaining }}回"),
    ),
    (
        "lock_not_at_five",
        "E072",
        "facts.yaml",
        lambda t: t["facts.yaml"]["facts"]["signing_wrong_tries"].update(max=9),
    ),
    (
        "expression_placeholder",
        "E071",
        "signing-password.yaml",
        lambda t: _nodes(t)["ledger"].update(text="あと{{ tries_left / 0 }}回"),
    ),
    (
        "url_not_a_url",
        "E050",
        "links.yaml",
        lambda t: t["links.yaml"]["links"][0].update(url="https://[bad"),
    ),
]

PATHS = {
    "yaml_syntax": "line 2, column 3",
    "file_missing": "",
    "required_field": "steps[3].expect",
    "wrong_type": "steps[2].number",
    "boolean_label": "steps[0].screen.buttons[0].label",
    "unknown_field": "steps[1].titel",
    "bad_id": "steps[4].id",
    "duplicate_id": "steps[5].id",
    "step_count": "steps",
    "no_tap_button": "steps[6].screen.buttons",
    "unknown_trouble": "steps[7].troubles[0]",
    "unknown_link": "steps[0].links[0]",
    "unknown_node": "nodes.ask.options[0].next",
    "unreachable_node": "nodes.orphan",
    "question_without_options": "nodes.ask.options",
    "route_without_otherwise": "nodes.route.otherwise",
    "loop": "nodes.ask",
    "unknown_fact": "nodes.route.routes[0].when.shoe_size",
    "bad_condition": "nodes.route.routes[0].when.signing_wrong_tries.over",
    "bad_fact_value": "nodes.ask.options[0].set.phone_os",
    "trouble_not_offered": "",
    "unknown_office": "nodes.who.office",
    "link_not_https": "links[0].url",
    "link_host_not_allowed": "links[0].url",
    "link_unverified": "links[0].verified",
    "ambiguous_width_title": "steps[12].title",
    "private_fact": "facts.signing_password",
    "unknown_placeholder": "nodes.ledger.text",
    "lock_not_at_five": "facts.signing_wrong_tries",
    "expression_placeholder": "nodes.ledger.text",
    "url_not_a_url": "links[0].url",
}


@pytest.mark.parametrize(("rule", "code", "file", "mutate"), RULES, ids=[r[0] for r in RULES])
def test_rule(make_content, rule: str, code: str, file: str, mutate) -> None:
    content, diags = load(make_content(mutate))
    hits = [d for d in diags if d.code == code]
    assert hits, f"expected {code}, got: {[str(d) for d in diags]}"
    d = hits[0]
    assert d.file.endswith(file)
    assert d.path == PATHS[rule]
    assert d.message  # a sentence a writer can act on
    if code.startswith("E"):
        assert content is None, "content with errors must not load"
    else:
        assert content is not None, "warnings alone must not stop the guide"


def test_every_code_has_a_fixture() -> None:
    """The rule table covers every diagnostic code the loader can emit."""
    import re
    from pathlib import Path

    import guide.loader as loader

    src = Path(loader.__file__).read_text(encoding="utf-8")
    emitted = set(re.findall(r'"([EW]\d{3})"', src))
    emitted.discard("E003")  # unreadable file (permissions/encoding): covered in test_unreadable
    covered = {r[1] for r in RULES}
    assert emitted - covered == set()


def test_unreadable(make_content) -> None:
    root = make_content()
    (root / "steps.yaml").write_bytes(b"\xff\xfe\x00broken")
    content, diags = load(root)
    assert content is None
    assert any(d.code == "E003" and d.file.endswith("steps.yaml") for d in diags)


def test_missing_directory(tmp_path) -> None:
    content, diags = load(tmp_path / "nowhere")
    assert content is None and diags[0].code == "E002"


def test_diagnostics_are_collected_not_raised(make_content) -> None:
    def many(t):
        t["steps.yaml"]["steps"][0].pop("title")
        t["steps.yaml"]["steps"][1]["troubles"] = ["x"]
        _nodes(t)["ask"]["options"][0]["next"] = "y"

    _content, diags = load(make_content(many))
    codes = {d.code for d in diags}
    assert {"E010", "E030", "E032"} <= codes


def test_minimal_tree_helper_is_independent() -> None:
    a, b = minimal_tree(), minimal_tree()
    a["steps.yaml"]["steps"].pop()
    assert len(b["steps.yaml"]["steps"]) == 16

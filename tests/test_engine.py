"""The pure engine: navigation, facts, trees, JSON round-trip, invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guide import engine
from guide.engine import Session
from guide.schema import STEP_COUNT

from .conftest import TOPICS


@pytest.fixture
def mini(mini_content):
    return mini_content


def test_walk_forward_through_every_screen() -> None:
    s = Session()
    seen = [(s.screen, s.step)]
    while s.screen != "done":
        s = engine.next_(s)
        seen.append((s.screen, s.step))
    assert seen[0] == ("start", 1)
    assert seen[1] == ("prep", 1)
    assert [n for screen, n in seen if screen == "step"] == list(range(1, 17))
    assert s.visited == tuple(range(1, 17))
    assert engine.next_(s).screen == "done"  # no further


def test_back_retraces_and_stops_at_start() -> None:
    s = engine.jump(Session(), 3)
    s = engine.back(s)
    assert (s.screen, s.step) == ("step", 2)
    s = engine.back(engine.back(s))
    assert s.screen == "prep"
    s = engine.back(engine.back(s))
    assert s.screen == "start"
    done = engine.next_(engine.jump(Session(), 16))
    assert done.screen == "done"
    assert (engine.back(done).screen, engine.back(done).step) == ("step", 16)


@pytest.mark.parametrize(("n", "expected"), [(0, 1), (1, 1), (11, 11), (16, 16), (99, 16)])
def test_jump_is_clamped(n: int, expected: int) -> None:
    assert engine.jump(Session(), n).step == expected


def test_restart_keeps_what_the_card_counts(mini) -> None:
    s = engine.report_wrong_password(mini, engine.jump(Session(), 10))
    s = engine.restart(s)
    assert s.screen == "start" and s.trouble is None
    assert s.fact("signing_wrong_tries") == 1
    assert engine.forget(s) == Session()


def test_json_round_trip(mini) -> None:
    s = engine.jump(Session(), 10)
    s = engine.report(mini, s, "phone_os", "ios")
    s = engine.enter_trouble(mini, s, "signing-password")
    s = engine.choose(mini, s, 1)
    text = s.to_json()
    assert Session.from_json(text, mini) == s
    assert Session.from_json(text) == s


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "[]",
        "{}",
        '{"screen": "moon", "step": 1}',
        '{"screen": "step", "step": 17}',
        '{"screen": "step", "step": 3, "trouble": {"topic": "nope", "node": "x"}}',
    ],
)
def test_from_json_rejects_garbage(mini, bad: str) -> None:
    with pytest.raises(ValueError):
        Session.from_json(bad, mini)


def test_report_validates_and_clamps(mini) -> None:
    s = Session()
    assert engine.report(mini, s, "phone_os", "windows") == s
    assert engine.report(mini, s, "no_such_fact", 1) == s
    assert engine.report(mini, s, "app_installed", "yes") == s
    s = engine.report(mini, s, "signing_wrong_tries", 99)
    assert s.fact("signing_wrong_tries") == 5
    s = engine.add(mini, s, "signing_wrong_tries", -10)
    assert s.fact("signing_wrong_tries") == 0
    s = engine.report(mini, engine.report(mini, s, "phone_os", "ios"), "phone_os", None)
    assert s.fact("phone_os") is None


def test_route_follows_facts_and_reroutes_when_they_change(mini) -> None:
    s = engine.enter_trouble(mini, engine.jump(Session(), 10), "signing-password")
    assert s.trouble is not None and s.trouble.node == "ask"
    s = engine.report(mini, s, "signing_wrong_tries", 5)
    assert s.trouble is not None and s.trouble.node == "locked"  # advice changed at once


def test_choose_records_facts_and_back_returns(mini) -> None:
    s = engine.enter_trouble(mini, Session(), "signing-password")
    s = engine.choose(mini, s, 0)
    assert s.fact("phone_os") == "ios"
    assert s.trouble is not None and s.trouble.node == "ledger"
    assert engine.view(mini, s).values["tries_left"] == 5
    s = engine.back(s)
    assert s.trouble is not None and s.trouble.node == "ask"
    s = engine.back(s)
    assert s.trouble is None


def test_choose_ignores_bad_index(mini) -> None:
    s = engine.enter_trouble(mini, Session(), "signing-password")
    assert engine.choose(mini, s, 7) == s
    assert engine.choose(mini, Session(), 0) == Session()


def test_troubles_for_step_puts_the_step_first_and_talk_last(mini) -> None:
    order = engine.troubles_for_step(mini, 10)
    assert order[0] == "signing-password"
    assert order[-1] == "talk-to-someone"


def test_view_carries_ids_not_text(mini) -> None:
    v = engine.view(mini, engine.jump(Session(), 4))
    assert (v.screen, v.step, v.step_id) == ("step", 4, "step-4")
    assert v.topic is None


ACTIONS = st.one_of(
    st.tuples(st.just("next")),
    st.tuples(st.just("back")),
    st.tuples(st.just("jump"), st.integers(-3, 20)),
    st.tuples(st.just("restart")),
    st.tuples(st.just("wrong")),
    st.tuples(st.just("ok")),
    st.tuples(st.just("enter"), st.sampled_from(["signing-password", "talk-to-someone", "nope"])),
    st.tuples(st.just("choose"), st.integers(-1, 3)),
    st.tuples(st.just("add"), st.integers(-7, 7)),
    st.tuples(st.just("leave")),
)


def _act(c, s: Session, action: tuple) -> Session:
    name = action[0]
    if name == "next":
        return engine.next_(s)
    if name == "back":
        return engine.back(s)
    if name == "jump":
        return engine.jump(s, action[1])
    if name == "restart":
        return engine.restart(s)
    if name == "wrong":
        return engine.report_wrong_password(c, s)
    if name == "ok":
        return engine.report_password_accepted(c, s)
    if name == "enter":
        return engine.enter_trouble(c, s, action[1])
    if name == "choose":
        return engine.choose(c, s, action[1])
    if name == "add":
        return engine.add(c, s, "signing_wrong_tries", action[1])
    return engine.leave_trouble(s)


@settings(max_examples=200, deadline=None)
@given(st.lists(ACTIONS, max_size=40))
def test_no_sequence_breaks_the_invariants(mini_content, actions) -> None:
    c = mini_content
    s = Session()
    for action in actions:
        s = _act(c, s, action)
        tries = s.fact("signing_wrong_tries", 0)
        assert 0 <= tries <= 5
        assert engine.tries_left(s) == 5 - tries
        assert s.screen in engine.SCREENS and 1 <= s.step <= STEP_COUNT
        assert all(1 <= n <= STEP_COUNT for n in s.visited)
        if s.trouble is not None:
            node = c.troubles[s.trouble.topic].nodes[s.trouble.node]
            assert node.kind != "route"
        engine.view(c, s)  # always renderable
        assert Session.from_json(s.to_json(), c) == s


REAL_ACTIONS = st.one_of(
    ACTIONS,
    st.tuples(
        st.just("enter"),
        st.sampled_from(TOPICS),
    ),
    st.tuples(st.just("card")),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(REAL_ACTIONS, max_size=40))
def test_no_sequence_breaks_the_invariants_on_real_content(content, actions) -> None:
    s = Session()
    for action in actions:
        before = s.fact("signing_wrong_tries", 0)
        s = (
            engine.report_card_read_failure(content, s)
            if action[0] == "card"
            else _act(content, s, action)
        )
        assert 0 <= s.fact("signing_wrong_tries", 0) <= 5
        assert 0 <= s.fact("card_read_failures", 0) <= content.facts["card_read_failures"].max
        changed = s.fact("signing_wrong_tries", 0) != before
        if changed and s.trouble and s.trouble.topic == "signing-password":
            # a count that reaches the lock always shows the locked advice
            assert (s.trouble.node == "locked") == (s.fact("signing_wrong_tries") == 5)
        assert s.screen in engine.SCREENS and 1 <= s.step <= STEP_COUNT
        if s.trouble is not None:
            assert content.troubles[s.trouble.topic].nodes[s.trouble.node].kind != "route"
        assert Session.from_json(s.to_json(), content) == s


def test_restoring_facts_does_not_move_a_saved_tree_position(content) -> None:
    """Regression: facts replayed on restore used to re-route the open tree."""
    s = engine.jump(Session(), 10)
    s = engine.report_wrong_password(content, s)
    s = engine.choose(content, s, 0)  # no earlier tries: history checked
    s = engine.report_wrong_password(content, s)
    assert s.trouble is not None and s.trouble.node == "ledger"
    s = engine.trouble_back(s)  # back into history, then save
    assert Session.from_json(s.to_json(), content) == s


def test_moving_on_from_the_card_read_clears_the_wrong_tries(mini) -> None:
    """Step 12 says the signature is done: the card accepted the password, so its count is 0."""
    s = engine.report(mini, engine.jump(Session(), 11), "signing_wrong_tries", 3)
    assert engine.next_(s).fact("signing_wrong_tries") == 0
    # any other move keeps it: the count lives on the card until a correct entry
    assert engine.next_(engine.jump(s, 10)).fact("signing_wrong_tries") == 3
    assert engine.back(s).fact("signing_wrong_tries") == 3
    assert engine.jump(s, 12).fact("signing_wrong_tries") == 3


def test_reaching_five_from_anywhere_in_the_ledger_shows_the_lock(content) -> None:
    """Regression: a count raised while at a question-chosen node (ledger) kept saying あと0回."""
    s = engine.report_wrong_password(content, engine.jump(Session(), 10))
    s = engine.choose(content, s, 0)  # no earlier tries
    s = engine.choose(content, s, 0)  # "パスワードが違う" -> ledger (chosen by a question)
    assert s.trouble is not None and s.trouble.node == "ledger"
    for _ in range(4):
        s = engine.add(content, s, "signing_wrong_tries", 1)
    assert s.fact("signing_wrong_tries") == 5
    assert s.trouble is not None and s.trouble.node == "locked"


@pytest.mark.parametrize(
    "trouble",
    [
        {"topic": "signing-password", "node": "ledger", "via": "bogus"},
        {"topic": "signing-password", "node": "ledger", "history": [["nope", None]]},
        {"topic": "signing-password", "node": "route-by-tries"},
    ],
)
def test_from_json_rejects_unknown_or_route_nodes(content, trouble) -> None:
    import json

    data = {"screen": "step", "step": 10, "trouble": trouble}
    with pytest.raises(ValueError):
        Session.from_json(json.dumps(data), content)

"""Typed, frozen objects that the content YAML is loaded into.

Nothing here does I/O or knows about Textual; :mod:`guide.loader` builds these objects and
validates them, :mod:`guide.engine` walks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

FactType = Literal["choice", "count", "flag"]
NodeKind = Literal["question", "route", "outcome"]
ConditionOp = Literal["equals", "in", "at_least", "at_most", "known"]

STEP_COUNT = 16
LOCK_AT = 5  # wrong signing-password entries that lock the card (facts.md §2.1)


@dataclass(frozen=True)
class Meta:
    title: str
    procedure: str
    city: str
    intro: str


@dataclass(frozen=True)
class Prerequisite:
    id: str
    title: str
    text: str
    check: str
    if_missing: str
    trouble: str | None = None


@dataclass(frozen=True)
class ScreenField:
    label: str
    value: str


@dataclass(frozen=True)
class Button:
    label: str
    tap: bool = False


@dataclass(frozen=True)
class PhoneScreen:
    heading: str | None = None
    messages: tuple[str, ...] = ()
    fields: tuple[ScreenField, ...] = ()
    buttons: tuple[Button, ...] = ()

    def labels(self) -> tuple[str, ...]:
        """Every piece of text the phone shows at this step, in screen order."""
        out: list[str] = []
        if self.heading:
            out.append(self.heading)
        out.extend(self.messages)
        out.extend(f.label for f in self.fields)
        out.extend(b.label for b in self.buttons)
        return tuple(out)


@dataclass(frozen=True)
class Step:
    id: str
    number: int
    title: str
    screen: PhoneScreen
    do: tuple[str, ...]
    expect: str
    cautions: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    troubles: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactDef:
    id: str
    label: str
    type: FactType
    values: tuple[tuple[str, str], ...] = ()  # choice: (value id, label)
    max: int = 0  # count: upper bound

    def value_label(self, value: Any) -> str:
        for key, label in self.values:
            if key == value:
                return label
        return str(value)


@dataclass(frozen=True)
class Condition:
    fact: str
    op: ConditionOp
    value: Any


@dataclass(frozen=True)
class Option:
    label: str
    next: str
    set: tuple[tuple[str, Any], ...] = ()
    add: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Route:
    when: tuple[Condition, ...]
    next: str


@dataclass(frozen=True)
class Node:
    id: str
    kind: NodeKind
    text: str = ""
    options: tuple[Option, ...] = ()
    routes: tuple[Route, ...] = ()
    otherwise: str | None = None
    advice: tuple[str, ...] = ()
    uncertain: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    see: tuple[str, ...] = ()
    office: str | None = None
    back_to_step: bool = False


@dataclass(frozen=True)
class Trouble:
    id: str
    title: str
    summary: str
    steps: tuple[int, ...]
    start: str
    nodes: dict[str, Node] = field(hash=False, compare=False)


@dataclass(frozen=True)
class Link:
    id: str
    label: str
    url: str
    steps: tuple[int, ...] = ()
    qr: bool = True
    verified: bool = False
    note: str = ""


@dataclass(frozen=True)
class Office:
    id: str
    name: str
    hours: str = ""
    phone: str = ""
    bring: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Content:
    """All of the guide's content, validated."""

    meta: Meta
    prerequisites: tuple[Prerequisite, ...]
    steps: tuple[Step, ...]
    facts: dict[str, FactDef] = field(hash=False, compare=False)
    troubles: dict[str, Trouble] = field(hash=False, compare=False)
    links: dict[str, Link] = field(hash=False, compare=False)
    allowed_hosts: tuple[str, ...] = ()
    offices: dict[str, Office] = field(default_factory=dict, hash=False, compare=False)

    def step(self, number: int) -> Step:
        return self.steps[number - 1]

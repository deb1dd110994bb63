"""Every translatable string in the content, with the context the app translates it in.

One function, :func:`iter_strings`, is the single list of (context, Japanese text, translator
comment) that both the babel extractor (:mod:`guide.extract`) and the completeness count of
``guide check`` use. The contexts are the ones the renderers build inline
(``step.<id>.do[<i>]``, ``trouble.<id>.nodes.<node>.options[<i>]`` …); a Pilot test records every
:func:`guide.i18n.ct` call the app makes and checks that each one is listed here.

Pure: no Textual, no babel.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from guide.schema import Content

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

SCREEN_LABEL_NOTE = (
    "On-screen label: the app always shows the Japanese exactly as the phone does and adds your "
    "translation in brackets after it. Give only a short gloss."
)

ContentString = tuple[str, str, str]


def source_file(context: str) -> str:
    """The content file (relative to the content directory) a context's text comes from."""
    head, _, rest = context.partition(".")
    if head in ("meta", "prerequisite"):
        return "guide.yaml"
    if head == "step":
        return "steps.yaml"
    if head == "trouble":
        return f"troubles/{rest.partition('.')[0]}.yaml"
    if head == "fact":
        return "facts.yaml"
    if head == "office":
        return "offices.yaml"
    if head == "link":
        return "links.yaml"
    raise ValueError(f"unknown content context: {context!r}")


def _comment(file: str, where: str, text: str, extra: str = "") -> str:
    parts = [f"{file}: {where}"]
    if extra:
        parts.append(extra)
    if PLACEHOLDER.search(text):
        parts.append("Keep every {{ name }} placeholder exactly as written.")
    return " — ".join(parts)


def iter_strings(content: Content) -> Iterator[ContentString]:
    """Yield ``(context, text, comment)`` for every non-empty translatable content string,
    in file order. Contexts are unique."""

    def item(context: str, text: str, where: str, extra: str = "") -> Iterator[ContentString]:
        if text:
            yield context, text, _comment(source_file(context), where, text, extra)

    m = content.meta
    for name in ("title", "procedure", "city", "intro"):
        yield from item(f"meta.{name}", getattr(m, name), f"meta.{name}")

    for p in content.prerequisites:
        for name in ("title", "text", "check", "if_missing"):
            yield from item(
                f"prerequisite.{p.id}.{name}", getattr(p, name), f"prerequisite {p.id}, {name}"
            )

    for s in content.steps:
        ctx = f"step.{s.id}"
        where = f"step {s.number} ({s.id})"
        yield from item(f"{ctx}.title", s.title, f"{where}, title")
        scr = s.screen
        if scr.heading:
            yield from item(
                f"{ctx}.screen.heading", scr.heading, f"{where}, screen heading", SCREEN_LABEL_NOTE
            )
        labels = (
            ("messages", "message", list(scr.messages)),
            ("fields", "field", [f.label for f in scr.fields]),
            ("buttons", "button", [b.label for b in scr.buttons]),
        )
        for key, name, texts in labels:
            for i, text in enumerate(texts):
                yield from item(
                    f"{ctx}.screen.{key}[{i}]",
                    text,
                    f"{where}, screen {name} {i + 1}",
                    SCREEN_LABEL_NOTE,
                )
        for i, text in enumerate(s.do):
            yield from item(f"{ctx}.do[{i}]", text, f"{where}, what to do {i + 1}")
        yield from item(f"{ctx}.expect", s.expect, f"{where}, what you see afterwards")
        for i, text in enumerate(s.cautions):
            yield from item(f"{ctx}.cautions[{i}]", text, f"{where}, caution {i + 1}")

    for fid, fd in content.facts.items():
        yield from item(f"fact.{fid}.label", fd.label, f"fact {fid}, label")
        for key, label in fd.values:
            yield from item(f"fact.{fid}.values.{key}", label, f"fact {fid}, value {key}")

    for lid, link in content.links.items():
        yield from item(f"link.{lid}.label", link.label, f"link {lid}, label ({link.url})")

    for oid, office in content.offices.items():
        ctx = f"office.{oid}"
        yield from item(f"{ctx}.name", office.name, f"office {oid}, name")
        yield from item(f"{ctx}.hours", office.hours, f"office {oid}, opening hours")
        for i, text in enumerate(office.bring):
            yield from item(f"{ctx}.bring[{i}]", text, f"office {oid}, what to bring {i + 1}")
        yield from item(f"{ctx}.note", office.note, f"office {oid}, note")

    for tid, t in content.troubles.items():
        ctx = f"trouble.{tid}"
        yield from item(f"{ctx}.title", t.title, f"trouble tree {tid}, title")
        yield from item(f"{ctx}.summary", t.summary, f"trouble tree {tid}, one-line summary")
        for nid, node in t.nodes.items():
            nctx = f"{ctx}.nodes.{nid}"
            where = f"trouble tree {tid}, node {nid} ({node.kind})"
            yield from item(f"{nctx}.text", node.text, f"{where}, text")
            for i, text in enumerate(node.advice):
                yield from item(f"{nctx}.advice[{i}]", text, f"{where}, advice {i + 1}")
            for i, text in enumerate(node.uncertain):
                yield from item(f"{nctx}.uncertain[{i}]", text, f"{where}, not confirmed {i + 1}")
            for i, opt in enumerate(node.options):
                yield from item(
                    f"{nctx}.options[{i}]", opt.label, f"{where}, answer option {i + 1}"
                )


def placeholders(text: str) -> list[str]:
    """The ``{{ name }}`` placeholder names in ``text``, sorted (for comparing translations)."""
    return sorted(PLACEHOLDER.findall(text))

"""The whole guide as plain UTF-8 text (``guide print``): for screen readers and paper."""

from __future__ import annotations

from guide.i18n import _
from guide.render import screen_label, tr
from guide.schema import Content, Step


def step_lines(step: Step) -> list[str]:
    ctx = f"step.{step.id}"
    lines = [_("手順{n}　{title}").format(n=step.number, title=tr(f"{ctx}.title", step.title)), ""]
    scr = step.screen
    lines.append("  " + _("【スマホの画面】"))
    if scr.heading:
        lines.append(f"    {screen_label(f'{ctx}.screen.heading', scr.heading)}")
    for i, m in enumerate(scr.messages):
        lines.append(f"    「{screen_label(f'{ctx}.screen.messages[{i}]', m)}」")
    # (No _() inside f-strings: babel's extractor can't see into them on Python 3.11.)
    field_word, button_word = _("入力欄"), _("ボタン")
    for i, f in enumerate(scr.fields):
        value = f"　{f.value}" if f.value else ""
        label = screen_label(f"{ctx}.screen.fields[{i}]", f.label)
        lines.append(f"    {field_word}「{label}」{value}")
    for i, b in enumerate(scr.buttons):
        mark = _("（ここをタップ）") if b.tap else ""
        label = screen_label(f"{ctx}.screen.buttons[{i}]", b.label)
        lines.append(f"    {button_word}「{label}」{mark}")
    lines.append("")
    lines.append("  " + _("【すること】"))
    for i, d in enumerate(step.do):
        lines.append(f"    {i + 1}. {tr(f'{ctx}.do[{i}]', d)}")
    lines.append("")
    lines.append("  " + _("【このあと見える画面】"))
    lines.append(f"    {tr(f'{ctx}.expect', step.expect)}")
    if step.cautions:
        lines.append("")
        lines.append("  " + _("【注意】"))
        for i, c in enumerate(step.cautions):
            lines.append(f"    - {tr(f'{ctx}.cautions[{i}]', c)}")
    return lines


def render_guide(content: Content) -> str:
    m = content.meta
    lines = [
        tr("meta.title", m.title),
        "",
        tr("meta.intro", m.intro),
        "",
        "=" * 40,
        _("事前準備（はじめる前に用意するもの）"),
        "=" * 40,
        "",
    ]
    prep, check, missing = _("準備"), _("確認"), _("ないときは")
    for p in content.prerequisites:
        ctx = f"prerequisite.{p.id}"
        lines.append(f"【{prep}】{tr(f'{ctx}.title', p.title)}")
        lines.append(f"  {tr(f'{ctx}.text', p.text)}")
        lines.append(f"  {check}: {tr(f'{ctx}.check', p.check)}")
        lines.append(f"  {missing}: {tr(f'{ctx}.if_missing', p.if_missing)}")
        lines.append("")
    for step in content.steps:
        lines.append("=" * 40)
        lines.extend(step_lines(step))
        lines.append("")
    return "\n".join(lines) + "\n"

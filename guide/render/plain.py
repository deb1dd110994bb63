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
    for i, f in enumerate(scr.fields):
        value = f"　{f.value}" if f.value else ""
        lines.append(
            f"    {_('入力欄')}「{screen_label(f'{ctx}.screen.fields[{i}]', f.label)}」{value}"
        )
    for i, b in enumerate(scr.buttons):
        mark = _("（ここをタップ）") if b.tap else ""
        lines.append(
            f"    {_('ボタン')}「{screen_label(f'{ctx}.screen.buttons[{i}]', b.label)}」{mark}"
        )
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
    for p in content.prerequisites:
        ctx = f"prerequisite.{p.id}"
        lines.append(f"【{_('準備')}】{tr(f'{ctx}.title', p.title)}")
        lines.append(f"  {tr(f'{ctx}.text', p.text)}")
        lines.append(f"  {_('確認')}: {tr(f'{ctx}.check', p.check)}")
        lines.append(f"  {_('ないときは')}: {tr(f'{ctx}.if_missing', p.if_missing)}")
        lines.append("")
    for step in content.steps:
        lines.append("=" * 40)
        lines.extend(step_lines(step))
        lines.append("")
    return "\n".join(lines) + "\n"

"""Language in the TUI: the language menu (start screen and the ``L`` dialog) and key hints
that follow the language.

Binding descriptions are written as Japanese source strings marked with ``N_`` in the classes'
``BINDINGS``; :func:`localize_bindings` gives a node instance copies described in the current
language, so the footer follows a switch (Textual reads descriptions from the instance's map).
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.widgets.option_list import Option

from guide import i18n
from guide.i18n import _
from guide.tui.widgets.options import OptionList

LANG_KEY = "L"
# The language key's hint is the same in every language, so anyone can find it.
LANG_HINT = "言語 Language"


def localize_bindings(node: DOMNode) -> None:
    """Describe ``node``'s bindings in the current language (from the class's source strings)."""
    source = type(node)._merged_bindings
    if source is None:
        return
    ours = {  # only our own descriptions are catalog entries (not Textual's, not LANG_HINT)
        b.description
        for cls in type(node).__mro__
        if cls.__module__.startswith("guide.")
        for b in cls.__dict__.get("BINDINGS", ())
        if isinstance(b, Binding) and b.description and b.description != LANG_HINT
    }
    bindings: list[Binding] = []
    for _key, binding in source:
        desc = binding.description
        bindings.append(replace(binding, description=_(desc) if desc in ours else desc))
    node._bindings = BindingsMap(bindings)


def language_label(lang: str, current: str | None = None) -> Text:
    """A language in its own name, drafts marked in that language: ``English（draft）``."""
    out = Text()
    out.append("> " if lang == current else "  ")
    out.append(i18n.language_name(lang), style="bold" if lang == current else "")
    if i18n.is_draft(lang):
        mark = i18n.draft_mark(lang)
        out.append(mark if mark.startswith("（") else " " + mark, style="dim")
    return out


def language_options(prefix: str = "lang--") -> list[Option]:
    current = i18n.current_language()
    return [
        Option(language_label(lang, current), id=f"{prefix}{lang}")
        for lang in i18n.available_languages()
    ]


class LanguageScreen(ModalScreen[str | None]):
    """Pick a language; dismisses with its code, or None."""

    BINDINGS = [Binding("escape", "close", i18n.N_("閉じる"))]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog language-dialog"):
            yield Static(Text(LANG_HINT, style="bold"))
            yield OptionList(*language_options("pick--"), id="language-pick")

    def on_mount(self) -> None:
        box = self.query_one(OptionList)
        langs = i18n.available_languages()
        current = i18n.current_language()
        box.highlighted = langs.index(current) if current in langs else 0
        box.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss((event.option.id or "").removeprefix("pick--") or None)

    def action_close(self) -> None:
        self.dismiss(None)

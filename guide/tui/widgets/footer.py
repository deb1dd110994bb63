"""Textual's Footer, without its leak on long-lived screens.

The Footer rebuilds its keys whenever the bindings change (every focus change). Each key binds
``compact`` to the Footer (``data_bind``), which leaves an entry pointing back at the key in the
Footer's watcher list; entries are only dropped when ``compact`` itself changes, which it never
does here. So every rebuild kept the old keys alive: about 1 MB per trouble opened on the main
screen. (Textualize/textual#6666.) This Footer drops the entries of keys no longer attached after
each rebuild.
"""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    async def recompose(self) -> None:
        await super().recompose()
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(node, cb) for node, cb in watchers if node.is_attached]

"""``guide serve``: the same guide in a browser, one app process per browser tab.

Built on textual-serve (:mod:`guide.web.server`). Imported lazily by the CLI, so the terminal app
never pays for aiohttp.
"""

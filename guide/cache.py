"""The loaded content, cached, so a new process starts without reading YAML or validating again.

``guide`` and ``guide serve`` (one process per browser tab) load the content at every start:
PyYAML, the two loader passes and their imports cost tens of milliseconds before the first screen.
After one full :func:`guide.loader.load` without errors, the :class:`~guide.schema.Content` and
its diagnostics (warnings) are pickled into the user's cache directory
(:func:`guide.i18n.cache_dir`). The next start with the same key unpickles them in about a
millisecond. The key is every ``*.yaml`` file under the content directory (path, mtime, size),
the package version, the Python version and the loader's own source files, so editing content
(or the code that reads it) simply misses and reloads.

What it never changes:

* A load with errors is never cached: the full load runs every time, so the list of problems is
  always fresh, and the app refuses to start with it as before.
* ``guide check`` does not use this module; it always does a full load.
* Any problem with the cache (no home, unwritable directory, a corrupt or foreign file) falls
  back silently to the full load.

Pickles can run code when read, so a cache file is only read when it belongs to this user and no
one else can write to it (the directory is created private).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from guide.diagnostics import Diagnostic
    from guide.schema import Content

FORMAT = 1  # bump when what is stored changes shape
_CODE = ("schema.py", "loader.py", "diagnostics.py")  # sources whose change invalidates the cache


def _key(root: Path) -> tuple[Any, ...]:
    from guide import __version__

    files = []
    for path in sorted(root.rglob("*.yaml")):
        st = path.stat()
        files.append((path.relative_to(root).as_posix(), st.st_mtime_ns, st.st_size))
    here = Path(__file__).resolve().parent
    code = []
    for name in _CODE:
        try:
            st = (here / name).stat()
        except OSError:
            continue
        code.append((name, st.st_mtime_ns, st.st_size))
    return (FORMAT, __version__, sys.version_info[:2], str(root), tuple(files), tuple(code))


def cache_file(root: Path | str | None = None) -> Path | None:
    """The cache file for the content in ``root`` (default: the shipped content), or None when
    there is no cache directory."""
    from guide.i18n import cache_dir
    from guide.paths import content_dir

    folder = cache_dir()
    if folder is None:
        return None
    resolved = (Path(root) if root is not None else content_dir()).resolve()
    return folder / f"content-{zlib.crc32(str(resolved).encode()):08x}.pickle"


def _read(path: Path, key: tuple[Any, ...]) -> tuple[Content, list[Diagnostic]] | None:
    try:
        with path.open("rb") as f:
            st = os.fstat(f.fileno())
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None  # someone else could have written it: don't unpickle
            stored = pickle.load(f)
    except Exception:  # missing, unreadable, truncated, from another version: just reload
        return None
    if not (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == key):
        return None
    return stored[1], stored[2]


def _write(path: Path, key: tuple[Any, ...], content: Content, diags: list[Diagnostic]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tmp.open("wb") as f:
            os.fchmod(f.fileno(), 0o600)
            pickle.dump((key, content, diags), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent start never reads half a file
    except Exception:  # unwritable, full disk, unpicklable: the cache is only an optimisation
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def load(root: Path | str | None = None) -> tuple[Content | None, list[Diagnostic]]:
    """:func:`guide.loader.load`, through the cache: the same content and diagnostics."""
    from guide.paths import content_dir

    base = (Path(root) if root is not None else content_dir()).resolve()
    path = cache_file(base)
    key: tuple[Any, ...] | None = None
    if path is not None and base.is_dir():
        try:
            key = _key(base)
        except OSError:
            key = None
        if key is not None and (hit := _read(path, key)) is not None:
            return hit

    from guide import loader

    content, diags = loader.load(root)
    if content is not None and path is not None and key is not None:
        _write(path, key, content, diags)
    return content, diags

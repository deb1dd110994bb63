"""The content cache (guide/cache.py): a hit is the loader's result, anything else reloads."""

from __future__ import annotations

import os
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

import guide.loader
from guide import cache, cli
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TEBIKI_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def real_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT / "content", tmp_path / "content"))


def no_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any full load fail the test: what follows must come from the cache."""

    def refuse(*_args: object, **_kw: object) -> None:
        raise AssertionError("the loader ran: the cache missed")

    monkeypatch.setattr(guide.loader, "load", refuse)


def count_loads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    real = guide.loader.load

    def counting(root: object = None) -> object:
        calls.append(root)
        return real(root)  # type: ignore[arg-type]

    monkeypatch.setattr(guide.loader, "load", counting)
    return calls


def same(*contents: Any) -> bool:
    """Equal in every field: ``Content.__eq__`` leaves out the dicts (troubles, facts …)."""
    assert all(c is not None for c in contents)
    first = asdict(contents[0])
    return all(asdict(c) == first for c in contents[1:])


def bump(path: Path, old: str, new: str) -> None:
    """Edit a file and move its mtime on, as an editor would."""
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_a_hit_returns_an_equal_content_and_the_same_diagnostics(
    real_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected, expected_diags = guide.loader.load(real_copy)
    assert expected is not None
    first, first_diags = cache.load(real_copy)  # miss: loads and writes the cache
    assert cache.cache_file(real_copy).is_file()  # type: ignore[union-attr]
    no_loader(monkeypatch)
    hit, hit_diags = cache.load(real_copy)
    assert same(hit, expected, first)
    assert hit.troubles and hit.facts and hit.links  # the dicts really are there to compare
    assert hit_diags == expected_diags == first_diags
    assert hit is not first  # really read back, not the same object


def test_a_changed_file_invalidates_the_cache(
    make_content, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_content()
    before, _ = cache.load(root)
    assert before is not None and before.step(3).title == "手順3"
    bump(root / "steps.yaml", "title: 手順3", "title: 手順3をやりなおす")
    calls = count_loads(monkeypatch)
    after, _ = cache.load(root)
    assert calls == [root]
    assert after is not None and after.step(3).title == "手順3をやりなおす"
    assert same(after, guide.loader.load(root)[0])


def test_a_changed_trouble_invalidates_the_cache(
    real_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, _ = cache.load(real_copy)
    assert before is not None
    node = next(n for n in before.troubles["card-read"].nodes.values() if n.text)
    bump(real_copy / "troubles" / "card-read.yaml", node.text, node.text + "（改）")
    calls = count_loads(monkeypatch)
    after, _ = cache.load(real_copy)
    assert calls == [real_copy]
    assert after is not None
    assert after.troubles["card-read"].nodes[node.id].text == node.text + "（改）"


def test_an_added_file_invalidates_the_cache(make_content, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_content()
    cache.load(root)
    # An unknown top-level file is ignored by the loader but still part of the key.
    (root / "troubles" / "notes.yaml").write_text("{}\n", encoding="utf-8")
    calls = count_loads(monkeypatch)
    cache.load(root)
    assert calls == [root]


def test_content_with_errors_is_never_cached(make_content) -> None:
    root = make_content(lambda tree: tree["steps.yaml"]["steps"].pop())  # 15 steps
    content, diags = cache.load(root)
    assert content is None
    assert any(d.code == "E020" for d in diags)
    assert not cache.cache_file(root).exists()  # type: ignore[union-attr]


def test_an_unwritable_cache_dir_falls_back_silently(
    make_content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    monkeypatch.setenv("TEBIKI_CACHE_DIR", str(blocker / "tebiki"))
    root = make_content()
    expected, _ = guide.loader.load(root)
    calls = count_loads(monkeypatch)
    first, _ = cache.load(root)
    second, _ = cache.load(root)
    assert same(first, second, expected)
    assert len(calls) == 2  # nothing could be cached: a full load each time


def test_no_cache_dir_at_all_falls_back(make_content, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("guide.i18n.cache_dir", lambda: None)
    root = make_content()
    content, _ = cache.load(root)
    assert same(content, guide.loader.load(root)[0])


def test_a_corrupt_cache_file_is_replaced(make_content, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_content()
    path = cache.cache_file(root)
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x80\x05 not a pickle")
    content, _ = cache.load(root)
    assert same(content, guide.loader.load(root)[0])
    no_loader(monkeypatch)
    assert same(cache.load(root)[0], content)  # rewritten: now a hit


def test_a_cache_file_others_can_write_is_not_read(
    make_content, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_content()
    cache.load(root)
    path = cache.cache_file(root)
    assert path is not None
    path.chmod(0o666)
    calls = count_loads(monkeypatch)
    cache.load(root)
    assert calls == [root]


def test_guide_check_always_loads_in_full(
    make_content, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_content(lambda tree: tree["guide.yaml"]["meta"].update(colour="blue"))
    content, diags = cache.load(root)  # warm the cache
    assert content is not None and any(d.code == "W012" for d in diags)
    calls = count_loads(monkeypatch)
    cli.main(["check", "--content", str(root)])
    assert calls == [root]
    assert "W012" in capsys.readouterr().out


def test_the_app_path_uses_the_cache(make_content, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_content()
    first = cli.load_content_or_exit(str(root))
    no_loader(monkeypatch)
    assert same(cli.load_content_or_exit(str(root)), first)

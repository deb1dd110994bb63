"""The command line: check, print, broken content; and the layering rule."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guide.cli import main

from .conftest import ROOT, modules_loaded_by

# Every on-screen label the walkthrough must quote exactly (issue: the 16 steps).
LABELS = [
    "個人向け手続き",
    "次へ進む",
    "ログインが必要です。",
    "電子署名が必要な手続きです。【マイナンバーカード】をご用意ください。",
    "スマートフォンで電子署名する",
    "“TASKポータル”で開きますか？",
    "開く",
    "電子署名を開始します",
    "電子署名が完了しました。",
    "閉じる",
    "申請内容に署名",
    "◀",
    "電子署名済み",
    "申請する",
    "申請します。よろしいですか？",
]


def run_guide(*args: str, **kw) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "guide", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        **kw,
    )


def test_check_passes_on_shipped_content(capsys) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "0 error(s)" in out


def test_print_has_all_steps_and_labels(capsys) -> None:
    assert main(["print"]) == 0
    out = capsys.readouterr().out
    for n in range(1, 17):
        assert f"手順{n}　" in out
    for label in LABELS:
        assert f"「{label}」" in out, label
    assert "noreply@gifteeport.biz" in out
    assert "事前準備" in out


def test_print_is_plain_text(capsys) -> None:
    main(["print"])
    out = capsys.readouterr().out
    assert "\x1b[" not in out and "[bold" not in out


@pytest.mark.parametrize("command", [[], ["print"], ["check"]])
def test_broken_content_gives_diagnostics_and_status_2(tmp_path: Path, command) -> None:
    bad = tmp_path / "content"
    bad.mkdir()
    for f in (ROOT / "content").glob("*.yaml"):
        (bad / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (bad / "steps.yaml").write_text("steps:\n  - id: 'x'\n    number: 99\n", encoding="utf-8")
    result = run_guide("--content", str(bad), *command)
    assert result.returncode == 2
    text = result.stdout + result.stderr
    assert "Traceback" not in text
    assert "steps.yaml" in text and "E020" in text


def test_core_layers_do_not_import_textual() -> None:
    code = (
        "import sys, guide.loader, guide.engine, guide.render, guide.render.plain, "
        "guide.schema, guide.i18n; from guide.loader import load; load(); "
        "bad = [m for m in ('textual', 'jinja2') if m in sys.modules]; print(bad)"
    )
    assert modules_loaded_by(code) == []


def test_run_without_a_terminal_says_so_instead_of_spinning() -> None:
    result = run_guide(stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert "guide serve" in result.stderr
    assert "Traceback" not in result.stderr

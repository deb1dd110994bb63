"""Where the shipped data lives, whether installed as a wheel or run from the checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory of shipped data called ``name`` ("content" or "locales").

    A wheel carries it inside the package (``guide/_data/<name>``); a checkout or an editable
    install has it beside the package at the repository root.
    """
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def content_dir() -> Path:
    return data_dir("content")


def locales_dir() -> Path:
    return data_dir("locales")

"""A problem found in the content: what :mod:`guide.loader` (and the checks built on it) report.

Its own tiny module so that a cached load (:mod:`guide.cache`) can hand back the diagnostics it
stored without importing the loader and PyYAML.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: str  # "error" or "warning"
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{self.severity} {self.code} {where}: {self.message}"

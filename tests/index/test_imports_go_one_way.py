"""Data flows ingest → index → assistant → ui/eval: no package imports a later one, not even by name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LATER = {"ingest": ("index", "assistant", "ui", "eval"), "index": ("assistant", "ui", "eval"),
         "assistant": ("ui", "eval")}


@pytest.mark.parametrize("package", sorted(LATER))
def test_a_package_never_imports_a_later_one(package):
    later = "|".join(LATER[package])
    rx = re.compile(rf"^\s*(?:from|import)\s+(?:{later})\b|import_module\(\s*[\"'](?:{later})\b|"
                    rf"[\"'](?:{later})\.[a-z_]+[\"']", re.M)
    offenders = [f"{p.relative_to(ROOT)}: {m.group(0).strip()}"
                 for p in sorted((ROOT / package).rglob("*.py")) for m in rx.finditer(p.read_text("utf-8"))]
    assert not offenders, offenders

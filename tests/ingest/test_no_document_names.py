"""ingest/ is written for any plan: no string in its source names a place, park, project or indicator
of a bundled or benchmark document (names taken from those documents' own profiles and records)."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.pipeline import BUNDLED_CORPUS, parse_document

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted(BUNDLED_CORPUS.glob("*")) + sorted((ROOT / "eval" / "data" / "plans-dev" / "docs").glob("*"))
MIN_NAME = 3  # characters: shorter strings (市, 省, 人) are words, not names
COMMON = 3  # a name printed in this many of the documents (地区生产总值, 政府工作报告) is vocabulary


def _names() -> set[str]:
    names: set[str] = set()
    texts = []
    for path in DOCS:
        doc = parse_document(path)
        texts.append(doc.text)
        prof = doc.profile
        names |= {prof.title.value, prof.place.value, prof.issuer.value}
        # the distinctive head of a place (平潭综合实验区 → 平潭) names it too
        names |= {re.sub(r"(?:综合实验区|自治区|省|市|县|区)$", "", prof.place.value)}
        for r in doc.projects:
            names |= {r.name, r.park or ""}
        names |= {r.name for r in doc.indicators}
    names = {n for n in names if len(n) >= MIN_NAME or (2 <= len(n) and n.endswith(("岛", "河", "连", "潭")))}
    return {n for n in names if sum(n in t for t in texts) < COMMON}


def test_ingest_source_names_no_document():
    names = _names()
    assert len(names) > 100
    offenders = []
    for src in sorted((ROOT / "ingest").glob("*.py")):
        text = src.read_text(encoding="utf-8")
        offenders += [f"{src.name}: {n}" for n in names if n in text]
    assert offenders == []

"""Small text helpers shared by the answers computed from table rows."""

from __future__ import annotations

import functools
import re

NOT_BIGRAM_CHAR = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9&.%]")  # what `bigrams` ignores


@functools.lru_cache(maxsize=65536)
def bigrams(s: str) -> frozenset[str]:
    """Character bigrams of the CJK/ASCII content (cached: row names are scored on every question)."""
    s = NOT_BIGRAM_CHAR.sub("", s)
    return frozenset({s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set()))


def sentences(text: str) -> list[str]:
    return [x.strip() for x in re.split(r"(?<=[。；！？])|\n", text) if x and x.strip()]


def short_table(title: str) -> str:
    t = re.sub(r"\s+", "", title)
    m = re.match(r"(表\d+|附件\d+|附表\d+|专栏\d+)", t)  # a plan's box (专栏1) is named like a table
    return m.group(1) if m else t[:12]


def squash(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def clip(s: str | None, n: int) -> str:
    s = re.sub(r"\s+", "", s or "")
    return s if len(s) <= n else s[:n]

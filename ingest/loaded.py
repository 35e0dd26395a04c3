"""What every format loader returns (`LoadedText`), and how a styled heading is written into it.

A module of its own so that the format loaders (load_html, load_docx, load_pdf, load_markdown)
and the cleaner (clean.py) share these without importing the dispatcher (loaders.py) that imports
them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The printed numbering of plan headings (第一章 一、 （一） 1. ① 专栏1 表1 …) or a Markdown `#`.
# DOCX and HTML headings without one get a `#` marker so their level is not lost.
HEADING_START = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]{1,4}[章节篇部分]"
    r"|[一二三四五六七八九十]{1,3}、"
    r"|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]"
    r"|[（(]\s*\d{1,2}\s*[）)]"
    r"|\d{1,2}\s*[、.．](?!\d)"
    r"|[\u2460-\u2473]"
    r"|专栏\s*(?:\d+|[一二三四五六七八九十]{1,3})|附件\s*\d+|附表\s*\d+|表\s*\d+\s*[：:\s]|图\s*\d+\s*[：:\s]"
    r"|#{1,6}\s)"
)


def marked_heading(text: str, level: int) -> str:
    """A styled heading as text: as printed when numbered, else with a Markdown `#` marker."""
    return text if HEADING_START.match(text) else f"{'#' * level} {text}"


@dataclass
class LoadedText:
    text: str
    pages: list[str] | None  # one string per page when the format knows pages (PDF)
    title_hint: str | None
    fmt: str  # txt | md | html | docx | pdf
    replaced: int = 0  # unencodable / control code points replaced by U+FFFD (limits.normalise)

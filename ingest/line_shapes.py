"""Physical lines before reflow (`RawLine`) and what their shape says: printed width, a sentence
end, a heading start, a flattened table row.

The cleaner, the running-header and footnote passes and the reflow all judge lines by these same
shapes, so they are defined once, apart from any one pass.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.loaded import HEADING_START


@dataclass
class RawLine:
    text: str
    page: int
    para_break: bool
    page_first: bool = False


def display_width(s: str) -> int:
    """Columns a line takes when printed: CJK / full-width characters count 2.

    Ambiguous-width characters (“” —— …) are typeset full-width in Chinese text.
    """
    wide = "WFA" if _CJK.search(s) else "WF"
    return sum(2 if unicodedata.east_asian_width(c) in wide else 1 for c in s)


_CJK = re.compile(r"[\u4e00-\u9fff]")


# a line ending in ； usually continues the paragraph (lists of clauses), so it is not here
_TERMINAL = set("。！？：!?:…")
_CLOSERS = "”’」』）)】》\"'"

_HEADING_START = HEADING_START  # a wrapped body line practically never begins with these
_NUMBER_TOKEN = re.compile(r"^[-+−]?[\d,.]+%?$|^——$|^—$|^-$")
_COLUMN_GAP = re.compile(r"(?<=\S)(?: {2,}|\u3000{2,})(?=\S)")


def ends_sentence(s: str) -> bool:
    s = s.rstrip().rstrip(_CLOSERS)
    return bool(s) and s[-1] in _TERMINAL


def looks_like_heading(s: str) -> bool:
    return bool(_HEADING_START.match(s))


def tableish(s: str) -> bool:
    """A row of a flattened table: several numeric cells separated by spaces, and no prose
    punctuation (a sentence like `2019 年 5 月 17 日，…` has spaced numbers too)."""
    if "\t" in s:
        return True
    if re.search(r"[，。；]", s):
        return False
    if len(_COLUMN_GAP.findall(s)) >= 2:
        return True  # cells aligned in columns with runs of spaces (text dumps, PDF layout mode)
    tokens = s.split()
    numeric = sum(1 for tok in tokens if _NUMBER_TOKEN.match(tok))
    return numeric >= 3 and numeric >= 0.4 * len(tokens)



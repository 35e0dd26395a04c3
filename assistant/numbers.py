"""Text normalisation and number handling shared by query analysis, answers and the citation check.

The matching copy of a text is NFKC-folded (full width → half width) with whitespace removed;
quotes shown to the user stay verbatim. Numbers are compared by their digit string after
dropping thousands separators and insignificant zeros, so `1,030` matches `1030` and `3.0` matches `3`.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
# a year written digit by digit in Chinese: 二〇二五年
_CN_YEAR = re.compile(r"([一二三四五六七八九][〇零○Ｏ一二三四五六七八九]{3})(?=年)")
_WS = re.compile(r"\s+")
# a number as printed: optional sign, digits with optional thousands commas, optional decimals
NUMBER = re.compile(r"(?<![\d.])[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.])[-+]?\d+(?:\.\d+)?")


def fold(text: str) -> str:
    """Full width → half width, Chinese digit-by-digit years → Arabic, keeps whitespace."""
    text = unicodedata.normalize("NFKC", text)
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(1)), text)


@functools.lru_cache(maxsize=65536)
def match_form(text: str) -> str:
    """The matching copy: folded, all whitespace removed (cached: row names and sentences are
    matched again on every question)."""
    return _WS.sub("", fold(text))


def canon_number(s: str) -> str:
    """Canonical digit string of one printed number: no commas/sign, no insignificant zeros."""
    s = s.replace(",", "").lstrip("+")
    neg = s.startswith("-")
    s = s.lstrip("-")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    s = s.lstrip("0") or "0"
    if s.startswith("."):
        s = "0" + s
    return ("-" if neg else "") + s


def numbers_in(text: str) -> list[str]:
    """Canonical forms of all numbers printed in `text` (folded first)."""
    return [canon_number(m.group(0)).lstrip("-") for m in NUMBER.finditer(fold(text))]


def number_set(texts: list[str]) -> set[str]:
    out: set[str] = set()
    for t in texts:
        out.update(numbers_in(match_form(t)))
        # a number wrapped across a line break in the source: "20841119" printed as "208411\n19"
        out.update(numbers_in(t))
    return out


def fmt_number(value: float) -> str:
    """A computed number without float noise: 1236532.0 → '1236532', 123.65320 → '123.6532'."""
    if abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    return f"{value:.4f}".rstrip("0").rstrip(".")


BLANK_CELL = re.compile(r"^[\s\-—–－/／]*$")


def is_blank_cell(s: str | None) -> bool:
    """A cell the table leaves empty: '', '—', '——', '-', '/'."""
    return s is None or bool(BLANK_CELL.match(s))

"""Scoring one answer against the gold of an evaluation item (rules fixed in ../shared/DESIGN.md).

An answer is judged on its **first line** (up to the first newline), capped at
`MAX_FIRST_LINE` = 200 characters (DESIGN: the first line "must state the direct answer in at most
200 characters"; a longer first line is judged on its first 200 characters, so dumping a whole
passage cannot score). It is correct when that line contains one of the gold `answers`:

* Normalisation (both sides, `normalise`): Unicode NFKC (full-width -> half-width), lower case,
  all whitespace removed, quote/title marks (“”‘’"'《》「」) removed, thousands separators removed
  (1,030 -> 1030), trailing decimal zeros dropped (3.0 -> 3, 3.50 -> 3.5), Chinese numerals turned
  into digits where they are numbers (二〇二五年 -> 2025年, 一百家 -> 100家, 三百亿元 -> 30000000000元,
  百分之三 -> 3%), and year ranges unified (2018年至2020年, 2018—2020, 2018–2020, 2018~2020 ->
  2018-2020).  A Chinese numeral is converted only when a unit or measure word follows it (or it is
  a 4-digit 〇-year), so names such as 十四五 and 三大产业 stay text.
* Quantity gold (the whole gold is one number with optional unit, bound and 约, e.g. "300亿元",
  "≥100家", "3%", "80家以上"): matched by value against every number in the line, after unit
  conversion within a unit family — money 元/千元/万元/亿元/万亿元 (美元 is its own family), mass
  吨/万吨/亿吨, power 瓦/千瓦/兆瓦/万千瓦, area 平方米/公顷/平方公里, length 米/公里.  Measure words
  个/家/项/台/件/户/座/所/处/套/人/名/条/张/层/辆/只/架/栋/艘/种/批/次 are one "count" family (the
  number matters, not the classifier); ASCII units (MW, kW, m2/㎡, km2) convert like their Chinese names.
  A bare gold number ("6.5") matches any equal number whatever its unit; a gold with a unit needs
  a unit of the same family in the answer (a bare 亿/万 in the answer counts as money: "300亿" =
  "300亿元"; a bare 4-digit number counts as a year for a gold "2025年"); a gold with only a scale
  word ("21万") matches any answer of equal value ("21万人").
* Bounds: a gold that states a bound (≥/不低于/不少于/至少/超过/以上/余/多 = lower; ≤/不高于/不超过/
  以下/以内 = upper) is matched only by an answer stating the same direction of bound
  ("≥100家" = "100家以上" = "不低于100家", but not plain "100家"); a gold without a bound ignores any
  bound in the answer ("80家" matches "80家以上").  约/近/左右 are ignored.
* A number never matches inside another number: "3" does not match "32.8" or "2023", and
  "300亿元" does not match "1300亿元" (numbers are read whole, with their decimals).
* Ranges ("2018-2020") and any other text gold: normalised substring, with the same rule that a
  digit at either end of the gold must not continue a longer number in the answer.
  A text gold listing several items (split on 、，,；;) also matches when every item matches
  somewhere in the line, in any order.

An unanswerable item is correct only when `abstained` is true; an answerable one is wrong when
abstained.  A citation is correct when some cited `quote` contains `evidence`, or the cited chunk's
text does (looked up with `chunk_lookup(chunk_id) -> text | None` when given; the runner's lookup
returns the chunk's text and its source span); both sides are compared with all whitespace removed
and NFKC-folded (`squash`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

MAX_FIRST_LINE = 200  # DESIGN: the first line states the direct answer in at most 200 characters

# --------------------------------------------------------------------------- normalisation

_QUOTES = re.compile("[\u201c\u201d\u2018\u2019\"'《》「」『』〈〉]")
_WS = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_TRAILING_ZEROS = re.compile(r"(?<![\d.])(\d+)\.(\d*?)0+(?![\d])")
_DASHES = "-—–―－~〜～"
_RANGE = re.compile(rf"(?<![\d.])(\d{{4}})年?(?:[{_DASHES}]+|至|到)(\d{{4}})年?")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
# units / measure words that make a preceding Chinese numeral a number (not part of a name)
_UNIT_AFTER = "元吨瓦个家项台件户座所处套人名条张层辆只架栋艘种批次年倍%亩米公平余多"
_CN_YEAR = re.compile("[〇零一二三四五六七八九]{4}(?=年)|[〇零一二三四五六七八九]*〇[〇零一二三四五六七八九]*")
_CN_PERCENT = re.compile(f"百分之([{_CN_NUM}点]+|\\d+(?:\\.\\d+)?)")
_CN_QUANT = re.compile(f"([{_CN_NUM}]+)(?=[{_UNIT_AFTER}])")


def cn_to_int(s: str) -> int | None:
    """Value of a Chinese numeral such as 三百, 一千二百万, 十五; None when it is not one."""
    # must start with a digit or 十: a bare 万/千/百 is a word (万家, 千家万户, 百家), and the 亿 of
    # "300亿元" (already arabic) must stay a scale word
    if not s or any(c not in _CN_NUM for c in s) or not (s[0] in _CN_DIGITS or s[0] == "十"):
        return None
    if all(c in _CN_DIGITS for c in s):
        # digit-by-digit ("二〇二五") or a single digit
        return int("".join(str(_CN_DIGITS[c]) for c in s)) if len(s) == 1 or "〇" in s or len(s) == 4 else None
    total, section, digit = 0, 0, None
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[c]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            total = (total + section) * _CN_BIG[c] if c == "亿" else total + section * _CN_BIG[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def _cn_year(m: re.Match[str]) -> str:
    s = m.group(0)
    return "".join(str(_CN_DIGITS[c]) for c in s) if len(s) == 4 else s


def _cn_quant(m: re.Match[str]) -> str:
    v = cn_to_int(m.group(1))
    return m.group(1) if v is None else str(v)


def _cn_percent(m: re.Match[str]) -> str:
    body = m.group(1)
    if body[0].isdigit():
        return body + "%"
    whole, _, frac = body.partition("点")
    v = cn_to_int(whole)
    if v is None or (frac and any(c not in _CN_DIGITS for c in frac)):
        return m.group(0)
    return f"{v}.{''.join(str(_CN_DIGITS[c]) for c in frac)}%" if frac else f"{v}%"


def normalise(text: str) -> str:
    """The matching form of a gold answer or an answer line (see the module docstring)."""
    s = unicodedata.normalize("NFKC", text or "").lower()
    s = _WS.sub("", s)
    s = _QUOTES.sub("", s)
    s = s.replace("∶", ":")  # the ratio sign of 9∶51∶40
    s = _CN_YEAR.sub(_cn_year, s)
    s = _CN_PERCENT.sub(_cn_percent, s)
    s = _CN_QUANT.sub(_cn_quant, s)
    s = _THOUSANDS.sub("", s)
    s = _TRAILING_ZEROS.sub(lambda m: m.group(1) + ("." + m.group(2) if m.group(2) else ""), s)
    s = _RANGE.sub(r"\1-\2", s)
    return s


def squash(text: str) -> str:
    """Whitespace removed and NFKC-folded: the form used to compare quotes with evidence."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


def first_line(answer: str, limit: int = MAX_FIRST_LINE) -> str:
    """The part of an answer that is judged: up to the first newline, at most `limit` chars."""
    return (answer or "").strip().split("\n", 1)[0].strip()[:limit]


# --------------------------------------------------------------------------- quantities

# base unit -> (family, factor to the family's base)
_UNITS: dict[str, tuple[str, float]] = {
    "美元": ("usd", 1), "元": ("cny", 1),
    "吨": ("t", 1),
    "千瓦时": ("kwh", 1), "千瓦": ("w", 1e3), "兆瓦": ("w", 1e6), "吉瓦": ("w", 1e9), "瓦": ("w", 1),
    "平方公里": ("m2", 1e6), "平方千米": ("m2", 1e6), "平方米": ("m2", 1), "公顷": ("m2", 1e4), "亩": ("mu", 1),
    "公里": ("m", 1e3), "千米": ("m", 1e3), "米": ("m", 1),
    "个百分点": ("pp", 1), "%": ("pct", 1), "‰": ("permille", 1),
    "个": ("count", 1), "家": ("count", 1), "项": ("count", 1), "台": ("count", 1), "件": ("count", 1),
    "户": ("count", 1), "座": ("count", 1), "所": ("count", 1), "处": ("count", 1), "套": ("count", 1),
    "人": ("count", 1), "名": ("count", 1), "条": ("count", 1), "张": ("count", 1), "层": ("count", 1),
    "辆": ("count", 1), "只": ("count", 1), "架": ("count", 1), "栋": ("count", 1), "艘": ("count", 1),
    "种": ("count", 1), "批": ("count", 1), "次": ("count", 1),
    "兆瓦时": ("kwh", 1e3), "mwh": ("kwh", 1e3), "kwh": ("kwh", 1),
    "gw": ("w", 1e9), "mw": ("w", 1e6), "kw": ("w", 1e3), "km2": ("m2", 1e6), "m2": ("m2", 1),
    "年": ("year", 1), "倍": ("times", 1),
}
_SCALES = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3}
_LOWER_PRE = ("≥", ">=", ">", "不低于", "不少于", "至少", "超过", "高于", "大于", "逾")
_UPPER_PRE = ("≤", "<=", "<", "不高于", "不超过", "不多于", "至多", "低于", "少于", "小于")
_LOWER_POST = ("及以上", "以上")
_UPPER_POST = ("及以下", "以下", "以内", "之内")
_APPROX_PRE = ("约", "近", "大约")
_APPROX_POST = ("左右",)


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)(?![\d]|\.\d)"
_QUANT = re.compile(
    _NUM
    + rf"(?P<more1>余|多)?(?P<scale>{_alt(_SCALES)})?(?P<more2>余|多)?(?P<unit>{_alt(_UNITS)})?"
    + rf"(?P<post>{_alt(_LOWER_POST + _UPPER_POST)})?"
)
_PRE = re.compile(rf"(?:{_alt(_LOWER_PRE + _UPPER_PRE)})$")
_PURE = re.compile(
    rf"^(?P<pre>{_alt(_LOWER_PRE + _UPPER_PRE)})?(?:{_alt(_APPROX_PRE)})?"
    + rf"(?P<q>\d+(?:\.\d+)?(?:余|多)?(?:{_alt(_SCALES)})?(?:余|多)?(?:{_alt(_UNITS)})?"
    + rf"(?:{_alt(_LOWER_POST + _UPPER_POST)})?)(?:{_alt(_APPROX_POST)})?$"
)


@dataclass(frozen=True)
class Quantity:
    """A number read from text: `printed` as written, `value` in the family's base unit."""

    printed: float
    value: float
    family: str | None  # None: no unit
    scaled: bool  # a 万/亿 scale word was present
    bound: str | None  # "ge" | "le" | None
    year_like: bool  # bare 4-digit number 1900-2099


def _quantity(m: re.Match[str], before: str) -> Quantity:
    printed = float(m.group("num"))
    scale = _SCALES.get(m.group("scale") or "", 1.0)
    family, factor = _UNITS.get(m.group("unit") or "", (None, 1.0))
    bound = None
    pre = _PRE.search(before)
    if pre:
        bound = "ge" if pre.group(0) in _LOWER_PRE else "le"
    post = m.group("post")
    if post:
        bound = "ge" if post in _LOWER_POST else "le"
    if m.group("more1") or m.group("more2"):
        bound = "ge"
    return Quantity(
        printed=printed,
        value=printed * scale * factor,
        family=family,
        scaled=scale != 1.0,
        bound=bound,
        year_like=family is None and not m.group("scale") and m.group("num").isdigit()
        and len(m.group("num")) == 4 and 1900 <= printed <= 2099,
    )


def quantities(norm_text: str) -> list[Quantity]:
    """Every number in an already normalised text, read whole with its unit and bound."""
    return [_quantity(m, norm_text[max(0, m.start() - 4) : m.start()]) for m in _QUANT.finditer(norm_text)]


def parse_quantity(norm_gold: str) -> Quantity | None:
    """The gold as one quantity when it is nothing but a number with unit/bound, else None."""
    m = _PURE.match(norm_gold)
    if not m:
        return None
    q = _QUANT.match(m.group("q"))
    if not q or q.end() != len(m.group("q")):
        return None
    return _quantity(q, m.group("pre") or "")


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def quantity_matches(gold: Quantity, ans: Quantity) -> bool:
    if gold.bound and ans.bound != gold.bound:
        return False
    if gold.family is None and not gold.scaled:  # bare gold number: any unit, by printed value
        return _same(gold.printed, ans.printed) or _same(gold.value, ans.value)
    if gold.family is None:  # "21万", "300亿": by value, whatever the answer's unit
        return _same(gold.value, ans.value)
    if ans.family == gold.family:
        return _same(gold.value, ans.value)
    if ans.family is None and ans.scaled and gold.family == "cny":  # "300亿" for "300亿元"
        return _same(gold.value, ans.value)
    if ans.family is None and gold.family == "year" and ans.year_like:  # "2025" for "2025年"
        return _same(gold.value, ans.value)
    return False


# --------------------------------------------------------------------------- matching

_SPLIT = re.compile("[、，,；;]")


def _bounded_substring(needle: str, hay: str) -> bool:
    """`needle` in `hay`, but a digit at either end of needle must not extend a longer number."""
    start = hay.find(needle)
    while start >= 0:
        end = start + len(needle)
        ok_left = not (needle[0].isdigit() and start > 0 and (hay[start - 1].isdigit() or hay[start - 1] == "."))
        ok_right = not (
            needle[-1].isdigit()
            and end < len(hay)
            and (hay[end].isdigit() or (hay[end] == "." and end + 1 < len(hay) and hay[end + 1].isdigit()))
        )
        if ok_left and ok_right:
            return True
        start = hay.find(needle, start + 1)
    return False


def _match_norm(gold: str, line: str, line_qs: list[Quantity]) -> bool:
    q = parse_quantity(gold)
    if q is not None:
        return any(quantity_matches(q, a) for a in line_qs)
    return _bounded_substring(gold, line)


def answer_matches(gold: str, answer_line: str) -> bool:
    """Does one gold answer occur in the (first) answer line, by the rules above?"""
    g, line = normalise(gold), normalise(answer_line)
    if not g:
        return False
    qs = quantities(line)
    if _match_norm(g, line, qs):
        return True
    parts = [p for p in _SPLIT.split(g) if p]
    return len(parts) > 1 and all(_match_norm(p, line, qs) for p in parts)


def is_correct(item: dict, answer: str, abstained: bool, limit: int = MAX_FIRST_LINE) -> bool:
    """The DESIGN rule: abstention for unanswerable items, first-line match otherwise."""
    if item.get("unanswerable"):
        return bool(abstained)
    if abstained:
        return False
    line = first_line(answer, limit)
    return any(answer_matches(g, line) for g in item.get("answers") or [])


def citation_ok(
    evidence: str,
    citations: list[dict] | None,
    chunk_lookup: Callable[[str], str | None] | None = None,
) -> bool:
    """Some cited quote (or the cited chunk's text) contains the evidence, whitespace ignored."""
    ev = squash(evidence)
    if not ev:
        return False
    for c in citations or []:
        if ev in squash(str(c.get("quote") or "")):
            return True
        if chunk_lookup and c.get("chunk_id"):
            text = chunk_lookup(str(c["chunk_id"]))
            if text and ev in squash(text):
                return True
    return False


def evidence_in(evidence: str, texts: Iterable[str]) -> bool:
    """Whether any of `texts` contains the evidence (whitespace ignored): retrieval hits."""
    ev = squash(evidence)
    return bool(ev) and any(ev in squash(t) for t in texts)

"""Indicator tables whose cells run together without separators (web dumps of 专栏/表 boxes).

`专栏1 …主要目标 分类序号指标名称单位2020年2025年指标属性绝对值绝对值年均增速[累计]产业发展1某产业增加值比重%9.014.0[5]预期性2某项收入亿元5015024.6%预期性…`
is read by the header's column pattern: a row is its sequence number (1, 2, 3 … in order, which is
how `196G基站数` is row 19 named 6G基站数), a name, a unit from a known vocabulary, one value
per year column, an optional growth (`24.6%`) or five-year sum (`[5]`) and the 属性 (预期性/约束性).
Text between rows is a group label (`对外开放`). Digits of adjacent values run together
(`50150` = 50 | 150): the split is the one that agrees with the printed growth or sum, else the one
with the smallest change between years.

`split_runon_tables` cuts such a line into caption, table and the prose after it, and returns the
parsed tables as spans over the new lines.
"""

from __future__ import annotations

import math
import re
from itertools import combinations

from ingest.model import IndicatorRow, Line, Table

MIN_LINE = 120  # characters: only long lines can hold a whole run-together table
MAX_NAME = 40  # characters of an indicator name
MAX_GROUP = 12  # characters of a group label between rows
GROWTH_TOLERANCE = 0.6  # percentage points between the printed growth and the one the split implies
UNITS = sorted("""% ‰ 个百分点 百分点 万亿元 亿元 万元 元 亿美元 万美元 美元 元/人 元/年 元/月 万人次 人次 万人 人 万户 户 万吨 吨
千瓦时 万千瓦 千瓦 公里 平方公里 万平方米 平方米 亩 万亩 公顷 个 家 项 所 张 床 天 岁 倍 辆 座 条 套 台 件 次 立方米
万标箱 标箱 艘 名 位 处 间 株 只 年 小时 分钟 微克/立方米 1/10万 1/万 /10万 张/千人 人/千人 床/千人 个/千人 人/万人
张/万人 个/万人 分 级 万辆 亿立方米 吨标准煤 万吨标准煤 吨/万元 %以上""".split(), key=len, reverse=True)
_HEADER_TOKEN = re.compile(
    r"\s*(?P<t>分类|类别|领域|序号|指标名称|指标|名称|项目|单位|计量单位|(?P<y>(?:19|20)\d\d)\s*年?(?:目标|基数|现状|预期)?"
    r"|指标属性|属性|性质|绝对值|(?P<g>年均增速|年均增长率?|增速|增长率?)|[\[［(（]\s*累计\s*[\]］)）]|备注)")
_NATURE = re.compile(r"\s*(预期性|约束性)")
_VALUE_RUN = re.compile(r"[\d.\s\[\]［］≥≤＜＞<>—\-～~%‰/]*(?:(?:左右|以上|以下|以内)[\d.\s\[\]［］≥≤＜＞<>—\-～~%‰/]*)*")
_TOKEN = re.compile(r"[\[［][^\]］]*[\]］]|[≥≤＜＞<>]\s*[\d.]+%?(?:左右|以上|以下|以内)?|[\d.]+(?:\s*[-～~]\s*[\d.]+)?%?"
                    r"(?:左右|以上|以下|以内)?|—+|-")
_CAPTION = re.compile(r"(?:专栏|附表|表)\s*\d{1,2}\s*[：:]?")
_NUMBER = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")


def split_runon_tables(lines: list[Line], doc_id: str) -> tuple[list[Line], list[tuple[int, int, Table]]]:
    """Lines with each run-together table cut out onto lines of its own, and (start, end, table)
    spans over the returned lines (caption line included when there is one)."""
    out: list[Line] = []
    spans: list[tuple[int, int, Table]] = []
    for ln in lines:
        rest, para_break = ln.text, ln.para_break
        while len(rest) >= MIN_LINE:
            found = _find_table(rest, doc_id, ln.page)
            if found is None:
                break
            cap_at, head_at, end, table = found
            before, caption, body = rest[:cap_at].rstrip(), rest[cap_at:head_at].strip(), rest[head_at:end].strip()
            if before:
                out.append(Line(before, ln.page, para_break))
            start = len(out)
            if caption:
                out.append(Line(caption, ln.page, True))
            elif out and _CAPTION.match(out[-1].text) and len(out[-1].text) <= 60:
                start -= 1  # the caption is the line before
                caption = out[-1].text
            table.title = caption
            for r in table.indicators:
                r.table = caption
            out.append(Line(body, ln.page, True))
            spans.append((start, len(out), table))
            rest, para_break = rest[end:].lstrip(), True
        if rest.strip():
            out.append(Line(rest, ln.page, para_break))
    return out, spans


def _find_table(text: str, doc_id: str, page: int) -> tuple[int, int, int, Table] | None:
    """(caption start, header start, table end, table) of the first run-together table in text."""
    for m in re.finditer(r"序号|分类|类别|指标名称|指标", text):
        if m.group() == "指标" and text.startswith("序号", m.end()):
            continue  # a caption ending in 指标 (`…规划指标序号指标单位…`): the header starts at 序号
        cols = _header(text, m.start())
        if cols is None:
            continue
        years, growth, nature, head_end = cols
        rows, end = _rows(text, head_end, years, growth, nature, doc_id, page)
        if len(rows) < 2:
            continue
        cap = _caption_before(text, m.start())
        table = Table(doc_id=doc_id, title="", kind="indicator", page_start=page, page_end=page,
                      text=text[cap if cap is not None else m.start():end], indicators=rows)
        return (cap if cap is not None else m.start()), m.start(), end, table
    return None


def _caption_before(text: str, at: int) -> int | None:
    """Start of the 专栏N/表N caption that the header at `at` follows (its title at most 60 characters)."""
    window = text[max(0, at - 70):at]
    caps = list(_CAPTION.finditer(window))
    if not caps or re.search(r"[。；]", window[caps[-1].start():]):
        return None
    return max(0, at - 70) + caps[-1].start()


def _header(text: str, at: int) -> tuple[list[str], str, bool, int] | None:
    """Years, growth column label, has-属性, header end — when a header starts at `at`."""
    pos, years, growth, nature, seen = at, [], "", False, set()
    while True:
        m = _HEADER_TOKEN.match(text, pos)
        if m is None:
            break
        tok = m.group("t")
        if m.group("y"):
            if m.group("y") in years:
                break
            years.append(m.group("y"))
        elif m.group("g"):
            growth = tok
        elif tok in ("指标属性", "属性", "性质"):
            nature = True
        seen.add(tok)
        pos = m.end()
    if not years or not ({"单位", "计量单位"} & seen) or not ({"序号", "指标名称", "指标", "名称"} & seen):
        return None
    return years, growth, nature, pos


def _rows(text: str, pos: int, years: list[str], growth: str, nature: bool, doc_id: str,
          page: int) -> tuple[list[IndicatorRow], int]:
    rows: list[IndicatorRow] = []
    group: str | None = None
    end = pos
    k = 1
    while True:
        found = None
        for m in re.finditer(re.escape(str(k)), text[pos:pos + MAX_GROUP + len(str(k))]):
            label = text[pos:pos + m.start()].strip()
            if label and not re.fullmatch(rf"[\u4e00-\u9fff“”]{{2,{MAX_GROUP}}}", label):
                continue
            row = _row(text, pos + m.end(), years, growth, nature, k)
            if row is not None:
                found = (label, pos + m.start(), row)
                break
        if found is None:
            break
        label, start, (name, unit, values, prop, row_end) = found
        group = label or group
        rows.append(IndicatorRow(doc_id=doc_id, table="", group=group, name=name, unit=unit, values=values,
                                 nature=prop, page=page, text=text[start:row_end].strip()))
        pos = end = row_end
        k += 1
    return rows, end


def _row(text: str, at: int, years: list[str], growth: str, nature: bool,
         k: int) -> tuple[str, str | None, dict[str, str], str | None, int] | None:
    """(name, unit, values, 属性, end) of the row whose name starts at `at`."""
    for j in range(at + 2, min(at + MAX_NAME, len(text))):
        if re.match(r"[。；，]", text[j]):
            return None
        unit = next((u for u in UNITS if text.startswith(u, j)), None)
        after = j + len(unit) if unit else j
        if unit is None and not (text[j] == " " and re.match(r"\s*[\d\[［—]", text[j:])):
            continue
        if not re.match(r"\s*[\d\[［≥≤＜＞<>—\-]", text[after:]):
            continue
        run = _VALUE_RUN.match(text, after)
        vend = run.end()
        prop = _NATURE.match(text, vend)
        if prop is None:
            if nature:
                continue
            nxt = str(k + 1)  # without a 属性 column the next row's number ends the run
            cut = text.rfind(nxt, after, vend)
            if cut > after and not re.match(r"[\d.%]", text[cut + len(nxt):cut + len(nxt) + 1] or "x"):
                vend = cut
        values = _values(text[after:vend], years, growth)
        if values is None:
            continue
        name = text[at:j].strip()
        return name, unit, values, (prop.group(1) if prop else None), (prop.end() if prop else vend)
    return None


def _values(run: str, years: list[str], growth: str) -> dict[str, str] | None:
    """The printed values of one row, keyed by year (and the growth/sum column label)."""
    tokens = _TOKEN.findall(run)
    if not tokens:
        return None
    label = re.sub(r"[\[［(（].*$", "", growth) or "累计"
    extra = [t for t in tokens if t.endswith("%") or t.startswith(("[", "［"))] if growth else []
    has_growth = bool(growth) and (len(tokens) > len(years) or bool(extra and tokens[-1] in extra))
    n_cols = len(years) + (1 if has_growth else 0)
    cells = _fit(tokens, n_cols, has_growth, len(years))
    if cells is None and has_growth:
        has_growth, n_cols = False, len(years)
        cells = _fit(tokens, n_cols, False, len(years))
    if cells is None:
        if len(tokens) == 1:
            return {years[-1]: tokens[0]}  # one value printed: the target year's
        return None
    keys = years + ([label] if has_growth else [])
    return dict(zip(keys, cells, strict=True))


def _fit(tokens: list[str], n: int, growth: bool, n_years: int) -> list[str] | None:
    if len(tokens) == n:
        return tokens
    if len(tokens) > n:
        return None
    blob_i = next((i for i, t in enumerate(tokens) if re.fullmatch(r"[\d.]+%?(?:左右|以上|以下|以内)?", t)), None)
    if blob_i is None:
        return None
    blob = tokens[blob_i]
    m = re.fullmatch(r"([\d.]+)(%?(?:左右|以上|以下|以内)?)", blob)
    digits, suffix = m.group(1), m.group(2)
    parts = n - len(tokens) + 1
    best: tuple[float, list[str]] | None = None
    for cuts in combinations(range(1, len(digits)), parts - 1):
        pieces = [digits[a:b] for a, b in zip((0, *cuts), (*cuts, len(digits)), strict=True)]
        if not all(_NUMBER.fullmatch(p) for p in pieces):
            continue
        cells = tokens[:blob_i] + pieces[:-1] + [pieces[-1] + suffix] + tokens[blob_i + 1:]
        score = _score(cells, growth, n_years)
        if best is None or score < best[0]:
            best = (score, cells)
    return best[1] if best else None


def _num(cell: str) -> float | None:
    m = re.search(r"[\d.]+", cell)
    try:
        return float(m.group()) if m else None
    except ValueError:
        return None


def _score(cells: list[str], growth: bool, n_years: int) -> float:
    """How implausible a reading is: disagreement with the printed growth / sum, else the size of
    the change between the first and last year."""
    first, last = _num(cells[0]), _num(cells[n_years - 1])
    if first is None or last is None:
        return 1e6
    if growth and n_years < len(cells):
        g = cells[n_years]
        gv = _num(g)
        if gv is not None and g.endswith("%") and first > 0:
            span = 5  # a plan's growth column is the five-year annual average
            implied = ((last / first) ** (1 / span) - 1) * 100 if last > 0 else -100
            err = abs(implied - gv)
            return err if err <= GROWTH_TOLERANCE else 100 + err
        if gv is not None and g.startswith(("[", "［")):
            err = abs((last - first) - gv)
            return err if err <= GROWTH_TOLERANCE else 100 + _change(first, last)
    return 100 + _change(first, last)


def _change(a: float, b: float) -> float:
    if a <= 0 or b <= 0:
        return 50.0
    return abs(math.log(b / a))

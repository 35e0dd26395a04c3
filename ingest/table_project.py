"""Project lists (重点项目库): 序号 / 项目名称 / 园区 / 建设内容 / 建设年限 / 总投资 / 进展.

PDF extraction emits each row's cells column by column, wrapping every cell over several short
lines and sometimes putting the tail of one cell and the head of the next on one line:

    2 计量检测校准中心            <- seq + name (part 1)
    平台项目 大连经济技术          <- name (part 2) + park (part 1)
    开发区                        <- park (part 2)
    办公楼房维修、改造 …           <- content …
    2018-                         <- period start: the anchor
    2021 12000 搭建计量检测…       <- period end, investment, progress
    …                             <- progress continues until the next seq

The period+investment anchor is the reliable pivot: everything between the row's seq and the
anchor is name, park and content in that order; everything after it up to the next seq is
progress. The park is found with a vocabulary learned from the rows themselves (cells ending in
园区/新区/开发区/…, including ones wrapped over two lines), so no list of parks is hard-coded.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.model import Line, ProjectRow, Table
from ingest.table_cells import display_title, is_page_number, is_table_title, join_wrapped

_Y = r"(?:19|20)\d{2}"
_NUM = r"\d+(?:\.\d+)?"
_DASH = r"[-—–~～至]"
# a progress text never starts with a unit: "2019 10 月" is a date inside content, not an anchor
_TAIL = r"(?:\s+(?![年月日万亿个平米吨台套亩%％.．（(])(.*))?"
_ANCHOR = re.compile(
    rf"^(?:(.*?)(?:\s+|(?<=[。；，、）)])))??(?<![\d.])({_Y})(?:\s*{_DASH}\s*({_Y}))?年?\s+({_NUM}){_TAIL}$"
)
# the same pivot for tables whose 总投资 column comes before 建设年限: `… 38.5 2021—2023 …`
_ANCHOR_REV = re.compile(
    rf"^(?:(.*?)(?:\s+|(?<=[。；，、）)])))??(?<![\d.])({_NUM})\s+({_Y})(?:\s*{_DASH}\s*({_Y}))?年?{_TAIL}$"
)
_UNIT_START = re.compile(r"^[年月日万亿个平米吨台套亩%％]")

_SEQ_START = re.compile(r"^(\d{1,3})(?:\s+(.*))?$")
_CATEGORY = re.compile(
    r"^(?:[一二三四五六七八九十]+(?:\s*[、.．]\s*|\s+)|（[一二三四五六七八九十]+）\s*)"
    r"(?P<name>[^\d\s（(，。]{2,20})\s*(?:[（(](?P<count>\d+)\s*个?[）)])?$"
)
_COUNT_LINE = re.compile(r"^[（(](\d+)\s*个?[）)]$")
# the total row; a second figure is the total of a second amount column (“十四五”投资)
_TOTAL = re.compile(rf"^(?:总计|合计|总投资)\s*(?:[（(](\d+)\s*个?[）)])?\s*({_NUM})(?:\s+({_NUM}))?$")
_PARK_SUFFIX = re.compile(
    r"(园区|新区|开发区|经济区|保税区|产业区|工业区|高新区|示范区|功能区|集聚区|片区|港区|试验区|"
    r"合作区|自贸区|产业园|工业园|科技园|软件园|物流园|基地|街道|[县镇乡])$"
)
# how project names end; used to prefer the park reading that leaves a plausible name
_NAME_END = re.compile(
    r"(项目|工程|中心|平台|基地|[园楼厂线站馆院校所路桥期化城港区库室场台厦号谷器车机仓网段道地房店街镇村湾岛池司]|[）)A-Za-z0-9])$"
)
_HEADING = re.compile(r"^(附件\s*\d+|第[一二三四五六七八九十百]+[章节]|（[一二三四五六七八九十]+）\S)")
_MAX_PROGRESS_LINES = 8


def looks_like_project_header(text: str) -> bool:
    t = re.sub(r"\s+", "", text)
    return "序号" in t and "项目" in t and bool(re.search(r"投资|园区|年限|地点|建设内容|单位", t))


@dataclass
class _Frag:
    text: str
    line: int  # index into the row's pre-anchor line list
    start: int  # offset in that line
    brk: bool = False  # its line follows a blank line (a new block of the PDF)


@dataclass
class _Row:
    seq: int
    category: str | None
    page: int
    pre: list[str] = field(default_factory=list)  # lines from the seq up to the anchor
    breaks: list[bool] = field(default_factory=list)  # para_break of each pre line
    period: str = ""
    start_year: int | None = None
    end_year: int | None = None
    investment: str = ""
    progress: list[str] = field(default_factory=list)
    frags: list[_Frag] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)


def _anchor(texts: list[str], i: int, rev: bool = False) -> tuple[str, str, int, int, str, str, int] | None:
    """(prefix, period, start, end, investment, progress head, lines used) when a period starts on line i.

    The period and investment may be spread over up to three lines: `2020-` / `2022 45000 …`,
    `2018` / `-2020 290000 …`, `2019-` / `2021` / `40000 …`, or sit on one line after the content.
    `rev`: the investment is printed before the period.
    """
    if rev:
        return _anchor_rev(texts, i)
    first = texts[i]
    joined = first
    for used in range(1, 4):
        if used > 1:
            if i + used - 1 >= len(texts):
                break
            joined += " " + texts[i + used - 1]
        m = _ANCHOR.match(joined)
        if m and m.start(2) < len(first) and (used == 1 or m.end(3 if m.group(3) else 2) >= len(first)):
            a = int(m.group(2))
            b = int(m.group(3)) if m.group(3) else a
            nxt = texts[i + used] if i + used < len(texts) else ""
            if m.group(5) is None and _UNIT_START.match(nxt):
                return None  # "计划 2019 年 4" / "月开工": a date inside the content
            if a <= b:
                period = f"{a}-{b}" if m.group(3) else str(a)
                return (m.group(1) or "").strip(), period, a, b, m.group(4), m.group(5) or "", used
    return None


def _anchor_rev(texts: list[str], i: int) -> tuple[str, str, int, int, str, str, int] | None:
    first = texts[i]
    joined = first
    for used in range(1, 3):
        if used > 1:
            if i + 1 >= len(texts):
                break
            joined += " " + texts[i + 1]
        m = _ANCHOR_REV.match(joined)
        if m and m.start(2) < len(first) and (used == 1 or m.end(4 if m.group(4) else 3) > len(first)):
            a = int(m.group(3))
            b = int(m.group(4)) if m.group(4) else a
            if a <= b:
                period = f"{a}-{b}" if m.group(4) else str(a)
                return (m.group(1) or "").strip(), period, a, b, m.group(2), m.group(5) or "", used
    return None


def _split_frags(pre: list[str], breaks: list[bool]) -> list[_Frag]:
    frags = []
    for k, line in enumerate(pre):
        for m in re.finditer(r"\S+", line):
            frags.append(_Frag(m.group(0), k, m.start(), breaks[k]))
    return frags


def _joinable(frags: list[_Frag], k: int) -> bool:
    """May frags k and k+1 be one wrapped cell?

    A wrapped cell continues at the start of the next line, in the same block (no blank line in
    between) -- unless its first part shared a line with the previous cell (`平台项目 大连经济技术`),
    in which case the rest of it comes as a block of its own.
    """
    a, b = frags[k], frags[k + 1]
    return b.start == 0 and b.line == a.line + 1 and (not b.brk or a.start > 0)


def _is_park(text: str) -> bool:
    return (
        2 < len(text) <= 16 and bool(_PARK_SUFFIX.search(text)) and not re.search(r"[，。、；：\d（(]", text)
    )


def _park_windows(frags: list[_Frag]) -> list[tuple[int, int, str]]:
    """Runs of 1-3 fragments (never the first, which starts the name) that read like a park."""
    out = []
    for b in range(1, len(frags)):
        for a in range(b, max(0, b - 3), -1):
            if a < b and not _joinable(frags, a):
                break
            s = "".join(f.text for f in frags[a : b + 1])
            if _is_park(s):
                out.append((a, b, s))
    return out


def _choose_park(frags: list[_Frag], vocab: Counter, seen: Counter) -> tuple[int, int, str] | None:
    """Pick the park run: the shortest park-like run ending at some fragment, extended backwards over
    wrapped lines while the fragment in front is nearly always followed by this run in the table
    (`大连经济技术` + `开发区`, unlike a name tail such as `项目`), or when only the extension
    leaves a name that ends like a name."""

    def name_ok(a: int) -> bool:
        return bool(_NAME_END.search("".join(f.text for f in frags[:a])))

    choices = []
    for b in range(1, len(frags)):
        a = b
        while a > 1 and b - a < 2 and not _is_park("".join(f.text for f in frags[a : b + 1])):
            if not _joinable(frags, a - 1):
                break
            a -= 1
        s = "".join(f.text for f in frags[a : b + 1])
        if not _is_park(s):
            continue
        while a - 1 >= 1 and b - a < 2 and _joinable(frags, a - 1):
            longer = frags[a - 1].text + s
            if not _is_park(longer):
                break
            if not (name_ok(a) and not name_ok(a - 1)):
                a, s = a - 1, longer
            else:
                break
        choices.append((vocab[s] >= 2, name_ok(a), -b, a, b, s))
    if not choices:
        return None
    *_, a, b, s = max(choices)
    return a, b, s


def _content(row: _Row, frags: list[_Frag]) -> str:
    """Content fragments rejoined with their in-line spacing kept and line wraps removed."""
    if not frags:
        return ""
    parts: list[str] = []
    first = frags[0]
    for k in range(first.line, frags[-1].line + 1):
        line = row.pre[k]
        parts.append(line[first.start :] if k == first.line else line)
    return join_wrapped(parts)


def _name_end(frags: list[_Frag]) -> int:
    """Without a park column: the name is the first fragment plus its short wrapped continuations."""
    k = 1
    while k < len(frags) and _joinable(frags, k - 1) and len(frags[k].text) <= 12:
        k += 1
    return k


def _resolve(rows: list[_Row], has_park: bool) -> list[tuple[str, str | None, str]]:
    """Split each row's pre-anchor fragments into (name, park, content) with a learned park vocabulary."""
    if not has_park:
        out = []
        for row in rows:
            k = _name_end(row.frags)
            out.append(("".join(f.text for f in row.frags[:k]), None, _content(row, row.frags[k:])))
        return out
    windows = [_park_windows(r.frags) for r in rows]
    vocab = Counter(s for ws in windows for s in {w[2] for w in ws})
    seen = Counter(t for r in rows for t in {f.text for f in r.frags})  # rows each fragment occurs in
    out = []
    for row in rows:
        frags = row.frags
        best = _choose_park(frags, vocab, seen)
        if best is None:
            k = _name_end(frags)
            out.append(("".join(f.text for f in frags[:k]), None, _content(row, frags[k:])))
            continue
        a, b, park = best
        out.append(("".join(f.text for f in frags[:a]), park, _content(row, frags[b + 1 :])))
    return out


def parse_projects(
    lines: list[Line], header: int, title: str, doc_id: str, noise: set[str], unit_hint: str = ""
) -> tuple[Table, int] | None:
    """Read a project list whose column header starts at `header`; returns the table and end index.

    `unit_hint` is a unit note printed between the caption and the header (单位：亿元)."""
    header_texts: set[str] = set()
    head_end = header + 1
    while head_end < min(len(lines), header + 6) and not any(
        p.match(lines[head_end].text.strip()) for p in (_SEQ_START, _TOTAL, _CATEGORY)
    ):
        head_end += 1
    head_text = "".join(ln.text for ln in lines[header:head_end])
    # a second amount column after 总投资 (“十四五”投资, 年度计划投资) prints its figure right after
    # the row's investment; it is kept in `extra` under its header
    amounts = [t for ln in lines[header:head_end] for t in ln.text.split() if "投资" in t]
    second = amounts[1] if len(amounts) >= 2 else None
    at_inv, at_period = head_text.find("投资"), re.search(r"年限|起止|建设期|时间", head_text)
    rev = at_inv >= 0 and at_period is not None and at_inv < at_period.start()
    has_park = bool(re.search(r"园区|地点|区域|所在|位置|属地|地区|区县|乡镇|建设地|所属", head_text))
    unit_factor = 10000.0 if "亿元" in head_text or ("亿元" in unit_hint and "万元" not in head_text) else 1.0
    texts = [ln.text.strip() for ln in lines]
    stated: dict = {}
    cat_counts: dict[str, int] = {}
    rows: list[_Row] = []
    category: str | None = None
    expect = 1
    after_category = False
    state = "head"  # head -> pre (seq..anchor) -> post (progress) -> pre ...
    end = header + 1
    i = header
    while i < len(lines):
        t = texts[i]
        if t in header_texts:
            i += 1
            continue
        if t in noise and i + 1 < len(lines) and is_page_number(lines[i + 1].text):
            i += 2  # a running header and its page number the cleaner left behind
            continue
        if state == "pre":
            got = _anchor(texts, i, rev)
            if got:
                prefix, period, a, b, inv, head, used = got
                row = rows[-1]
                lead = re.match(rf"^(.*?)\s*(?<![\d.])({_NUM})$", prefix) if rev and second else None
                if lead:  # `… 38.5 30 2021-2023`: 总投资, then the second amount next to the period
                    prefix, row.extra[second], inv = lead.group(1), inv, lead.group(2)
                if prefix:
                    row.pre.append(prefix)
                    row.breaks.append(lines[i].para_break)
                row.period, row.start_year, row.end_year, row.investment = period, a, b, inv
                more = re.match(rf"^({_NUM})(?:\s+(.*))?$", head) if second else None
                if more:
                    row.extra[second], head = more.group(1), more.group(2) or ""
                if head:
                    row.progress.append(head)
                state = "post"
                i += used
                end = i
                continue
            if len(rows[-1].pre) > 40:
                return None  # no anchor found: not the layout this parser reads
            rows[-1].pre.append(t)
            rows[-1].breaks.append(lines[i].para_break)
            i += 1
            continue
        m = _TOTAL.match(t)
        if m:
            if m.group(1):
                stated["count"] = int(m.group(1))
            stated["investment_wan"] = _number(m.group(2), unit_factor)
            i += 1
            end = i
            continue
        m = _CATEGORY.match(t)
        if m and not _SEQ_START.match(t):
            count = m.group("count")
            nxt = i + 1
            if not count and nxt < len(texts):
                c = _COUNT_LINE.match(texts[nxt])
                if c:
                    count, nxt = c.group(1), nxt + 1
            first = _SEQ_START.match(texts[nxt]) if nxt < len(texts) else None
            if first and int(first.group(1)) in (1, expect):
                category = m.group("name")
                if count:
                    cat_counts[category] = int(count)
                after_category = True
                state = "post" if rows else "head"
                i = nxt
                end = i
                continue
            if rows:
                break  # a heading of the text after the table ("三、保障措施")
        m = _SEQ_START.match(t)
        # a missing row number (expect+1, expect+2) should not swallow the rest of the list
        if m and (expect <= int(m.group(1)) <= expect + 2 or (after_category and int(m.group(1)) == 1)):
            seq = int(m.group(1))
            rows.append(_Row(seq, category, lines[i].page))
            state = "pre"
            after_category = False
            expect = seq + 1
            if m.group(2):  # the rest of the line is read as the row's first line (it may hold the anchor)
                texts[i] = m.group(2)
                continue
            i += 1
            continue
        if state == "head":
            if is_page_number(t) or len(header_texts) > 8:
                break
            header_texts.add(t)
            i += 1
            continue
        # progress continuation of the last row, unless the table is over
        if is_table_title(t) or _HEADING.match(t) or is_page_number(t):
            if is_page_number(t) and i + 1 < len(lines) and not is_table_title(lines[i + 1].text):
                i += 1  # a stray page number inside the table
                continue
            break
        if len(rows[-1].progress) >= _MAX_PROGRESS_LINES:
            break
        rows[-1].progress.append(t)
        i += 1
        end = i
    if state == "pre" and rows:
        rows.pop()  # a row without its period/investment anchor was not a row
    if not rows:
        return None
    for r in rows:
        r.frags = _split_frags(r.pre, r.breaks)
    records = []
    for r, (name, park, content) in zip(rows, _resolve(rows, has_park), strict=False):
        inv = _number(r.investment, unit_factor) if r.investment else None
        progress = join_wrapped(r.progress) or None
        cells = [str(r.seq), name, park or "", content, r.period, r.investment, *r.extra.values(), progress or ""]
        records.append(
            ProjectRow(
                doc_id=doc_id,
                table=display_title(title),  # "附件3 产业转型升级示范区重点项目库", as model.py documents
                category=r.category,
                seq=r.seq,
                name=name,
                park=park,
                content=content or None,
                period=r.period or None,
                start_year=r.start_year,
                end_year=r.end_year,
                investment_wan=inv,
                progress=progress,
                page=r.page,
                text=" ".join(c for c in cells if c),
                extra=r.extra,
            )
        )
    if cat_counts:
        stated["categories"] = cat_counts
    table = Table(
        doc_id=doc_id,
        title=title,
        kind="project",
        page_start=lines[header].page,
        page_end=lines[end - 1].page,
        stated_total=stated,
        projects=records,
    )
    return table, end


def _number(s: str, factor: float = 1.0) -> float:
    """Printed amount in 万元 (an int when whole, so 45000 prints as 45000)."""
    v = round(float(s) * factor, 4)
    return int(v) if v.is_integer() else v

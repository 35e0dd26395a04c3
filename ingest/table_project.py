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
园区/新区/开发区/…, including ones wrapped over two lines), so no list of parks is hard-coded:
that split of the pre-anchor lines into name, park and content is table_project_cells.py; this
module reads the lines into rows (`_Reader`, one handler per kind of line) and the rows into records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.model import Line, ProjectRow, Table
from ingest.table_cells import display_title, is_page_number, is_table_title, join_wrapped
from ingest.table_project_cells import Frag, resolve, split_frags

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
_HEADING = re.compile(r"^(附件\s*\d+|第[一二三四五六七八九十百]+[章节]|（[一二三四五六七八九十]+）\S)")
_MAX_PROGRESS_LINES = 8


def looks_like_project_header(text: str) -> bool:
    t = re.sub(r"\s+", "", text)
    return "序号" in t and "项目" in t and bool(re.search(r"投资|园区|年限|地点|建设内容|单位", t))


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
    frags: list[Frag] = field(default_factory=list)
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


@dataclass(frozen=True)
class _Layout:
    """What the column header says about how rows are printed."""

    second: str | None  # header of a second amount column after 总投资 (“十四五”投资), kept in `extra`
    rev: bool  # 总投资 is printed before 建设年限
    has_park: bool  # a park/place column exists
    unit_factor: float  # 10000 when amounts are in 亿元 (records are in 万元)


def _layout(lines: list[Line], header: int, unit_hint: str) -> _Layout:
    head_end = header + 1
    while head_end < min(len(lines), header + 6) and not any(
        p.match(lines[head_end].text.strip()) for p in (_SEQ_START, _TOTAL, _CATEGORY)
    ):
        head_end += 1
    head_text = "".join(ln.text for ln in lines[header:head_end])
    # a second amount column after 总投资 (“十四五”投资, 年度计划投资) prints its figure right after
    # the row's investment; it is kept in `extra` under its header
    amounts = [t for ln in lines[header:head_end] for t in ln.text.split() if "投资" in t]
    at_inv, at_period = head_text.find("投资"), re.search(r"年限|起止|建设期|时间", head_text)
    return _Layout(
        second=amounts[1] if len(amounts) >= 2 else None,
        rev=at_inv >= 0 and at_period is not None and at_inv < at_period.start(),
        has_park=bool(re.search(r"园区|地点|区域|所在|位置|属地|地区|区县|乡镇|建设地|所属", head_text)),
        unit_factor=10000.0 if "亿元" in head_text or ("亿元" in unit_hint and "万元" not in head_text) else 1.0,
    )


def parse_projects(
    lines: list[Line], header: int, title: str, doc_id: str, noise: set[str], unit_hint: str = ""
) -> tuple[Table, int] | None:
    """Read a project list whose column header starts at `header`; returns the table and end index.

    `unit_hint` is a unit note printed between the caption and the header (单位：亿元)."""
    layout = _layout(lines, header, unit_hint)
    reader = _Reader(lines, header, noise, layout)
    if not reader.read():
        return None
    stated = reader.stated
    if reader.cat_counts:
        stated["categories"] = reader.cat_counts
    table = Table(
        doc_id=doc_id,
        title=title,
        kind="project",
        page_start=lines[header].page,
        page_end=lines[reader.end - 1].page,
        stated_total=stated,
        projects=_records(reader.rows, layout, title, doc_id),
    )
    return table, reader.end


# what a line handler did with the current line
_NEXT = "next"  # consumed it (or rewrote it to be read again): go on
_STOP = "stop"  # the table is over before it
_FAIL = "fail"  # the lines are not the layout this parser reads


class _Reader:
    """The lines of one project list read into rows: head -> pre (seq..anchor) -> post (progress) -> pre …

    Each kind of line has its handler, tried in a fixed order (skipped repeats, the current row's
    pre-anchor lines, the total, a category heading, a row's seq, the header, progress); the first
    that takes the line decides."""

    def __init__(self, lines: list[Line], header: int, noise: set[str], layout: _Layout):
        self.lines, self.noise, self.layout = lines, noise, layout
        self.texts = [ln.text.strip() for ln in lines]
        self.header_texts: set[str] = set()
        self.stated: dict = {}
        self.cat_counts: dict[str, int] = {}
        self.rows: list[_Row] = []
        self.category: str | None = None
        self.expect = 1
        self.after_category = False
        self.state = "head"
        self.end = header + 1
        self.i = header

    def read(self) -> bool:
        """Read up to the table's end; False when no row was read or the layout is not this one."""
        handlers = (self._repeat, self._pre, self._total, self._category, self._seq, self._head, self._progress)
        while self.i < len(self.lines):
            t = self.texts[self.i]
            got = next(g for h in handlers if (g := h(t)) is not None)
            if got == _FAIL:
                return False
            if got == _STOP:
                break
        if self.state == "pre" and self.rows:
            self.rows.pop()  # a row without its period/investment anchor was not a row
        return bool(self.rows)

    def _repeat(self, t: str) -> str | None:
        i = self.i
        if t in self.header_texts:
            self.i += 1
            return _NEXT
        if t in self.noise and i + 1 < len(self.lines) and is_page_number(self.lines[i + 1].text):
            self.i += 2  # a running header and its page number the cleaner left behind
            return _NEXT
        return None

    def _pre(self, t: str) -> str | None:
        """A line of the current row before its anchor, or the anchor itself."""
        if self.state != "pre":
            return None
        i, second = self.i, self.layout.second
        got = _anchor(self.texts, i, self.layout.rev)
        row = self.rows[-1]
        if got:
            prefix, period, a, b, inv, head, used = got
            lead = re.match(rf"^(.*?)\s*(?<![\d.])({_NUM})$", prefix) if self.layout.rev and second else None
            if lead:  # `… 38.5 30 2021-2023`: 总投资, then the second amount next to the period
                prefix, row.extra[second], inv = lead.group(1), inv, lead.group(2)
            if prefix:
                row.pre.append(prefix)
                row.breaks.append(self.lines[i].para_break)
            row.period, row.start_year, row.end_year, row.investment = period, a, b, inv
            more = re.match(rf"^({_NUM})(?:\s+(.*))?$", head) if second else None
            if more:
                row.extra[second], head = more.group(1), more.group(2) or ""
            if head:
                row.progress.append(head)
            self.state = "post"
            self.i += used
            self.end = self.i
            return _NEXT
        if len(row.pre) > 40:
            return _FAIL  # no anchor found: not the layout this parser reads
        row.pre.append(t)
        row.breaks.append(self.lines[i].para_break)
        self.i += 1
        return _NEXT

    def _total(self, t: str) -> str | None:
        m = _TOTAL.match(t)
        if not m:
            return None
        if m.group(1):
            self.stated["count"] = int(m.group(1))
        self.stated["investment_wan"] = _number(m.group(2), self.layout.unit_factor)
        self.i += 1
        self.end = self.i
        return _NEXT

    def _category(self, t: str) -> str | None:
        """A category heading (一、公共基础设施（53个）) followed by the first row of its group."""
        m = _CATEGORY.match(t)
        if not m or _SEQ_START.match(t):
            return None
        texts = self.texts
        count = m.group("count")
        nxt = self.i + 1
        if not count and nxt < len(texts):
            c = _COUNT_LINE.match(texts[nxt])
            if c:
                count, nxt = c.group(1), nxt + 1
        first = _SEQ_START.match(texts[nxt]) if nxt < len(texts) else None
        if first and int(first.group(1)) in (1, self.expect):
            self.category = m.group("name")
            if count:
                self.cat_counts[self.category] = int(count)
            self.after_category = True
            self.state = "post" if self.rows else "head"
            self.i = nxt
            self.end = self.i
            return _NEXT
        if self.rows:
            return _STOP  # a heading of the text after the table ("三、保障措施")
        return None

    def _seq(self, t: str) -> str | None:
        """A row's number starts a new row (a missing number, expect+1 or +2, does not end the list)."""
        m = _SEQ_START.match(t)
        if not (m and (self.expect <= int(m.group(1)) <= self.expect + 2 or
                       (self.after_category and int(m.group(1)) == 1))):
            return None
        seq = int(m.group(1))
        self.rows.append(_Row(seq, self.category, self.lines[self.i].page))
        self.state = "pre"
        self.after_category = False
        self.expect = seq + 1
        if m.group(2):  # the rest of the line is read as the row's first line (it may hold the anchor)
            self.texts[self.i] = m.group(2)
            return _NEXT
        self.i += 1
        return _NEXT

    def _head(self, t: str) -> str | None:
        """Before the first row: more header lines (remembered: a page break repeats them)."""
        if self.state != "head":
            return None
        if is_page_number(t) or len(self.header_texts) > 8:
            return _STOP
        self.header_texts.add(t)
        self.i += 1
        return _NEXT

    def _progress(self, t: str) -> str:
        """A progress continuation of the last row, unless the table is over."""
        i = self.i
        if is_table_title(t) or _HEADING.match(t) or is_page_number(t):
            if is_page_number(t) and i + 1 < len(self.lines) and not is_table_title(self.lines[i + 1].text):
                self.i += 1  # a stray page number inside the table
                return _NEXT
            return _STOP
        if len(self.rows[-1].progress) >= _MAX_PROGRESS_LINES:
            return _STOP
        self.rows[-1].progress.append(t)
        self.i += 1
        self.end = self.i
        return _NEXT


def _records(rows: list[_Row], layout: _Layout, title: str, doc_id: str) -> list[ProjectRow]:
    """Project records of the rows read, their pre-anchor lines split into name, park and content."""
    for r in rows:
        r.frags = split_frags(r.pre, r.breaks)
    records = []
    for r, (name, park, content) in zip(rows, resolve(rows, layout.has_park), strict=False):
        inv = _number(r.investment, layout.unit_factor) if r.investment else None
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
    return records


def _number(s: str, factor: float = 1.0) -> float:
    """Printed amount in 万元 (an int when whole, so 45000 prints as 45000)."""
    v = round(float(s) * factor, 4)
    return int(v) if v.is_integer() else v

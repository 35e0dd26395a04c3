"""The domain objects every later package relies on.

Plain dataclasses so they serialise to JSON / SQLite without a framework.
Field names of IndicatorRow and ProjectRow follow ../shared/DESIGN.md exactly.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Line:
    """One physical line of cleaned text, before reflow.

    `page` is 1-based. Running headers/footers and page-number lines are already gone.
    `para_break` is True when a blank line (or a page start) precedes this line in the source.
    """

    text: str
    page: int
    para_break: bool = False


@dataclass
class Paragraph:
    """A reflowed paragraph of body text (CJK wraps rejoined).

    `start`/`end` are character offsets into Document.text (the cleaned text).
    """

    text: str
    page_start: int
    page_end: int
    start: int = 0
    end: int = 0
    kind: str = "text"  # text | table (a table block, lines kept as printed) | footnote | toc (目录)
    # (offset into `text`, page) where a later page begins inside this paragraph
    page_marks: list[tuple[int, int]] = field(default_factory=list)

    def page_at(self, offset: int) -> int:
        """Page of the character at `offset` (relative to this paragraph's text)."""
        page = self.page_start
        for at, p in self.page_marks:
            if offset >= at:
                page = p
        return page


@dataclass
class Section:
    """A node of the section tree. `path` joins the headings from the root with ' > '."""

    id: str  # f"{doc_id}#s{n}"
    doc_id: str
    level: int  # 1 = top level
    marker: str  # the numbering as printed: "三、" "（一）" "1." "第一章" "专栏1" "附件3" "表3：" ...
    title: str  # heading text without the marker
    path: str  # "三、实施工业强市战略 > （一）做大做强三大基础产业 > 1. 食品工业"
    page: int
    start: int = 0  # offsets into Document.text covering the heading and its own body
    end: int = 0
    parent_id: str | None = None


@dataclass
class IndicatorRow:
    doc_id: str
    table: str  # "表 3：产业转型升级示范区目标指标表"
    group: str | None  # 一级指标 / 类别, e.g. "质量效益"
    name: str  # 二级指标 / 指标
    unit: str | None
    values: dict[str, str]  # {"2018": "6.5", "2025": "年均 6.5"} exactly as printed
    nature: str | None  # 指标性质 (预期性/约束性) when the table has it
    page: int
    section: str = ""  # section path of the table
    text: str = ""  # the row as it reads in the source (verbatim cells joined by spaces)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ProjectRow:
    doc_id: str
    table: str  # "附件3 产业转型升级示范区重点项目库"
    category: str | None  # "公共基础设施"
    seq: int | None
    name: str
    park: str | None
    content: str | None
    period: str | None  # "2020-2022" or "2019"
    start_year: int | None
    end_year: int | None
    investment_wan: float | None  # 总投资, 万元
    progress: str | None
    page: int
    section: str = ""
    text: str = ""  # the row as it reads in the source
    # columns without a field of their own, header -> cell as printed: {"“十四五”投资（亿元）": "30.2"}
    extra: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SummaryRow:
    """A row of a summary / statistics table (e.g. 表4 projects by park, 表2 statistics).

    `cells` maps column header (joined with ' / ' for two-level headers) to the printed cell.
    """

    doc_id: str
    table: str
    label: str  # first column: "大连开发区", "合计", "2018"
    cells: dict[str, str]
    page: int
    section: str = ""
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Table:
    """A table found in a document. Unparsed tables keep `kind='unparsed'` and their raw text."""

    doc_id: str
    title: str  # "表 3：产业转型升级示范区目标指标表" / "附件 3产业转型升级示范区重点项目库"
    kind: str  # indicator | project | summary | unparsed
    page_start: int
    page_end: int
    section: str = ""
    text: str = ""  # raw text of the table block (verbatim lines joined by '\n')
    stated_total: dict[str, Any] = field(default_factory=dict)  # e.g. {"count": 178, "investment_wan": 21124119}
    indicators: list[IndicatorRow] = field(default_factory=list)
    projects: list[ProjectRow] = field(default_factory=list)
    summary: list[SummaryRow] = field(default_factory=list)


@dataclass
class Chunk:
    id: str  # stable: f"{doc_id}:{kind}:{sha1(text)[:12]}:{n}"
    doc_id: str
    doc_title: str
    text: str  # what is embedded and searched (table rows are rendered with headers)
    kind: str  # text | table_row | table
    section: str  # section path
    page_start: int
    page_end: int
    start: int = 0  # offsets into Document.text
    end: int = 0
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. {"park": ..., "year": ..., "table": ...}


@dataclass
class ProfileField:
    """One profile value and where it came from: ``source`` is the verbatim line/span it was read
    from (or a short description such as ``"docx core properties"``); an empty value means unknown."""

    value: str = ""
    source: str = ""


@dataclass
class DocumentProfile:
    """What a document is: read from the document itself, never guessed from its file name.

    ``period`` is ``"2021-2025"`` style (start-end years) or empty; ``report_year`` is the year a work
    report / annual plan calls 今年 (its targets' year); ``review_year`` the year its review covers."""

    title: ProfileField = field(default_factory=ProfileField)
    issuer: ProfileField = field(default_factory=ProfileField)
    place: ProfileField = field(default_factory=ProfileField)
    date: ProfileField = field(default_factory=ProfileField)
    doc_type: ProfileField = field(default_factory=ProfileField)  # 规划纲要|专项规划|建设方案|实施方案|行动计划|政府工作报告|计划执行情况报告|规划建议|其他
    period: ProfileField = field(default_factory=ProfileField)
    report_year: ProfileField = field(default_factory=ProfileField)
    review_year: ProfileField = field(default_factory=ProfileField)

    def as_dict(self) -> dict[str, dict[str, str]]:
        return {k: {"value": v.value, "source": v.source} for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> DocumentProfile:
        prof = cls()
        for k, v in (d or {}).items():
            if hasattr(prof, k) and isinstance(v, dict):
                setattr(prof, k, ProfileField(str(v.get("value", "")), str(v.get("source", ""))))
        return prof


@dataclass
class FactRecord:
    """A target or figure stated in prose: 「2026年…地区生产总值增长5.5%左右」 → measure 地区生产总值增长,
    value "5.5", unit "%", qualifier "左右", year "2026" (year_source sentence|heading|profile), kind target."""

    doc_id: str
    measure: str
    value: str  # as printed
    unit: str | None
    qualifier: str | None  # 左右 / 以上 / 以内 / 以下 / 超过 / ≥ ...
    year: str | None  # "2026" or a period "2021-2025"
    year_source: str  # sentence | heading | profile | none
    kind: str  # target | actual
    place: str | None
    section: str
    page: int
    quote: str  # verbatim source span that states the fact
    start: int = 0  # offsets of quote into Document.text
    end: int = 0


@dataclass
class Document:
    doc_id: str  # file stem
    title: str
    source: str  # path it was loaded from
    sha256: str  # of the source bytes
    text: str  # cleaned text: reflowed paragraphs joined by '\n'; all offsets point here
    pages: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    profile: DocumentProfile = field(default_factory=DocumentProfile)
    facts: list[FactRecord] = field(default_factory=list)
    replaced_chars: int = 0  # unencodable code points replaced at load (ingest.limits.normalise)

    @property
    def indicators(self) -> list[IndicatorRow]:
        return [r for t in self.tables for r in t.indicators]

    @property
    def projects(self) -> list[ProjectRow]:
        return [r for t in self.tables for r in t.projects]


class IngestError(Exception):
    """A user-facing problem with one input file. str(e) is one line naming the file and reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

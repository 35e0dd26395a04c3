"""Section tree from the numbering conventions of Chinese plan documents.

Heading kinds: 第X章 第X节 一、 （一） 1、 1./1． （1） ① plus the boxes and captions 专栏N 附件N
表N 图N, named parts (前言 …) and run-in leads (`新能源产业。集中力量…`). The level of a numbered
kind is decided by the order in which kinds first appear, so 第X章 → 第X节 → 一、 documents work
as well as 一、 → （一） → 1. → （1） → ① ones. A 目录 block (table of contents) is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.clean import match_form
from ingest.model import Document, Paragraph, Section

_CN_NUM = "一二三四五六七八九十百零〇"

# (kind, pattern). The pattern's group "m" is the marker as printed.
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    # 第X篇 / 第X部分 hold chapters when a plan has both, so they are a kind of their own
    ("volume", re.compile(rf"^(?P<m>第\s*[{_CN_NUM}\d]{{1,4}}\s*(?:篇|部分|部(?!署|门|分)))")),
    ("chapter", re.compile(rf"^(?P<m>第\s*[{_CN_NUM}\d]{{1,4}}\s*章)")),
    ("part", re.compile(rf"^(?P<m>第\s*[{_CN_NUM}\d]{{1,4}}\s*节)")),
    ("cn", re.compile(rf"^(?P<m>[{_CN_NUM}]{{1,3}}\s*、)")),
    ("paren_cn", re.compile(rf"^(?P<m>[（(]\s*[{_CN_NUM}]{{1,3}}\s*[）)])")),
    ("num_dun", re.compile(r"^(?P<m>\d{1,2}\s*、)")),
    ("num_dot", re.compile(r"^(?P<m>\d{1,2}\s*[.．])(?!\d)")),
    ("paren_num", re.compile(r"^(?P<m>[（(]\s*\d{1,2}\s*[）)])")),
    ("circled", re.compile(r"^(?P<m>[\u2460-\u2473])")),
    ("annex", re.compile(r"^(?P<m>附\s*件\s*\d{0,2})(?![\u4e00-\u9fff]{0,3}[，。])")),
    ("box", re.compile(rf"^(?P<m>专栏\s*(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}}(?![{_CN_NUM}])))")),
    ("table", re.compile(r"^(?P<m>(?:附\s*)?表\s*\d{1,2}(?:\s*[-—.．]\s*\d{1,2})?\s*[：:]?)(?=\s|[“\u4e00-\u9fff])")),
    ("figure", re.compile(r"^(?P<m>图\s*\d{1,2}(?:\s*[-—.．]\s*\d{1,2})?\s*[：:]?)(?=\s|[“\u4e00-\u9fff])")),
]
_LEAF_KINDS = {"box", "table", "figure", "lead"}
# named parts; 名词解释 / 注释 (a report's endnotes) become a top-level section of their own
_NAMED = {"前言", "序言", "引言", "总则", "附则", "结语", "结束语", "总论", "概述", "后记", "附录",
          "名词解释", "名词注释", "术语解释", "注释", "附注", "尾注"}
_GLOSSARY = {"名词解释", "名词注释", "术语解释", "注释", "附注", "尾注"}
_TOC = {"目录", "目次"}
_NUMBER_TOKEN = re.compile(r"^[-+]?[\d,.]+%?$|^——$")
_MAX_HEADING = 60  # characters: longer lines are body text that happens to start with a number
_MAX_RUN_IN = 40  # a run-in heading's title ends with 。 within this many characters
_MAX_LEAD = 24  # marker-less lead phrase (`新能源产业。`) at most this long
_NUMBERED = {"volume", "chapter", "part", "cn", "paren_cn", "num_dun", "num_dot", "paren_num", "circled"}
_WORD_MARKED = {"volume", "chapter", "part", "cn", "paren_cn"}  # markers no figure is ever printed with
_YEAR_OR_CODE = re.compile(r"^(?:(?:19|20)\d\d\s*年(?!\d)|\d[A-Za-z])")
_LEAD = re.compile(rf"^(——)?([^，。、；：！？（）()\d\s]{{2,{_MAX_LEAD}}})。(.{{20,}})", re.S)


@dataclass
class Heading:
    kind: str
    marker: str  # as printed, e.g. "（一）" "1." "表 3："
    title: str  # without the marker
    text: str  # the heading as printed (marker + title), used in paths

    @property
    def leaf(self) -> bool:
        return self.kind in _LEAF_KINDS


def parse_heading(text: str) -> Heading | None:
    """Recognise a heading at the start of a (reflowed) paragraph, run-in or standalone."""
    s = text.strip()
    if not s or "\t" in s:
        return None
    md = re.match(r"^(#{1,6})\s+(.+)$", s)
    if md:
        # Markdown heading: its own numbering wins when it has one, else the # level decides
        inner = parse_heading(md.group(2))
        if inner is not None and inner.kind != "lead":
            return inner
        title = md.group(2).strip()
        return Heading(f"md{len(md.group(1))}", md.group(1), title, title) if len(title) <= _MAX_HEADING else None
    if re.sub(r"\s+", "", s) in _NAMED:
        return Heading("named", "", s, s)
    for kind, pat in _KINDS:
        m = pat.match(s)
        if not m:
            continue
        marker = m.group("m").strip()
        rest = s[m.end():].strip()
        head = _heading_part(rest, kind)
        if head is None:
            return None
        if kind in ("annex",) and not marker[-1:].isdigit() and head and len(head) > 30:
            return None
        text_out = _printed(s, m.end(), head)
        return Heading(kind, marker, head, text_out)
    return _lead(s)


def _heading_part(rest: str, kind: str) -> str | None:
    """The title of a heading: the whole line if short, else the run-in part before 。."""
    if kind in ("table", "figure", "annex", "box"):
        if len(rest) > _MAX_HEADING or "。" in rest[:_MAX_HEADING]:
            return None if kind in ("table", "figure") else rest[:_MAX_HEADING].split("。")[0]
        return rest
    cut = _first_stop(rest)
    if cut is not None and cut <= _MAX_RUN_IN:
        title = rest[:cut]
    elif cut is None and len(rest) <= _MAX_HEADING:
        title = rest
    else:
        return None
    if not title or _numeric_row(title):
        return None
    # "1.5亿元" or "3、4、5月" are not headings; "一、2023年工作回顾" and "1. 5G网络" are
    if re.match(r"^[\d%]", title) and not (kind in _WORD_MARKED or _YEAR_OR_CODE.match(title)):
        return None
    return title


def _first_stop(s: str) -> int | None:
    m = re.search(r"[。！？；]", s)
    return m.start() if m else None


def _numeric_row(s: str) -> bool:
    return sum(1 for t in s.split() if _NUMBER_TOKEN.match(t)) >= 3


def _printed(s: str, marker_end: int, title: str) -> str:
    """The heading as printed (marker, original spacing, title), whitespace runs collapsed."""
    end = s.find(title, marker_end) + len(title) if title else marker_end
    return re.sub(r"\s+", " ", s[:end]).strip()


def _lead(s: str) -> Heading | None:
    """A marker-less run-in lead: a short noun phrase closed by 。 and followed by body text."""
    m = _LEAD.match(s)
    if not m:
        return None
    phrase = m.group(2)
    # two-character leads only with the dash of a list item (——核电。); shorter fragments are
    # the tails of flattened table cells
    if len(phrase) < 4 and not m.group(1) and not (len(phrase) == 3 and phrase.endswith("业")):
        return None  # 物流业。 and 金融业。 are leads, 许可证。 is a table cell's tail
    if _numeric_row(s[:80]):
        return None
    if not re.search(r"[\u4e00-\u9fff]{2}", phrase):
        return None
    text = s[: m.start(3) - 1]
    return Heading("lead", "", text, text)


# --- the tree ---------------------------------------------------------------------------------


def build_sections(doc_id: str, paragraphs: list[Paragraph]) -> list[Section]:
    return assign_sections(doc_id, paragraphs)[0]


def assign_sections(doc_id: str, paragraphs: list[Paragraph]) -> tuple[list[Section], list[int | None]]:
    """Sections, and for each paragraph the index of the section that owns it (None before the first).

    Captions own only their caption (figures) or caption plus table block (tables); the text
    after them returns to the enclosing section.
    """
    toc = toc_range(paragraphs)
    title_at = _markdown_title(paragraphs)
    sections: list[Section] = []
    owner: list[int | None] = []
    ranks: list[str] = []  # numbered kinds in order of first appearance
    stack: list[tuple[int, Heading]] = []  # (section index, heading)
    for pi, para in enumerate(paragraphs):
        heading = None
        if para.kind == "text" and not (toc[0] <= pi < toc[1]) and pi != title_at:
            heading = parse_heading(para.text)
        if heading is None:
            owner.append(_body_owner(stack, para))
            continue
        _pop_for(stack, heading, ranks)
        parent = stack[-1][0] if stack else None
        path = " > ".join([h.text for _, h in stack] + [heading.text])
        sec = Section(
            id=f"{doc_id}#s{len(sections) + 1}",
            doc_id=doc_id,
            level=len(stack) + 1,
            marker=heading.marker,
            title=heading.title,
            path=path,
            page=para.page_start,
            start=para.start,
            end=para.end,
            parent_id=sections[parent].id if parent is not None else None,
        )
        sections.append(sec)
        stack.append((len(sections) - 1, heading))
        owner.append(len(sections) - 1)
    for pi, si in enumerate(owner):
        if si is not None:
            sections[si].end = max(sections[si].end, paragraphs[pi].end)
    return sections, owner


def _rank(kind: str, ranks: list[str]) -> int:
    if kind not in ranks:
        ranks.append(kind)
    return ranks.index(kind)


def _pop_for(stack: list[tuple[int, Heading]], heading: Heading, ranks: list[str]) -> None:
    # captions and leads never have children; a box (专栏) holds its own numbered items
    while stack and stack[-1][1].leaf and (stack[-1][1].kind != "box" or heading.kind == "box"):
        stack.pop()
    if heading.kind in ("named", "annex"):
        stack.clear()
        return
    if heading.leaf:
        return
    r = _rank(heading.kind, ranks)
    while stack:
        top = stack[-1][1]
        if top.kind == "box":
            # items of a kind deeper than the box's section stay inside the box; a heading
            # at the section's level or above closes it
            below = next((h for _, h in reversed(stack[:-1]) if h.kind in ranks), None)
            if below is None or r > _rank(below.kind, ranks):
                break
            stack.pop()
            continue
        if top.kind == "annex" or (top.kind == "named" and re.sub(r"\s+", "", top.title) in _GLOSSARY):
            break  # an annex or a glossary keeps its own numbered entries as children
        if top.kind == "named":
            # 前言 is a sibling of the top-level numbered headings, never their parent
            if r == 0 or len(stack) == 1:
                stack.pop()
                continue
            break
        if _rank(top.kind, ranks) >= r:
            stack.pop()
        else:
            break


def _body_owner(stack: list[tuple[int, Heading]], para: Paragraph) -> int | None:
    while stack and stack[-1][1].leaf:
        kind = stack[-1][1].kind
        if kind == "box":
            break
        if kind == "table" and (para.kind == "table" or _row_like(para.text)):
            break
        # figure captions and leads own nothing after themselves
        stack.pop()
    return stack[-1][0] if stack else None


def _row_like(text: str) -> bool:
    """Text under a table caption that is still part of an (unparsed) table, not prose: prose is
    a long sentence, or a lead-in to what follows (`重点抓好以下工作：`)."""
    t = text.rstrip()
    return not (("。" in t and len(t) >= 40) or t.endswith(("：", ":")))


def _markdown_title(paragraphs: list[Paragraph]) -> int | None:
    """Index of a document title marked `# ` (Markdown, or an unnumbered DOCX/HTML heading): the
    only `# ` heading, before every other heading, in a document whose headings carry plan
    numbering (一、 （一）). The numbering is then the document's own tree and the title names
    the document, not a section above all others; without numbering the `#` levels are the tree."""
    found, numbered = None, False
    for pi, para in enumerate(paragraphs):
        if para.kind != "text":
            continue
        h = parse_heading(para.text)
        if h is None:
            continue
        if h.kind == "md1":
            if found is not None or numbered:
                return None
            found = pi
        elif h.kind in _NUMBERED:
            numbered = True
    return found if numbered else None


def toc_range(paragraphs: list[Paragraph]) -> tuple[int, int]:
    """[start, end) of a 目录 block: the 目录 line and the heading list after it."""
    for i, para in enumerate(paragraphs[:400]):
        if re.sub(r"\s+", "", para.text) not in _TOC:
            continue
        seen: set[str] = set()
        j = i + 1
        while j < len(paragraphs):
            p = paragraphs[j]
            entry = _toc_key(p.text)
            if len(p.text) > _MAX_HEADING or "。" in p.text or not entry or entry in seen:
                break
            seen.add(entry)
            j += 1
        return i, j
    return 0, 0


def _toc_key(text: str) -> str:
    # TOC lines may carry leader dots and page numbers; quotes may be dropped in the TOC
    s = match_form(text)
    s = re.sub(r"[.·…]{2,}\d*$", "", s)
    s = re.sub(r"\d+$", "", s) if re.search(r"[\u4e00-\u9fff]\d+$", s) else s
    return re.sub(r"[“”\"'‘’]", "", s)


# --- rendering for `planqa inspect` -----------------------------------------------------------


def render_tree(doc: Document) -> str:
    """One heading per line indented by level, with its page; then the tables found."""
    out = [f"{doc.title}  ({doc.doc_id}, {doc.pages} pages)"]
    for s in doc.sections:
        out.append(f"{'  ' * (s.level - 1)}{_heading_line(s)}  [p.{s.page}]")
    out.append("")
    out.append(f"Tables ({len(doc.tables)}):")
    for t in doc.tables:
        rows = len(t.indicators) + len(t.projects) + len(t.summary)
        pages = f"p.{t.page_start}" if t.page_start == t.page_end else f"p.{t.page_start}-{t.page_end}"
        out.append(f"  {t.title}  kind={t.kind} rows={rows} {pages}")
    fields = [(k, f) for k, f in doc.profile.__dict__.items() if f.value]
    if fields:
        out += ["", "Profile:"]
        out += [f"  {k}: {f.value}    ← {f.source[:60]}" for k, f in fields]
    if doc.facts:
        out += ["", f"Facts stated in prose ({len(doc.facts)}):"]
        out += [f"  {f.kind} {f.year or '?'}({f.year_source}) {f.measure} {f.value}{f.unit or ''}{f.qualifier or ''}"
                for f in doc.facts]
    return "\n".join(out)


def _heading_line(s: Section) -> str:
    return s.path.rsplit(" > ", 1)[-1]

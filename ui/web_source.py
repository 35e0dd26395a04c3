"""The chat's answer bubble, citation labels and the source panel, as Markdown / HTML strings.

The source panel shows the cited section around the quote with the quote marked and, inside it,
the figure the answer gives marked again (`mark.figure`, scrolled into view by the page); a
table-row citation also shows the parsed row as a small table with its headers.
"""

from __future__ import annotations

import html
import re
from typing import Any

from assistant.cite import MARKER, citation_labels
from ingest.model import IndicatorRow, ProjectRow, Section, SummaryRow

RUN_MIN = 3  # this many consecutive citations of one section are shown as one range line
# a number on the answer's first line; years (…年) and citation markers are not "the figure"
_FIGURE = re.compile(r"(?<![\d.\[])\d[\d,]*(?:\.\d+)?(?![\d\]])(?!\s*年)")
_COMPUTED = re.compile(r"（系统计算[^（）]*）")

# Scrolls the source panel to the marked figure (else the quote); run after the panel changes.
SCROLL_TO_MARK_JS = """() => { setTimeout(() => {
  const m = document.querySelector('#source-panel mark.figure') || document.querySelector('#source-panel mark.quote');
  if (m) m.scrollIntoView({block: 'center', behavior: 'instant'});
}, 50); }"""


def answer_figures(answer: str) -> list[str]:
    """The figures the answer's first line states (outside 系统计算 brackets), to mark in the source;
    the years it names come last as `年YYYY` entries (they choose the row cell, see row_table_html)."""
    first = MARKER.sub("", _COMPUTED.sub("", (answer or "").split("\n", 1)[0]))  # [1], 表3 are no figures
    figures = list(dict.fromkeys(m.group(0) for m in _FIGURE.finditer(first)))
    years = [f"年{y}" for y in dict.fromkeys(re.findall(r"(?<!\d)((?:19|20)\d{2})\s*年", first))]
    return figures + years


def answer_markdown(result: dict[str, Any], records: Any = None) -> str:
    """The chat bubble: first line bold, details, then the numbered citations and the latency."""
    answer = (result.get("answer") or "").strip()
    first, _, rest = answer.partition("\n")
    parts = [f"**{md_escape(first)}**"] if first else []
    if rest.strip():
        parts.append(md_escape(rest.strip()).replace("\n", "  \n"))
    cites = result.get("citations") or []
    if cites:
        parts.append("  \n".join(md_escape(line) for line in citation_lines(cites, records)))
    mode = result.get("mode") or ""
    latency = result.get("latency_ms")
    meta = []
    if mode:
        meta.append(f"模式：{mode}")
    if latency is not None:
        meta.append(f"用时：{float(latency):.1f} ms")
    if result.get("abstained"):  # not every abstention is a search that failed (a vague question)
        meta.append("文档中未找到答案" if answer.startswith("文档中未找到") else "未给出答案")
    if meta:
        parts.append(f"<small>{' · '.join(meta)}</small>")
    return "\n\n".join(parts)


def citation_lines(cites: list[dict[str, Any]], records: Any = None) -> list[str]:
    """One line per citation; a run of RUN_MIN or more citations of one section (a project list
    answer can cite twenty rows of one table) reads as one range line "[2]–[21] 标题 › 附件… 第79、82页"."""
    labels = citation_labels(cites, records)
    runs: list[list[int]] = []
    for i, c in enumerate(cites):
        key = (c.get("doc_id"), c.get("section"))
        if runs and (cites[runs[-1][0]].get("doc_id"), cites[runs[-1][0]].get("section")) == key:
            runs[-1].append(i)
        else:
            runs.append([i])
    lines = []
    for run in runs:
        if len(run) < RUN_MIN:
            lines += [labels[i] for i in run]
            continue
        first, last = cites[run[0]], cites[run[-1]]
        pages = "、".join(dict.fromkeys(str(cites[i].get("page")) for i in run if cites[i].get("page")))
        where = f" 第{pages}页" if pages and "页" in labels[run[0]] else f"（{len(run)} 处）"
        lines.append(f"[{first.get('n')}]–[{last.get('n')}] {first.get('doc_title') or first.get('doc_id') or ''}"
                     f" › {first.get('section') or ''}{where}")
    return lines


def citation_label(c: dict[str, Any], records: Any = None) -> str:
    return citation_labels([c], records, reuse=False)[0]  # this citation alone, as before


def md_escape(s: str) -> str:
    # Keep the figures readable: only the characters that would start markup are escaped.
    s = re.sub(r"([*_`#~|\[\]])", r"\\\1", s).replace("<", "&lt;")
    return re.sub(r"^(\s*)>", r"\1&gt;", s, flags=re.M)


def plain_text(markdown: str) -> str:
    """Markdown / HTML of a chat bubble as plain text (for accessible labels): tags, emphasis and
    escapes removed."""
    s = re.sub(r"<[^>]+>", "", markdown or "")
    s = re.sub(r"\*\*|__|`", "", s)
    s = re.sub(r"\\([*_`#~|\[\]])", r"\1", s)
    return html.unescape(re.sub(r"[ \t]*\n+", " ", s)).strip()


# ---------------------------------------------------------------- source panel


def _loose_pattern(quote: str) -> re.Pattern[str] | None:
    chars = [re.escape(ch) for ch in re.sub(r"\s+", "", quote)]
    if not chars:
        return None
    return re.compile(r"\s*".join(chars))


def _figure_pattern(figures: list[str]) -> re.Pattern[str] | None:
    alts = sorted({f.replace(",", "") for f in figures if f and not f.startswith("年")}, key=len, reverse=True)
    if not alts:
        return None
    body = "|".join(r",?".join(re.escape(ch) for ch in a) for a in alts)
    return re.compile(rf"(?<![\d.])(?:{body})(?![\d])")


def _marked(s: str, figures: re.Pattern[str] | None) -> str:
    """Escaped HTML of `s` with the answer's figures in <mark class="figure">."""
    if figures is None:
        return _html_text(s)
    out, at = [], 0
    for m in figures.finditer(s):
        out += [_html_text(s[at:m.start()]), f'<mark class="figure">{_html_text(m.group(0))}</mark>']
        at = m.end()
    return "".join([*out, _html_text(s[at:])])


def highlight(text: str, quote: str, figures: list[str] | None = None) -> tuple[str, bool]:
    """HTML of `text` with the first whitespace-insensitive occurrence of `quote` in <mark>, and
    within it the answer's `figures` marked as well."""
    pat = _loose_pattern(quote or "")
    m = pat.search(text) if pat else None
    if not m:
        return _html_text(text), False
    return (
        _html_text(text[: m.start()])
        + '<mark class="quote">'
        + _marked(m.group(0), _figure_pattern(figures or []))
        + "</mark>"
        + _html_text(text[m.end():]),
        True,
    )


def _html_text(s: str) -> str:
    return html.escape(s).replace("\n", "<br>")


def section_for(records: Any, doc_id: str, section_path: str, offset: int | None) -> Section | None:
    """The section a citation points at: by path, else the deepest section containing the offset."""
    sections = records.sections(doc_id)
    by_path = [s for s in sections if s.path == section_path]
    if by_path:
        return by_path[-1]
    if offset is not None:
        inside = [s for s in sections if s.start <= offset < s.end]
        if inside:
            return max(inside, key=lambda s: s.level)
    return None


def source_html(records: Any, citation: dict[str, Any] | None, window: int = 600) -> str:
    """The source panel for one citation: title, where it is (section path with page, paragraph
    or row), the parsed row for a table-row citation, and the text around the quote."""
    if not citation:
        return '<div class="source-empty">选择一条引用查看原文。</div>'
    doc_id = citation.get("doc_id") or ""
    quote = citation.get("quote") or ""
    figures = citation.get("_figures") or []
    chunk = records.chunk(citation["chunk_id"]) if citation.get("chunk_id") else None
    section = section_for(records, doc_id, citation.get("section") or "", chunk.start if chunk else None)
    text = ""
    if section is not None and section.end > section.start:
        text = records.document_text(doc_id)[section.start: section.end]
    body, found = highlight(_window(text, quote, window), quote, figures) if text else ("", False)
    if not found and chunk is not None:
        body, found = highlight(chunk.text, quote, figures)
    if not found:
        body = (body + "<hr>" if body else "") + f'<mark class="quote">{_marked(quote, _figure_pattern(figures))}</mark>'
    where = citation_label(citation, records).split(" › ", 1)[-1]
    row = row_table_html(records, chunk, figures) if chunk is not None and chunk.kind == "table_row" else ""
    return (
        '<div class="source-panel">'
        f'<div class="source-title">[{citation.get("n")}] {html.escape(citation.get("doc_title") or doc_id)}</div>'
        f'<div class="source-meta">章节：{html.escape(where or "—")}</div>'
        f"{row}"
        f'<div class="source-text">{body}</div>'
        "</div>"
    )


def _window(text: str, quote: str, window: int) -> str:
    """Long sections are cut to `window` characters around the quote so the mark stays visible."""
    if len(text) <= window:
        return text
    pat = _loose_pattern(quote)
    m = pat.search(text) if pat else None
    centre = (m.start() + m.end()) // 2 if m else 0
    start = max(0, min(centre - window // 2, len(text) - window))
    # Never cut through the quote itself.
    if m:
        start = min(start, m.start())
        end = max(start + window, m.end())
    else:
        end = start + window
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


# ---------------------------------------------------------------- a table row as a small table


def row_cells(row: IndicatorRow | ProjectRow | SummaryRow) -> list[tuple[str, str]]:
    """(header, value) pairs of a parsed row, in the order the table prints them."""
    if isinstance(row, IndicatorRow):
        cells = [("类别", row.group or ""), ("指标", row.name), ("单位", row.unit or "")]
        cells += [(f"{y}年" if y.isdigit() else y, v) for y, v in row.values.items()]
        return [*cells, ("指标性质", row.nature or "")]
    if isinstance(row, ProjectRow):
        inv = "" if row.investment_wan is None else f"{row.investment_wan:.4f}".rstrip("0").rstrip(".")
        cells = [("序号", "" if row.seq is None else str(row.seq)), ("项目名称", row.name), ("园区", row.park or ""),
                 ("建设内容", row.content or ""), ("建设年限", row.period or ""), ("总投资（万元）", inv),
                 ("进展", row.progress or "")]
        return cells + list(row.extra.items())
    return [("项目", row.label), *row.cells.items()]


def _row_of(records: Any, chunk: Any) -> Any:
    want = re.sub(r"\s+", "", str(chunk.meta.get("table") or ""))
    n = chunk.meta.get("row")
    if n is None:
        return None
    for t in records.tables(chunk.doc_id):
        if re.sub(r"\s+", "", t.title) == want:
            rows = [*t.indicators, *t.projects, *t.summary]
            return rows[int(n)] if 0 <= int(n) < len(rows) else None
    return None


def row_table_html(records: Any, chunk: Any, figures: list[str] | None = None) -> str:
    """The cited row as a header/value table (headers as a column: rows can be wide), the cells
    holding the answer's figure marked."""
    try:
        row = _row_of(records, chunk)
    except Exception:  # an older store without the row: the raw text below still shows it
        row = None
    if row is None:
        return ""
    pat = _figure_pattern(figures or [])
    cells = [(h, v) for h, v in row_cells(row) if v not in ("", None)]
    # the answer names its year (2025年): only that year's cell is marked when it holds the figure
    years = {f"{f[1:]}年" for f in figures or [] if f.startswith("年")}
    chosen = {h for h, v in cells if h in years and pat is not None and pat.search(v)}
    body = "".join(
        f'<tr><th scope="row">{html.escape(h)}</th><td>{_marked(v, pat if not chosen or h in chosen else None)}</td></tr>'
        for h, v in cells
    )
    title = html.escape(chunk.meta.get("table") or "")
    return f'<table class="row-table"><caption>解析出的表格行：{title}</caption>{body}</table>'


# Gradio labels each chat message for screen readers with its raw Markdown ("bot's message: **…**
# \[1\] …"). This observer replaces such a label with the message's visible text, in Chinese.
CHAT_A11Y_JS = """() => {
  const roles = {bot: '助手回答：', user: '用户提问：'};
  const fix = (el) => {
    const role = el.getAttribute('data-testid');
    const label = roles[role] + (el.innerText || '').replace(/\\s+/g, ' ').trim();
    if (el.getAttribute('aria-label') !== label) el.setAttribute('aria-label', label);
  };
  const scan = () => document.querySelectorAll('#chatbot [data-testid=bot], #chatbot [data-testid=user]').forEach(fix);
  new MutationObserver(scan).observe(document.body, {subtree: true, childList: true, characterData: true,
                                                     attributes: true, attributeFilter: ['aria-label']});
  scan();
}"""

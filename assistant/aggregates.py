"""Project aggregates: counts, sums, lists and superlatives of projects by park, category or start
year — read from the summary tables first (row label × column header), then computed from the
project rows (computed figures only inside （系统计算：…））."""

from __future__ import annotations

import re

from assistant.cite import Answer, Evidence
from assistant.corpus import Corpus, RowRef
from assistant.numbers import fmt_number, is_blank_cell, match_form
from assistant.query import Query
from assistant.rowtext import clip as _clip
from assistant.rowtext import sentences as _sentences
from assistant.rowtext import short_table as _short_table
from ingest.model import SummaryRow

_START = re.compile(r"开工|开始|启动|新建|年份")


def _filter_projects(q: Query, corpus: Corpus) -> tuple[list[RowRef], list[str]]:
    scoped = [ref for ref in corpus.projects if ref.row.doc_id in q.doc_ids]
    rows = scoped or list(corpus.projects)
    desc = []
    if q.parks:
        keys = {id(g) for g in q.parks}
        rows = [ref for ref in rows if (g := corpus.park_of(ref)) is not None and id(g) in keys]
        desc.append("、".join(g.key for g in q.parks))
    if q.categories:
        cats = {match_form(c) for c in q.categories}
        rows = [ref for ref in rows if ref.row.category and
                any(c in match_form(ref.row.category) or match_form(ref.row.category) in c for c in cats)]
        desc.append("、".join(q.categories) + "类")
    if q.years and _START.search(q.norm):
        before = _before_year(q)
        if before:
            rows = [ref for ref in rows if ref.row.start_year is not None and ref.row.start_year < before]
            desc.append(f"{before}年以前开工")
        else:
            ys = set(q.years)
            rows = [ref for ref in rows if ref.row.start_year in ys]
            desc.append("、".join(f"{y}年开工" for y in q.years))
    return rows, desc


def _before_year(q: Query) -> int | None:
    """2019年以前开工 → 2019."""
    m = re.search(r"((?:19|20)\d{2})年?(以前|之前|前)", q.norm)
    return int(m.group(1)) if m else None


_ENUM = re.compile(r"^[(（]?[一二三四五六七八九十\d]+[)）、.]?")


def _named_label(q: Query, corpus: Corpus) -> bool:
    """The question names a group row of a summary table (示范园区), so the 合计 row is not asked."""
    for ref in corpus.summaries:
        core = _ENUM.sub("", match_form(ref.row.label))
        if len(core) >= 2 and core in q.norm and not re.search(r"合计|总计", core):
            return True
    return False


def _group_label(q: Query, label: str) -> bool:
    """A row label the question names that is a group of parks (（一）示范园区), not a category
    the question filters by (公共服务平台)."""
    core = _ENUM.sub("", label)
    cats = [match_form(c) for c in q.categories]
    return len(core) >= 2 and core in q.norm and not re.search(r"合计|总计", core) and \
        not any(c in core or core in c for c in cats)


def named_groups(q: Query, corpus: Corpus) -> list[str]:
    """Group rows the question names (示范园区), when it names no park."""
    if q.parks:
        return []
    return list(dict.fromkeys(_ENUM.sub("", match_form(ref.row.label)) for ref in corpus.summaries
                              if _group_label(q, match_form(ref.row.label))))


def _summary_match(q: Query, corpus: Corpus) -> list[tuple[RowRef, str | None, str | None]]:
    """Summary rows that state the asked total, with the count and amount cells to read: the row by
    its label (a park, a group such as 示范园区, a category, or 合计), the column by its header (a
    category, a start year — exactly that year, not 2019年以前 for 2019)."""
    out = []
    park_ids = {id(g) for g in q.parks}
    cats = [match_form(c) for c in q.categories]
    groups = named_groups(q, corpus)
    for ref in corpus.summaries:
        r: SummaryRow = ref.row
        label = match_form(r.label)
        core = _ENUM.sub("", label)
        g = corpus.vocab.park_group(r.label)
        by_row = False  # the row, not a column, carries the park or group
        if q.parks:
            if g is None or id(g) not in park_ids:
                continue
            by_row = True
        elif groups:
            if core not in groups:
                continue
            by_row = True
        elif cats:
            if not any(c in label or label in c for c in cats):
                continue
        elif len(core) >= 2 and core in q.norm and not re.search(r"合计|总计", core):
            pass  # a group row the question names: （一）示范园区
        elif not re.search(r"合计|总计|全部|总", label) or _named_label(q, corpus):
            continue
        col_words = []
        if q.years and _START.search(q.norm):
            col_words += [str(y) for y in q.years]
            if _before_year(q):
                col_words.append("以前")
        if by_row and cats:
            col_words += cats
        count_col = _pick_col(r.cells, col_words, ("个数", "数量", "项目"))
        amount_col = _pick_col(r.cells, col_words, ("金额", "投资", "万元"))
        if col_words and count_col is None and amount_col is None:
            continue
        out.append((ref, count_col, amount_col))
    return out


def _pick_col(cells: dict[str, str], must: list[str], kind: tuple[str, ...]) -> str | None:
    for h, v in cells.items():
        hf = match_form(h)
        if re.search(r"以前|之前|以后|以来", hf) and not re.search(r"以前|之前|以后|以来", "".join(must)):
            continue  # "2019年以前" is not the 2019 column
        if all(m in hf for m in must) and any(k in hf for k in kind) and not is_blank_cell(v):
            return h
    if not must:
        for h, v in cells.items():
            if any(k in match_form(h) for k in kind) and not is_blank_cell(v):
                return h
    return None


def _text_stating(corpus: Corpus, doc_id: str, figures: list[str], limit: int = 2) -> list[Evidence]:
    """Body-text sentences that state all these figures (项目表 totals repeated in the text: the
    overview and the category's own paragraph)."""
    nums = [match_form(f) for f in figures if re.fullmatch(r"\d+(\.\d+)?", match_form(f))]
    if not nums or max(len(n) for n in nums) < 4:
        return []  # small numbers alone would match unrelated sentences
    out: list[Evidence] = []
    for c in corpus.text_chunks(doc_id):
        cf = corpus.form_of(c)
        if not all(n in cf for n in nums):
            continue
        for sent in _sentences(c.text):
            sf = match_form(sent)
            if all(re.search(rf"(?<![\d.]){n}(?![\d.])", sf) for n in nums):
                ev = corpus.chunk_evidence(c, sent)
                if ev is not None and all(ev.quote != o.quote for o in out):
                    out.append(ev)
                if len(out) >= limit:
                    return out
    return out


_SUPERLATIVE = re.compile(r"(最大|最多|最高)|(最小|最少|最低)")


def answer_superlative(q: Query, corpus: Corpus) -> Answer | None:
    """The project with the largest (smallest) investment among those the question filters."""
    m = _SUPERLATIVE.search(q.norm)
    if "项目" not in q.norm or not m:
        return None
    rows, desc = _filter_projects(q, corpus)
    rows = [ref for ref in rows if ref.row.investment_wan is not None]
    if not rows:
        return None
    pick = (max if m.group(1) else min)(rows, key=lambda ref: ref.row.investment_wan)
    r = pick.row
    word = "最大" if m.group(1) else "最小"
    subject = "".join(desc) if desc else "项目库"
    first = f"{subject}投资{word}的项目是{r.name}，总投资{fmt_number(r.investment_wan)}万元（{r.park or ''}，{r.period or ''}）"
    lines = [first, f"（系统计算：在{_short_table(pick.table.title)}所列{len(rows)}个项目中比较总投资）"]
    return Answer(lines, [corpus.row_evidence(pick)], confidence=0.85)


def answer_aggregate(q: Query, corpus: Corpus) -> Answer | None:
    """Counts, sums and lists of projects by park, category or start year: the figures the summary
    tables and project lists state first, the figures computed from the rows in （系统计算：…）."""
    if "项目" not in q.norm or not (q.wants_count or q.wants_sum or q.wants_list):
        return None
    if not corpus.projects and not corpus.summaries:
        return None
    if q.doc_ids and not any(x.row.doc_id in q.doc_ids for x in corpus.projects + corpus.summaries):
        # the plan the question names has no project table (某县规划) — the other plan's is not it
        titles = "、".join(corpus.title(d) for d in q.doc_ids)
        return Answer([f"文档中未找到{titles}中的重点项目表。", "该文件没有列出项目清单，无法统计项目数量或投资。"],
                      abstained=True, confidence=0.5)
    rows, desc = _filter_projects(q, corpus)
    groups = named_groups(q, corpus)
    stated = _summary_match(q, corpus)
    if groups:
        # a group of parks (示范园区) only the summary table resolves: its rows do not name the group
        if not stated:
            return None
        rows, desc = [], groups + desc
    filtered = bool(desc)
    subject = "".join(desc) if desc else "项目库"
    ev: list[Evidence] = []
    head_parts: list[str] = []
    _summary_rows_stating(q, corpus, stated, subject, filtered, head_parts, ev)
    # category counts a project list states in its group headings (一 公共基础设施（53个）)
    if q.categories and not q.parks and not groups and not (q.years and _START.search(q.norm)):
        _category_headings_stating(q, corpus, head_parts, ev)
    # totals a project list states itself (附件3 总计（178个） 21124119)
    if not filtered and not _named_label(q, corpus):
        _list_totals_stating(q, corpus, head_parts, ev)
    total = sum(ref.row.investment_wan or 0 for ref in rows)
    n = len(rows)
    src = "、".join(dict.fromkeys(_short_table(ref.table.title) for ref in rows)) or "项目表"
    computed = f"（系统计算：{src}逐项统计{n}个项目，合计总投资{fmt_number(total)}万元，折合{fmt_number(total / 10000)}亿元）"
    if not head_parts and not rows:
        if filtered:
            return Answer([f"文档中未找到{subject}的项目。"], [], abstained=True, confidence=0.7)
        return None
    if head_parts:
        first = "；".join(head_parts)
        if filtered and rows:
            first += computed
    else:
        first = f"{subject}的重点项目{computed}"
    lines = [first]
    if rows and (q.wants_list or filtered):
        lines.append(f"{src}所列{subject}项目（{n}个）：")
        lines += [_project_line(i, ref) for i, ref in enumerate(rows, 1)]
        ev += [corpus.row_evidence(ref) for ref in rows]
    conf = 0.9 if head_parts else 0.8
    return Answer(lines, ev, confidence=conf)


def _summary_rows_stating(q: Query, corpus: Corpus, stated: list[tuple[RowRef, str | None, str | None]],
                          subject: str, filtered: bool, head_parts: list[str], ev: list[Evidence]) -> None:
    """The count and amount the matched summary rows state (each pair once), with the row, the text
    sentences repeating them and the header line of an asked year's column as evidence."""
    seen_stated = set()
    for ref, ccol, acol in stated:
        r = ref.row
        c = r.cells.get(ccol) if ccol else None
        a = r.cells.get(acol) if acol else None
        key = (c, a)
        if key in seen_stated:
            continue
        seen_stated.add(key)
        who = subject if (filtered and len(q.parks) < 2) or re.search(r"合计|总计", r.label) \
            else _ENUM.sub("", match_form(r.label))
        piece = f"{who}共有{c}个项目" if c else f"{who}"
        if a:
            piece += f"，总投资{a}万元"
        head_parts.append(piece + f"（{_short_table(ref.table.title)}“{r.label}”行）")
        ev.append(corpus.row_evidence(ref))
        ev += _text_stating(corpus, r.doc_id, [x for x in (c, a) if x])
        years = [str(y) for y in q.years if any(str(y) in (col or "") for col in (ccol, acol))]
        if years:
            head = corpus.table_line_evidence(ref.table, years)
            if head:
                ev.append(head)


def _category_headings_stating(q: Query, corpus: Corpus, head_parts: list[str], ev: list[Evidence]) -> None:
    """The project count a project list states in the group heading of an asked category."""
    for t in corpus.tables:
        cats = (t.stated_total or {}).get("categories") or {}
        for cat, cnt in cats.items():
            if any(match_form(c) == match_form(cat) for c in q.categories):
                line_ev = corpus.table_line_evidence(t, [cat, str(cnt)])
                if line_ev:
                    head_parts.append(f"{_short_table(t.title)}中{cat}类列{cnt}个项目")
                    ev.append(line_ev)


def _list_totals_stating(q: Query, corpus: Corpus, head_parts: list[str], ev: list[Evidence]) -> None:
    """The 总计 line of each project list (of the named plan, when it has one), where it can be found."""
    for t in corpus.tables:
        if t.kind != "project" or not t.stated_total or (q.doc_ids and t.doc_id not in q.doc_ids and any(
                x.row.doc_id in q.doc_ids for x in corpus.projects)):
            continue
        c, a = t.stated_total.get("count"), t.stated_total.get("investment_wan")
        must = [fmt_number(x) for x in (c, a) if x is not None]
        line_ev = corpus.table_line_evidence(t, must)
        if line_ev is None:
            continue
        piece = f"{_short_table(t.title)}{t.title and '重点项目库'}总计{fmt_number(c)}个" if c is not None else ""
        if a is not None:
            piece += f"，{fmt_number(a)}万元"
        head_parts.append(piece)
        ev.append(line_ev)


def _project_line(i: int, ref: RowRef) -> str:
    """A listed project: number, name, park, period, investment, progress (clipped)."""
    r = ref.row
    inv = f"{fmt_number(r.investment_wan)}万元" if r.investment_wan is not None else "投资未列"
    return f"{i}. {r.name}｜{r.park or ''}｜{r.period or ''}｜{inv}｜{_clip(r.progress, 40)}"


# Words that frame a list question around its keyword: 恒力石化 | 的项目有哪些, 有哪些 | 氢能 | 相关项目.
# Single characters that can sit inside a name (中, 有, 是) are only framing as part of longer words.
_LIST_FRAME = re.compile(
    r"都有哪些|有哪些|哪些|都有什么|有什么|包括什么|包含哪些?|列出|列举|清单|名单|分别是|是什么|多少个|几个|多少项|几项|"
    r"多少|一共|共有|总共|合计|总计|总投资|投资额|投资|总额|金额|相关|有关|涉及到?|关于|方面|领域|方向|名下|旗下|"
    r"重点|项目库|项目|工程|请问|(?:文件|方案|规划|文档|表格?|库)[中里内]|分别|都|的|[？?。，,、！!：:“”\"'\s]")
# prepositions and verbs left at a part's edges: 恒力集团在 (项目库里有几个) → 恒力集团
_EDGE = re.compile(r"^(?:在|于|由|从|跟|同|对|和|与|及|是|有|共|里|中|内|按|属于|含有?|包含)+|(?:在|于|和|与|及|是|有|共|里|中|内|做|建设?|投资?)+$")
_COMPANY_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|公司|股份|企业)$")


def list_keyword(q: str | Query) -> str | None:
    """The entity or keyword a project-list question is about (恒力石化的项目有哪些 → 恒力石化): the
    longest part of the question its framing words leave."""
    norm = q.norm if isinstance(q, Query) else q
    parts = [_EDGE.sub("", p) for p in _LIST_FRAME.split(norm)]
    parts = [p for p in parts if len(re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", p)) >= 2]
    return max(parts, key=len) if parts else None


def _keyword_rows(rows: list[RowRef], kw: str) -> list[RowRef]:
    return [ref for ref in rows if kw in match_form(ref.row.name) or kw in match_form(ref.row.content or "")]


def answer_keyword_list(q: Query, corpus: Corpus) -> Answer | None:
    """Projects whose name or content holds the question's keyword — an owner (恒力石化) or a field
    (氢能) — with their count and total computed from the rows. Parks, categories, years and group
    rows have their own answers; a word most rows hold (产业, 建设) names no group."""
    if not re.search(r"项目|工程", q.norm) or not (q.wants_list or q.wants_count or q.wants_sum):
        return None
    if q.parks or q.categories or q.years or _SUPERLATIVE.search(q.norm) or named_groups(q, corpus):
        return None
    kw = list_keyword(q)
    if kw is None or not re.search(r"[\u4e00-\u9fffA-Za-z]", kw):
        return None
    scoped = [ref for ref in corpus.projects if not q.doc_ids or ref.row.doc_id in q.doc_ids]
    if not scoped:
        return None
    # the plan, a table or a summary row the question names is the whole library, not a keyword
    if any(kw in match_form(t.title or "") for t in corpus.tables) or \
            any(k in kw for sc in corpus.vocab.scopes for k in sc.keywords if len(k) >= 2) or \
            any(kw in match_form(ref.row.label) for ref in corpus.summaries):
        return None
    rows = _keyword_rows(scoped, kw)
    short = _COMPANY_SUFFIX.sub("", kw)
    if not rows and short != kw and len(short) >= 2:
        kw, rows = short, _keyword_rows(scoped, short)  # 恒力集团 → 恒力
    if len(rows) > len(scoped) / 3:
        return None  # a generic word
    if not rows:
        return None
    if q.wants_sum and not (q.wants_list or q.wants_count) and len(rows) < 2:
        return None  # one project's investment: the project answer
    n = len(rows)
    total = sum(ref.row.investment_wan or 0 for ref in rows)
    unlisted = sum(1 for ref in rows if ref.row.investment_wan is None)
    src = "、".join(dict.fromkeys(_short_table(ref.table.title) for ref in rows))
    in_name = all(kw in match_form(ref.row.name) for ref in rows)
    where = "名称" if in_name else "名称或建设内容"
    note = f"，其中{unlisted}个未列投资" if unlisted else ""
    first = (f"{src}中{where}含“{kw}”的项目（系统计算：{src}逐项统计共{n}个，合计总投资{fmt_number(total)}万元，"
             f"折合{fmt_number(total / 10000)}亿元{note}）：")
    names = [ref.row.name for ref in rows]
    shown = 0
    while shown < len(names) and len(first) + len("、".join(names[:shown + 1])) <= 190:
        shown += 1
    first += "、".join(names[:max(shown, 1)]) + ("等" if max(shown, 1) < n else "")
    lines = [first, f"{src}所列{where}含“{kw}”的项目（{n}个）："]
    lines += [_project_line(i, ref) for i, ref in enumerate(rows, 1)]
    return Answer(lines, [corpus.row_evidence(ref) for ref in rows], confidence=0.85)

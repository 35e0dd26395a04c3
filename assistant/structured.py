"""Answers computed from parsed table rows: indicator values, project facts, project aggregates.

Each function returns an Answer or None (the question is not of its kind). An Answer with
`abstained=True` means: the kind matched but the table does not hold the asked value (a year the
table lacks, a blank cell) — the caller may still let the text answer before abstaining.
"""

from __future__ import annotations

import re
from collections import defaultdict

from assistant.cite import Answer, Evidence
from assistant.corpus import Corpus, RowRef
from assistant.numbers import fmt_number, is_blank_cell, match_form, parse_number
from assistant.query import Query, mentions_project
from ingest.model import IndicatorRow, ProjectRow, SummaryRow

_QUESTION_WORDS = re.compile(
    r"到|年底|年末|末|目标值?|是多少|为多少|多少|要达到|达到|预计|计划|力争|争取|全市|我市|本市|的|为|是|"
    r"[?？。，,！!、]|规划|期间|要求|应|将|有|要|能|可以|多大|什么|怎样|如何|请问|数值|指标|情况|"
    r"年均|每年|预期|约束性|预期性|水平|提高|提升|实现")


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9&.%]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def _content(q: Query, corpus: Corpus) -> str:
    s = q.expanded
    for y in q.years:
        s = s.replace(f"{y}年", "").replace(str(y), "")
    for sc in corpus.vocab.scopes:
        for k in sorted(sc.keywords, key=len, reverse=True):
            s = s.replace(k, "")
    for w in q.park_words:
        s = s.replace(w, "")
    s = re.sub(r"十[一二三四五]五", "", s)
    return _QUESTION_WORDS.sub("", s)


def indicator_score(name: str, group: str | None, q: Query, content: str) -> float:
    nb = _bigrams(match_form(name))
    if not nb:
        return 0.0
    cov_name = max(len(nb & _bigrams(q.norm)), len(nb & _bigrams(q.expanded))) / len(nb)
    cb = _bigrams(content)
    cov_q = len(cb & (nb | _bigrams(match_form(group or "")))) / len(cb) if cb else 1.0
    return 0.65 * cov_name + 0.35 * cov_q


def _year_value(row: IndicatorRow, year: int) -> tuple[str, str] | None:
    for k, v in row.values.items():
        if re.search(rf"(?<!\d){year}(?!\d)", k):
            return k, v
    return None


def _with_unit(value: str, unit: str | None) -> str:
    v = re.sub(r"\s+", "", value)
    u = re.sub(r"[（）()\s]", "", unit or "")
    if not u or not re.search(r"\d", v) or v.endswith(u) or v.endswith("%"):
        return v
    return v + u


def _years_of(row: IndicatorRow) -> list[int]:
    out = []
    for k in row.values:
        m = re.search(r"(19|20)\d{2}", k)
        if m:
            out.append(int(m.group(0)))
    return out


def best_indicators(q: Query, corpus: Corpus) -> list[tuple[float, RowRef]]:
    content = _content(q, corpus)
    scored = []
    for ref in corpus.indicators:
        r = ref.row
        if q.doc_ids and r.doc_id not in q.doc_ids:
            continue
        s = indicator_score(r.name, r.group, q, content)
        if q.years:
            # a table that has the asked year beats one that does not (评估表 2017-2019 vs 目标表 2025)
            s += 0.08 if all(_year_value(r, y) for y in q.years) else 0.0
        if s > 0.45:
            scored.append((s, ref))
    scored.sort(key=lambda x: -x[0])
    # the same indicator printed twice (a table and its annex copy) counts once
    seen, out = set(), []
    for s, ref in scored:
        key = (ref.row.doc_id, match_form(ref.row.name), tuple(sorted(ref.row.values.items())))
        if key not in seen:
            seen.add(key)
            out.append((s, ref))
    return out


def _year_header(corpus: Corpus, ref: RowRef, years: list[int]) -> Evidence | None:
    return corpus.table_line_evidence(ref.table, [str(y) for y in years], ref.table.page_start)


def answer_indicator(q: Query, corpus: Corpus) -> Answer | None:
    ranked = best_indicators(q, corpus)
    if not ranked or ranked[0][0] < 0.6:
        return None
    top_score = ranked[0][0]
    picks = [ranked[0]]
    if q.wants_compare or (len(q.doc_ids) != 1):
        # the same indicator in another document (compare across plans)
        for s, ref in ranked[1:]:
            if ref.row.doc_id not in {p[1].row.doc_id for p in picks} and s >= top_score - 0.05 and s >= 0.75:
                picks.append((s, ref))
    parts, ev, missing = [], [], []
    for _s, ref in picks:
        r = ref.row
        label = _short_table(ref.table.title)
        if q.years:
            vals = []
            for y in q.years:
                yv = _year_value(r, y)
                if yv is None or is_blank_cell(yv[1]):
                    missing.append((r, y, yv))
                    continue
                base = min(_years_of(r) or [y])
                word = "目标为" if y > base else "为"
                vals.append(f"{y}年{r.name}{word}{_with_unit(yv[1], r.unit)}")
            if vals:
                parts.append("，".join(vals) + f"（{label}）")
                head = _year_header(corpus, ref, [y for y in q.years if _year_value(r, y)])
                ev.append(corpus.row_evidence(ref))
                if head:
                    ev.append(head)
        else:
            shown = [(k, v) for k, v in r.values.items() if not is_blank_cell(v)]
            if not shown:
                missing.append((r, None, None))
                continue
            years = [int(m.group(0)) for k, _ in shown if (m := re.search(r"(19|20)\d{2}", k))]
            vals = "，".join(f"{_squash(k)}{'' if k.endswith('年') else '年'}{_with_unit(v, r.unit)}"
                             for k, v in shown)
            parts.append(f"{r.name}：{vals}（{label}）")
            ev.append(corpus.row_evidence(ref))
            head = _year_header(corpus, ref, years)
            if head:
                ev.append(head)
    if not parts:
        r, y, yv = missing[0]
        have = "、".join(f"{x}年" for x in _years_of(r))
        if yv is None and y is not None:
            why = f"{_short_table(picks[0][1].table.title)}中“{r.name}”只列出{have}的数值，没有{y}年的数值"
        else:
            why = f"{_short_table(picks[0][1].table.title)}中“{r.name}”{'' if y is None else f'{y}年'}一栏为空（—）"
        return Answer([f"文档中未找到{y or ''}{'年' if y else ''}{r.name}的数值。", why + "。"],
                      [corpus.row_evidence(picks[0][1])], abstained=True, confidence=top_score)
    lines = ["；".join(parts)]
    for r, y, _yv in missing:
        lines.append(f"（{r.name}{'' if y is None else f'{y}年'}在表中无数值。）")
    ans = Answer(lines, ev, confidence=top_score)
    return ans


def _short_table(title: str) -> str:
    t = re.sub(r"\s+", "", title)
    m = re.match(r"(表\d+|附件\d+|附表\d+)", t)
    return m.group(1) if m else t[:12]


# -- projects --------------------------------------------------------------------------------------

def _lcs(a: str, b: str) -> int:
    """Length of the longest common substring."""
    if not a or not b:
        return 0
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best = cur[j]
        prev = cur
    return best


def find_projects(q: Query, corpus: Corpus) -> list[tuple[float, RowRef]]:
    out = []
    for ref in corpus.projects:
        r = ref.row
        if q.doc_ids and r.doc_id not in q.doc_ids:
            continue
        name = match_form(r.name)
        if len(name) < 4:
            continue
        if name in q.norm:
            out.append((1.0, ref))
            continue
        core = re.sub(r"(项目|工程|建设)$", "", name)
        n = _lcs(core, q.norm)
        if n >= 6 and n / len(core) >= 0.5:
            out.append((n / len(core), ref))
    out.sort(key=lambda x: -x[0])
    return out


def _project_facts(r: ProjectRow, aspects: list[str]) -> str:
    facts = {
        "investment": f"总投资{fmt_number(r.investment_wan)}万元" if r.investment_wan is not None else "",
        "park": f"所属园区为{r.park}" if r.park else "",
        "period": f"建设年限{r.period}" if r.period else "",
        "content": f"主要建设内容及规模：{_clip(r.content, 90).rstrip('。；;')}" if r.content else "",
        "progress": f"项目进展：{_clip(r.progress, 60).rstrip('。；;')}" if r.progress else "",
    }
    order = aspects + [a for a in ("investment", "park", "period", "progress", "content") if a not in aspects]
    out = f"{r.name}"
    sep = ""
    for a in order:
        if facts.get(a):
            piece = sep + facts[a]
            if len(out) + len(piece) > 190 and sep:
                break
            out += piece if sep else "：" + facts[a]
            sep = "，"
    return out


def _clip(s: str | None, n: int) -> str:
    s = re.sub(r"\s+", "", s or "")
    return s if len(s) <= n else s[:n]


def answer_project(q: Query, corpus: Corpus) -> Answer | None:
    found = find_projects(q, corpus)
    if not found or found[0][0] < 0.5:
        return None
    top = found[0][0]
    same = [ref for s, ref in found if s >= top - 1e-9]
    if len(same) > 3 or (top < 1.0 and len(found) > 1 and found[1][0] >= top - 0.05
                         and match_form(found[1][1].row.name) != match_form(found[0][1].row.name)):
        # ambiguous: several projects fit equally — list them instead of guessing
        names = "、".join(ref.row.name for _, ref in found[:5])
        return Answer([f"问题可能指以下项目：{names}，请指明具体项目名称。"],
                      [corpus.row_evidence(ref) for _, ref in found[:5]], confidence=top * 0.5)
    lines = [_project_facts(same[0].row, q.aspects)]
    for ref in same[1:]:
        lines.append(_project_facts(ref.row, q.aspects))
    r = same[0].row
    if r.content and "content" not in q.aspects:
        lines.append(f"主要建设内容及规模：{_squash(r.content)}")
    return Answer(lines, [corpus.row_evidence(ref) for ref in same], confidence=0.6 + 0.4 * top)


# -- aggregates ------------------------------------------------------------------------------------

_START = re.compile(r"开工|开始|启动|新建|年份")


def _filter_projects(q: Query, corpus: Corpus) -> tuple[list[RowRef], list[str]]:
    rows = [ref for ref in corpus.projects if not q.doc_ids or ref.row.doc_id in q.doc_ids]
    desc = []
    if q.parks:
        keys = {id(g) for g in q.parks}
        rows = [ref for ref in rows if (g := corpus.vocab.park_group(ref.row.park)) is not None and id(g) in keys]
        desc.append("、".join(q.park_words))
    if q.categories:
        cats = {match_form(c) for c in q.categories}
        rows = [ref for ref in rows if ref.row.category and
                any(c in match_form(ref.row.category) or match_form(ref.row.category) in c for c in cats)]
        desc.append("、".join(q.categories))
    if q.years and _START.search(q.norm):
        ys = set(q.years)
        rows = [ref for ref in rows if ref.row.start_year in ys]
        desc.append("、".join(f"{y}年开工" for y in q.years))
    return rows, desc


def _summary_match(q: Query, corpus: Corpus) -> list[tuple[RowRef, str | None, str | None]]:
    """Summary rows that state the asked total, with the count and amount cells to read."""
    out = []
    park_ids = {id(g) for g in q.parks}
    cats = [match_form(c) for c in q.categories]
    for ref in corpus.summaries:
        r: SummaryRow = ref.row
        if q.doc_ids and r.doc_id not in q.doc_ids:
            continue
        label = match_form(r.label)
        g = corpus.vocab.park_group(r.label)
        if q.parks:
            if g is None or id(g) not in park_ids:
                continue
        elif cats:
            if not any(c in label or label in c for c in cats):
                continue
        elif not re.search(r"合计|总计|全部|总", label):
            continue
        col_words = []
        if q.years and _START.search(q.norm):
            col_words += [str(y) for y in q.years]
        if q.parks and cats:
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
        if all(m in hf for m in must) and any(k in hf for k in kind) and not is_blank_cell(v):
            return h
    if not must:
        for h, v in cells.items():
            if any(k in match_form(h) for k in kind) and not is_blank_cell(v):
                return h
    return None


def answer_aggregate(q: Query, corpus: Corpus) -> Answer | None:
    """Counts, sums and lists of projects by park, category or start year."""
    is_projecty = mentions_project(q) or q.parks
    if not is_projecty or not (q.wants_count or q.wants_sum or q.wants_list):
        return None
    if not corpus.projects and not corpus.summaries:
        return None
    rows, desc = _filter_projects(q, corpus)
    filtered = bool(desc)
    stated = _summary_match(q, corpus)
    subject = "、".join(desc) if desc else "项目库"
    ev: list[Evidence] = []
    head_parts = []
    seen_stated = set()
    for ref, ccol, acol in stated:
        r = ref.row
        c = r.cells.get(ccol) if ccol else None
        a = r.cells.get(acol) if acol else None
        key = (c, a)
        if key in seen_stated:
            continue
        seen_stated.add(key)
        piece = f"{subject}共有{c}个项目" if c else f"{subject}"
        if a:
            piece += f"，总投资{a}万元"
        head_parts.append(piece + f"（{_short_table(ref.table.title)}“{r.label}”行）")
        ev.append(corpus.row_evidence(ref))
    # totals a project list states itself (附件3 总计（178个） 21124119)
    if not filtered:
        for t in corpus.tables:
            if t.kind != "project" or not t.stated_total or (q.doc_ids and t.doc_id not in q.doc_ids):
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
        for i, ref in enumerate(rows, 1):
            r = ref.row
            inv = f"{fmt_number(r.investment_wan)}万元" if r.investment_wan is not None else "投资未列"
            lines.append(f"{i}. {r.name}｜{r.park or ''}｜{r.period or ''}｜{inv}｜{_clip(r.progress, 40)}")
        ev += [corpus.row_evidence(ref) for ref in rows]
    conf = 0.9 if head_parts else 0.8
    return Answer(lines, ev, confidence=conf)


def by_doc(refs: list[RowRef]) -> dict[str, list[RowRef]]:
    out: dict[str, list[RowRef]] = defaultdict(list)
    for ref in refs:
        out[ref.row.doc_id].append(ref)
    return out


def stated_number(s: str | None) -> float | None:
    return parse_number(s)


def _squash(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")

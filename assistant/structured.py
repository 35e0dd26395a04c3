"""Answers computed from parsed table rows: indicator values, project facts, project aggregates.

Each function returns an Answer or None (the question is not of its kind). An Answer with
`abstained=True` means: the kind matched but the table does not hold the asked value (a year the
table lacks, a blank cell) — the caller may still let the text answer before abstaining.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable

from assistant.cite import Answer, Evidence
from assistant.corpus import Corpus, RowRef
from assistant.numbers import fmt_number, is_blank_cell, match_form, numbers_in
from assistant.query import Query
from assistant.vocab import expand_synonyms
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


@functools.lru_cache(maxsize=4096)
def _name_grams(name: str, group: str | None) -> tuple[list[set[str]], set[str]]:
    names = {match_form(name), expand_synonyms(match_form(name))}
    return [_bigrams(n) for n in names], _bigrams(match_form(group or ""))


def indicator_score(name: str, group: str | None, q: Query, content: str,
                    idf: Callable[[str], float] | None = None) -> float:
    """How well an indicator name fits the question: the share of the name the question covers,
    and the (rarity-weighted) share of the question's content the name explains — a question
    about 规上工业利润 must not get 规模以上工业产值."""
    best = 0.0
    qb = (_bigrams(q.norm), _bigrams(q.expanded))
    cb = _bigrams(content)
    grams, gb = _name_grams(name, group)
    w = idf or (lambda _b: 1.0)
    total = sum(w(b) for b in cb)
    for nb in grams:
        if not nb:
            continue
        cov_name = max(len(nb & b) for b in qb) / len(nb)
        cov_q = sum(w(b) for b in cb & (nb | gb)) / total if total else 1.0
        score = 0.6 * cov_name + 0.4 * cov_q
        if cov_q < 0.5:
            score -= 0.15
        best = max(best, score)
    return best


def _year_value(row: IndicatorRow, year: int) -> tuple[str, str] | None:
    for k, v in row.values.items():
        if re.search(rf"(?<!\d){year}(?!\d)", k) and not re.search(r"以前|之前|以后|以来", k):
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


_ASK_COUNT = re.compile(r"多少家|几家|多少个|几个|多少件|数量是|数是")
_ASK_RATE = re.compile(r"%|比重|比例|占比|率|增速|增长|增幅|下降|提高|百分")


def _unit_fits(q: Query, row: IndicatorRow) -> bool:
    """A count question (多少家) is not answered by a rate row (% 增长率), nor the reverse."""
    unit = match_form(row.unit or "")
    name = match_form(row.name)
    rate_row = "%" in unit or re.search(r"率|比重|增速|占比", name) or any("%" in v for v in row.values.values())
    if _ASK_COUNT.search(q.norm) and not _ASK_RATE.search(q.norm) and rate_row:
        return False
    if _ASK_RATE.search(q.norm) and not rate_row and re.search(r"[家个件元吨]", unit):
        return False
    return True


def best_indicators(q: Query, corpus: Corpus) -> list[tuple[float, RowRef]]:
    content = _content(q, corpus)
    park_aliases = [a for g in q.parks for a in g.aliases]
    scored = []
    for ref in corpus.indicators:
        r = ref.row
        if park_aliases and not any(a in match_form(ref.table.title + r.name) for a in park_aliases):
            continue  # a city-level table does not answer a question about one park
        if not _unit_fits(q, r):
            continue
        s = indicator_score(r.name, r.group, q, content, corpus.idf)
        if s > 0.45:
            s -= 0.07 * min(2, len(_unexplained_words(q, ref, corpus)))
        if q.doc_ids and r.doc_id not in q.doc_ids:
            continue  # the question names its document
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


_NON_CONTENT = re.compile(r"^(多少|什么|哪些|哪个|如何|怎样|怎么|是否|目标|要求|达到|是多|请问|根据|文件|规划|方案|"
                          r"多长|多大|几个|几家|情况|主要|提出|计划|预计|力争|争取|全市|我市|其中|以上|以下|"
                          r"指标|数值|增长|增速|年均|实现|完成|要达|达|到|为|是|的|年|末|底|期间|十四五|十三五|"
                          r"属于|性质|单位|比重|占比|比例|多少家|多少个|总额|规模|水平|数量|大连|全省|分别|比较|对比|相比|两份|"
                          r"两个|文件|各自)$")


def _unexplained_words(q: Query, ref: RowRef, corpus: Corpus) -> list[str]:
    """Content words of the question the indicator name does not account for (食品 in
    规上食品工业产值 vs 规模以上工业产值): each makes the row a worse answer."""
    import jieba  # shared with the index's BM25 tokeniser

    r = ref.row
    name = expand_synonyms(match_form(r.name)) + match_form(r.name) + match_form(r.group or "") + \
        match_form(ref.table.title) + match_form(r.unit or "")
    skip = set(q.park_words) | {k for sc in corpus.vocab.scopes for k in sc.keywords}
    out = []
    for w in jieba.lcut(_content(q, corpus)):
        w = w.strip()
        if len(w) < 2 or w in skip or _NON_CONTENT.match(w) or not re.search(r"[\u4e00-\u9fff]", w):
            continue
        if w in name or all(b in name for b in _bigrams(w)):
            continue
        out.append(w)
    return out


def _evidence(corpus: Corpus, ref: RowRef, years: list[int]) -> list[Evidence]:
    """The row (or, for a year-row statistics table, the rows of those years) and the year header."""
    if ref.sources is not None:
        keys = [k for y in years for k in ref.sources if str(y) in k] or list(ref.sources)
        return [corpus.row_evidence(ref.sources[k], must=ref.row.values.get(k)) for k in keys]
    ev = [corpus.row_evidence(ref)]
    if years:
        head = corpus.table_line_evidence(ref.table, [str(y) for y in years], ref.table.page_start)
        if head:
            ev.append(head)
    return ev


def _target_word(ref: RowRef, year: int) -> str:
    title = match_form(ref.table.title)
    if year <= min(_years_of(ref.row) or [year]):
        return "为"  # the base-year column is a reported value, not a target
    return "目标为" if ("目标" in title or "规划" in title or "指标表" in title and year >= 2020) and \
        not re.search(r"评估|对比|统计", title) else "为"


def _same_fact_elsewhere(picked: RowRef, ranked: list[tuple[float, RowRef]], top: float,
                         years: list[int]) -> list[RowRef]:
    """Rows of other tables that give the same indicator for the same year a different value."""
    out = []
    for s, ref in ranked:
        if ref is picked or s < top - 0.06 or ref.table.title == picked.table.title:
            continue
        if ref.row.doc_id != picked.row.doc_id:
            continue
        for y in years:
            a, b = _year_value(picked.row, y), _year_value(ref.row, y)
            if a and b and not is_blank_cell(b[1]) and _squash(a[1]) != _squash(b[1]):
                out.append(ref)
                break
    return out[:1]


def answer_indicator(q: Query, corpus: Corpus) -> Answer | None:
    ranked = best_indicators(q, corpus)
    if not ranked or ranked[0][0] < 0.6:
        return None
    if q.years and not all(_year_value(ranked[0][1].row, y) for y in q.years):
        # a close candidate that has the asked year beats one that lacks it (表2 2013 vs 表1 2017-2019)
        with_year = [(s, ref) for s, ref in ranked if s >= ranked[0][0] - 0.25 and
                     all(_year_value(ref.row, y) for y in q.years)]
        if with_year:
            ranked = with_year + [x for x in ranked if x not in with_year]
    top_score = ranked[0][0]
    picks = [ranked[0][1]]
    if q.wants_compare or len(q.doc_ids) > 1:
        # the same indicator in another document (compare across plans)
        for s, ref in ranked[1:]:
            if ref.row.doc_id not in {p.row.doc_id for p in picks} and s >= top_score - 0.08 and s >= 0.7:
                picks.append(ref)
    if q.years:
        picks += _same_fact_elsewhere(picks[0], ranked, top_score, q.years)
    if re.search(r"性质|约束性|预期性", q.norm) and picks[0].row.nature:
        r = picks[0].row
        return Answer([f"{r.name}为{r.nature}指标（{_short_table(picks[0].table.title)}）"],
                      _evidence(corpus, picks[0], []), confidence=top_score)
    parts, ev, missing = [], [], []
    for ref in picks:
        r = ref.row
        label = _short_table(ref.table.title)
        asked = [y for y in q.years if f"{y}年" not in match_form(r.name)]
        if asked != q.years:
            q = dataclasses.replace(q, years=asked)
        if q.years:
            vals = []
            for y in q.years:
                yv = _year_value(r, y)
                if yv is None or is_blank_cell(yv[1]):
                    missing.append((ref, y, yv))
                    continue
                vals.append(f"{y}年{r.name}{_target_word(ref, y)}{_with_unit(yv[1], r.unit)}")
            if vals:
                parts.append("，".join(vals) + f"（{label}）")
                # (years named inside the indicator, 比2018年下降, are part of the name, not asked)
                ev += _evidence(corpus, ref, [y for y in q.years if _year_value(r, y)])
                for y in q.years:
                    yv = _year_value(r, y)
                    other = conflicting_statement(corpus, ref, y, yv[1]) if yv else None
                    if other is not None:
                        parts.append(f"正文另有：{other[0]}")
                        ev.append(other[1])
        else:
            shown = [(k, v) for k, v in r.values.items() if not is_blank_cell(v)]
            if not shown:
                missing.append((ref, None, None))
                continue
            years = [int(m.group(0)) for k, _ in shown if (m := re.search(r"(19|20)\d{2}", k))]
            vals = "，".join(f"{_squash(k)}{'' if _squash(k).endswith('年') else '年'}{_with_unit(v, r.unit)}"
                             for k, v in shown)
            parts.append(f"{r.name}：{vals}（{label}）")
            ev += _evidence(corpus, ref, years)
    if not parts:
        ref, y, yv = missing[0]
        r = ref.row
        have = "、".join(f"{x}年" for x in _years_of(r))
        label = _short_table(ref.table.title)
        if yv is None and y is not None:
            why = f"{label}中“{r.name}”只列出{have}的数值，没有{y}年的数值"
        else:
            why = f"{label}中“{r.name}”{'' if y is None else f'{y}年'}一栏为空（{_squash(yv[1]) if yv else '—'}）"
        # confidence 0.5: the body text may still state the figure (研发经费投入年均增长5%以上)
        return Answer([f"文档中未找到{y or ''}{'年' if y else ''}{r.name}的数值。", why + "。"],
                      _evidence(corpus, ref, []), abstained=True, confidence=0.5)
    lines = ["；".join(parts)]
    for ref, y, _yv in missing:
        lines.append(f"（{ref.row.name}{'' if y is None else f'{y}年'}在{_short_table(ref.table.title)}中无数值。）")
    support = corroborating_sentence(corpus, picks[0], q)
    if support is not None:
        ev.append(support)
        lines.append(f"正文：{support.quote}")
    return Answer(lines, ev, confidence=top_score)


def _sentences(text: str) -> list[str]:
    return [x.strip() for x in re.split(r"(?<=[。；！？])|\n", text) if x and x.strip()]


def answer_compare(q: Query, corpus: Corpus) -> Answer | None:
    """The same indicator asked of two documents (庄河和示范区2025年的高企目标分别是多少): one
    indicator answer per document, joined on the first line."""
    if len(q.doc_ids) < 2:
        return None
    parts, ev, conf = [], [], []
    for d in q.doc_ids:
        sub = answer_indicator(dataclasses.replace(q, doc_ids=[d], wants_compare=False), corpus)
        if sub is None or sub.abstained:
            continue
        name = _doc_word(q, corpus, d)
        parts.append(f"{name}：{sub.lines[0]}")
        ev += sub.evidence
        conf.append(sub.confidence)
    if len(parts) < 2:
        return None
    return Answer(["；".join(parts)[:200]] + (["；".join(parts)] if len("；".join(parts)) > 200 else []),
                  ev, confidence=min(1.0, min(conf) + 0.1))  # two independent matches agree on the indicator


def _doc_word(q: Query, corpus: Corpus, doc_id: str) -> str:
    """How the question names a document (庄河, 示范区), else its title."""
    for sc in corpus.vocab.scopes:
        if sc.doc_id == doc_id:
            found = sorted((k for k in sc.keywords if k in q.norm), key=len, reverse=True)
            return found[0] if found else sc.title
    return doc_id


def corroborating_sentence(corpus: Corpus, ref: RowRef, q: Query) -> Evidence | None:
    """A sentence of the body text stating the same figure for the same indicator, if any."""
    r = ref.row
    values = [v for y in (q.years or _years_of(r)) if (yv := _year_value(r, y)) and
              not is_blank_cell(v := yv[1]) and re.search(r"\d", v)]
    if not values:
        return None
    nb = _bigrams(expand_synonyms(match_form(r.name)))
    best, best_cov = None, 0.0
    for c in corpus.text_chunks(r.doc_id):
        cf = corpus.form_of(c)
        for v in values:
            vf = match_form(v)
            num = re.search(r"\d+(?:\.\d+)?", vf)
            if not num or num.group(0) not in cf:
                continue
            for sent in _sentences(c.text):
                sf = match_form(sent)
                if not re.search(rf"(?<![\d.]){re.escape(num.group(0))}(?![\d.])", sf):
                    continue
                if q.years and not any(str(y) in sf for y in q.years):
                    continue
                cov = len(nb & _bigrams(expand_synonyms(sf))) / max(1, len(nb))
                if cov > best_cov:
                    best, best_cov = (c, sent), cov
    if best is None or best_cov < 0.6:
        return None
    return corpus.chunk_evidence(best[0], best[1].strip())


def conflicting_statement(corpus: Corpus, ref: RowRef, year: int, value: str) -> tuple[str, Evidence] | None:
    """The body text giving the same indicator for the same year a different figure (表1 142.5亿元
    vs 正文 "2020年……完成规模以上工业总产值148.6亿元"): the clause and its evidence."""
    r = ref.row
    unit = re.sub(r"[（）()\s]", "", r.unit or "")
    if not unit or not re.search(r"\d", value):
        return None
    name = expand_synonyms(match_form(r.name))
    nb = _bigrams(name)
    mine = match_form(value)
    for c in corpus.text_chunks(r.doc_id):
        cf = corpus.form_of(c)
        if str(year) not in cf or corpus.vocab.parks_in(match_form(c.section)):
            continue  # a park's own figures do not contradict the city's table
        for sent in _sentences(c.text):
            sf = expand_synonyms(match_form(sent))
            if str(year) not in sf and str(year) not in cf[: cf.find(match_form(sent)[:10])]:
                continue
            for clause in re.split(r"[，,；;。]", sf):
                m = re.search(rf"(\d+(?:\.\d+)?){re.escape(unit)}", clause)
                if not m or m.group(1) in mine:
                    continue
                head = clause[: m.start()]
                if corpus.vocab.parks_in(head):
                    continue
                if len(nb & _bigrams(head)) / max(1, len(nb)) >= 0.8 and len(head) <= len(name) + 8:
                    ev = corpus.chunk_evidence(c, sent)
                    if ev is not None:
                        return clause, ev
    return None


def _short_table(title: str) -> str:
    t = re.sub(r"\s+", "", title)
    m = re.match(r"(表\d+|附件\d+|附表\d+)", t)
    return m.group(1) if m else t[:12]


# -- projects --------------------------------------------------------------------------------------

_NAMED = re.compile(r"([\u4e00-\u9fffA-Za-z0-9\-—（）()#/、·•+.ⅠⅡⅢⅣⅤ]{2,})(项目|工程)")
_GENERIC_PROJECT_WORDS = re.compile(
    r"附件\d*|附表\d*|表\d+|项目库|重点|所有|全部|哪些|有|的|共|多少|几个|个|其中|示范区|示范园区|重点园区|园区|"
    r"开工|年|建设|类|各|在|中|里|列了|列入|列|库|涉及|包括|属于|一共|总计|合计|总|投资|规模|以前|以后|之前|期间|"
    r"和|与|及|请问|列出|都|是|什么|那些|按|分|开发区|经济区|新区|产业区|区")


def named_project(q: Query, corpus: Corpus) -> str | None:
    """The specific project name a question uses (大连新机场项目), or None for 保税区的项目-style phrases."""
    for m in _NAMED.finditer(q.norm):
        rest = m.group(1)
        for w in sorted(q.park_words + q.categories + [a for g in q.parks for a in g.aliases], key=len, reverse=True):
            rest = rest.replace(match_form(w), "")
        rest = re.sub(r"(19|20)\d{2}年?", "", rest)
        rest = _GENERIC_PROJECT_WORDS.sub("", rest)
        if len(re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", rest)) >= 3:
            return m.group(0)
    return None


_ORDINAL = re.compile(r"[一二三四五六七八九十\d]+期")


def contradicts(mention: str, name: str) -> bool:
    """The question's project mention carries a number or phase (PTA-6, 三期) the name lacks."""
    nf = match_form(name)
    if any(o not in nf for o in _ORDINAL.findall(mention)):
        return True
    have = set(numbers_in(nf))
    return any(n not in have for n in numbers_in(mention))


def find_projects(q: Query, corpus: Corpus) -> list[tuple[float, RowRef]]:
    """Projects the question names: the printed name inside the question, or a mention whose
    character bigrams the name mostly contains (恒力150万吨/年乙烯项目 → 恒力石化（大连）化工有限公司
    150万吨/年乙烯项目), unless the mention carries a number or phase the name lacks."""
    named = named_project(q, corpus)
    mention = re.sub(r"(项目|工程)$", "", named) if named else None
    mb = _bigrams(mention) if mention else set()
    qgrams = _bigrams(q.norm)
    out = []
    for ref in corpus.projects:
        r = ref.row
        name = match_form(r.name)
        if len(name) < 4:
            continue
        if name in q.norm:
            out.append((1.0, ref))
            continue
        nb = _bigrams(name)
        shared = len(nb & qgrams)
        if shared < 3:
            continue
        name_cov = shared / len(nb)
        score = name_cov
        if mb and len(mb) >= 3:
            mention_cov = len(mb & nb) / len(mb)
            score = max(score, 0.75 * mention_cov + 0.25 * name_cov)
        if score >= 0.5 and not contradicts(named or q.norm, name):
            out.append((min(score, 0.99), ref))
    out.sort(key=lambda x: -x[0])
    return out


def _project_facts(r: ProjectRow, aspects: list[str], q: Query | None = None) -> str:
    content_first = q is not None and (not aspects or aspects == ["content"]) and q.wants_number \
        and not re.search(r"投资|多少钱", q.norm)
    if content_first:
        aspects = ["content"]
    facts = {
        "investment": f"总投资{fmt_number(r.investment_wan)}万元" if r.investment_wan is not None else "",
        "park": f"所属园区为{r.park}" if r.park else "",
        "period": f"建设年限{r.period}" if r.period else "",
        "content": f"主要建设内容及规模：{_content_clip(r.content, q, 150 if content_first else 90)}"
        if r.content else "",
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


def _content_clip(content: str | None, q: Query | None, n: int) -> str:
    """The project content, or its clauses that share the most with the question when too long."""
    s = _squash(content).rstrip("。；;")
    if len(s) <= n or q is None:
        return s[:n]
    clauses = [c for c in re.split(r"(?<=[，,；;。])", s) if c]
    qb = _bigrams(q.norm)
    ranked = sorted(range(len(clauses)), key=lambda i: -len(_bigrams(clauses[i]) & qb))
    keep, size = [], 0
    for i in ranked:
        if size + len(clauses[i]) > n:
            continue
        keep.append(i)
        size += len(clauses[i])
    return "".join(clauses[i] for i in sorted(keep)).rstrip("，,；;。")


def _clip(s: str | None, n: int) -> str:
    s = re.sub(r"\s+", "", s or "")
    return s if len(s) <= n else s[:n]


def answer_project(q: Query, corpus: Corpus) -> Answer | None:
    found = find_projects(q, corpus)
    if not found or found[0][0] < 0.5:
        return None
    top = found[0][0]
    same = [ref for s, ref in found if s >= top - 1e-9]
    if len(same) > 3:
        names = "、".join(ref.row.name for ref in same[:5])
        return Answer([f"问题可能指以下项目：{names}，请指明具体项目名称。"],
                      [corpus.row_evidence(ref) for ref in same[:5]], confidence=top * 0.5)
    near = [ref for s, ref in found[len(same):6] if s >= top - 0.05]
    if len(same) == 1:
        lines = [_project_facts(same[0].row, q.aspects, q)]
    else:
        # one name printed in several rows (a project listed twice): every row on the first line
        short = [f"{ref.row.name}（{ref.row.park or ''}）总投资{fmt_number(ref.row.investment_wan)}万元"
                 if ref.row.investment_wan is not None else ref.row.name for ref in same]
        lines = ["；".join(short) if len("；".join(short)) <= 200 else short[0]]
        lines += [_project_facts(ref.row, q.aspects, q) for ref in same]
    r = same[0].row
    if r.content and "content" not in q.aspects:
        lines.append(f"主要建设内容及规模：{_squash(r.content)}")
    conf = 0.4 + 0.6 * top
    if near:
        lines.append("名称相近的项目：" + "、".join(ref.row.name for ref in near))
        conf = top * 0.5 if top < 1.0 else conf - 0.1  # a mention several projects fit equally
    return Answer(lines, [corpus.row_evidence(ref) for ref in same], confidence=conf)


# -- aggregates ------------------------------------------------------------------------------------

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


def _summary_match(q: Query, corpus: Corpus) -> list[tuple[RowRef, str | None, str | None]]:
    """Summary rows that state the asked total, with the count and amount cells to read."""
    out = []
    park_ids = {id(g) for g in q.parks}
    cats = [match_form(c) for c in q.categories]
    for ref in corpus.summaries:
        r: SummaryRow = ref.row
        label = match_form(r.label)
        core = _ENUM.sub("", label)
        g = corpus.vocab.park_group(r.label)
        if q.parks:
            if g is None or id(g) not in park_ids:
                continue
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
        if re.search(r"以前|之前|以后|以来", hf) and not re.search(r"以前|之前|以后|以来", "".join(must)):
            continue  # "2019年以前" is not the 2019 column
        if all(m in hf for m in must) and any(k in hf for k in kind) and not is_blank_cell(v):
            return h
    if not must:
        for h, v in cells.items():
            if any(k in match_form(h) for k in kind) and not is_blank_cell(v):
                return h
    return None


def _text_stating(corpus: Corpus, doc_id: str, figures: list[str]) -> Evidence | None:
    """A body-text sentence that states all these figures (项目表 totals repeated in the text)."""
    nums = [match_form(f) for f in figures if re.fullmatch(r"\d+(\.\d+)?", match_form(f))]
    if not nums or max(len(n) for n in nums) < 4:
        return None  # small numbers alone would match unrelated sentences
    for c in corpus.text_chunks(doc_id):
        cf = corpus.form_of(c)
        if not all(n in cf for n in nums):
            continue
        for sent in _sentences(c.text):
            sf = match_form(sent)
            if all(re.search(rf"(?<![\d.]){n}(?![\d.])", sf) for n in nums):
                return corpus.chunk_evidence(c, sent)
    return None


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
    """Counts, sums and lists of projects by park, category or start year."""
    if "项目" not in q.norm or not (q.wants_count or q.wants_sum or q.wants_list):
        return None
    if not corpus.projects and not corpus.summaries:
        return None
    if q.doc_ids and not any(x.row.doc_id in q.doc_ids for x in corpus.projects + corpus.summaries):
        # the plan the question names has no project table (庄河规划) — the other plan's is not it
        titles = "、".join(corpus.title(d) for d in q.doc_ids)
        return Answer([f"文档中未找到{titles}中的重点项目表。", "该文件没有列出项目清单，无法统计项目数量或投资。"],
                      abstained=True, confidence=0.5)
    rows, desc = _filter_projects(q, corpus)
    filtered = bool(desc)
    stated = _summary_match(q, corpus)
    subject = "".join(desc) if desc else "项目库"
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
        who = subject if (filtered and len(q.parks) < 2) or re.search(r"合计|总计", r.label) \
            else _ENUM.sub("", match_form(r.label))
        piece = f"{who}共有{c}个项目" if c else f"{who}"
        if a:
            piece += f"，总投资{a}万元"
        head_parts.append(piece + f"（{_short_table(ref.table.title)}“{r.label}”行）")
        ev.append(corpus.row_evidence(ref))
        said = _text_stating(corpus, r.doc_id, [x for x in (c, a) if x])
        if said is not None:
            ev.append(said)
        years = [str(y) for y in q.years if any(str(y) in (col or "") for col in (ccol, acol))]
        if years:
            head = corpus.table_line_evidence(ref.table, years)
            if head:
                ev.append(head)
    # category counts a project list states in its group headings (一 公共基础设施（53个）)
    if q.categories and not q.parks and not (q.years and _START.search(q.norm)):
        for t in corpus.tables:
            cats = (t.stated_total or {}).get("categories") or {}
            for cat, cnt in cats.items():
                if any(match_form(c) == match_form(cat) for c in q.categories):
                    line_ev = corpus.table_line_evidence(t, [cat, str(cnt)])
                    if line_ev:
                        head_parts.append(f"{_short_table(t.title)}中{cat}类列{cnt}个项目")
                        ev.append(line_ev)
    # totals a project list states itself (附件3 总计（178个） 21124119)
    if not filtered and not _named_label(q, corpus):
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


def _squash(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")

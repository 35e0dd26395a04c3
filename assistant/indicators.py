"""Indicator-table answers: the value of a named indicator for a year, the same indicator in two
plans, and the body-text sentences that corroborate or contradict a table figure.

An Answer with `abstained=True` means the indicator matched but the table lacks the asked value (a
year the table lacks, a blank cell) — the caller may still let the text answer before abstaining.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable

from assistant.abbreviations import expand_synonyms
from assistant.cite import Answer, Evidence
from assistant.corpus import Corpus, RowRef
from assistant.numbers import is_blank_cell, match_form
from assistant.query import Query, plan_end_years
from assistant.rowindex import name_grams
from assistant.rowindex import row_index as _row_index
from assistant.rowtext import bigrams as _bigrams
from assistant.rowtext import sentences as _sentences
from assistant.rowtext import short_table as _short_table
from assistant.rowtext import squash as _squash
from index.tokens import Tokenizer
from ingest.model import IndicatorRow

_QUESTION_WORDS = (
    r"到|年底|年末|末|目标值?|是多少|为多少|多少|要达到|达到|预计|计划|力争|争取|全市|我市|本市|的|为|是|"
    r"[?？。，,！!、]|规划|期间|要求|应|将|有|要|能|可以|多大|什么|怎样|如何|请问|数值|指标|情况|"
    r"年均|每年|预期|约束性|预期性|水平|提高|提升|实现|还是|这个|那个|哪个|定的|定为|设定|基数|基期值?|现状值?|"
    r"那一栏|这一栏|一栏|栏|列|数据|数字|口径|届时|定|里|中|内|那|这|降到|降至|下降到|控制在|提高到|提升到|增加到|"
    r"增长到|大概|大约|左右|分别|和|与|及|对比|比较|相比|各自|两个|两份|两者|二者|两地|各是|各为|各|属于|性")
# a question word only goes when it is a whole word: 能 of 能耗 and 有 of 有效 stay
_QUESTION_TOKEN = re.compile(rf"(?:{_QUESTION_WORDS})+")
# the unit a question asks the figure in (多少微克/立方米, 几家) names no indicator
_ASKED_UNIT = re.compile(r"(多少|几)(亿美元|亿元|万元|万吨|万人|万千瓦|千瓦|兆瓦|MW|平方公里|公里|微克/立方米|立方米|"
                         r"吨标煤|吨|亩|家|件|个|项|人|%|个百分点)")
# a table the question points at: 评估指标表里, 主要指标表中, 表3中, 附件2里
TABLE_HINT = re.compile(r"((?:表|附表|附件)\d+|[\u4e00-\u9fff]{0,8}?(?:指标|数据|对比|统计|目标|评估)[\u4e00-\u9fff]{0,3}?表)"
                        r"(?:里|中|内|上|的)?")


def table_hint(q: Query, corpus: Corpus) -> str | None:
    """The table a question names (评估指标表, 表2), scope words removed, or None."""
    m = TABLE_HINT.search(q.norm)
    if not m:
        return None
    hint = m.group(1)
    for k in _row_index(corpus).scope_words:
        hint = hint.replace(k, "")
    return hint if len(hint) >= 2 else None


def hint_fits(hint: str | None, title: str) -> bool:
    """Whether a table title is the one the question names."""
    if not hint:
        return False
    t = match_form(title).replace(" ", "")
    if re.fullmatch(r"(表|附表|附件)\d+", hint):
        return t.startswith(hint)
    hb = _bigrams(hint)
    return len(hb & _bigrams(t)) / max(1, len(hb)) >= 0.75


@functools.lru_cache(maxsize=1024)
def _strip_question_words(s: str, tokenizer: Tokenizer) -> str:
    s = _ASKED_UNIT.sub("", s)
    return "".join(t for t in tokenizer.cut(s) if not _QUESTION_TOKEN.fullmatch(t.strip()))


def _content(q: Query, corpus: Corpus) -> str:
    """The words of the question that should name the indicator (years, places, table names and
    question words removed)."""
    s = q.expanded
    m = TABLE_HINT.search(s)
    if m:
        s = s.replace(m.group(0), "")
    for y in q.years:
        s = s.replace(f"{y}年", "").replace(str(y), "")
    for k in _row_index(corpus).scope_words:
        s = s.replace(k, "")
    for w in q.park_words:
        s = s.replace(w, "")
    s = re.sub(r"十[一二三四五]五", "", s)
    return _strip_question_words(s, q.tokenizer)


def indicator_score(name: str, group: str | None, q: Query, content: str,
                    idf: Callable[[str], float] | None = None) -> float:
    """How well an indicator name fits the question: the share of the name the question covers,
    and the (rarity-weighted) share of the question's content the name explains — a question
    about 规上工业利润 must not get 规模以上工业营业收入."""
    qb = (_bigrams(q.norm), _bigrams(q.expanded))
    cb = _bigrams(content)
    w = idf or (lambda _b: 1.0)
    return _name_fit(name, group, qb, cb, w, sum(w(b) for b in cb))


def _name_fit(name: str, group: str | None, qb: tuple[frozenset[str], frozenset[str]], cb: frozenset[str],
              w: Callable[[str], float], total: float) -> float:
    """indicator_score with the question's bigrams and their total weight computed once."""
    best = 0.0
    grams, gb = name_grams(name, group)
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
    # a figure asked in one currency is not the row printed in another (按人民币计 vs 亿美元)
    if "美元" in unit and re.search(r"人民币|(?<!美)元(?!/)", _ASKED_UNIT_TEXT.sub("", q.norm)):
        return False
    if "元" in unit and "美元" not in unit and "美元" in q.norm:
        return False
    return True


_ASKED_UNIT_TEXT = re.compile(r"万元(产值|工业|地区|GDP)|单位")  # 万元产值能耗 names an indicator, not a currency


ROW_CUT = 0.45  # a row scoring at most this (name fit + bonuses) is no candidate answer
HINT_BONUS = 0.1  # the row's table is (+) or is not (−) the table the question names
YEAR_BONUS = 0.08  # the row has a value for every asked year
UNEXPLAINED_PENALTY = 0.07  # per question word (at most two) the row's name does not account for


def best_indicators(q: Query, corpus: Corpus) -> list[tuple[float, RowRef]]:
    content = _content(q, corpus)
    hint = table_hint(q, corpus)
    park_aliases = [a for g in q.parks for a in g.aliases]
    qb = (_bigrams(q.norm), _bigrams(q.expanded))
    cb = _bigrams(content)
    w = corpus.idf or (lambda _b: 1.0)
    total = sum(w(b) for b in cb)
    words: list[str] | None = None  # the question's content words, cut once when first needed
    scored = []
    for ref in _row_index(corpus).candidates(q, qb, cb, total):
        r = ref.row
        s = _name_fit(r.name, r.group, qb, cb, w, total)
        if s + HINT_BONUS + YEAR_BONUS <= ROW_CUT:
            continue  # no bonus lifts it over the cut (checked first: most candidates stop here)
        if park_aliases and not any(a in match_form(ref.table.title + r.name) for a in park_aliases):
            continue  # a city-level table does not answer a question about one park
        if not _unit_fits(q, r):
            continue
        if s > ROW_CUT:
            if words is None:
                words = _content_words(q, corpus, content)
            s -= UNEXPLAINED_PENALTY * min(2, len(_unexplained_words(q, ref, corpus, words)))
        if q.doc_ids and r.doc_id not in q.doc_ids:
            continue  # the question names its document
        if hint:
            s += HINT_BONUS if hint_fits(hint, ref.table.title) else -HINT_BONUS
        if q.years:
            # a table that has the asked year beats one that does not (评估表 2017-2019 vs 目标表 2025)
            s += YEAR_BONUS if all(_year_value(r, y) for y in q.years) else 0.0
        if s > ROW_CUT:
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
                          r"属于|性质|单位|比重|占比|比例|多少家|多少个|总额|规模|水平|数量|全省|分别|比较|对比|相比|两份|"
                          r"两个|文件|各自)$")


def _content_words(q: Query, corpus: Corpus, content: str) -> list[str]:
    """The words of the question's content that should each be named by the indicator row."""
    skip = set(q.park_words) | _row_index(corpus).scope_word_set
    places = corpus.vocab.places
    out = []
    for w in q.tokenizer.cut(content):
        w = w.strip()
        if len(w) < 2 or w in skip or _NON_CONTENT.match(w) or not places.sub("", w) or not re.search(r"[\u4e00-\u9fff]", w):
            continue
        out.append(w)
    return out


def _unexplained_words(q: Query, ref: RowRef, corpus: Corpus, words: list[str] | None = None) -> list[str]:
    """Content words of the question the indicator name does not account for (食品 in
    规上食品工业产值 vs 规模以上工业营业收入): each makes the row a worse answer."""
    r = ref.row
    name = expand_synonyms(match_form(r.name)) + match_form(r.name) + match_form(r.group or "") + \
        match_form(ref.table.title) + match_form(r.unit or "")
    if words is None:
        words = _content_words(q, corpus, _content(q, corpus))
    return [w for w in words if not (w in name or all(b in name for b in _bigrams(w)))]


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


def answer_indicator(q: Query, corpus: Corpus, min_score: float = 0.6) -> Answer | None:
    if not q.years and plan_end_years(q.norm):
        q = dataclasses.replace(q, years=plan_end_years(q.norm))  # 十四五末: the table's 2025 column
    ranked = best_indicators(q, corpus)
    if not ranked or ranked[0][0] < min_score:
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
        blank = f"（{label}中该年一栏为空）" if yv is not None and y is not None else ""
        return Answer([f"文档中未找到{y or ''}{'年' if y else ''}{r.name}的数值{blank}。", why + "。"],
                      _evidence(corpus, ref, []), abstained=True, confidence=0.5)
    lines = ["；".join(parts)]
    for ref, y, _yv in missing:
        lines.append(f"（{ref.row.name}{'' if y is None else f'{y}年'}在{_short_table(ref.table.title)}中无数值。）")
    support = corroborating_sentence(corpus, picks[0], q)
    if support is not None:
        ev.append(support)
        lines.append(f"正文：{support.quote}")
    return Answer(lines, ev, confidence=top_score)

def answer_compare(q: Query, corpus: Corpus) -> Answer | None:
    """The same indicator asked of two documents (某县和示范区2025年的高企目标分别是多少): one
    answer per document, joined on the first line — from the document's indicator table, or, where
    the table has no value (a blank cell, no such row), from a sentence of its text stating it."""
    if len(q.doc_ids) < 2:
        return None
    parts, ev, conf, missing = [], [], [], []
    for d in q.doc_ids:
        sq = dataclasses.replace(q, doc_ids=[d], wants_compare=False)
        # the other plan already fixes what is compared, so a weaker name match is enough
        sub = answer_indicator(sq, corpus, min_score=0.45)
        name = _doc_word(q, corpus, d)
        if sub is None or sub.abstained:
            ranked = best_indicators(sq, corpus)
            said = text_figure(corpus, d, ranked[0][1].row.name if ranked else None, sq)
            if said is not None:
                parts.append(f"{name}：{said[0]}（正文）")
                ev.append(said[1])
                conf.append(0.6)
            elif sub is not None:
                missing.append(f"{name}：{sub.lines[0]}")
            continue
        parts.append(f"{name}：{sub.lines[0]}")
        ev += sub.evidence
        conf.append(sub.confidence)
    if not parts or len(parts) + len(missing) < 2:
        return None
    if len(parts) < 2:
        # one plan has the figure, the other's table names the indicator without a value for it
        return Answer(["；".join(parts + missing)], ev, confidence=conf[0])
    # both plans answer, as asked: a single text sentence cannot, so this is the answer to give
    return Answer(["；".join(parts)], ev, confidence=max(0.8, min(1.0, min(conf) + 0.1)))


def text_figure(corpus: Corpus, doc_id: str, name: str | None, q: Query) -> tuple[str, Evidence] | None:
    """The clause of a document's text that gives a figure for the indicator (by its table name, else
    the question's words) in the asked year: 研发经费投入年均增长5%以上."""
    words = expand_synonyms(match_form(name)) if name else _content(q, corpus)
    nb = _bigrams(words)
    if len(nb) < 2:
        return None
    best: tuple[float, str, Evidence] | None = None
    for c in corpus.text_chunks(doc_id):
        cf = corpus.form_of(c)
        if q.years and not all(str(y) in cf for y in q.years):
            continue
        for sent in _sentences(c.text):
            sf = match_form(sent)
            if q.years and not all(str(y) in sf for y in q.years):
                continue
            for clause in re.split(r"[，,；;。]", sf):
                if not re.search(r"\d", re.sub(r"(19|20)\d{2}年?", "", clause)):
                    continue
                cov = len(nb & _bigrams(expand_synonyms(clause))) / len(nb)
                if cov >= 0.5 and (best is None or cov > best[0]):
                    ev = corpus.chunk_evidence(c, sent.strip())
                    if ev is not None:
                        best = (cov, clause, ev)
    return (best[1], best[2]) if best else None


def _doc_word(q: Query, corpus: Corpus, doc_id: str) -> str:
    """How the question names a document (某县, 示范区), else its title."""
    for sc in corpus.vocab.scopes:
        if sc.doc_id == doc_id:
            found = sorted((k for k in sc.keywords if k in q.norm), key=lambda k: (-len(k), k))
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
    vs 正文 "2020年……完成规模以上工业营业收入148.6亿元"): the clause and its evidence."""
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
                if len(nb & _bigrams(head)) / max(1, len(nb)) >= 0.8 and len(head) <= len(name) + 8 and \
                        not _word_inserted(head, nb):
                    ev = corpus.chunk_evidence(c, sent)
                    if ev is not None:
                        return clause, ev
    return None


_VERB = re.compile(r"实现|完成|达到|累计|全年|共计|合计|全部")


def _word_inserted(text: str, name_grams: set[str]) -> bool:
    """A word inside the span the indicator name covers (规模以上[食品]工业产值): a narrower
    indicator, not the same one. One inserted character (工业[总]产值) is still the same."""
    at = [i for i in range(len(text) - 1) if text[i:i + 2] in name_grams]
    if not at:
        return False
    span = _VERB.sub("", text[min(at): max(at) + 2])
    return sum(1 for i in range(len(span) - 1) if span[i:i + 2] not in name_grams) >= 3


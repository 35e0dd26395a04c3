"""Which indicator-table row a question asks about: the rows ranked by how well their names fit
the question's content (question words, years, places and table names removed), with bonuses for
the table the question names and for a value in every asked year, and penalties for a unit that
cannot be the asked one and for question words the row's name does not account for.

The ranking is its own module because the indicator answer, the two-plan comparison and the
structured-answer chooser (assistant/structured.py) all rank rows the same way, through
`best_indicators`; the row index (assistant/rowindex.py) only narrows the candidates.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from assistant.abbreviations import expand_synonyms
from assistant.corpus import Corpus, RowRef
from assistant.numbers import match_form
from assistant.query import Query
from assistant.rowindex import name_grams
from assistant.rowindex import row_index as _row_index
from assistant.rowtext import bigrams as _bigrams
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


def question_content(q: Query, corpus: Corpus) -> str:
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


def year_value(row: IndicatorRow, year: int) -> tuple[str, str] | None:
    for k, v in row.values.items():
        if re.search(rf"(?<!\d){year}(?!\d)", k) and not re.search(r"以前|之前|以后|以来", k):
            return k, v
    return None


def years_of(row: IndicatorRow) -> list[int]:
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
    rate_row = "%" in unit or re.search(r"率|比重|增速|占比", name)
    # a count is read from the year columns: a 年均增速 column beside them (台资企业数 户 1200 2000 10.8%)
    # does not make the row a rate row — but it does answer a rate question
    year_rate = any("%" in v for k, v in row.values.items() if re.search(r"(19|20)\d{2}", k))
    any_rate = any("%" in v for v in row.values.values())
    if _ASK_COUNT.search(q.norm) and not _ASK_RATE.search(q.norm) and (rate_row or year_rate):
        return False
    if _ASK_RATE.search(q.norm) and not (rate_row or any_rate) and re.search(r"[家个件元吨]", unit):
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
    content = question_content(q, corpus)
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
            s += YEAR_BONUS if all(year_value(r, y) for y in q.years) else 0.0
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
        words = _content_words(q, corpus, question_content(q, corpus))
    return [w for w in words if not (w in name or all(b in name for b in _bigrams(w)))]

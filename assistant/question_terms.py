"""What a question asks, in words: its content words (jieba, rarest first) and the unit family of
the figure it asks for (多少亿元 → money, 几个 → a count).

Kept apart from the sentence scoring because both the ranking (`sentence_ranking`) and the
abstention features (`candidates`) and the answer's clause (`answer_clauses`) test sentences
against the same words: one definition of "the question's rarest word" for all three.
"""

from __future__ import annotations

import re

from assistant.query import Query
from assistant.sentence_terms import SentenceScorer
from ingest.profile import PLAN_DOC_TYPES

_QWORDS = re.compile(r"^(多少|什么|哪些|哪个|哪里|如何|怎样|怎么|是否|目标|要求|达到|是多|请问|根据|文件|规划|方案|"
                     r"多长|多大|多高|几个|几家|情况|主要|重点|提出|计划|预计|力争|争取|(?:全|我|本)(?:省|市|区|县|州)|其中|以上|"
                     r"以下|包括|分别|哪两|哪几|比重|比例|占比|总额|数量|数值|指标|实现|完成|建设|发展|产业|"
                     r"超过|多于|大约|左右|哪天|何时|时间|什么时候|要求|负责|哪个|部门|称号|属于|期间|期末|"
                     r"十四五|十三五|数量|年底|年末|今年|明年|去年|上年|本年|全年|预期|预计|报告|工作报告|政府工作报告|"
                     r"还是|幅度|具体|分别|多少亿|多少万|数字|数据|数值|方面|统计|说法|给出|提到|写到)$")


# a unit of measure is how the figure is written, not what is measured
_UNIT_WORD = re.compile(r"[亿万千百]*(元|美元|吨|千瓦时|千瓦|兆瓦|瓦|人次|人|户|平方公里|平方米|公里|亩|公顷|个|家|项|条|所|名|"
                        r"台|座|辆|列|标箱|立方米)")
_ASKS_TYPE = re.compile(r"^(哪个|哪家|哪座|哪所|哪种|哪类|哪一|什么|何种|哪)$")


def key_words(q: Query, scorer: SentenceScorer) -> list[list[str]]:
    """Content words of the question (jieba), rarest first, as asked and with abbreviations written
    out; park names and document names are left out (checked elsewhere)."""
    # a document kind (专项规划, 政府工作报告) names which document is asked, not what it states
    skip = set(q.park_words) | {a for g in q.parks for a in g.aliases} | scorer.scope_words | set(PLAN_DOC_TYPES)
    # the question's own words that name a document (社会事业 of 某地社会事业专项规划 cut into 社会, 事业)
    naming = [k for k in q.scope_words if len(k) >= 3 and k in q.norm]
    out = []
    for text in dict.fromkeys((q.norm, q.expanded)):
        words = []
        # Latin terms (R&D, PM2.5) are one word; jieba would cut them into letters
        latin = re.findall(r"[A-Za-z][A-Za-z0-9&.]+", text)
        prev = ""
        for w in latin + scorer.tokenizer.cut(re.sub(r"[A-Za-z][A-Za-z0-9&.]+", " ", text)):
            w, asked = w.strip(), prev
            prev = w or prev
            if _ASKS_TYPE.match(asked):
                continue  # 哪个县级市 / 什么基地 / 哪家企业: the kind of answer, not a word the text repeats
            if len(w) < 2 or w in skip or _holds_any(w, scorer.scope_words) or any(w in k for k in naming) \
                    or _QWORDS.match(w) \
                    or re.fullmatch(r"[\d.%年月日]+", w) or _UNIT_WORD.fullmatch(w):
                continue
            if not re.search(r"[\u4e00-\u9fffA-Za-z]", w):
                continue
            w, df = _found_form(w, scorer)
            if df > 0:
                words.append((df, w))
        out.append([w for _, w in sorted(set(words))])
    return out


def _holds_any(w: str, words: set[str]) -> bool:
    """Whether some word of `words` occurs in `w` (by w's substrings: `words` names every document)."""
    return any(w[i:j] in words for i in range(len(w)) for j in range(i + 1, len(w) + 1))


def _found_form(w: str, scorer: SentenceScorer) -> tuple[str, int]:
    """`w`, or when the text never writes it, a shorter head of it that the text does write
    (核电站 → 核电): the question's subject is still the text's word, not one to drop."""
    df = scorer.word_df(w)
    for cut in (1, 2):
        if df > 0 or len(w) - cut < 2:
            break
        if (d := scorer.word_df(w[:-cut])) > 0:
            return w[:-cut], d
    return w, df


def word_in(word: str, text: str) -> bool:
    """`word` in `text`, or a four-character compound split by a modifier (民营企业 ↔ 民营工业企业) or
    by an enumeration that shares its first half (粮食产量 ↔ 粮食播种面积3320万亩、产量1285万吨)."""
    if word in text:
        return True
    if (m := _CHANGE_TAIL.match(word)) and _states_change_of(m.group(1), m.group(2), text):
        return True
    if len(word) != 4 or word[:2] not in text or word[2:] not in text:
        return False
    i = text.find(word[:2])
    if 0 < text.find(word[2:], i) - i <= 6:
        return True
    for m in re.finditer(re.escape(word[:2]), text):
        j = text.find("、" + word[2:], m.start(), m.start() + ENUMERATION_REACH)
        if j > 0 and not re.search(r"[，,；;。]", text[m.start():j]):
            return True
    return False


# characters from a shared first half to the enumerated second half (粮食播种面积3320万亩、产量)
ENUMERATION_REACH = 20
# a measure word the tokenizer joined with its change verb (某某总值增长): the text may put the
# level between them in one clause (某某总值57761亿元、增长5.5%)
_CHANGE_TAIL = re.compile(r"(.{2,}?)(增长|下降|提高|增加|减少|降低|上涨|回落)$")


def _states_change_of(measure: str, verb: str, text: str) -> bool:
    for m in re.finditer(re.escape(measure), text):
        j = text.find(verb, m.end(), m.end() + ENUMERATION_REACH)
        if j > 0 and _LEVEL_BETWEEN.fullmatch(text[m.end():j]):
            return True
    return False


# between a measure and its change: nothing of another clause, or its level (67665亿元，)
_LEVEL_BETWEEN = re.compile(r"[^，,；;。]*|[^，,；;。]*\d[^，,；;。]*[，,]")


_UNIT_FAMILIES = [("亿美元", "万美元", "美元"), ("亿元", "万元", "元"), ("%",), ("万千瓦", "千瓦", "兆瓦", "MW", "GW"),
                  ("平方公里", "平方米", "亩", "公顷", "m2", "m²"), ("万吨", "吨"), ("公里", "千米", "米"),
                  ("家", "个", "户", "项")]


def asked_family(q: Query) -> tuple[str, ...] | None:
    """The unit family a question asks its figure in (多少亿元 → money), if it names one."""
    m = re.search(r"(多少|几)(亿美元|万美元|亿元|万元|元|万千瓦|千瓦|兆瓦|MW|平方公里|平方米|亩|万吨|吨|公里|米|%)", q.norm)
    if not m:
        return None
    return next((f for f in _UNIT_FAMILIES if m.group(2) in f), None)


def asked_count(q: Query) -> tuple[str, ...] | None:
    """几个/多少家 asks for a count: used to rank sentences with a counted figure first (not to
    reject others — counts are written in many ways: 4.2万户, 四个园区, 第二个)."""
    return ("个", "家", "户", "项", "座", "台", "条") if re.search(r"(多少|几)(个|家|户|项|座|台|条)", q.norm) else None


def has_unit(sf: str, family: tuple[str, ...]) -> bool:
    return any(re.search(r"[\d一二三四五六七八九十两]\s*" + re.escape(u), sf) for u in family)


def unit_ok(tail: str, family: tuple[str, ...] | None) -> bool:
    if family is None:
        return True
    m = re.match(r"[^，,；;。：:\d]{0,14}?[\d.,]+\s*([^\d\s，,；;。]{0,4})", tail)
    return bool(m) and m.group(1).startswith(family)

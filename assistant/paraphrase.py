"""How questions and plan texts say the same thing differently, and what a question asks for.

All of this is general Chinese government-document phrasing, not tied to any document:
- paraphrases: a question's word and the forms a plan text uses for it (称号 ↔ 之称, 距离 ↔ 距);
- measure qualifiers that change what a figure is (常住 vs 户籍 人口, 总量 vs 增速): a sentence that
  gives the contrasting measure does not answer;
- answer types: a 文号 question wants "X发〔2022〕22号", a 哪天 question a date, a 哪年 question a
  year, a question about a quoted term (“某某”指…) the sentence that defines it.
"""

from __future__ import annotations

import re

# question word → forms a plan text may use instead (longest question words first when applied)
PARAPHRASES: list[tuple[str, tuple[str, ...]]] = [
    ("称号", ("之称", "美誉", "誉为", "称为")),
    ("称为", ("之称", "美誉", "誉为")),
    ("美誉", ("之称", "誉为", "称号")),
    ("美称", ("之称", "美誉", "誉为")),
    ("别称", ("之称", "称为", "誉为", "美誉")),
    ("别名", ("之称", "称为", "誉为", "美誉")),
    ("雅称", ("之称", "称为", "誉为", "美誉")),
    ("绰号", ("之称", "称为", "誉为", "美誉")),
    ("距离", ("距", "相距")),
    ("多远", ("距",)),
    ("成立", ("设立", "组建", "批准", "创建", "设置")),
    ("设立", ("成立", "组建", "批准")),
    ("创建", ("成立", "设立", "组建")),
    ("占地面积", ("占地", "用地面积", "规划面积")),
    ("面积", ("规划面积", "占地", "用地")),
    ("位于", ("地处", "坐落")),
    ("在哪", ("位于", "地处")),
    ("哪里", ("位于", "地处")),
    ("定位", ("打造成", "打造为", "建设成为", "建成")),
    ("投产", ("建成投产", "竣工投产", "投入运营")),
    ("装机", ("装机容量", "兆瓦", "千瓦")),
    ("容量", ("装机", "兆瓦", "千瓦")),
]

# qualifier in the question → qualifiers that, found instead in a sentence, mean another measure
MEASURE_CONTRASTS: list[tuple[str, tuple[str, ...]]] = [
    ("常住", ("户籍",)),
    ("户籍", ("常住",)),
    ("城镇居民", ("农村居民",)),
    ("农村居民", ("城镇居民",)),
    ("出口额", ("进口额",)),
    ("进口额", ("出口额",)),
    ("计划投资", ("完成投资",)),  # a planned investment is not the completed one (a report's target vs its review)
    ("完成投资", ("计划投资",)),
]
# questions asking for an amount (not a rate): a sentence that gives only a % does not answer
_AMOUNT = re.compile(r"总量|总额|总值|规模|多少亿|多少万|多少元|多少吨|多少家|多少个|多少平方")
_RATE = re.compile(r"增速|增长率|增幅|比重|占比|比例|率|百分之|%|下降|提高|增长")


def variants(text: str) -> list[tuple[str, list[str]]]:
    """`text` with question words replaced by the text's forms, with the forms introduced."""
    out: list[tuple[str, list[str]]] = []
    for word, forms in sorted(PARAPHRASES, key=lambda p: -len(p[0])):
        if word not in text:
            continue
        for f in forms:
            out.append((text.replace(word, f" {f} "), [f]))
    return out[:8]


def said_otherwise(word: str, text: str) -> bool:
    """`text` uses a plan's form of (part of) the question word `word` (发展定位 → 打造成)."""
    return any(w in word and any(f in text for f in forms) for w, forms in PARAPHRASES)


def contrasting_measure(question: str, sentence: str) -> str | None:
    """The qualifier of another measure a sentence gives instead of the asked one (户籍 for 常住)."""
    for word, others in MEASURE_CONTRASTS:
        if word in question and word not in sentence:
            for o in others:
                if o in sentence:
                    return o
    return None


def wants_amount(question: str) -> bool:
    """The question asks for an amount (总量, 多少亿元) and not for a rate or share."""
    return bool(_AMOUNT.search(question)) and not _RATE.search(question)


# -- answer types ---------------------------------------------------------------------------------
_DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[(（【]\d{4}[〕\])）】]\d{1,4}号")
_DATE = re.compile(r"(19|20)\d{2}年\d{1,2}月\d{1,2}日")
# a time as plans state it: a year, or a period of a five-year plan ("十四五"后期)
_YEAR = re.compile(r"(19|20)\d{2}年|十[一二三四五六七八九]五[”\"]?(时期|期间|后期|前期|中期|末|初)|年底|年末")

_ASKS_DOC_NO = re.compile(r"文号|字号|发文号|文件号|发文字号")
_ASKS_DATE = re.compile(r"哪天|哪一天|几月几日|几号|日期|具体时间")
_ASKS_YEAR = re.compile(r"哪年|哪一年|何年|什么时候|何时|哪个年份|什么时间|年份")
_QUOTED = re.compile(r"[“\"']([^”\"']{1,12})[”\"']")
_DEFINE = re.compile(r"指的是|指什么|指哪|是指|是什么|是哪|什么意思|含义|内涵|包括哪|包含哪|分别是")


def asked_type(question: str) -> str | None:
    """What shape of answer a question wants: doc_no, date, year, or None (anything)."""
    if _ASKS_DOC_NO.search(question):
        return "doc_no"
    if _ASKS_DATE.search(question):
        return "date"
    if _ASKS_YEAR.search(question):
        return "year"
    return None


def has_type(sentence: str, kind: str | None) -> bool:
    if kind == "doc_no":
        return bool(_DOC_NO.search(sentence))
    if kind == "date":
        return bool(_DATE.search(sentence))
    if kind == "year":
        return bool(_YEAR.search(sentence))
    return True


_COUNT = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def defined_term(question: str) -> str | None:
    """The quoted term a question asks to explain (“某某”指哪两个园区 → 某某)."""
    m = _QUOTED.search(question)
    if m and _DEFINE.search(question):
        return m.group(1)
    return None


def defines(sentence: str, term: str) -> bool:
    """The sentence states what `term` is: “某某”为……, “某区”即……, ……（简称“X”）."""
    t = re.escape(term)
    # a numbered abbreviation spelled out: 两先区 = 先导区 + 先行区, 三基地 = three …基地
    m = re.fullmatch(r"([两二三四五六七八九十])([\u4e00-\u9fff])([\u4e00-\u9fff])?", term)
    if m and term not in sentence:
        n = _COUNT[m.group(1)]
        piece = re.escape(m.group(2)) + (r"[\u4e00-\u9fff]{0,3}?" + re.escape(m.group(3)) if m.group(3) else "")
        if len(re.findall(piece, sentence)) >= n:
            return True
    return bool(re.search(rf"[“\"]?{t}[”\"]?(为|是|指|即|，即|,即|：|:|主要指|包括)", sentence)
                or re.search(rf"简称[“\"]?{t}", sentence))

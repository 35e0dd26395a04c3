"""Which figure of a sentence answers the question: bind the figure to the asked measure and unit.

A plan sentence often packs several figures ("规上工业总产值达到300亿元，年均增长10%，规模以上工业
增加值增速年均增长8%"). A question about one measure must be answered by the clause that states a
figure of that measure, in a unit of the asked kind: an amount question (总额, 多少亿元, GDP是多少) is
not answered by a growth rate or a share, a rate question not by an amount, and 增加值 is not 总产值.
A clause without a measure of its own ("年均增长10%") speaks of the previous clause's subject.
All of this is general plan phrasing, not tied to any document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# clause boundaries of a sentence; 其中 opens a part of the preceding total
# (not a comma inside 1,030, nor 、 between figures: "分别由5.5%、44%提高到17.3%、47.8%")
_CLAUSES = re.compile(r"[，；;。：:！？!?]|(?<!\d),|,(?!\d)|、(?![\d一二三四五六七八九十])|(?=其中)")
_NUM = r"(?:\d[\d,.]*|[一二三四五六七八九十两百千万]+)\s*(?:多|余|近|左右)?\s*"
# figure units by kind; the longest unit first within a kind
_UNITS: dict[str, str] = {
    "money": r"亿美元|万美元|美元|亿元|万元|元",
    "rate": r"%|％|个百分点|百分点|倍",
    "count": r"家|个|项|户|座|台|条|所|处|批|类|种|大|名",
    "area": r"平方公里|平方千米|平方米|亩|公顷",
    "power": r"万千瓦|千瓦|兆瓦|MW|GW",
    "weight": r"万吨|吨",
    "length": r"公里|千米|米",
    "people": r"万人|人",
}
_FIGURE = {k: re.compile(_NUM + f"(?:{u})") for k, u in _UNITS.items()}
_YEAR = re.compile(r"(19|20)\d{2}年")
# a figure printed without any unit word after it (突破5亿, 人口15万)
_BARE = re.compile(r"\d[\d,.]*\s*[万亿]*(?![\d\u4e00-\u9fff%％])")
# a clause naming a measure of its own before its figure (累计减税降费1200亿元, 建成高速公路1500公里)
# does not speak of the previous clause's subject, whether or not it is one of MEASURE_HEADS
_OWN_MEASURE = re.compile(r"(?:约|近|超过|累计|共|全年)?[\u4e00-\u9fff]{3,}(?=\d)")
# a clause opening with a predicate continues the previous clause's subject
_PREDICATE = re.compile(r"其中|(约|分别|同比|年均)?(占|比|较|增长|下降|提高|达到|达|为|是)")

# measure heads that look alike but are different measures; each group: forms a question may use,
# forms a text may use for it. A question naming a head is answered only by a clause naming it.
MEASURE_HEADS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("增加值",), ("增加值",)),
    (("总产值", "产值"), ("产值",)),
    (("营业收入", "营收", "主营业务收入"), ("营业收入", "营收", "主营业务收入")),
    (("地区生产总值", "生产总值", "GDP"), ("生产总值", "GDP")),
    (("R&D", "研发", "研究与试验发展"), ("R&D", "研发", "研究与试验发展")),
    (("财政收入", "预算收入"), ("财政收入", "预算收入")),
    (("收入",), ("收入",)),  # an income is not a spending: 总收入 is not answered by 合计支出
    (("支出",), ("支出",)),
    (("税收",), ("税收", "税金")),
    (("固定资产投资", "固投"), ("固定资产投资",)),
    (("进出口",), ("进出口",)),
    (("利润",), ("利润",)),
    (("在孵企业", "在孵"), ("在孵",)),
    (("高新技术企业", "高企"), ("高新技术企业", "高企")),
    (("专利",), ("专利",)),
    (("人口",), ("人口",)),
    (("吞吐量",), ("吞吐",)),
]

_ASKS_RATE = re.compile(r"增速|增长率|增幅|比重|占比|比例|百分之|百分点|%|(?<![功效频])率|年均增长|提高多少|下降多少|"
                        r"降低多少|增长多少个|增长了多少|增长多少(?![亿万元家个项户])|怎么增长|如何增长|降了?多少|提升了?多少|"
                        r"占(?!地)[^，,。？?]{0,14}(多少|几)")
_ASKS_MONEY = re.compile(r"多少[亿万]?(美)?元|总额|总量|金额")
# a measure stated as an amount: asked "是多少" it wants the amount, asked for a target it may be a rate
_MONEY_MEASURE = re.compile(r"总值|产值|增加值|收入|支出|投资|GDP|生产总值|经费|税收|利润|营收")
_NOT_PLAIN = re.compile(r"目标|增长|怎么|如何|要求|变化|趋势")
_ASKS_COUNT = re.compile(r"(多少|几)(家|个|项|户|座|台|条|所|处|批|类|种|大|名)")
_ASKS_UNIT = re.compile(r"(多少|几)(" + "|".join(_UNITS.values()) + ")")


# A question asking by how much something changed (提高了多少, 比上年增长多少) is answered by the figure
# a change verb states (提高3.1个百分点), not by the levels it changed from and to (从50.2%提高到53.3%).
_CHANGE = r"(?:提高|增长|增加|下降|减少|降低|上升|提升|扩大|缩小)"
_ASKS_CHANGE = re.compile(_CHANGE + r"了?(?:多少|几)")
_STATES_CHANGE = re.compile(_CHANGE + r"了?(?!到|至)\s*(?:约|近|超过)?\s*\d")


def asks_change(question: str) -> bool:
    return bool(_ASKS_CHANGE.search(question))


def asked_kind(question: str) -> str | None:
    """The kind of figure a question asks for: money, rate, count, area… or None (not said)."""
    if m := _ASKS_UNIT.search(question):
        return next(k for k, rx in _FIGURE.items() if rx.fullmatch("1" + m.group(2)))
    if _ASKS_RATE.search(question):
        return "rate"
    if _ASKS_MONEY.search(question):
        return "money"
    if _MONEY_MEASURE.search(question) and "多少" in question and not _NOT_PLAIN.search(question):
        return "money"
    if _ASKS_COUNT.search(question):
        return "count"
    return None


def asked_heads(question: str) -> list[tuple[str, ...]]:
    """The text forms of every measure head the question names (longest question form wins)."""
    out = []
    for q_forms, t_forms in MEASURE_HEADS:
        if any(f in question for f in q_forms):
            out.append(t_forms)
    return out


def figure_kinds(clause: str) -> set[str]:
    """Kinds of the figures a clause states (years are dates, not figures)."""
    body = _YEAR.sub("", clause)
    kinds = {k for k, rx in _FIGURE.items() if rx.search(body)}
    if re.search(r"\d", body):
        kinds.add("other")  # a bare figure (人口15万): any question without a unit kind takes it
    return kinds


def split_clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSES.split(sentence) if c.strip()]


def _heads_in(text: str) -> set[str]:
    return {f for _, forms in MEASURE_HEADS for f in forms if f in text}


def contradicts_kind(question: str, line: str) -> bool:
    """An answer line whose figures are of the other kind than asked (a share for an amount, an
    amount for a rate), or that has no figure at all for a question naming its unit (多少亿元)."""
    kind = asked_kind(question)
    if kind == "money" and not _ASKS_MONEY.search(question) or kind not in ("money", "rate"):
        return False  # only a question that says "an amount" or "a rate" in so many words
    kinds = figure_kinds(re.sub(r"[（(]表\s*\d+[）)]|\[\d+\]", "", line))  # not the table / citation number
    if kind in kinds:
        return False
    if not kinds - {"other"}:
        return bool(_ASKS_UNIT.search(question)) and "other" not in kinds
    return bool(kinds & {"money", "rate"})


@dataclass
class Binding:
    applies: bool  # the question names a measure or a unit kind to bind
    clause: str | None  # the clause(s) stating the asked figure; None: no clause binds


def bind(question: str, sentence: str, context: str = "", expanded: str = "") -> Binding:
    """The clause of `sentence` that states a figure of the asked measure in the asked kind of unit.

    `question` is the question's matching form, `expanded` the same with abbreviations written out
    (used to rank clauses only: an expansion may add measure words the asker did not say), `context`
    the text that may name the subject when the sentence does not (its section heading)."""
    kind, heads = asked_kind(question), asked_heads(question)
    if kind is None and not heads:
        return Binding(False, None)
    clauses = split_clauses(sentence)
    # a change asked and stated: only the clauses stating a change bind
    change = asks_change(question) and any(_STATES_CHANGE.search(c) for c in clauses)
    qgrams = _grams(question) | _grams(expanded)
    subject = context  # what a clause without a measure of its own speaks of
    best: tuple[float, int, bool] | None = None
    for i, c in enumerate(clauses):
        own = _heads_in(c)
        # "占国内生产总值比重0.64%" names the denominator, its subject is the previous clause's
        carried = not own or bool(_PREDICATE.match(c))
        # the asked measure is the previous clause's only when this one names none of its own
        scope = subject + c if carried and (_PREDICATE.match(c) or not _OWN_MEASURE.match(c)) else c
        kinds = figure_kinds(c)
        if not carried:
            subject = c
        # a bare figure (突破5亿, 人口15万) states no unit: it fits any kind the question does not
        # spell out with a unit word
        bare = kinds == {"other"} and not _ASKS_UNIT.search(question) and bool(_BARE.search(_YEAR.sub("", c)))
        if not kinds or (kind is not None and kind not in kinds and not bare) or \
                (change and not _STATES_CHANGE.search(c)):
            continue
        if all(any(f in scope for f in forms) for forms in heads):
            # of several bound clauses, the one sharing most of the question's words
            if c.startswith("其中"):  # a part of the previous clause's total: that total qualifies it
                fit = float(len((_grams(c) | _grams(clauses[i - 1] if i else "")) & qgrams))
            else:
                fit = len(_grams(c) & qgrams) + (0.5 * len(_grams(subject) & qgrams) if carried else 0.0)
            if bare:
                fit *= 0.5  # a clause in the asked unit binds before a unit-less one
            missing = [forms for forms in heads if not any(f in c for f in forms)]
            if best is None or fit > best[0]:
                best = (fit, i, missing)
    if best is None:
        return Binding(True, None)
    return Binding(True, _line(clauses, best[1], best[2], question))


def _grams(text: str) -> set[str]:
    t = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9&]", "", text)
    return {t[k:k + 2] for k in range(len(t) - 1)}


def _line(clauses: list[str], i: int, missing: list[tuple[str, ...]], question: str) -> str:
    """The answering clause, with the clause naming the measure it binds through when it lacks it
    ("总产值达到300亿元，年均增长10%"), and the sentence's opening when that is the organisation the
    question names ("…基地被认定为…，现有在孵企业82家") or the year it asks ("力争到2025年")."""
    parts = [clauses[i]]
    j = i - 1
    if clauses[i].startswith("其中") and i > 0 and len(clauses[i - 1]) > 1:
        parts.insert(0, clauses[i - 1])
    elif _PREDICATE.match(clauses[i]) and i > 0:
        # "占财政总支出比重达70%", "增长47.9%": the clauses from the one naming its subject
        while j > 0 and _PREDICATE.match(clauses[j]):
            j -= 1
        parts = clauses[j:i + 1] if i - j <= 3 else [clauses[j], clauses[i]]
    elif missing:
        while j >= 0 and not all(any(f in clauses[j] for f in forms) for forms in missing):
            j -= 1
        if j >= 0:
            parts.insert(0, clauses[j])
    lead = clauses[0]
    if i > 0 and lead not in parts and not figure_kinds(lead):
        year = _YEAR.search(lead)
        if _shares_name(lead, question) or (year and year.group(0) in question and len(lead) <= 14
                                            and not _heads_in(lead)):
            parts.insert(0, lead)
    return "，".join(p.strip() for p in parts)


def _shares_name(clause: str, question: str) -> bool:
    """The clause repeats six or more Chinese characters of the question (a name it asks about)."""
    return any(clause[k:k + 6] in question for k in range(len(clause) - 5)
               if re.fullmatch(r"[\u4e00-\u9fff]{6}", clause[k:k + 6]))


# "A、B、C分别为x、y、z": items before 分别, values after it, paired in order
_RESPECTIVELY = re.compile(r"([^，,；;。：:]{2,120}?)分别(?:为|是|达到|达|增长|提高到|提高|下降到|下降|降至|降低|占|有)"
                           r"([^，,；;。]{1,120})")
_ITEM_SEP = re.compile(r"、|和|及|与|以及")
_VALUE = re.compile(r"(?:\d[\d,.]*|[一二三四五六七八九十两百千万]+)\s*(?:多|余)?\s*[^\d、和及与，,；;。]{0,6}")


def respectively(sentence: str, question: str) -> tuple[str, str, str] | None:
    """(item, its value, the clause) when the sentence pairs a list of items with a list of values
    (…床位数、执业医师、注册护士分别为6.10张、3.05人、3.42人) and one item is the question's measure:
    the one sharing most character bigrams with the question, at least half of its own."""
    qgrams = _grams(question)
    best: tuple[float, str, str, str] | None = None
    for m in _RESPECTIVELY.finditer(sentence):
        items = [x for x in _ITEM_SEP.split(m.group(1)) if x.strip()]
        values = [v.strip() for v in re.split(r"、|和", m.group(2)) if v.strip()]
        if len(items) < 2 or len(items) != len(values) or not all(_VALUE.fullmatch(v) for v in values):
            continue
        for item, value in zip(items, values, strict=True):
            grams = _grams(item)
            if not grams:
                continue
            share = len(grams & qgrams) / len(grams)
            fit = len(grams & qgrams) + share
            if share >= 0.5 and (best is None or fit > best[0]):
                best = (fit, item, value, m.group(0))
    return None if best is None else best[1:]

"""What a question asks and where its answer stands in a sentence.

Questions about a policy document are statements with the answer replaced by a wh word (组建多少人的
医疗队 ↔ 组建1230人的医疗队).  This module finds the question's content terms (jieba words from the
shared plain tokenizer of `index.tokens` and character bigrams), its wh word and the kind of answer it asks for
(`asked_kind`), and the *gap*: the text of a sentence that stands where the question has its wh
word, anchored by the question's words before and after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.asked_values import FIGURE_DIGITS, asked_value, only_value
from assistant.cite import DocText
from assistant.content_words import PUNCT, bigrams, tokenizer, words
from assistant.numbers import match_form
from assistant.spans import Unit, clauses

# -- question analysis ----------------------------------------------------------------------------
# words that say what is asked, not what it is about: they are left out of the content match
_ASK_WORDS = re.compile(
    r"请问|是否|有没有|是不是|怎么样|怎么办|怎样|怎么|如何|哪些|哪个|哪家|哪所|哪里|哪儿|哪天|哪|什么样|什么|多少|"
    r"几|谁|何时|何地|为何|为什么|吗|呢|呀|啊|的|了|是|有|在|对|将|被|把|给|和|与|及|或|等|"
    r"具体|主要|相关|有关|内容|情况|分别|都|还|也|要|会|能|可以|可"
)
@dataclass
class QuestionTerms:
    """The question's content: what a span must cover."""

    form: str  # matching form of the question
    content: str  # the question with asking words and punctuation removed (pieces joined by spaces)
    words: list[str]
    bigrams: list[str]


def question_terms(question: str) -> QuestionTerms:
    form = match_form(question)
    content = PUNCT.sub(" ", _ASK_WORDS.sub(" ", form))
    ws = [w for w in dict.fromkeys(words(content)) if not _ASK_WORDS.fullmatch(w)]
    bgs = list(dict.fromkeys(b for part in content.split() for b in bigrams(part)))
    return QuestionTerms(form, content, ws, bgs)


# -- the asked part ------------------------------------------------------------------------------
# the word that stands where the answer would be (questions are statements with the answer
# replaced by it): 组建多少人的医疗队 ↔ 组建1230人的医疗队
_WH = re.compile(r"多久|多长时间|多长|(?:多少|几)个(?:月|小时|工作日|百分点)|多少|几[个项条家名人天种批次倍位所份年月日]?|什么时候|什么时间|何时|哪一天|哪天|哪些|哪个|哪家|哪所|哪里|"
                 r"哪几|哪|谁|为什么|为何|什么|何种|怎样|如何|怎么")
_TRAIL = re.compile(r"[?？。!！\s]*(?:吗|呢|呀)?[?？。!！\s]*$")
MIN_ANCHOR = 2  # characters an anchor must share with the sentence


def wh_split(form: str) -> tuple[str, str, str] | None:
    """(before, wh word, after) of a question's matching form, or None without a wh word."""
    m = _WH.search(form)
    if not m:
        return None
    wh, after = m.group(0), _TRAIL.sub("", form[m.end():])
    if wh in ("什么", "何种"):  # 什么样的通道, 何种证件: the same determiner as 什么通道
        wh, after = "什么", re.sub(r"^样的?", "", after)
    return form[: m.start()], wh, after


def _prefix_anchor(sentence: str, before: str) -> int | None:
    """End in `sentence` of the longest tail of `before` it contains (None below MIN_ANCHOR); a tail
    of generic words only (目标是, 的要求是) yields to the question's last content word when the
    sentence holds it (某某总额目标是什么 → 某某总额 | 保持正增长, not 目标是 | the sentence's first target)."""
    found = _tail_in(sentence, before, MIN_ANCHOR)
    if found is None:
        return None
    end, n = found
    if _GENERIC.sub("", _ASK_WORDS.sub("", before[-n:])):
        return end
    return _content_anchor(sentence, before) or end


def _tail_in(sentence: str, text: str, shortest: int) -> tuple[int, int] | None:
    """(end in `sentence`, length) of the longest tail of `text`, at least `shortest` characters, that
    `sentence` holds (its last occurrence)."""
    for n in range(len(text), shortest - 1, -1):
        i = sentence.rfind(text[-n:])
        if i >= 0:
            return i + n, n
    return None


# words that say what kind of thing is asked, not which: an anchor of these alone is no anchor
_GENERIC = re.compile(r"目标|指标|任务|要求|预期|主要|计划|[\s，,：:]")


def _content_anchor(sentence: str, before: str) -> int | None:
    pieces = _GENERIC.sub(" ", PUNCT.sub(" ", _ASK_WORDS.sub(" ", before))).split()
    found = _tail_in(sentence, pieces[-1] if pieces else "", MIN_ANCHOR + 1)  # three characters at least
    return found[0] if found else None


def _suffix_anchor(sentence: str, after: str, start: int) -> int | None:
    """Start in `sentence` (at or after `start`) of the longest head of `after` it contains."""
    for n in range(len(after), MIN_ANCHOR - 1, -1):
        i = sentence.find(after[:n], start)
        if i >= 0:
            return i
    return None


def gap(sentence: str, question_form: str) -> tuple[int, int] | None:
    """Offsets in `sentence` (a matching form) of the text standing where the question has its
    wh word, found by anchoring the question's words before and after it; None if neither anchors."""
    parts = wh_split(question_form)
    if parts is None:
        return None
    before, wh, after = parts
    a = _prefix_anchor(sentence, before) if before else None
    b = _suffix_anchor(sentence, after, a or 0) if after else None
    if b is None and not before and after and _DETERMINER.fullmatch(wh):
        b = _subject_end(sentence, after)
    if a is None and b is None:
        return None
    if a is None:
        a = max(sentence.rfind(c, 0, b) for c in "，,：:；;。") + 1  # back to the clause start
    if b is None:
        ends = [i for i in (sentence.find(c, a) for c in "，,；;。") if i >= 0]
        b = min(ends) if ends else len(sentence)
    elif _DETERMINER.fullmatch(parts[1]):
        head = _head_noun(after)  # 多少人 → 1230人, 哪个码头 → …码头: the noun belongs to the answer
        if head and sentence.startswith(head, b):
            b += len(head)
    b = _close_brackets(sentence, a, b)
    return (a, b) if b > a else None


# a wh word that stands before a noun (多少人, 哪个码头, 什么文件), not a pronoun (谁, 哪里, 何时)
_DETERMINER = re.compile(r"多少|几|哪个|哪家|哪所|哪一|哪些|哪几|哪|什么")
_PAIRS = {"《": "》", "“": "”", "（": "）", "(": ")", "「": "」", "【": "】"}


def _subject_end(sentence: str, after: str) -> int | None:
    """Where the subject a question opening with its wh word asks for ends (哪个机构牵头制定了…
    ↔ 某委员会组织专家制定了…): at the sentence's echo of the words after its head noun (机构 is
    the answer's word, not the sentence's)."""
    head = _head_noun(after)
    rest = re.sub(r"^[，,：:；;]+", "", after[len(head):]) if head and after.startswith(head) else ""
    for n in range(len(rest), MIN_ANCHOR - 1, -1):
        i = sentence.find(rest[:n])
        if i > 0:
            return i
    return None


def _head_noun(after: str) -> str:
    """The first word after the wh word when it is a noun or measure word (人, 码头, 文件)."""
    first = next(iter(tokenizer().cut(after)), "") if after else ""
    return first if first and first not in ("的", "是", "为", "在", "将", "可", "能") and len(first) <= 4 else ""


def _close_brackets(sentence: str, a: int, b: int) -> int:
    """Move the end of sentence[a:b] past the closing mark of a title or quote it opens (《…》)."""
    for open_, close in _PAIRS.items():
        piece = sentence[a:b]
        if piece.count(open_) > piece.count(close):
            j = sentence.find(close, b)
            if j >= 0:
                b = j + 1
    return b


# A policy question repeats its sentence up to the answer (急需发票的纳税人如何领取？ ↔ …急需发票的
# 纳税人，可以选择自助办税终端领票): the answer starts where the question's words before its wh word
# end, when the sentence repeats at least MIN_SUBJECT_ANCHOR characters of them (ncpqa-dev dev split,
# spans of routed questions: 2 → 0.4632, 3 → 0.4629, 6 → 0.4595, no anchor 0.4470).
MIN_SUBJECT_ANCHOR = 3
SNAP_TO_CLAUSE = 2  # an anchor ending this close before a clause mark starts the answer after the mark
# The question's last characters before its wh word need not be echoed (采取了哪些措施 ↔ 采取…, 实施什么
# 政策 ↔ 实行…): up to this many are skipped when no tail anchors (ncpqa-dev dev split, policy spans on
# cached hits: 0 → 0.5501, 1 → 0.5547, 2 → 0.5579, 3 → 0.5566).
VERB_SLACK = 2


def _subject_anchor(sentence: str, before: str) -> int | None:
    """End in `sentence` of its echo of the question's words before the wh word: the longest tail
    of them it holds, else the longest run ending up to VERB_SLACK characters earlier (a particle
    or a paraphrased verb: 实施什么政策 ↔ 实行不停车…), moved to the end of the word it stops inside."""
    for k in range(VERB_SLACK + 1):
        head = before[:len(before) - k]
        for n in range(len(head), MIN_SUBJECT_ANCHOR - 1, -1):
            i = sentence.rfind(head[-n:])
            if i >= 0:
                return _word_end(sentence, i + n) if k else i + n
    return None


def _word_end(sentence: str, a: int) -> int:
    """`a` moved to the end of the jieba word of `sentence` it falls inside (实|行 → 实行|)."""
    pos = 0
    for w in tokenizer().cut(sentence):
        if pos < a < pos + len(w):
            return pos + len(w)
        pos += len(w)
        if pos >= a:
            break
    return a


def answer_start(sentence: str, question_form: str) -> int | None:
    """Offset in `sentence` where its answer starts (after the question's words before its wh word,
    past a clause mark right after them); None when the sentence does not repeat them or nothing
    but a few characters would follow."""
    parts = wh_split(question_form)
    if parts is None:
        return None
    before = re.sub(r"[，,：:；;。？?！!、\s]+$", "", parts[0])
    form = DocText(sentence)
    a = _subject_anchor(form.form, before)
    if a is None or a >= len(form.form) - 2:
        return None
    mark = re.search(r"[，,：:；;]", form.form[a:])
    if mark and mark.start() <= SNAP_TO_CLAUSE:
        a += mark.end()
    return form.pos[a] if a < len(form.form) else None


# -- the span ------------------------------------------------------------------------------------
# what kind of span answers: a short fact (the gap), or a sentence / enumerated block
_FACT_WH = re.compile(r"多久|多长时间|多长|多少|几|哪(?!些|几)|谁|何时|什么时候|什么时间")
# after 什么: a noun asking for a rule or a measure (answered by a sentence), not a name or a thing
_POLICY_NOUN = re.compile(r"^(?:样的)?(?:措施|政策|优惠政策|好政策|要求|明确要求|规定|办法|条件|内容|作用|工作|努力|支持|"
                          r"标准|程序|流程|意义|原则|目的|举措|安排|服务|帮助|保障|便利|处罚|责任|任务|方法|方式)")
_LIST_WH = re.compile(r"哪些|哪几")
_LIST_ASK = re.compile(r"哪些|哪几|如何|怎样|怎么|措施|要求|办法|规定|条件|范围|内容|流程|程序")


def asked_kind(form: str) -> str:
    """`fact` (a count, an amount, a date, a name: the gap), `list` (measures, requirements: the
    sentence or the enumerated block) or `sentence`."""
    parts = wh_split(form)
    if parts is not None:
        before, wh, after = parts
        if _FACT_WH.fullmatch(wh) or (wh == "什么" and after and not _POLICY_NOUN.match(after)) or \
                (not before and _LIST_WH.fullmatch(wh)):
            return "fact"  # (哪些部门联合印发了…: a question opening with 哪些 asks who, a name)
    return "list" if _LIST_ASK.search(form) else "sentence"


# Kinds answered by the gap when a plausible one is found (ncpqa-dev dev split: the gap for both
# 0.438, for `fact` only 0.429).
GAP_KINDS = ("fact", "sentence")
MIN_GAP = 2  # characters: a one-character gap is an anchor mismatch, not an answer
_NUMBER = re.compile(r"\d|[一二三四五六七八九十两百千万]")
# a date, not any digit (推出6项措施 is no date): a month, a day (not 第8号), a year, or a time word
_DATE = re.compile(r"\d{1,2}\s*月|(?<![\d第])\d{1,2}\s*[日号]|(?:19|20)\d{2}\s*年|[一二三四五六七八九十]+[月日号]|"
                   r"年底|月底|年初|月初|以前|之前|以后|之后|为止|期间|即日")
_ASKS_NUMBER = re.compile(r"多少|(?<!哪)几|多久|多长")
_ASKS_DATE = re.compile(r"何时|什么时候|什么时间|哪天|哪一天")


def typed_clause(u: Unit, q: QuestionTerms) -> tuple[int, int] | None:
    """Offsets of the clause of `u` holding the asked kind of answer (a figure for 多少/几, a date
    for 何时) that shares most with the question; None for other questions or without one."""
    parts = wh_split(q.form)
    wh = parts[1] if parts else ""
    rx = _NUMBER if _ASKS_NUMBER.search(wh) else _DATE if _ASKS_DATE.search(wh) else None
    if rx is None:
        return None
    asked = set(q.content) - set("0123456789.")  # a stated year's digits say nothing of the measure
    stated = frozenset(FIGURE_DIGITS.findall(q.form))
    best, pos = None, u.start
    for c in clauses(u.text):
        form = match_form(c)
        if rx.search(_unstated(form, stated)):
            words = _FIGURES.sub("", form)  # the clause's words, not its figures, say what it measures
            share = sum(ch in asked for ch in words) / max(1, len(words))
            if best is None or share > best[0]:
                best = (share, pos, pos + len(c))
        pos += len(c)
    if best is None:
        return None
    clause = u.text[best[1] - u.start: best[2] - u.start]
    value = asked_value(clause, wh, parts[2], stated) if rx is _NUMBER and parts else \
        only_value(clause, False, stated)
    return (best[1] + value[0], best[1] + value[1]) if value else (best[1], best[2])


_FIGURES = re.compile(r"[\d.,%]+")


def _unstated(form: str, stated: frozenset[str]) -> str:
    """`form` without the figures the question itself states."""
    return FIGURE_DIGITS.sub(lambda m: "" if m.group(0) in stated else m.group(0), form) if stated else form


def asks_policy_noun(form: str) -> bool:
    """什么支持/什么措施/什么样的办法: a rule or a measure is asked, answered by a sentence, not a gap."""
    parts = wh_split(form)
    if parts is None or not parts[2]:
        return False
    if parts[1] == "什么":
        return bool(_POLICY_NOUN.match(parts[2]))
    return bool(_LIST_WH.fullmatch(parts[1]) and _POLICY_NOUN.match(parts[2]) and not _MEANS.match(parts[2]))


# 通过哪些方式/渠道: the means a sentence enumerates (通过网站、公众号等渠道), not a measure
_MEANS = re.compile(r"方式|方法|途径|渠道")


def asks_enumeration(form: str) -> bool:
    """哪些/哪几 inside a question (…涵盖哪些事项？, not opening it: 哪些部门… asks for a name): the items a sentence enumerates where the
    question has its wh word (发票领用代开、税收减免备案…等日常高频涉税事项)."""
    parts = wh_split(form)
    return parts is not None and bool(parts[0]) and bool(_LIST_WH.fullmatch(parts[1]))


def answer_gap(u: Unit, q: QuestionTerms) -> tuple[int, int] | None:
    """Document offsets of the gap of sentence `u` when it can answer: plausible (`plausible_gap`),
    an enumeration (、) for a 哪些 question, cut to the asked value for a figure question."""
    cut = gap_offsets(u, q.form)
    if cut is None:
        return None
    text = u.text[cut[0] - u.start: cut[1] - u.start]
    if not plausible_gap(text, q.form) or (asks_enumeration(q.form) and "、" not in text):
        return None
    return gap_value(u.text, (cut[0] - u.start, cut[1] - u.start), q, u.start)


def plausible_gap(text: str, question_form: str) -> bool:
    """Whether a gap can be the answer: long enough, and a figure for 多少/几, a date for 何时."""
    form = match_form(text)
    if len(form) < MIN_GAP:
        return False
    parts = wh_split(question_form)
    wh = parts[1] if parts else ""
    if _ASKS_NUMBER.search(wh) and not _NUMBER.search(form):
        return False
    if _ASKS_DATE.search(wh) and not _DATE.search(form):
        return False
    return True


def gap_offsets(u: Unit, question_form: str) -> tuple[int, int] | None:
    """Document offsets of the gap (see `gap`) inside sentence `u`."""
    form = DocText(u.text)
    g = gap(form.form, question_form)
    if g is None:
        return None
    a, b = g
    return u.start + form.pos[a], u.start + form.pos[b - 1] + 1


def gap_value(text: str, cut: tuple[int, int], q: QuestionTerms, offset: int = 0) -> tuple[int, int]:
    """The gap text[cut] of a figure question cut to the value it asks for (英、法、德等8种 → 8种,
    某省已有4262户 → 4262户); the gap itself for other questions or without one value."""
    parts = wh_split(q.form)
    value = asked_value(text[cut[0]:cut[1]], parts[1], parts[2], frozenset(FIGURE_DIGITS.findall(q.form))) \
        if parts is not None and _ASKS_NUMBER.search(parts[1]) else None
    a, b = (cut[0] + value[0], cut[0] + value[1]) if value else cut
    return offset + a, offset + b


# after the wh word: a kind of document (什么文件, 哪些证书, 何种证件) — answered by the titles the sentence quotes
_DOCUMENT_NOUN = re.compile(r"^(?:政策)?(?:文件|通知|意见|公告|通告|方案|指南|指引|规定|办法|条例|决定|证书|证件|证明|表格|表)")
_TITLES = re.compile(r"《[^《》]{2,80}》(?:[、和及与]?《[^《》]{2,80}》)*")


def asked_titles(u: Unit, q: QuestionTerms) -> tuple[int, int] | None:
    """Document offsets of the titles (《…》, a run of them) sentence `u` quotes when the question asks
    for a document by its kind (编制了什么文件 → 《…政策指引》); None for other questions, or when the
    sentence quotes no title or several apart."""
    parts = wh_split(q.form)
    if parts is None or parts[1] not in ("什么", "哪些", "哪个", "哪几") or not _DOCUMENT_NOUN.match(parts[2]):
        return None
    runs = list(_TITLES.finditer(u.text))
    if len(runs) != 1:
        return None
    return u.start + runs[0].start(), u.start + runs[0].end()

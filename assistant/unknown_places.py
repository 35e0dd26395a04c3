"""Places a question names that no indexed document covers (外市, 某某园区, two park names run
together): the question is about somewhere else, and the answer must say so instead of giving a
covered place's figure.

Kept apart from the vocabulary it reads (`Vocabulary`: scopes, parks, the documents' matching
forms) because it is one decision with its own rules — a city named only in passing (距外市292公里)
is no subject, a park of an uncovered city is not the covered park of the same kind.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.numbers import match_form
from assistant.park_names import park_core
from index.tokens import Tokenizer

if TYPE_CHECKING:
    from assistant.vocab import Vocabulary

# words before a place that make it a reference point (距外市292公里), not what is asked about
_PASSING = {"距", "离", "距离", "至", "与", "和", "同", "比", "对", "从", "往", "向", "较", "相比", "连接", "通往", "到达"}

# a word after which a noun is what is asked about, not a place: 对哪些东西进行…
_WH_WORDS = {"哪些", "哪个", "什么", "哪几", "哪", "何种", "哪种"}

# a Chinese character that can continue a name (not a particle or a date word)
_NAME_CHAR = re.compile(r"[^\W\d_A-Za-z的和与及是有在年月日要将把对了]")


def mentions_unknown_place(vocab: Vocabulary, q: str) -> str | None:
    """A place/park-like name in the question that no indexed document contains (外市市, 某某园区)."""
    return _unknown_city(vocab, q) or _unknown_park(vocab, q) or _unknown_subject_place(vocab, q)


def _unknown_city(vocab: Vocabulary, q: str) -> str | None:
    """XX市 / XX省 / XX县 named in no title and only in passing in the texts."""
    titles = "".join(match_form(d.get("title") or "") for d in vocab.documents)
    # (a place name starts after a year's 年: 2030年测试市 names 测试市)
    for m in re.finditer(r"(?:(?<=\d)年)?([\u4e00-\u9fff]{2,3}?)(市|省|县)(?![场民委政直级区属内外])", q):
        head = re.sub(r"^(在|从|和|与|对|到|把|将|请问|关于)", "", m.group(1))
        s, e = m.start(1), m.end()
        if len(_strip_function_words(head, vocab.tokenizer)) < 2:
            continue  # 方式向市金融监管局: a preposition and 市 (the city's own bureau), no name
        if head.endswith(("全", "本", "该", "我", "各", "外", "省", "城", "个", "区")) or \
                re.search(r"[级的为是年月日个和与及在有]", head):
            continue  # 全省, 本市, 各县, 省级: not a place name
        if any(q[s:e + 2] in t or q[max(0, s - 3):e] in t for t in vocab.corpus_form.values()):
            continue  # part of a longer word the documents use (城市学院, 大学城)
        # a city the plans are not about: named in no title and only in passing in the text
        tails = {head, head[-2:]}
        if len(head) >= 2 and not any(t in titles for t in tails) and not vocab.parks_in(head + "区") and \
                not any(_often_named(vocab, t) for t in tails):
            return q[s:e]
    return None


def _unknown_park(vocab: Vocabulary, q: str) -> str | None:
    """A park-like name (…开发区, …园区) the texts never write, or a covered kind of park of a place
    the documents do not cover."""
    for m in re.finditer(r"([\u4e00-\u9fff]{2,7}?)(开发区|高新区|园区|产业园|经济区|新区|保税区)", q):
        # only names that start a word: at the start, after a non-Chinese character or a particle
        if m.start() > 0 and re.match(r"[\u4e00-\u9fff]", q[m.start() - 1]) and \
                q[m.start() - 1] not in "在和与及对到从的年底末中里是":
            continue
        head = _strip_function_words(m.group(1), vocab.tokenizer)
        name = head + m.group(2)
        if len(head) < 2:
            continue  # 里除了高新区: a colloquial fragment before a park word, not a place name
        if head.endswith(("全", "本", "该", "我", "各", "哪个", "哪些", "什么", "个", "的", "城", "示范")) or \
                re.search(r"[级的为是年月日个和与及在有]", head):
            continue
        if any(name in t for t in vocab.corpus_form.values()):
            continue
        if any(name[k:] in t for k in range(1, len(name) - 4) for t in vocab.corpus_form.values()):
            continue  # 同意循环产业经济区: a known name (≥5 chars) after a verb, not a new place
        found = vocab.parks_in(name)
        if len(found) >= 2:
            return name  # two park names run together (某岛综合保税区) name neither
        place = vocab.places.sub("", head)
        if found:
            g = found[0][0]
            if place and len(place) >= 2 and not any(place in n for n in g.names | g.aliases) and \
                    not any(place in sc.title for sc in vocab.scopes):
                return name  # 外市高新区: a 高新区, but not of a place the documents cover
            continue
        if len(place) >= 2 and not any(place in t for t in vocab.corpus_form.values()):
            return name
    return None


def _is_subject_place(vocab: Vocabulary, w: str) -> bool:
    """A place some plan is about: named in a title, a park, or one the texts keep returning to."""
    titles = "".join(match_form(d.get("title") or "") for d in vocab.documents)
    return w in titles or bool(vocab.parks_in(w + "区")) or any(w in k or k in w for s in vocab.scopes
                                                                for k in s.keywords if len(k) >= 2) or \
        _often_named(vocab, w)


# A place the texts name this often in all is one they cover (not a city named in passing) …
PLACE_MENTIONS = 8
# … or this many times per 1,000 characters of one document, at least twice: the document is about
# it.  Measured: the cities the bundled plans name in passing stay ≤ 0.06; the places NCPQA notices
# are about score ≥ 1.0 (0.5 sits between, an order of magnitude from both).
PLACE_DENSITY = 0.5


def _often_named(vocab: Vocabulary, w: str) -> bool:
    """The texts keep returning to `w`: PLACE_MENTIONS times in all, or PLACE_DENSITY times per
    1,000 characters of one document (a short notice about a county names it a few times; a plan
    names the neighbouring cities it is not about a few times in 100,000 characters)."""
    counts = [(t.count(w), len(t)) for t in vocab.corpus_form.values()]
    return sum(c for c, _ in counts) >= PLACE_MENTIONS or \
        any(c >= 2 and c * 1000 >= PLACE_DENSITY * n for c, n in counts)


def _unknown_subject_place(vocab: Vocabulary, q: str) -> str | None:
    """外市2025年…目标: the question's subject is a place the plans only mention in passing (距外市292公里)."""
    prev = ""
    pos = 0
    for w, flag in vocab.tokenizer.posseg(q):  # a general gazetteer: jieba tags place names `ns`
        start, pos = pos, pos + len(w)
        if flag == "ns" and 2 <= len(w) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", w):
            bare = re.sub(r"(市|省|县)$", "", w)
            if prev in _PASSING or q[pos:pos + 1] in "、和与及至到":
                return None  # 距外市…, 外市、鞍山: a reference point, not the subject
            if prev in _WH_WORDS:
                continue  # 哪些东西: the asked noun (jieba tags some common nouns `ns`)
            if _is_subject_place(vocab, bare) or any(bare in t for t in vocab.entity_names()):
                return None
            if _named_in_a_name(vocab, bare) or _names_known_park(vocab, q, start, pos):
                return None  # 普湾 of 普湾经济区; 普湾那边的某店经济开发区: a covered park is the subject
            before, after = q[start - 1:start] if start else "", q[pos:pos + 1]
            longer = [before + w if _NAME_CHAR.fullmatch(before) else "",
                      w + after if _NAME_CHAR.fullmatch(after) else ""]
            if any(x and x in t for x in longer for t in vocab.corpus_form.values()):
                return None  # part of a longer name the texts use: 石城岛, 国电投泰山鸿日
            if any(q.find(k) < start for k in vocab.scope_words_in(q[:start])):
                return None  # a covered place comes first and is the subject
            return w
        if flag not in ("m", "x", "t") and w not in ("到", "在", "请问", "截至"):
            prev = w
    return None


def _named_in_a_name(vocab: Vocabulary, w: str) -> bool:
    """The texts use `w` as the head of a park's name (普湾 in 普湾经济区): a place they cover, not one
    listed in passing (1个县（长海县）)."""
    rx = re.compile(re.escape(w) + r"(?:经济区|开发区|新区|园区|产业园|工业园|保税区|高新区|港区|片区)")
    return any(rx.search(t) for t in vocab.corpus_form.values())


def _names_known_park(vocab: Vocabulary, q: str, start: int, end: int) -> bool:
    """The question also names a covered park by a distinctive name (某店经济开发区, not just 开发区)
    outside the doubtful place word at q[start:end]."""
    for _g, word in vocab.parks_in(q):
        at = q.find(word)
        if at >= 0 and (at >= end or at + len(word) <= start) and park_core(word, vocab.places) and \
                len(word) >= 3:
            return True
    return False


# jieba tags of words that cannot start a place name: localisers, prepositions, conjunctions, particles,
# adverbs, pronouns (里, 除了, 和, 的, 也, 那边)
_FUNCTION_FLAGS = ("f", "s", "p", "c", "u", "r", "y", "e", "q", "m")


def _strip_function_words(head: str, tokenizer: Tokenizer) -> str:
    """The text before a park word with leading function-word tokens removed (里除了 → ''); '' when
    a function word remains inside (当中除了保税区: 除了 is no part of a name)."""
    toks = tokenizer.posseg(head)
    # (jieba tags a one-character adverb `d` reliably; a two-character `d` may be a place name)
    while toks and toks[0][0] != "某某" and (toks[0][1].startswith(_FUNCTION_FLAGS) or
                                           (toks[0][1] == "d" and len(toks[0][0]) == 1)):
        toks.pop(0)
    if any(flag.startswith(("p", "c", "u", "y", "e")) for _, flag in toks):
        return ""
    return "".join(w for w, _ in toks)

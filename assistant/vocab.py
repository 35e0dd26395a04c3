"""Vocabularies learned from the indexed records: document scopes, park aliases, indicator names.

Nothing here lists the rows of a particular document. What is hand-written is general: the
abbreviations government texts use (规上, 高企, GDP…) and the affixes park names carry
(某市…, …经济技术开发区, …产业园区), from which short forms are derived automatically.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from assistant.numbers import match_form
from index.tokens import Tokenizer, plain_tokenizer

# General abbreviations of government Chinese → full forms, applied to the matching copy of a
# question. Every entry is true of government texts in general (statistical terms, common short
# forms); none names an indicator, park or wording of a particular document.
SYNONYMS: list[tuple[str, str]] = [
    ("规上", "规模以上"),
    ("规模工业", "规模以上工业"),
    ("高企", "高新技术企业"),
    ("高新企业", "高新技术企业"),
    # R&D intensity is, by the statistical definition, R&D expenditure as a share of GDP
    ("R&D经费投入强度", "R&D经费支出占地区生产总值比重"),
    ("研发经费投入强度", "R&D经费支出占地区生产总值比重"),
    ("研发投入强度", "R&D经费支出占地区生产总值比重"),
    ("R&D投入强度", "R&D经费支出占地区生产总值比重"),
    ("R&D强度", "R&D经费支出占地区生产总值比重"),
    ("研发强度", "R&D经费支出占地区生产总值比重"),
    ("研发投入占GDP比重", "R&D经费支出占地区生产总值比重"),
    ("研究与试验发展", "R&D"),
    ("研发经费", "R&D支出"),
    ("研发支出", "R&D支出"),
    ("研发投入", "R&D支出"),
    ("R&D经费", "R&D支出"),
    ("R&D投入", "R&D支出"),
    ("万元工业增加值", "单位工业增加值"),
    ("万元地区生产总值", "单位地区生产总值"),
    ("万元GDP", "单位地区生产总值"),
    ("万元工业产值", "单位工业产值"),
    ("万元产值", "单位产值"),
    ("单位GDP", "单位地区生产总值"),
    ("能耗强度", "单位地区生产总值能耗"),
    ("GDP", "地区生产总值"),
    ("国内生产总值", "地区生产总值"),
    ("社零", "社会消费品零售总额"),
    ("PM2.5", "细颗粒物(PM2.5)"),
    ("细颗粒物", "细颗粒物(PM2.5)"),
    ("外贸", "外贸进出口"),
    ("进出口额", "进出口总额"),
    ("营收", "营业收入"),
    ("固投", "固定资产投资"),
    ("固废", "固体废物"),
]

# Administrative short forms people use interchangeably (general: 经开区 = 经济技术开发区).
PARK_EQUIV: list[tuple[str, str]] = [("经济技术开发区", "开发区"), ("经济技术开发区", "经开区")]
# a place word before a park name, in general form: XX省 / XX市 (the places a corpus uses without
# 省/市 are learned from its titles and park names, see `learn_places`)
_GENERIC_PLACE = r"[\u4e00-\u9fff]{2}(?:省|市)"
# affixes stripped (longest first) to get a park's core name: 某市循环经济产业区 → 循环. park_core
# writes 高新技术 as 高新 first, so its 高新技术… names are stripped by the general kinds below
_PARK_AFFIX = ["经济技术开发区", "经济开发区", "产业经济区", "经济产业区", "产业园区", "工业园区", "产业区", "经济区",
               "开发区", "园区", "新区", "工业园", "产业园", "片区", "区", "园"]
# what may follow a two-character core for it to still mean the park (高新区, 保税区, 循环经济区…)
_PARK_TAIL = ("区", "园", "开发", "经济", "产业", "技术产业", "新区", "工业园", "片区", "港")
_SHORT_FORM = re.compile(r"[（(]以下简称[“\"]?([^）)”\"]{2,12})[”\"]?[）)]")
_PARKISH = re.compile(r"(区|园|园区|新区|港区|经济区|开发区)$")

# words before a place that make it a reference point (距外市292公里), not what is asked about
_PASSING = {"距", "离", "距离", "至", "与", "和", "同", "比", "对", "从", "往", "向", "较", "相比", "连接", "通往", "到达"}

# a Chinese character that can continue a name (not a particle or a date word)
_NAME_CHAR = re.compile(r"[^\W\d_A-Za-z的和与及是有在年月日要将把对了]")

GENERIC_TITLE_WORDS = {"产业", "工业", "经济", "科技", "发展", "规划", "方案", "建设", "实施", "市", "的", "和",
                       "关于", "印发", "通知", "人民政府", "办公室", "文件", "行动", "计划", "工作", "报告"}


# the administrative kind after a place name (某省, 某综合实验区)
_PLACE_KIND = re.compile(r"(维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|综合实验区|实验区|新区|省|市|县|区)$")
# a prefix shared by this many park names (and written as a place elsewhere) is the city they are in
PLACE_PREFIX_MIN_NAMES = 3


def learn_places(titles: list[str], park_names: list[str], texts: list[str]) -> re.Pattern[str]:
    """The place words that lead park names in this corpus, as one prefix pattern: the place a
    title starts with (XX市…规划 → XX) and a 2–3 character prefix shared by several park names
    that the texts also write as a city or province (XX市 / XX省), plus any XX省 / XX市."""
    places: set[str] = set()
    for t in titles:
        m = re.match(r"^([\u4e00-\u9fff]{2,3}?)(市|县|省|区)", match_form(t))
        if m:
            places.add(m.group(1))
    names = {match_form(n) for n in park_names if n}
    for k in (2, 3):
        heads = defaultdict(set)
        for n in names:
            if len(n) > k + 2:
                heads[n[:k]].add(n)
        for head, members in heads.items():
            if len(members) >= PLACE_PREFIX_MIN_NAMES and any(head + "市" in t or head + "省" in t for t in texts):
                places.add(head)
    alts = "|".join(re.escape(p) for p in sorted(places, key=lambda p: (-len(p), p)))
    one = f"(?:{alts})(?:省|市|县)?|{_GENERIC_PLACE}" if alts else _GENERIC_PLACE
    return re.compile(f"^(?:{one})+")


_NO_PLACES = re.compile(f"^(?:{_GENERIC_PLACE})+")


def park_core(name: str, places: re.Pattern[str] = _NO_PLACES) -> str:
    """XX高新技术产业园区 → 高新; XX循环经济产业区 → 循环; XX开发区 → '' (nothing left), where XX
    is a place `places` matches."""
    s = places.sub("", match_form(name))
    s = s.replace("高新技术", "高新")
    for _ in range(3):
        for a in _PARK_AFFIX:
            if s.endswith(a) and len(s) > len(a):
                s = s[: -len(a)]
                break
            if s == a:
                return ""
    for a in ("经济", "产业", "技术"):
        s = s.replace(a, "") if len(s) > len(a) + 1 else s
    return s


@dataclass
class ParkGroup:
    key: str  # a display name: the most frequent printed name
    names: set[str] = field(default_factory=set)  # printed names (matching form)
    aliases: set[str] = field(default_factory=set)  # strings that identify it in a question


@dataclass
class DocScope:
    doc_id: str
    title: str
    keywords: set[str] = field(default_factory=set)


def _substrings(s: str, lo: int = 2, hi: int = 4) -> set[str]:
    return {s[i:i + n] for n in range(lo, hi + 1) for i in range(len(s) - n + 1)}


def _cjk_runs(s: str) -> list[str]:
    return re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", s)


def _rarely_elsewhere(w: str, doc_id: str, tforms: dict[str, str], at_most: float) -> bool:
    """Whether the other documents' texts hold `w` at most `at_most` times (counting stops as soon
    as they exceed it: with thousands of documents a full count per title word took minutes)."""
    theirs = 0
    for o, t in tforms.items():
        if o != doc_id:
            theirs += t.count(w)
            if theirs > at_most:
                return False
    return True


class Vocabulary:
    """What the question analyser knows about the indexed documents."""

    def __init__(self, documents: list[dict[str, Any]], texts: dict[str, str], park_names: list[str],
                 indicator_names: list[str], project_names: list[str], categories: list[str],
                 tokenizer: Tokenizer | None = None):
        self.tokenizer = tokenizer or plain_tokenizer()
        self.documents = documents
        self.scopes = self._learn_scopes(documents, texts)
        self.places = learn_places([d.get("title") or "" for d in documents], park_names,
                                   [match_form(t) for t in texts.values()])
        self.parks = self._learn_parks(park_names, texts, self.places)
        self.indicator_names = sorted(set(indicator_names))
        self.project_names = sorted(set(project_names))
        self.categories = sorted({c for c in categories if c})
        self.corpus_form = {d: match_form(t) for d, t in texts.items()}
        self._places_seen: dict[str, bool] = {}
        self.tokenizer.posseg("")  # load the tagger now, not on the first question

    # -- documents -------------------------------------------------------------------------
    @staticmethod
    def _learn_scopes(documents: list[dict[str, Any]], texts: dict[str, str]) -> list[DocScope]:
        forms = {d["doc_id"]: match_form(d.get("title") or "") for d in documents}
        tforms = {d: match_form(t) for d, t in texts.items()}
        scopes = []
        for d in documents:
            did = d["doc_id"]
            own: set[str] = set()
            for run in _cjk_runs(forms[did]):
                own |= _substrings(run)
            others = [f for o, f in forms.items() if o != did]
            kws = set()
            for w in own:
                if w in GENERIC_TITLE_WORDS or any(w in f for f in others) or not re.search(r"[\u4e00-\u9fff]", w):
                    continue
                mine = tforms.get(did, "").count(w)
                if mine >= 2 and _rarely_elsewhere(w, did, tforms, mine / 3):
                    kws.add(w)
            # the place a plan is about is named in its title: 某县市…, 某市…
            m = re.match(r"^([\u4e00-\u9fff]{2,3}?)(市|县|区|省)", forms[did])
            if m:
                kws.add(m.group(1))
            place = match_form(d.get("place") or "")
            if len(place) >= 2:
                kws.add(place)  # the profile's place: 某省 → 某省 and 某
                bare = _PLACE_KIND.sub("", place)
                if len(bare) >= 2:
                    kws.add(bare)
            scopes.append(DocScope(did, d.get("title") or did, kws))
        return scopes

    def scope_of(self, q: str) -> list[str]:
        """Doc ids a question names through title words (某县/十四五 → the 某县 plan)."""
        hits: dict[str, int] = {}
        for s in self.scopes:
            best = max((len(k) for k in s.keywords if k in q), default=0)
            if best:
                hits[s.doc_id] = best
        return sorted(hits, key=lambda d: -hits[d])

    def scope_words_in(self, q: str) -> list[str]:
        """The title words through which a question names a document (longest first)."""
        return sorted({k for s in self.scopes for k in s.keywords if k in q}, key=lambda k: (-len(k), k))

    def is_place(self, word: str) -> bool:
        """The documents write `word` as a place (某市, 某省, 某县, 某区) or name a document after it."""
        got = self._places_seen.get(word)
        if got is None:
            rx = re.compile(re.escape(word) + r"(?:市|省|县|区)")
            got = any(word in k for s in self.scopes for k in s.keywords if len(k) >= 2) or \
                any(rx.search(t) for t in self.corpus_form.values())
            self._places_seen[word] = got
        return got

    def distinctive_doc(self, term: str) -> str | None:
        """The only document whose text contains `term` (≥2 times), if exactly one does."""
        found = [d for d, t in self.corpus_form.items() if t.count(term) >= 2]
        return found[0] if len(found) == 1 else None

    # -- parks -----------------------------------------------------------------------------
    @staticmethod
    def _learn_parks(park_names: list[str], texts: dict[str, str], places: re.Pattern[str]) -> list[ParkGroup]:
        names = {match_form(n) for n in park_names if n and len(match_form(n)) >= 2}
        # a parse that glued a word onto a name (项目某市保税区) belongs to the name it ends with
        names = {next((m for m in names if m != n and len(m) >= 4 and n.endswith(m)), n) for n in names}
        names = {n for n in names if park_core(n, places) or len(places.sub("", n)) >= 3}
        # short forms the documents declare themselves: 某市经济技术开发区（以下简称某市开发区）
        declared: list[tuple[str, str]] = []
        for t in texts.values():
            tf = match_form(t)
            for m in _SHORT_FORM.finditer(tf):
                short = m.group(1)
                head = tf[max(0, m.start() - 16): m.start()]
                full = re.search(r"([\u4e00-\u9fff]{2,14}?(区|园))$", head)
                if full and _PARKISH.search(short):
                    declared.append((full.group(1), short))
        key_of: dict[str, str] = {}

        def group_key(n: str) -> str:
            core = park_core(n, places)
            return core or places.sub("", n)

        for n in names:
            key_of[n] = group_key(n)
        # merge declared short forms and general equivalences into one group key
        merges: list[tuple[str, str]] = [(group_key(a), group_key(b)) for a, b in declared]
        merges += [(group_key(a), group_key(b)) for a, b in PARK_EQUIV]
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.get(x, x) != x:
                x = parent[x]
            return x

        for a, b in merges:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
        groups: dict[str, ParkGroup] = {}
        for n, k in key_of.items():
            g = groups.setdefault(find(k), ParkGroup(key=n))
            g.names.add(n)
        for a, b in declared + PARK_EQUIV:
            for x in (a, b):
                r = find(group_key(x))
                if r in groups:
                    groups[r].aliases.add(places.sub("", x))
        for root, g in groups.items():
            g.key = min(g.names, key=lambda n: (len(n), n))
            for n in g.names:
                g.aliases.add(n)
                bare = places.sub("", n)
                g.aliases.add(bare)
                core = park_core(n, places)
                if core:
                    g.aliases.add(core)
                    if len(core) >= 4:
                        g.aliases.add(core[:3])  # 某地轴承 → 瓦房店
            g.aliases.add(root)
            g.aliases = {a for a in g.aliases if len(a) >= 2}
        # an alias claimed by two groups identifies neither
        owner: dict[str, list[str]] = defaultdict(list)
        for root, g in groups.items():
            for a in g.aliases:
                owner[a].append(root)
        for a, roots in owner.items():
            if len(roots) > 1:
                for r in roots:
                    groups[r].aliases.discard(a)
        return list(groups.values())

    def parks_in(self, q: str) -> list[tuple[ParkGroup, str]]:
        """Park groups named in the question, longest alias first, each span used once."""
        cands: list[tuple[int, int, ParkGroup, str]] = []
        for g in self.parks:
            for a in g.aliases:
                start = 0
                while (i := q.find(a, start)) >= 0:
                    start = i + 1
                    tail = q[i + len(a):]
                    if len(a) <= 2 and not tail.startswith(_PARK_TAIL):
                        continue
                    if a in ("开发区", "经济开发区") and i > 0 and re.match(r"[\u4e00-\u9fff]", q[i - 1]):
                        continue  # "旅顺开发区" is not the generic 开发区
                    cands.append((i, i + len(a), g, a))
        cands.sort(key=lambda c: -(c[1] - c[0]))
        used: list[tuple[int, int]] = []
        out: list[tuple[ParkGroup, str]] = []
        for s, e, g, a in cands:
            if any(s < ue and us < e for us, ue in used):
                continue
            used.append((s, e))
            if all(g is not og for og, _ in out):
                out.append((g, a))
        return out

    def compound_park(self, q: str) -> str | None:
        """Two park aliases run together into one name (某岛综合保税区): a place that is neither."""
        spans = []
        for g in self.parks:
            for a in g.aliases:
                i = q.find(a)
                if i >= 0 and len(a) >= 2:
                    spans.append((i, i + len(a), g))
        for s1, e1, g1 in spans:
            for s2, e2, g2 in spans:
                if g1 is not g2 and e1 <= s2 <= e1 + 3 and not re.search(r"[、和与及,，/]", q[e1:s2]):
                    return q[s1:e2 + 1] if q[e2:e2 + 1] in ("区", "园") else q[s1:e2]
        return None

    def park_group(self, name: str | None) -> ParkGroup | None:
        if not name:
            return None
        n = match_form(name)
        for g in self.parks:
            if n in g.names:
                return g
        for g in self.parks:
            if n in g.aliases:
                return g
        for g in self.parks:  # a name with a word glued on: 项目某市保税区
            if any(len(m) >= 4 and n.endswith(m) for m in g.names):
                return g
        return None

    def mentions_unknown_place(self, q: str) -> str | None:
        """A place/park-like name in the question that no indexed document contains (外市市, 某某园区)."""
        titles = "".join(match_form(d.get("title") or "") for d in self.documents)
        # (a place name starts after a year's 年: 2030年测试市 names 测试市)
        for m in re.finditer(r"(?:(?<=\d)年)?([\u4e00-\u9fff]{2,3}?)(市|省|县)(?![场民委政直级区属内外])", q):
            head = re.sub(r"^(在|从|和|与|对|到|把|将|请问|关于)", "", m.group(1))
            s, e = m.start(1), m.end()
            if head.endswith(("全", "本", "该", "我", "各", "外", "省", "城", "个", "区")) or \
                    re.search(r"[级的为是年月日个和与及在有]", head):
                continue  # 全省, 本市, 各县, 省级: not a place name
            if any(q[s:e + 2] in t or q[max(0, s - 3):e] in t for t in self.corpus_form.values()):
                continue  # part of a longer word the documents use (城市学院, 大学城)
            # a city the plans are not about: named in no title and only in passing in the text
            tails = {head, head[-2:]}
            if len(head) >= 2 and not any(t in titles for t in tails) and not self.parks_in(head + "区") and \
                    not any(self._often_named(t) for t in tails):
                return q[s:e]
        for m in re.finditer(r"([\u4e00-\u9fff]{2,7}?)(开发区|高新区|园区|产业园|经济区|新区|保税区)", q):
            # only names that start a word: at the start, after a non-Chinese character or a particle
            if m.start() > 0 and re.match(r"[\u4e00-\u9fff]", q[m.start() - 1]) and \
                    q[m.start() - 1] not in "在和与及对到从的年底末中里是":
                continue
            head = _strip_function_words(m.group(1), self.tokenizer)
            name = head + m.group(2)
            if len(head) < 2:
                continue  # 里除了高新区: a colloquial fragment before a park word, not a place name
            if head.endswith(("全", "本", "该", "我", "各", "哪个", "哪些", "什么", "个", "的", "城", "示范")) or \
                    re.search(r"[级的为是年月日个和与及在有]", head):
                continue
            if any(name in t for t in self.corpus_form.values()):
                continue
            if any(name[k:] in t for k in range(1, len(name) - 4) for t in self.corpus_form.values()):
                continue  # 同意循环产业经济区: a known name (≥5 chars) after a verb, not a new place
            found = self.parks_in(name)
            if len(found) >= 2:
                return name  # two park names run together (某岛综合保税区) name neither
            place = self.places.sub("", head)
            if found:
                g = found[0][0]
                if place and len(place) >= 2 and not any(place in n for n in g.names | g.aliases) and \
                        not any(place in sc.title for sc in self.scopes):
                    return name  # 外市高新区: a 高新区, but not of a place the documents cover
                continue
            if len(place) >= 2 and not any(place in t for t in self.corpus_form.values()):
                return name
        return self._unknown_subject_place(q)

    def _is_subject_place(self, w: str) -> bool:
        """A place some plan is about: named in a title, a park, or one the texts keep returning to."""
        titles = "".join(match_form(d.get("title") or "") for d in self.documents)
        return w in titles or bool(self.parks_in(w + "区")) or any(w in k or k in w for s in self.scopes
                                                                    for k in s.keywords if len(k) >= 2) or \
            self._often_named(w)

    def _often_named(self, w: str) -> bool:
        """The texts keep returning to `w`: PLACE_MENTIONS times in all, or PLACE_DENSITY times per
        1,000 characters of one document (a short notice about a county names it a few times; a
        plan names the neighbouring cities it is not about a few times in 100,000 characters)."""
        counts = [(t.count(w), len(t)) for t in self.corpus_form.values()]
        return sum(c for c, _ in counts) >= PLACE_MENTIONS or \
            any(c >= 2 and c * 1000 >= PLACE_DENSITY * n for c, n in counts)

    def _unknown_subject_place(self, q: str) -> str | None:
        """外市2025年…目标: the question's subject is a place the plans only mention in passing (距外市292公里)."""
        prev = ""
        pos = 0
        for w, flag in self.tokenizer.posseg(q):  # a general gazetteer: jieba tags place names `ns`
            start, pos = pos, pos + len(w)
            if flag == "ns" and 2 <= len(w) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", w):
                bare = re.sub(r"(市|省|县)$", "", w)
                if prev in _PASSING or q[pos:pos + 1] in "、和与及至到":
                    return None  # 距外市…, 外市、鞍山: a reference point, not the subject
                if self._is_subject_place(bare) or any(bare in t for t in self._entity_names()):
                    return None
                if self._named_in_a_name(bare) or self._names_known_park(q, start, pos):
                    return None  # 普湾 of 普湾经济区; 普湾那边的某店经济开发区: a covered park is the subject
                before, after = q[start - 1:start] if start else "", q[pos:pos + 1]
                longer = [before + w if _NAME_CHAR.fullmatch(before) else "",
                          w + after if _NAME_CHAR.fullmatch(after) else ""]
                if any(x and x in t for x in longer for t in self.corpus_form.values()):
                    return None  # part of a longer name the texts use: 石城岛, 国电投泰山鸿日
                if any(q.find(k) < start for k in self.scope_words_in(q[:start])):
                    return None  # a covered place comes first and is the subject
                return w
            if flag not in ("m", "x", "t") and w not in ("到", "在", "请问", "截至"):
                prev = w
        return None

    def _named_in_a_name(self, w: str) -> bool:
        """The texts use `w` as the head of a park's name (普湾 in 普湾经济区): a place they cover, not one
        listed in passing (1个县（长海县）)."""
        rx = re.compile(re.escape(w) + r"(?:经济区|开发区|新区|园区|产业园|工业园|保税区|高新区|港区|片区)")
        return any(rx.search(t) for t in self.corpus_form.values())

    def _names_known_park(self, q: str, start: int, end: int) -> bool:
        """The question also names a covered park by a distinctive name (某店经济开发区, not just 开发区)
        outside the doubtful place word at q[start:end]."""
        for _g, word in self.parks_in(q):
            at = q.find(word)
            if at >= 0 and (at >= end or at + len(word) <= start) and park_core(word, self.places) and \
                    len(word) >= 3:
                return True
        return False

    @functools.cached_property
    def _entity_name_set(self) -> frozenset[str]:
        return frozenset(self.project_names) | frozenset(n for g in self.parks for n in g.names)

    def _entity_names(self) -> frozenset[str]:
        return self._entity_name_set


# A place the texts name this often in all is one they cover (not a city named in passing) …
PLACE_MENTIONS = 8
# … or this many times per 1,000 characters of one document, at least twice: the document is about
# it.  Measured: the cities the bundled plans name in passing stay ≤ 0.06; the places NCPQA notices
# are about score ≥ 1.0 (0.5 sits between, an order of magnitude from both).
PLACE_DENSITY = 0.5


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


@functools.lru_cache(maxsize=65536)
def expand_synonyms(q: str) -> str:
    """The question with general abbreviations written out (规上 → 规模以上)."""
    out = q
    for short, full in sorted(SYNONYMS, key=lambda p: -len(p[0])):
        sf, ff = match_form(short), match_form(full)
        if sf in out and ff not in out:
            out = out.replace(sf, ff)
    return out

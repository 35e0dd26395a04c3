"""Park names learned from the project rows: places that lead them, core names, alias groups.

A park is printed many ways (某市经济技术开发区, 某市开发区, 经开区, its core name); the groups
are learned from the parsed project rows and the short forms the documents declare themselves
（以下简称…）, with the general affixes below — no park of a particular document is listed. The
questions' park mentions are matched against these groups (`parks_in`), and so are summary-row
labels (`park_group`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.numbers import match_form

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


def learn_parks(park_names: list[str], texts: dict[str, str], places: re.Pattern[str]) -> list[ParkGroup]:
    """Park groups of the printed names: one group per core name, merged where a document declares
    a short form or a general equivalence (经开区 = 经济技术开发区) says two names are one park."""
    names = {match_form(n) for n in park_names if n and len(match_form(n)) >= 2}
    # a parse that glued a word onto a name (项目某市保税区) belongs to the name it ends with
    names = {next((m for m in names if m != n and len(m) >= 4 and n.endswith(m)), n) for n in names}
    names = {n for n in names if park_core(n, places) or len(places.sub("", n)) >= 3}
    declared = _declared_short_forms(texts)

    def group_key(n: str) -> str:
        core = park_core(n, places)
        return core or places.sub("", n)

    key_of: dict[str, str] = {}
    for n in names:
        key_of[n] = group_key(n)
    # merge declared short forms and general equivalences into one group key
    merges: list[tuple[str, str]] = [(group_key(a), group_key(b)) for a, b in declared]
    merges += [(group_key(a), group_key(b)) for a, b in PARK_EQUIV]
    find = _union(merges)
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
        _add_aliases(root, g, places)
    _drop_shared_aliases(groups)
    return list(groups.values())


def _declared_short_forms(texts: dict[str, str]) -> list[tuple[str, str]]:
    """(full, short) park names the documents declare: 某市经济技术开发区（以下简称某市开发区）."""
    declared: list[tuple[str, str]] = []
    for t in texts.values():
        tf = match_form(t)
        for m in _SHORT_FORM.finditer(tf):
            short = m.group(1)
            head = tf[max(0, m.start() - 16): m.start()]
            full = re.search(r"([\u4e00-\u9fff]{2,14}?(区|园))$", head)
            if full and _PARKISH.search(short):
                declared.append((full.group(1), short))
    return declared


def _union(merges: list[tuple[str, str]]) -> Callable[[str], str]:
    """The root of each key once the pairs in `merges` are joined (union–find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for a, b in merges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    return find


def _add_aliases(root: str, g: ParkGroup, places: re.Pattern[str]) -> None:
    """A group's display key (its shortest name) and the strings that identify it in a question."""
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


def _drop_shared_aliases(groups: dict[str, ParkGroup]) -> None:
    """An alias claimed by two groups identifies neither."""
    owner: dict[str, list[str]] = defaultdict(list)
    for root, g in groups.items():
        for a in g.aliases:
            owner[a].append(root)
    for a, roots in owner.items():
        if len(roots) > 1:
            for r in roots:
                groups[r].aliases.discard(a)


def parks_in(parks: list[ParkGroup], q: str) -> list[tuple[ParkGroup, str]]:
    """Park groups named in the question, longest alias first, each span used once."""
    cands: list[tuple[int, int, ParkGroup, str]] = []
    for g in parks:
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


def compound_park(parks: list[ParkGroup], q: str) -> str | None:
    """Two park aliases run together into one name (某岛综合保税区): a place that is neither."""
    spans = []
    for g in parks:
        for a in g.aliases:
            i = q.find(a)
            if i >= 0 and len(a) >= 2:
                spans.append((i, i + len(a), g))
    for s1, e1, g1 in spans:
        for s2, e2, g2 in spans:
            if g1 is not g2 and e1 <= s2 <= e1 + 3 and not re.search(r"[、和与及,，/]", q[e1:s2]):
                return q[s1:e2 + 1] if q[e2:e2 + 1] in ("区", "园") else q[s1:e2]
    return None


def park_group(parks: list[ParkGroup], name: str | None) -> ParkGroup | None:
    """The group a printed name belongs to: by name, by alias, or by a name it ends with."""
    if not name:
        return None
    n = match_form(name)
    for g in parks:
        if n in g.names:
            return g
    for g in parks:
        if n in g.aliases:
            return g
    for g in parks:  # a name with a word glued on: 项目某市保税区
        if any(len(m) >= 4 and n.endswith(m) for m in g.names):
            return g
    return None

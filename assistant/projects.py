"""Project answers: the facts of one named project from the project tables (投资, 园区, 年限,
建设内容, 进展), with the field the question asks about first."""

from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass, field

from assistant.cite import Answer
from assistant.corpus import Corpus, RowRef
from assistant.numbers import fmt_number, match_form, numbers_in
from assistant.query import Query
from assistant.rowindex import row_index
from assistant.rowtext import bigrams as _bigrams
from assistant.rowtext import clip as _clip
from assistant.rowtext import squash as _squash
from ingest.model import ProjectRow

_NAMED = re.compile(r"([\u4e00-\u9fffA-Za-z0-9\-—（）()#/、·•+.ⅠⅡⅢⅣⅤ]{2,})(项目|工程)")
_GENERIC_PROJECT_WORDS = re.compile(
    r"附件\d*|附表\d*|表\d+|项目库|重点|所有|全部|哪些|有|的|共|多少|几个|个|其中|示范区|示范园区|重点园区|园区|"
    r"开工|年|建设|类|各|在|中|里|列了|列入|列|库|涉及|包括|属于|一共|总计|合计|总|投资|规模|以前|以后|之前|期间|"
    r"和|与|及|请问|列出|都|是|什么|那些|按|分|开发区|经济区|新区|产业区|区")


def named_project(q: Query, corpus: Corpus) -> str | None:
    """The specific project name a question uses (某市新机场项目), or None for 保税区的项目-style phrases
    — and None when the documents in scope have no project list to look the name up in."""
    if not any(not q.doc_ids or r.row.doc_id in q.doc_ids for r in corpus.projects):
        return None
    for m in _NAMED.finditer(q.norm):
        rest = m.group(1)
        for w in sorted(set(q.park_words + q.categories + [a for g in q.parks for a in g.aliases]),
                        key=lambda w: (-len(w), w)):
            rest = rest.replace(match_form(w), "")
        rest = re.sub(r"(19|20)\d{2}年?", "", rest)
        rest = _GENERIC_PROJECT_WORDS.sub("", rest)
        if len(re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", rest)) >= 3:
            return m.group(0)
    return None


_ORDINAL = re.compile(r"[一二三四五六七八九十\d]+期")


def contradicts(mention: str, name: str, own_text: str = "") -> bool:
    """The question's project mention carries a number or phase (PTA-6, 三期) the name lacks (a phase
    the row's own text gives, 一期投资9.37亿元, belongs to the project)."""
    nf = match_form(name)
    if any(o not in nf and o not in own_text for o in _ORDINAL.findall(mention)):
        return True
    have = set(numbers_in(nf))
    return any(n not in have for n in numbers_in(mention))


_EXCLUDED = re.compile(r"[（(]?(?:不含|不包括|不包含|除去|除了|除)([^（()）,，。？?、]{2,14}?)(?:以外|之外|外)?[）)]")
_DF_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _exclusions(norm: str) -> tuple[str, list[str]]:
    """The question without its exclusions, and the excluded words: …风电项目（不含陆上集控中心）
    asks about the wind farm, not the 陆上集控中心 project."""
    excluded = [m.group(1) for m in _EXCLUDED.finditer(norm)]
    return _EXCLUDED.sub("", norm), excluded


def _name_df(corpus: Corpus) -> dict[str, int]:
    """In how many project names each bigram occurs: 三峡 names few projects, 项目 names all."""
    df = _DF_CACHE.get(corpus)
    if df is None:
        df = Counter(b for ref in corpus.projects for b in _bigrams(match_form(ref.row.name)))
        _DF_CACHE[corpus] = df
    return df


def _span_cover(norm: str, nb: set[str]) -> float:
    """How much of the question's densest run of name bigrams the name explains (三峡某县Ⅲ海上风电
    inside 某新能源某市某县Ⅲ（300MW）海上风电场项目); a run ends at three misses in a row."""
    hits = [norm[i:i + 2] in nb for i in range(len(norm) - 1)]
    best, run, misses = 0.0, [], 0
    for h in hits + [False] * 3:
        run.append(h)
        misses = 0 if h else misses + 1
        if misses == 3:
            seg = run[:-3]
            while seg and not seg[0]:
                seg.pop(0)
            if sum(seg) >= 5:
                best = max(best, sum(seg) / len(seg))
            run, misses = [], 0
    return best


def _head(name: str, places: re.Pattern[str]) -> str:
    """The first two characters of a project name after its place prefix (XX市YY… → YY): the
    owner or brand that names it. `places` is the corpus's place-prefix pattern (vocab.places)."""
    return places.sub("", name)[:2]


def _row_text(r: ProjectRow) -> str:
    return match_form(_squash(" ".join([r.content or "", r.progress or ""])))


def find_projects(q: Query, corpus: Corpus) -> list[tuple[float, RowRef]]:
    """Projects the question names: the printed name inside the question, or a mention whose
    character bigrams the name mostly contains (恒力150万吨/年乙烯项目 → 恒力石化（某市）化工有限公司
    150万吨/年乙烯项目), unless the mention carries a number or phase the name lacks, or the question
    excludes a word of the name (不含陆上集控中心)."""
    norm, excluded = _exclusions(q.norm)
    named = named_project(q, corpus)
    mention = re.sub(r"(项目|工程)$", "", named) if named else None
    mb = _bigrams(mention) if mention else set()
    qgrams = _bigrams(norm)
    df = _name_df(corpus)
    rare_at = max(2, len(corpus.projects) // 50)
    # a park or plan named in the question is a filter, not a project name
    place_grams = {b for w in q.park_words + [a for g in q.parks for a in g.aliases] +
                   sorted(row_index(corpus).scope_words_in(norm)) + q.categories for b in _bigrams(match_form(w))}
    places = corpus.vocab.places
    out = []
    for ref in corpus.projects:
        r = ref.row
        name = match_form(r.name)
        if len(name) < 4 or any(x in name for x in excluded):
            continue
        if name in norm:
            out.append((1.0, ref))
            continue
        nb = _bigrams(name)
        shared = nb & qgrams
        if len(shared) < 3:
            continue
        name_cov = len(shared) / len(nb)
        score = name_cov
        if mb and len(mb) >= 3:
            mention_cov = len(mb & nb) / len(mb)
            score = max(score, 0.75 * mention_cov + 0.25 * name_cov)
        elif _head(name, places) in shared - place_grams and \
                any(df.get(b, 0) <= rare_at for b in shared - place_grams if re.search(r"[\u4e00-\u9fff]{2}", b)):
            # no 项目/工程 word: a run of the question the name explains, starting with the name's
            # head (the owner or brand: 三峡…, 承邦…) and holding a rare word of it
            score = max(score, 0.75 * _span_cover(norm, nb) + 0.25 * name_cov)
        if _head(name, places) in shared - place_grams and df.get(_head(name, places), 0) <= 2 and \
                len({b for b in shared - place_grams if re.search(r"[\u4e00-\u9fffA-Za-z]{2}", b)}) >= 3:
            # the owner's short name (崇达 of 某市崇达电路…) with more words of this name: that project
            score = max(score, 0.6)
        # a phase the row's own text gives (一期投资9.37亿元) is part of this project, not another one
        if score >= 0.5 and not contradicts(named or norm, name, _row_text(r)):
            out.append((min(score, 0.99), ref))
    out.sort(key=lambda x: -x[0])
    return out


_FIELD_LABEL = {"progress": "项目进展：", "content": "主要建设内容及规模：", "period": "建设年限", "park": "所属园区为"}
# words that ask, not name what is asked about
_ASK_WORDS = re.compile(r"^(多少|什么|哪些|哪个|哪天|哪年|哪里|几|几个|几台|几座|是否|如何|怎样|怎么|为什么|因为|因为什么|为何|"
                        r"原因|目前|现在|项目|工程|建设|正式|已经|已|请问|一下|主要|情况|进展|进度|规模|内容|计划|"
                        r"能够|可以|要|有|是|的|了|在|和|与|及|吗|呢|么)$")


def asked_words(q: Query, name: str) -> list[str]:
    """Content words of a project question its name does not hold: what is asked about (投产, 并网,
    暂停, 锅炉)."""
    norm, _ = _exclusions(q.norm)
    nb = _bigrams(match_form(name))
    out = []
    for w in q.tokenizer.cut(norm):
        w = w.strip()
        if len(w) < 2 or _ASK_WORDS.match(w) or not re.search(r"[\u4e00-\u9fff]", w):
            continue
        if all(b in nb for b in _bigrams(w)):
            continue
        out.append(w)
    return out


def asked_clause(r: ProjectRow, words: list[str]) -> tuple[str, str] | None:
    """The field and clause of a project row that hold what the question asks about:
    因为什么暂停施工 → 项目进展 "目前受海岛保护调整影响，暂停施工"."""
    best: tuple[int, str, str] | None = None
    for field_name in ("progress", "content", "period", "park"):
        text = _squash(getattr(r, field_name) or "")
        clauses = [c for c in re.split(r"(?<=[。；;])", text) if c.strip()]
        for c in clauses:
            cf = match_form(c)
            hit = sum(1 for w in words if w in cf or sum(b in cf for b in _bigrams(w)) >= max(1, len(w) - 2))
            if hit and (best is None or hit > best[0]):
                best = (hit, field_name, c.rstrip("。；;"))
    return (best[1], best[2]) if best else None


# Attributes a project question can ask about that a project row may not hold: the cue in the
# question, and what the row's text must show for the row to answer it (a word, or a figure with a
# fitting unit). 建设年限 answers 开工/建成 (its first and last year).
_AREA = r"\d[\d.]*(?:万|余)?(?:亩|平方米|平米|㎡|m2|公顷|平方公里|km2)"
_CAPACITY = r"\d[\d.]*(?:万|亿|余)?(?:吨|台|套|只|架|件|辆|艘|片|颗|平方米|千瓦|兆瓦|MW|GW|kW|KW|标箱|TEU|立方米)"
ATTRIBUTES: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    ("就业人数", re.compile(r"就业|岗位|用工|员工|职工|从业人员|劳动力"),
     re.compile(r"就业|岗位|用工(?!程)|员工|职工|从业|\d+(?:万|余)?人")),
    ("产值", re.compile(r"产值|营业收入|营收|销售收入|销售额|年收入"), re.compile(r"产值|收入|销售额")),
    ("税收", re.compile(r"税收|利税|纳税|税金"), re.compile(r"税")),
    ("利润（效益）", re.compile(r"利润|盈利|经济效益|收益"), re.compile(r"利润|盈利|效益|收益")),
    ("占地面积", re.compile(r"占地|用地|面积"), re.compile(r"占地|用地|面积|" + _AREA)),
    ("产能", re.compile(r"产能|年产|生产能力|产量|能产|能生产"), re.compile(r"产能|年产|产量|" + _CAPACITY)),
    ("处理能力", re.compile(r"处理能力|日处理|处理规模|处理量"), re.compile(r"处理能力|日处理|处理规模|处理量|" + _CAPACITY)),
    ("装机容量", re.compile(r"装机"), re.compile(r"装机|\d[\d.]*(?:万)?(?:千瓦|兆瓦|MW|GW|kW|KW)")),
    ("能耗（排放）", re.compile(r"能耗|耗能|用电量|用水量|排放量|减排"), re.compile(r"能耗|标准煤|用电|用水|排放|减排")),
    ("开工时间", re.compile(r"开工|动工"), re.compile(r"开工|动工|(?:19|20)\d{2}")),
    ("建成时间", re.compile(r"竣工|建成|完工"), re.compile(r"竣工|建成|完工|(?:19|20)\d{2}")),
    ("投产时间", re.compile(r"投产|投入使用|投用|达产"), re.compile(r"投产|投入使用|投用|达产|运营")),
]
# "建成后能带动…" states when, it does not ask it
_AFTER = re.compile(r"(?:建成|投产|达产|竣工|完工|开工|运营)(?:后|以后|之后)")


def asked_attributes(q: Query, name: str) -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    """The project attributes the question asks about, cue words inside the project's own name
    (…生产能力建设项目, …扩大产能项目) aside."""
    norm = _AFTER.sub("", _exclusions(q.norm)[0])
    nb = _bigrams(match_form(name))
    # characters of the question the name explains are masked: 产能 in …扩大产能项目 is the name
    covered = [False] * len(norm)
    for i in range(len(norm) - 1):
        if norm[i:i + 2] in nb:
            covered[i] = covered[i + 1] = True
    free = "".join("|" if c else ch for ch, c in zip(norm, covered, strict=True))
    return [a for a in ATTRIBUTES if a[1].search(free)]


def row_lacks(r: ProjectRow, attrs: list[tuple[str, re.Pattern[str], re.Pattern[str]]]) -> list[str]:
    """The asked attributes no field of the row states."""
    text = match_form(_squash(" ".join([r.content or "", r.progress or "", r.period or "",
                                        *(f"{k}{v}" for k, v in (r.extra or {}).items())])))
    return [label for label, _, held in attrs if not held.search(text)]


@dataclass
class RowLacksAttribute(Answer):
    """An abstention: the project's row does not state the asked attribute. The body text may, for
    this project: `supported_by` accepts a text answer whose quote names both."""

    project: str = ""
    head: str = ""  # the project's owner/brand word (name without its place prefix)
    cues: list[re.Pattern[str]] = field(default_factory=list)

    def supported_by(self, quote: str) -> bool:
        qf = match_form(quote)
        if not all(c.search(qf) for c in self.cues):
            return False
        name = match_form(self.project)
        return (bool(self.head) and self.head in qf) or len(_bigrams(name) & _bigrams(qf)) >= max(3, len(_bigrams(name)) // 3)


def _lacking_answer(q: Query, ref: RowRef, corpus: Corpus, missing: list[str],
                    attrs: list[tuple[str, re.Pattern[str], re.Pattern[str]]]) -> RowLacksAttribute:
    r = ref.row
    lines = [f"文档中未找到关于{r.name}{'、'.join(missing)}的内容。",
             "项目表中该项目的行没有列出这一内容；最接近的依据是该项目的行：",
             _project_facts(r, [], None)]
    return RowLacksAttribute(lines, [corpus.row_evidence(ref)], abstained=True, confidence=0.45,
                             project=r.name, head=_head(match_form(r.name), corpus.vocab.places), cues=[a[1] for a in attrs if a[0] in missing])


_CLAUSE_SPLIT = re.compile(r"[，,；;。]")


def phase_clause(r: ProjectRow, q: Query) -> str | None:
    """The clause of the row's own text that gives the figure of the phase the question asks about
    (一期投资多少 → "一期投资9.37亿元"), when the name is not itself that phase."""
    name = match_form(r.name)
    phases = [p for p in _ORDINAL.findall(q.norm) if p not in name]
    if not phases:
        return None
    cands = [match_form(c) for c in _CLAUSE_SPLIT.split(_squash(" ".join([r.content or "", r.progress or ""])))]
    cands = [c for c in cands if any(p in c for p in phases) and numbers_in(c)]
    if not cands:
        return None
    qb = _bigrams(q.norm)
    return max(cands, key=lambda c: len(_bigrams(c) & qb))


def attribute_clause(r: ProjectRow, attrs: list[tuple[str, re.Pattern[str], re.Pattern[str]]]) -> str | None:
    """The clause of the row's content or progress that states an asked attribute with a figure
    (处理能力 → "新建日处理2万吨污水处理厂一座")."""
    for _label, cue, held in attrs:
        for c in _CLAUSE_SPLIT.split(_squash(" ".join([r.content or "", r.progress or ""]))):
            cf = match_form(c)
            if numbers_in(cf) and cue.search(cf) and held.search(cf):
                return c.strip()
    return None


def _project_facts(r: ProjectRow, aspects: list[str], q: Query | None = None) -> str:
    asked = asked_clause(r, asked_words(q, r.name)) if q is not None else None
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
    if asked is not None and not (asked[0] == "content" and content_first):
        # the clause that answers goes first, before a field clip could cut it off
        out += "：" + _FIELD_LABEL[asked[0]] + asked[1]
        sep = "，"
        order = [a for a in order if a != asked[0]]
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
    if not keep:  # one long clause (装置、装置、…): its start
        return s[:n]
    return "".join(clauses[i] for i in sorted(keep)).rstrip("，,；;。")



def _extends(other: RowRef, picked: RowRef, q: Query) -> bool:
    """`other` is the picked name plus words the question does not use (…风电场项目 vs
    …风电场陆上集控中心项目): a different project, not an equally good reading of the question."""
    pb, ob = _bigrams(match_form(picked.row.name)), _bigrams(match_form(other.row.name))
    extra = ob - pb
    return len(pb & ob) >= 0.9 * len(pb) and len(extra) >= 2 and not extra & _bigrams(q.norm)


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
    near = [ref for s, ref in found[len(same):6] if s >= top - 0.05 and not _extends(ref, same[0], q)]
    phase = phase_clause(same[0].row, q) if len(same) == 1 else None
    attr_clause = attribute_clause(same[0].row, asked_attributes(q, same[0].row.name)) if len(same) == 1 else None
    if phase is not None:
        # the phase's own figure first; the row's total (all phases) on the next line
        lines = [f"{same[0].row.name}：{phase}", _project_facts(same[0].row, q.aspects, q)]
    elif attr_clause is not None and asked_clause(same[0].row, asked_words(q, same[0].row.name)) is None:
        lines = [f"{same[0].row.name}：{attr_clause}", _project_facts(same[0].row, q.aspects, q)]
    elif len(same) == 1:
        lines = [_project_facts(same[0].row, q.aspects, q)]
    else:
        # one name printed in several rows (a project listed twice): every row on the first line
        short = [f"{ref.row.name}（{ref.row.park or ''}）总投资{fmt_number(ref.row.investment_wan)}万元"
                 if ref.row.investment_wan is not None else ref.row.name for ref in same]
        lines = ["；".join(short) if len("；".join(short)) <= 200 else short[0]]
        lines += [_project_facts(ref.row, q.aspects, q) for ref in same]
    r = same[0].row
    attrs = asked_attributes(q, r.name)
    missing = [m for m in row_lacks(r, attrs) if all(m in row_lacks(ref.row, attrs) for ref in same)]
    if missing and not near:
        return _lacking_answer(q, same[0], corpus, missing, attrs)
    if r.content and "content" not in q.aspects:
        lines.append(f"主要建设内容及规模：{_squash(r.content)}")
    conf = 0.4 + 0.6 * top
    words = asked_words(q, r.name)
    if len(same) == 1 and not q.aspects and words and asked_clause(r, words) is None and attr_clause is None:
        conf = min(conf, 0.6)  # the row does not hold what is asked (投产日期): the text may
    if near:
        lines.append("名称相近的项目：" + "、".join(ref.row.name for ref in near))
        conf = top * 0.5 if top < 1.0 else conf - 0.1  # a mention several projects fit equally
    return Answer(lines, [corpus.row_evidence(ref) for ref in same], confidence=conf)

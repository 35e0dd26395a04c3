"""Example questions generated from what is indexed, and the reply to a question too vague to answer.

The chat offers examples per user group; they must fit whatever corpus is loaded, so they are
written from its records: an indicator row with its target year, a target stated in prose (fact
records), a project and a park of a project list, and one question the documents cannot answer
(a year no document reaches). With an `ask` function each candidate is tried and kept only when
the assistant answers it (or, for the last kind, abstains) — a few candidates per kind at most.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

GROUPS = ("公务员", "投资者", "评估人员")
TRIES_PER_KIND = 4  # candidates tried with `ask` per kind of example (each costs one answer)
MAX_NAME_CHARS = 24  # longer indicator / project names make unreadable example buttons
UNANSWERABLE_YEAR_GAP = 25  # the unanswerable example asks about this many years past the last year indexed

# Words that carry no subject of their own: question words, particles, and the generic predicates
# of a plan (发展, 情况, 目标 …). A question made only of these (「发展得怎么样？」) names nothing to
# look up, so it gets a request to be more specific instead of an unrelated sentence.
GENERIC_WORDS = sorted("""
怎么样 怎样 如何 怎么 什么 哪些 哪个 哪里 多少 为什么 是否 有没有 好不好 行不行 吗 呢 啊 吧 呀 么 嘛
请问 请 问 一下 介绍 说说 讲讲 谈谈 告诉 我们 我 你 您 大家 这个 那个 这些 那些 这 那 它 他们
发展 情况 现状 工作 目标 进展 成效 效果 成绩 问题 方面 内容 总体 整体 有关 关于 相关 主要 具体 详细
最近 目前 现在 今后 未来 将来 以后 当前 近期 总的来说 总之 一共 总共
的 得 地 了 着 过 是 有 在 和 与 及 或 也 都 还 就 又 再 很 挺 非常 比较 更 最 会 能 要 将 可以 应该 到底 究竟
好 坏 大 小 多 少 高 低 快 慢 个 些 下 上 中 做 搞 干 进行 开展 推进 实现 取得 达到 怎
""".split(), key=len, reverse=True)
MIN_CONTENT_CHARS = 2  # fewer characters than this left after removing GENERIC_WORDS = vague
_NON_CONTENT = re.compile(r"[\s\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def content_chars(question: str) -> str:
    """What is left of a question once generic words, punctuation and spaces are removed."""
    s = _NON_CONTENT.sub("", question or "")
    for w in GENERIC_WORDS:
        s = s.replace(w, "")
    return s


def is_vague(question: str) -> bool:
    """True for a Chinese question that names nothing: no year, place, measure or project."""
    if not _CJK.search(question or ""):
        return False
    return len(content_chars(question)) < MIN_CONTENT_CHARS


def _short(name: str | None) -> str | None:
    name = re.sub(r"\s+", "", name or "")
    return name if 2 <= len(name) <= MAX_NAME_CHARS else None


def _target_year(values: dict[str, str]) -> str | None:
    """The last year of an indicator row whose cell holds a figure (the target, not a base year)."""
    years = [y for y, v in values.items() if re.fullmatch(r"(?:19|20)\d{2}", str(y)) and re.search(r"\d", v or "")]
    return max(years) if years else None


def _round_robin(groups: dict[str, list[str]]) -> list[str]:
    """Candidates alternating between documents, so two examples rarely come from one document."""
    out: list[str] = []
    lists = [list(v) for v in groups.values()]
    while any(lists):
        for li in lists:
            if li:
                out.append(li.pop(0))
    return list(dict.fromkeys(out))


TARGET_TABLE = re.compile(r"目标|指标|规划")  # a table of targets, not of past statistics


def indicator_questions(records: Any) -> list[str]:
    """Target questions from indicator rows: rows of target tables first, the latest year first."""
    ranked: dict[str, list[tuple[tuple[bool, str], str]]] = {}
    for r in records.indicators():
        name, year = _short(r.name), _target_year(r.values)
        if name and year:
            key = (bool(TARGET_TABLE.search(r.table or "")), year)
            ranked.setdefault(r.doc_id, []).append((key, f"到{year}年{name}的目标是多少？"))
    return _round_robin({d: [q for _, q in sorted(v, key=lambda kv: kv[0], reverse=True)] for d, v in ranked.items()})


# A prose fact's measure reads as a name: no digits, at least four characters, not starting with
# 年/的 nor ending with a word that still needs its object (由 占 到 为 比 …).
GOOD_MEASURE = re.compile(r"(?![年的])[\u4e00-\u9fffA-Za-z&（）()]{3,}(?<![由占到为比从和及与的、，])")


def fact_questions(records: Any) -> list[str]:
    facts = getattr(records, "facts", None)
    if facts is None:
        return []
    try:
        rows = facts()
    except Exception:  # an index built before fact records existed
        return []
    by_doc: dict[str, list[str]] = {}
    for f in rows:
        measure, year = _short(getattr(f, "measure", None)), getattr(f, "year", None)
        if measure and not GOOD_MEASURE.fullmatch(measure):
            continue  # a fragment of a sentence ("…提高到2018年的", "服务业占GDP比重由") asks nothing clear
        if measure and getattr(f, "kind", "target") == "target" and year and re.fullmatch(r"\d{4}", str(year)):
            by_doc.setdefault(f.doc_id, []).append(f"到{year}年{measure}的目标是多少？")
    # the latest year first: a plan's horizon, not a date in its review of the past
    return _round_robin({d: sorted(qs, key=lambda q: q[1:5], reverse=True) for d, qs in by_doc.items()})


def _parks(records: Any) -> list[str]:
    counts = Counter(r.park for r in records.projects() if _short(r.park))
    return [p for p, _ in counts.most_common()]


def park_questions(records: Any) -> list[str]:
    return [f"{p}有哪些重点项目？总投资多少？" for p in _parks(records)]


def park_count_questions(records: Any) -> list[str]:
    parks = _parks(records)
    return [f"{p}有多少个重点项目？" for p in parks[1:] + parks[:1]]  # not the park of the list example


def project_questions(records: Any) -> list[str]:
    by_doc: dict[str, list[str]] = {}
    for r in records.projects():
        name = _short(r.name)
        if name and r.investment_wan:
            by_doc.setdefault(r.doc_id, []).append(f"{name}的总投资是多少？")
    return _round_robin(by_doc)


def unanswerable_questions(records: Any) -> list[str]:
    years = [int(y) for r in records.indicators() for y in r.values if re.fullmatch(r"(?:19|20)\d{2}", str(y))]
    years += [r.end_year or r.start_year for r in records.projects() if r.end_year or r.start_year]
    far = max(years, default=2030) + UNANSWERABLE_YEAR_GAP
    names = sorted({n for r in records.indicators() if (n := _short(r.name))}, key=lambda n: (len(n), n))
    return [f"到{far}年{n}的目标是多少？" for n in names if n][:TRIES_PER_KIND] or [f"到{far}年的人口目标是多少？"]


def _pick(candidates: Iterable[str], ask: Callable[[str], dict] | None, answerable: bool, n: int = 1,
          taken: set[str] | None = None) -> list[str]:
    out: list[str] = []
    for i, q in enumerate(candidates):
        if len(out) >= n or i >= TRIES_PER_KIND * n:
            break
        if taken and q in taken:
            continue
        if ask is not None:
            try:
                abstained = bool(ask(q).get("abstained"))
            except Exception:
                continue
            if abstained == answerable:
                continue
        out.append(q)
    return out


def example_questions(records: Any, ask: Callable[[str], dict] | None = None) -> dict[str, list[str]]:
    """Example questions per user group (GROUPS), from the indexed records; groups without any
    fitting record are left out. `ask(question) -> answer JSON` checks each example first."""
    civil = _pick(indicator_questions(records), ask, True)
    civil += _pick(fact_questions(records), ask, True) or _pick(indicator_questions(records)[1:], ask, True,
                                                                 taken=set(civil))
    investor = _pick(park_questions(records), ask, True) + _pick(project_questions(records), ask, True)
    evaluator = _pick(park_count_questions(records), ask, True) + _pick(unanswerable_questions(records), ask, False)
    groups = dict(zip(GROUPS, (civil, investor, evaluator), strict=True))
    return {g: qs for g, qs in groups.items() if qs}


def placeholder(examples: dict[str, list[str]]) -> str:
    first = next((qs[0] for qs in examples.values() if qs), None)
    return f"例如：{first}" if first else "请输入关于已索引文档的问题"


def vague_reply(question: str, records: Any) -> list[str] | None:
    """Answer lines asking for a more specific question, with examples from the corpus, when the
    question names nothing (see GENERIC_WORDS); None otherwise."""
    if not is_vague(question):
        return None
    examples = [q for qs in example_questions(records).values() for q in qs[:1]]
    lines = ["问题不够具体，请说明要问的对象：哪份文件、哪个指标、园区、项目或年份。"]
    if examples:
        lines.append("例如：" + "；".join(examples))
    titles = [d.get("title") or d["doc_id"] for d in records.documents()]
    if titles:
        lines.append("已索引的文件：" + "；".join(titles))
    return lines

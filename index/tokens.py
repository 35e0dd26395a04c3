"""Chinese tokenisation for BM25 (jieba) with a domain dictionary taken from ingested documents.

Numbers and years stay tokens ("2025", "6.5"), punctuation and whitespace are dropped, latin is
lower-cased. Partial names must still match ("金州互通" inside a project name that the domain
dictionary made one word), so the default mode adds character bigrams of every CJK run to
jieba's words; `cut_for_search` is the alternative (`mode="search"`) — bench/bench.py measures both.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable

MODES = ("jieba", "search", "bigram")
DEFAULT_MODE = "bigram"

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_KEEP = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?%?$")
# Function words that carry no retrieval signal on their own.
_STOP = frozenset("的 了 和 与 及 等 是 在 为 对 将 到 以 由 并 或 其 之 于 把 被 有 中 上 个 也 都 就 要 从 这 那 吗 呢 啊 多少 什么 哪些 如何 怎么 是否".split())

# Query-side expansion: common abbreviations in questions about plans, and the words summary tables
# use for "how many / in total" (表N 项目表 columns read 个数 / 金额 / 汇总).
EXPANSIONS: dict[str, str] = {
    "gdp": "地区生产总值",
    "高企": "高新技术企业",
    "固投": "固定资产投资",
    "规上": "规模以上",
    "社零": "社会消费品零售总额",
    "研发投入强度": "R&D支出占地区生产总值比重",
    "研发投入": "R&D 研发经费",
    "研发": "R&D",
    "一共": "汇总 合计",
    "总共": "汇总 合计",
    "合计": "汇总",
    "总计": "汇总 合计",
    "几个": "个数",
    "多少个": "个数",
    "总投资": "金额",
}

_lock = threading.Lock()
_ready = False
_added: set[str] = set()


def _jieba():
    """The process-wide jieba, initialised once (≈0.7 s from its cache file in $TMPDIR)."""
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(60)
                tmp = os.environ.get("TMPDIR")
                if tmp:
                    jieba.dt.tmp_dir = tmp
                jieba.initialize()
                _ready = True
    return jieba


def add_words(words: Iterable[str]) -> None:
    """Teach jieba domain words (park, indicator, project names, headings) so they stay whole."""
    jb = _jieba()
    with _lock:
        for w in words:
            w = w.strip()
            if w and w not in _added and len(w) >= 2:
                # a high frequency makes jieba prefer the whole name over its parts
                jb.add_word(w, freq=max(jb.dt.FREQ.get(w, 0), 2000))
                _added.add(w)


def _clean(tok: str) -> str | None:
    tok = tok.strip().lower()
    if not tok or not _KEEP.search(tok):
        return None
    if _NUMBER.match(tok):
        return tok.rstrip("%")
    tok = "".join(ch for ch in tok if _KEEP.match(ch) or ch == ".")
    if not tok or tok in _STOP:
        return None
    return tok


def tokenize(text: str, mode: str = DEFAULT_MODE) -> list[str]:
    if mode not in MODES:
        raise ValueError(f"unknown tokenizer mode {mode!r}; choose one of {', '.join(MODES)}")
    jb = _jieba()
    pieces = jb.cut_for_search(text) if mode == "search" else jb.cut(text)
    out = [t for t in (_clean(p) for p in pieces) if t]
    if mode == "bigram":
        # character bigrams of every CJK run, so part of a long name or a differently segmented
        # phrase still matches (bench: better than bigrams within words or runs cut at stop words)
        for run in _CJK.findall(text):
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def expand_query(text: str) -> str:
    """The query plus the spelled-out forms of abbreviations it uses (for BM25)."""
    low = text.lower()
    extra = [v for k, v in EXPANSIONS.items() if k in low]
    return f"{text} {' '.join(extra)}" if extra else text

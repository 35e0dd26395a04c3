"""Chinese tokenisation for BM25 and question analysis: one `Tokenizer` per index.

Each index owns a `jieba.Tokenizer()` *instance* holding jieba's general dictionary plus the
index's domain words (park, indicator, project names, headings found at ingest). The process-wide
jieba dictionary is never changed, so an answer never depends on which index the process loaded
before (the same question gets the same tokens in a fresh process and in a long-running server).

Numbers and years stay tokens ("2025", "6.5"), punctuation and whitespace are dropped, latin is
lower-cased. Partial names must still match ("互通" inside a project name that the domain
dictionary made one word), so the default mode adds character bigrams of every CJK run to
jieba's words; `cut_for_search` is the alternative (`mode="search"`) — bench/bench.py measures both.

`expand_query` adds nothing document-specific: only the general abbreviations of government
Chinese (规上 = 规模以上 …) and the words summary tables use for "how many / in total".
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

MODES = ("jieba", "search", "bigram")
DEFAULT_MODE = "bigram"

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_KEEP = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?%?$")
# Function words that carry no retrieval signal on their own.
_STOP = frozenset("的 了 和 与 及 等 是 在 为 对 将 到 以 由 并 或 其 之 于 把 被 有 中 上 个 也 都 就 要 从 这 那 吗 呢 啊 多少 什么 哪些 如何 怎么 是否".split())

# General abbreviations of government Chinese (true of any document) and the words summary tables
# use for "how many / in total" (个数 / 金额 / 汇总 columns).
ABBREVIATIONS: dict[str, str] = {
    "gdp": "地区生产总值",
    "高企": "高新技术企业",
    "固投": "固定资产投资",
    "规上": "规模以上",
    "社零": "社会消费品零售总额",
    "研发": "研究与试验发展 R&D",
}
TABLE_WORDS: dict[str, str] = {
    "一共": "汇总 合计",
    "总共": "汇总 合计",
    "合计": "汇总",
    "总计": "汇总 合计",
    "几个": "个数",
    "多少个": "个数",
    "总投资": "金额",
}
# the frequency given to a domain word: high enough that jieba keeps the whole name
DOMAIN_WORD_FREQ = 2000

_init_lock = threading.RLock()
_base = None  # a jieba.Tokenizer holding only jieba's own dictionary, loaded once


def _base_tokenizer():
    """jieba's general dictionary, loaded once per process (≈0.7 s from its cache file)."""
    global _base
    if _base is None:
        with _init_lock:
            if _base is None:
                import jieba

                jieba.setLogLevel(60)
                tk = jieba.Tokenizer()
                tmp = os.environ.get("TMPDIR")
                if tmp:
                    tk.tmp_dir = tmp
                tk.initialize()
                _base = tk
    return _base


class Tokenizer:
    """A jieba tokenizer instance with one index's domain words; general words shared read-only."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        import jieba

        base = _base_tokenizer()
        tk = jieba.Tokenizer()
        # share the general dictionary read-only: copy the frequency table once, never touch base
        tk.FREQ = dict(base.FREQ)
        tk.total = base.total
        tk.initialized = True
        self.jieba = tk
        self._lock = threading.Lock()
        self._pos = None
        self.add_words(words)

    def add_words(self, words: Iterable[str]) -> None:
        """Teach this tokenizer domain words so they stay whole."""
        with self._lock:
            for w in words:
                w = w.strip()
                if w and len(w) >= 2 and self.jieba.FREQ.get(w, 0) < DOMAIN_WORD_FREQ:
                    self.jieba.add_word(w, freq=DOMAIN_WORD_FREQ)

    def cut(self, text: str) -> list[str]:
        """jieba words (no cleaning) — for question analysis."""
        return self.jieba.lcut(text)

    def posseg(self, text: str) -> list[tuple[str, str]]:
        """(word, part-of-speech flag) pairs; jieba tags place names `ns`."""
        if self._pos is None:
            import jieba.posseg as pseg

            pos = object.__new__(pseg.POSTokenizer)  # skip re-reading dict.txt per instance
            pos.tokenizer = self.jieba
            pos.word_tag_tab = _word_tags()  # read-only: domain words carry no tag
            self._pos = pos
        return [(p.word, p.flag) for p in self._pos.lcut(text)]

    def tokenize(self, text: str, mode: str = DEFAULT_MODE) -> list[str]:
        """BM25 tokens: cleaned jieba words (+ CJK character bigrams in `bigram` mode)."""
        words, grams = self._words_and_bigrams(text, mode)
        return words + grams

    def _words_and_bigrams(self, text: str, mode: str) -> tuple[list[str], list[str]]:
        if mode not in MODES:
            raise ValueError(f"unknown tokenizer mode {mode!r}; choose one of {', '.join(MODES)}")
        pieces = self.jieba.cut_for_search(text) if mode == "search" else self.jieba.cut(text)
        words = [t for t in (_clean(p) for p in pieces) if t]
        grams: list[str] = []
        if mode == "bigram":
            # character bigrams of every CJK run, so part of a long name or a differently segmented
            # phrase still matches (bench: better than bigrams within words or runs cut at stop words)
            for run in _CJK.findall(text):
                grams.extend(run[i : i + 2] for i in range(len(run) - 1))
        return words, grams


# tokens a TokenMemo keeps (one 8-byte slot each once encoded as ids): bounds its memory on a
# corpus whose lines never repeat, where it saves nothing
MEMO_TOKENS = 4_000_000


class TokenMemo:
    """`tokenize()` of many texts, each distinct line cut once. jieba cuts a text block by block
    and a newline ends both a jieba block and a CJK run, so a text's tokens are its lines' words
    followed by its lines' bigrams — the same list `tokenize()` returns (a test checks it). Chunk
    texts repeat whole lines across documents (section paths, boilerplate, re-issued sections),
    and jieba is most of an ingest's CPU time outside embedding. `encode` maps each token once per
    distinct line (e.g. to a vocabulary id)."""

    def __init__(self, tokenizer: Tokenizer, mode: str = DEFAULT_MODE, encode: Callable[[str], Any] | None = None,
                 limit: int = MEMO_TOKENS) -> None:
        self.tokenizer, self.mode, self.encode, self.limit = tokenizer, mode, encode, limit
        self._lines: dict[str, tuple[list, list]] = {}
        self._kept = 0

    def __call__(self, text: str) -> list:
        words: list = []
        grams: list = []
        for line in text.split("\n"):
            got = self._lines.get(line)
            if got is None:
                w, g = self.tokenizer._words_and_bigrams(line, self.mode)
                got = ([self.encode(t) for t in w], [self.encode(t) for t in g]) if self.encode else (w, g)
                if self._kept < self.limit:
                    self._lines[line] = got
                    self._kept += len(w) + len(g)
            words += got[0]
            grams += got[1]
        return words + grams


DOMAIN_WORDS_FILE = "jieba_words.txt"  # an index directory's domain dictionary, one word a line


def read_domain_words(index_dir) -> list[str]:
    """The domain words an index was built with (empty when the file is missing)."""
    from pathlib import Path

    path = Path(index_dir) / DOMAIN_WORDS_FILE
    return [w for w in path.read_text(encoding="utf-8").split("\n") if w] if path.exists() else []


_plain: Tokenizer | None = None
_tags: dict[str, str] | None = None


def _word_tags() -> dict[str, str]:
    """jieba's part-of-speech table of its general dictionary, read once per process."""
    global _tags
    if _tags is None:
        with _init_lock:
            if _tags is None:
                import jieba.posseg as pseg

                # importing jieba.posseg already read the table for its default instance: share it
                # read-only (nobody adds tagged words to the process-wide jieba)
                _tags = pseg.dt.word_tag_tab
    return _tags


def plain_tokenizer() -> Tokenizer:
    """A tokenizer with no domain words (for callers that have no index)."""
    global _plain
    if _plain is None:
        with _init_lock:
            if _plain is None:
                _plain = Tokenizer()
    return _plain


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


def tokenize(text: str, mode: str = DEFAULT_MODE, tokenizer: Tokenizer | None = None) -> list[str]:
    """BM25 tokens of `text` with `tokenizer` (default: no domain words)."""
    return (tokenizer or plain_tokenizer()).tokenize(text, mode)


def expand_query(text: str) -> str:
    """The query plus the spelled-out forms of general abbreviations it uses (for BM25)."""
    low = text.lower()
    extra = [v for k, v in {**ABBREVIATIONS, **TABLE_WORDS}.items() if k in low]
    return f"{text} {' '.join(extra)}" if extra else text

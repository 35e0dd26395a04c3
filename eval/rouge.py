"""Character ROUGE-L for answers that are verbatim spans (NCPQA-style policy questions).

ROUGE-L here is the LCS-based F-measure with β = 1 over characters, all whitespace removed on both
sides: with L = |LCS(gold, answer)|, P = L / |answer|, R = L / |gold|, F = 2PR / (P + R).
It is computed between the gold answer and the answer **body** (`answer_body`): every answer line
except citation, source and note lines, with `[n]` citation markers removed.  An abstention
scores 0 (the runner decides that, not this module).

The LCS length comes from rapidfuzz (C implementation) instead of a Python O(n·m) loop: gold
spans run to ~1,000 characters and answers to ~2,000.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import LCSseq

ROUGE_CORRECT = 0.5  # a rouge_l item counts as "correct" when its ROUGE-L reaches this (for accuracy and the misses list)

_WS = re.compile(r"\s+")
_MARKER = re.compile(r"\[\d{1,3}\]")
# A citation / source line: "来源：…", "出处: …", "[1] 文件名｜章节｜第3页", "引用：…"
_SOURCE_LINE = re.compile(r"^\s*(?:(?:来源|出处|引用|引文|依据|参考|原文)\s*[:：]|\[\d{1,3}\]\s)")
# A note line: wholly in parentheses, or headed 注/说明/提示
_NOTE_LINE = re.compile(r"^\s*(?:[（(].*[)）]\s*$|(?:注|说明|提示)\s*[:：])")


def answer_body(answer: str) -> str:
    """The answer without citation/source/note lines and without `[n]` markers."""
    kept = [line for line in str(answer or "").splitlines()
            if line.strip() and not _SOURCE_LINE.match(line) and not _NOTE_LINE.match(line)]
    return _MARKER.sub("", "\n".join(kept))


def rouge_l(gold: str, answer: str) -> float:
    """Character ROUGE-L F1 (β = 1) of `answer` against `gold`, whitespace ignored; 0 when either is empty."""
    g, a = _WS.sub("", gold or ""), _WS.sub("", answer or "")
    if not g or not a:
        return 0.0
    lcs = LCSseq.similarity(g, a)
    if lcs == 0:
        return 0.0
    p, r = lcs / len(a), lcs / len(g)
    return 2 * p * r / (p + r)


def best_rouge_l(golds: list[str], answer: str) -> float:
    """ROUGE-L against the best-matching of several gold answers."""
    return max((rouge_l(g, answer) for g in golds), default=0.0)

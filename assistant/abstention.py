"""One abstention rule: answer when a single score from five named features clears one threshold.

The features describe the best candidate answer (a sentence, clause or record) against the
question, each in [0, 1]:

- `measure`: does it state what is asked — the share of the question's content words (weighted
  by rarity) it holds, lowered when it gives a contrasting measure (户籍 for 常住), only a rate
  for an amount, or a figure that belongs to another term of its sentence;
- `time`: does it speak of the asked time, resolved for its own document (assistant/timeframe.py);
- `scope`: is it from the document / park the question names (1 when the question names none);
- `answer_type`: does it have the asked kind of answer (a figure for 多少, a date for 哪天 …);
- `retrieval`: how high its passage ranked in hybrid retrieval.

The score is their weighted product Π fᵢ^wᵢ: one feature near zero vetoes the answer the way the
old chain of refusal rules did, while weak evidence on several features adds up. The exponents are
a documented prior (every feature counts fully, retrieval rank at half strength: a good sentence
may sit in a lower-ranked passage); `ABSTAIN_BELOW` is the one threshold, chosen on the dev splits
of the three evaluation suites together (docs/ABSTENTION.md has the trade-off curve).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WEIGHTS = {"measure": 1.0, "time": 1.0, "scope": 1.0, "answer_type": 1.0, "retrieval": 0.5}
ABSTAIN_BELOW = 0.25
# a feature value is floored here before the logarithm: 0 vetoes but stays comparable
FLOOR = 0.01

REASONS = {
    "measure": "检索到的句子与问题所问的指标或关键词不够吻合",
    "time": "没有找到所问时间的相关内容",
    "scope": "没有找到所问地区或文件的相关内容",
    "answer_type": "找到的句子没有所问类型的答案（如数值、日期）",
    "retrieval": "相关段落的检索得分太低",
}


@dataclass
class Features:
    measure: float
    time: float
    scope: float
    answer_type: float
    retrieval: float

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in WEIGHTS}


def score(f: Features) -> float:
    """Weighted product of the features (1 = every feature fully met)."""
    vals = f.as_dict()
    return math.exp(sum(w * math.log(max(FLOOR, min(1.0, vals[k]))) for k, w in WEIGHTS.items()))


@dataclass
class Decision:
    answer: bool
    score: float
    why: str  # the reason of an abstention: the weakest feature's message


def decide(f: Features, threshold: float | None = None) -> Decision:
    """Answer or abstain on the features of the best candidate."""
    s = score(f)
    cut = ABSTAIN_BELOW if threshold is None else threshold
    vals = f.as_dict()
    weakest = min(WEIGHTS, key=lambda k: vals[k] / (1.0 + WEIGHTS[k]))
    return Decision(s >= cut, s, REASONS[weakest])


def retrieval_feature(rank: int) -> float:
    """Rank of the candidate's passage among the retrieved ones (0 = first) → (0, 1]."""
    return 1.0 / (1.0 + rank / 6.0)

"""Tuning / held-out split of every evaluation suite, fixed before any tuning.

About 30 % of each suite is held out: developers tune on ``dev`` and look at ``holdout`` only at
the end, so the held-out figures estimate accuracy on questions nobody tuned for.  The split is a
pure function of stable identifiers (no random state, no file to keep in sync):

- NCPQA items are split by their *document* (all questions on a held-out document are held out),
  so the held-out half also measures documents the answerer never saw;
- plans-dev and the seed dev set are split by question id (they have few documents).
"""

from __future__ import annotations

import hashlib

HOLDOUT_PERCENT = 30
SPLITS = ("dev", "holdout", "all")


def _bucket(key: str) -> int:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 100


def split_of(item: dict, by_document: bool = False) -> str:
    """``"holdout"`` or ``"dev"`` for one evaluation item."""
    key = str(item.get("doc", "")) if by_document else str(item.get("id", ""))
    return "holdout" if _bucket(key) < HOLDOUT_PERCENT else "dev"


def select(items: list[dict], split: str, by_document: bool = False) -> list[dict]:
    """The items of ``split`` (``dev``, ``holdout`` or ``all``)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    if split == "all":
        return list(items)
    return [it for it in items if split_of(it, by_document) == split]

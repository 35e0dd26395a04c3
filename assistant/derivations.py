"""`ingest` with every derivation the assistant reads at query time registered.

The index cannot import the assistant (data flows ingest → index → assistant), so a provider of
derived per-document data registers itself with index/derived.py when it is imported, and an ingest
stores only what was registered. Every entry point that ingests (ui/cli.py, ui/uploads.py,
eval/isolated.py) takes `ingest` from here, so the list of providers is written once and an entry
point cannot forget one (it would silently store no derived data and pay for it at query time).
"""

from __future__ import annotations

import assistant.docsentences  # noqa: F401  (registers the sentence statistics: index/derived.py)
from index.store import ingest

__all__ = ["ingest"]

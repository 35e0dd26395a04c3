"""Per-document data derived at ingest by a later package, stored in the index for query time.

A question should not pay for work that depends only on a document: the assistant's sentence
statistics of a document (assistant/docsentences.py, ~30 ms per document) are computed once when the
document is written and read back at query time in a few milliseconds.  The index cannot import
the assistant (data flows ingest → index → assistant), so a package *registers* a `Derivation`
here — a name, a version and a function of the document's text — and every ingest stores what the
registered derivations return (`RecordStore.put_derived`).

The index never imports a provider (imports go one way): a provider registers itself when it is
imported, and the entry points that ingest — the CLI (`ui/cli.py`, which also serves the chat and
its uploads) and the evaluation (`eval/isolated.py`) — take `ingest` from `assistant/derivations.py`,
which imports every provider (`assistant/docsentences.py`); the benchmarks import the provider
themselves.  An ingest that registered nothing stores no derived data; readers
then derive at query time, as for an index written before this table existed.

A stored row is used only while its version equals the registered one (the version hashes the
provider's code): after an upgrade a reader falls back to deriving at query time, and the next
`planqa ingest` refreshes stale rows (`refresh`) without re-reading any source.

`pack`/`unpack` are the storage format: a JSON header and raw buffers (numpy arrays, strings) — no
pickle, so opening an index never runs code from it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Derivation:
    name: str
    version: str
    derive: Callable[[str, str], bytes]  # (doc_id, text) -> stored bytes


_REGISTRY: dict[str, Derivation] = {}
_LOCK = threading.Lock()


def register(d: Derivation) -> None:
    """Register (or replace) a derivation; ingest stores it for every document it writes."""
    with _LOCK:
        _REGISTRY[d.name] = d


def derivations() -> list[Derivation]:
    """Every registered derivation."""
    with _LOCK:
        return list(_REGISTRY.values())


def source_version(*files: str | Path, extra: str = "") -> str:
    """A version for data derived by code in `files`: the hash of their text (and `extra`)."""
    h = hashlib.sha256(extra.encode())
    for f in files:
        p = Path(f)
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def derive_into(records: Any, doc_id: str, text: str) -> None:
    """Store every registered derivation of one document in `records` (a writable RecordStore)."""
    for d in derivations():
        records.put_derived(doc_id, d.name, d.version, d.derive(doc_id, text))


def refresh(records: Any) -> int:
    """Derive what is missing or stale for every document of `records`; returns the rows written."""
    n = 0
    for d in derivations():
        for doc_id in records.stale_derived(d.name, d.version):
            records.put_derived(doc_id, d.name, d.version, d.derive(doc_id, records.document_text(doc_id)))
            n += 1
    return n


def stale(records: Any) -> bool:
    """Whether any document lacks a current row of a registered derivation."""
    return any(records.stale_derived(d.name, d.version) for d in derivations())


# --- storage format ---------------------------------------------------------------------------------

def pack(parts: dict[str, np.ndarray | str]) -> bytes:
    """Arrays and strings as one blob: a JSON header line (name, kind, dtype, byte length), then
    the raw bytes of each part in order."""
    head, bufs = [], []
    for name, v in parts.items():
        if isinstance(v, str):
            b = v.encode("utf-8")
            head.append([name, "s", "", len(b)])
        else:
            a = np.ascontiguousarray(v)
            b = a.tobytes()
            head.append([name, "a", a.dtype.str, len(b)])
        bufs.append(b)
    return json.dumps(head).encode() + b"\n" + b"".join(bufs)


def unpack(blob: bytes) -> dict[str, np.ndarray | str]:
    """The parts `pack` stored (arrays are read-only views of the blob)."""
    nl = blob.index(b"\n")
    out: dict[str, np.ndarray | str] = {}
    pos = nl + 1
    mem = memoryview(blob)
    for name, kind, dtype, n in json.loads(blob[:nl]):
        chunk = mem[pos: pos + n]
        out[name] = bytes(chunk).decode("utf-8") if kind == "s" else np.frombuffer(chunk, dtype=np.dtype(dtype))
        pos += n
    return out

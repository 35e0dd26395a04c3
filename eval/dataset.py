"""Reading and validating an evaluation dataset (JSONL schema of ../shared/DESIGN.md).

Every problem is reported as one `DatasetError` line naming the file and the line number, so
`planqa eval` can print it without a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

TYPES = ("target", "stat", "project", "park", "aggregate", "narrative", "unanswerable")


class DatasetError(Exception):
    """A user-facing problem with a dataset file; str(e) is one line."""


def default_dataset() -> Path:
    """eval/data/dev.jsonl, resolved from this module's own location (works from any directory).

    Not `importlib.resources.files("eval")`: under pytest, tests/eval can shadow the `eval`
    package as a namespace package, and that would point at the wrong folder.
    """
    return Path(__file__).resolve().parent / "data" / "dev.jsonl"


def _check(obj: object, where: str) -> dict:
    if not isinstance(obj, dict):
        raise DatasetError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    for key, kind in (("id", str), ("question", str), ("answers", list)):
        if key not in obj:
            raise DatasetError(f"{where}: missing field {key!r}")
        if not isinstance(obj[key], kind):
            raise DatasetError(f"{where}: field {key!r} must be a {kind.__name__}")
    if not obj["id"].strip() or not obj["question"].strip():
        raise DatasetError(f"{where}: 'id' and 'question' must not be empty")
    if not all(isinstance(a, str) and a.strip() for a in obj["answers"]):
        raise DatasetError(f"{where}: 'answers' must be a list of non-empty strings")
    unanswerable = obj.get("unanswerable", obj.get("type") == "unanswerable")
    if not isinstance(unanswerable, bool):
        raise DatasetError(f"{where}: field 'unanswerable' must be true or false")
    kind = obj.get("type", "unanswerable" if unanswerable else "")
    if kind not in TYPES:
        raise DatasetError(f"{where}: field 'type' must be one of {', '.join(TYPES)} (got {kind!r})")
    evidence = obj.get("evidence") or ""
    if not isinstance(evidence, str):
        raise DatasetError(f"{where}: field 'evidence' must be a string")
    if not unanswerable and not obj["answers"]:
        raise DatasetError(f"{where}: an answerable item needs at least one entry in 'answers'")
    return {**obj, "type": kind, "unanswerable": unanswerable, "evidence": evidence, "doc": obj.get("doc", "")}


def load_dataset(path: Path) -> list[dict]:
    """The items of a JSONL dataset, validated; blank lines are skipped, ids must be unique."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: dataset file not found")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise DatasetError(f"{path}: cannot read dataset ({e})") from e
    items: list[dict] = []
    seen: set[str] = set()
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{no}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise DatasetError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from e
        item = _check(obj, where)
        if item["id"] in seen:
            raise DatasetError(f"{where}: duplicate id {item['id']!r}")
        seen.add(item["id"])
        items.append(item)
    if not items:
        raise DatasetError(f"{path}: the dataset has no items")
    return items

"""The evaluation suites: each a questions file scored against its own corpus.

| suite | questions | corpus | split by |
|---|---|---|---|
| seed | eval/data/dev.jsonl | data/corpus (the bundled plans) | question id |
| plans-dev | eval/data/plans-dev/questions.jsonl | eval/data/plans-dev/docs | question id |
| ncpqa-dev | eval/data/ncpqa-dev/questions.jsonl | eval/data/ncpqa-dev/docs | document |

(see eval/splits.py for the dev / holdout split).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Suite:
    name: str
    dataset: Path
    corpus: Path
    split_by_document: bool = False


SUITES: dict[str, Suite] = {
    s.name: s
    for s in (
        Suite("seed", DATA / "dev.jsonl", REPO / "data" / "corpus"),
        Suite("plans-dev", DATA / "plans-dev" / "questions.jsonl", DATA / "plans-dev" / "docs"),
        Suite("ncpqa-dev", DATA / "ncpqa-dev" / "questions.jsonl", DATA / "ncpqa-dev" / "docs", True),
    )
}


def resolve(names: str) -> list[Suite]:
    """`all` or a comma-separated list of suite names -> suites; ValueError names the choices."""
    if names == "all":
        return list(SUITES.values())
    picked = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in picked if n not in SUITES]
    if unknown or not picked:
        raise ValueError(f"unknown suite {', '.join(unknown) or names!r}; choose all or {', '.join(SUITES)}")
    return [SUITES[n] for n in picked]

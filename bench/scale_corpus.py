"""The corpora and question samples of bench/scale.py (built in its --workdir, never in the repository).

- 1×: the bundled corpus (data/corpus).
- real: 1× + eval/data/plans-dev/docs + eval/data/ncpqa-dev/docs (real text, ~10× by characters).
- 100×: real + synthetic documents up to TARGET_100X × the bundled characters: a title and whole
  real sections (heading + body) drawn at random from all real documents, so chunk texts repeat
  and the content-hashed embedding cache serves them.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "corpus"
EXTRA = [ROOT / "eval/data/plans-dev/docs", ROOT / "eval/data/ncpqa-dev/docs"]
TARGET_100X = 100  # × the bundled corpus's characters
SYNTH_SECTIONS = (12, 40)  # sections per synthetic document (min, max)
QUESTION_SAMPLE = 300  # questions at the larger sizes (1× answers the whole seed dev set)


def read_text(path: Path) -> int:
    from ingest.loaders import load

    try:
        return len(load(path).text)
    except Exception:
        return 0


def real_files(size: str) -> list[Path]:
    files = sorted(BUNDLED.iterdir())
    if size != "1x":
        for d in EXTRA:
            files += sorted(f for f in d.iterdir() if f.is_file())
    return files


def synthetic(out: Path, base: list[Path], target_chars: int, seed: int = 13) -> list[Path]:
    """Synthetic documents of whole real sections until the corpus reaches `target_chars`."""
    from ingest.pipeline import parse_document

    blocks: list[str] = []
    titles: list[str] = []
    have = 0
    for f in base:
        doc = parse_document(f)
        have += len(doc.text)
        titles.append(doc.title or f.stem)
        for s in doc.sections:
            body = doc.text[s.start : s.end].strip()
            # whole sections that open with their own heading and hold no table of contents: their
            # chunks come out as in the real document (measured: 99.4 % of chunk characters)
            if 40 <= len(body) <= 6000 and s.marker and body.startswith(s.marker) and "……" not in body:
                blocks.append(body)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    n = 0
    while have < target_chars:
        parts = rng.sample(blocks, rng.randint(*SYNTH_SECTIONS))
        text = f"合成文档{n:04d}：{rng.choice(titles)}\n\n" + "\n\n".join(parts) + "\n"
        path = out / f"synthetic-{n:04d}.txt"
        path.write_text(text, encoding="utf-8")
        made.append(path)
        have += len(text)
        n += 1
    return made


def corpus(size: str, work: Path) -> tuple[Path, int, int]:
    """A folder with the size's documents (symlinks to real files), its file and character counts."""
    folder = work / f"corpus-{size}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    base = real_files(size)
    for f in base:
        (folder / f.name).symlink_to(f)
    if size == "100x":
        bundled = sum(read_text(f) for f in sorted(BUNDLED.iterdir()))
        synthetic(folder, base, TARGET_100X * bundled)
    files = sorted(folder.iterdir())
    return folder, len(files), sum(read_text(f) for f in files)


def questions(size: str, work: Path) -> Path:
    """The seed dev set (1×), or a fixed sample of dev-split questions of all suites (larger sizes)."""
    from eval.splits import select

    def load(p: Path) -> list[dict]:
        return [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]

    seed = load(ROOT / "eval/data/dev.jsonl")
    if size == "1x":
        items = seed
    else:
        plans = select(load(ROOT / "eval/data/plans-dev/questions.jsonl"), "dev")
        ncp = select(load(ROOT / "eval/data/ncpqa-dev/questions.jsonl"), "dev", by_document=True)
        rng = random.Random(7)
        items = rng.sample(seed, 150) + rng.sample(plans, min(75, len(plans))) + rng.sample(ncp, 75)
        items = items[:QUESTION_SAMPLE]
    path = work / f"questions-{size}.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in items), encoding="utf-8")
    return path

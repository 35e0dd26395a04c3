"""A document's whitespace-free folded form and its offset map are built by copying runs of
characters that fold to themselves: the result equals the character-by-character definition."""

from __future__ import annotations

from array import array
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from assistant.cite import DocText
from assistant.numbers import fold

ROOT = Path(__file__).resolve().parents[2]


def _by_character(text: str) -> tuple[str, array]:
    chars, pos = [], array("i")
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        for f in fold(ch):
            if not f.isspace():
                chars.append(f)
                pos.append(i)
    return "".join(chars), pos


def test_bundled_and_suite_documents_map_as_character_by_character():
    files = sorted((ROOT / "data" / "corpus").glob("*.txt")) + sorted((ROOT / "eval/data/plans-dev/docs").glob("*.txt"))
    assert len(files) >= 3
    for f in files:
        text = f.read_text(encoding="utf-8")
        form, pos = DocText(text)._mapped
        assert (form, pos) == _by_character(text), f.name


@given(st.text(alphabet=st.sampled_from(list("规划２０２５年 \u3000\n\t（）()ＡＢab12％%。，,:：㎡①一二〇五年·\xa0-]^\\[")), max_size=80))
def test_any_text_maps_as_character_by_character(text):
    assert DocText(text)._mapped == _by_character(text)

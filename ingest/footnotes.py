"""Footnotes of PDF-extracted text: the note at a page bottom (`12013年 8月，…` for marker `1`)
is split from its marker and moved out of the paragraph that continues on the next page.
"""

from __future__ import annotations

import re

from ingest.line_shapes import RawLine, display_width, ends_sentence, looks_like_heading

# a footnote marker in body text: a small number right after a closing quote or CJK character
# and right before CJK text, e.g. “两先区”1建设
_MARKER = re.compile(r"(?<=[”」』）)\u4e00-\u9fff])(\d{1,2})(?=[\u4e00-\u9fff，。、；])")


def separate_footnotes(raws: list[RawLine], notes: list[str]) -> list[RawLine]:
    """Split `12013年…` into marker and note text when marker 1 was used on the same page.

    A marker is used once: each footnote consumes it, so later lines starting with the same
    digit (`10平方公里`) are left alone.
    """
    open_markers: dict[str, int] = {}  # marker -> page where it appeared in body text
    out = list(raws)
    i = 0
    while i < len(out):
        r = out[i]
        last_of_page = i + 1 >= len(out) or out[i + 1].page != r.page
        near_bottom = last_of_page or (i + 2 < len(out) and out[i + 2].page != r.page)
        note_marker = None
        if open_markers and near_bottom and not looks_like_heading(r.text):
            for mk in sorted(open_markers, key=len, reverse=True):
                rest = r.text[len(mk):]
                # after the marker comes text or a date (`12013年`); other digits mean the
                # line is a number that continues the paragraph (`10平方公里`)
                # a footnote never starts with 0 nor reads on with a unit (`0亿元` is a wrapped figure)
                if (r.text.startswith(mk) and rest and not mk.startswith("0")
                        and rest[0] not in "、.．)）%％亿万千百十元角家个项台件倍吨米度"
                        and (not rest[0].isdigit() or re.match(r"(19|20)\d\d\s*年", rest))
                        and open_markers[mk] >= r.page - 1 and display_width(rest) >= 10):
                    note_marker = mk
                    break
        if note_marker is None:
            for m in _MARKER.finditer(r.text):
                open_markers.setdefault(m.group(1), r.page)
            i += 1
            continue
        del open_markers[note_marker]
        r.text = f"{note_marker} {r.text[len(note_marker):].lstrip()}"
        notes.append(r.text)
        r.para_break = True
        prev = out[i - 1] if i > 0 else None
        if prev is not None and not ends_sentence(prev.text):
            # the paragraph above continues on the next page: move the note after its end
            del out[i]
            j = i
            while j < len(out) and j < i + 40 and not ends_sentence(out[j].text):
                j += 1
            j = min(j + 1, len(out))
            out.insert(j, r)
            if j + 1 < len(out):
                out[j + 1].para_break = True
            continue
        if i + 1 < len(out):
            out[i + 1].para_break = True
        i += 1
    return out

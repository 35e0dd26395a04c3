"""The document profile: what a document is, read from the document itself.

Every field (`ingest.model.DocumentProfile`) comes with the span it was read from, or is empty.
Sources, best first: the crawler header's fields (`ingest.chrome`), the file's own metadata title,
the 印发 notice (《…》 / 关于印发…的通知 / its issuer and 落款 date), the title lines of the body,
the meeting line of a report (`2026年1月26日在某省第十四届人民代表大会第五次会议上`), the speaker line
(`某省人民政府省长 某某`) and the headings (`一、2025年工作回顾`, `二、2026年主要目标`).
Nothing is guessed from a file name.
"""

from __future__ import annotations

import re

from ingest.model import DocumentProfile, Paragraph, ProfileField, Section

_FRONT = 3000  # characters of body text that hold a document's front matter
_MAX_TITLE = 80  # characters: a longer line is body text, not a title
_TITLE_WORDS = re.compile(r"(规划|方案|报告|纲要|计划|意见|办法|通知|决定|条例|实施细则|要点|建议|政策|措施|规定|公告|通告)$")
_YEARS_TAIL = re.compile(r"\s*[（(]\s*\d{4}\s*[-—–~～至到]{1,2}\s*\d{4}\s*年?\s*[）)]\s*$")
_TITLE_HEAD = re.compile(r"[\u4e00-\u9fff“”\"]{2,30}")
_ISSUER_END = re.compile(r"(政府|办公室|办公厅|委员会|人大|政协|局|厅|委|印发|通知|文件|规划|方案|报告|纲要)$")
_YEARS = re.compile(r"[（(]\s*\d{4}\s*[-—–~至]{1,2}\s*\d{4}\s*年?\s*[）)]")
_SALUTATION = re.compile(r"^(?:各.{1,60}|.{0,20})[:：]$")
_NOTICE = re.compile(r"^(?P<issuer>.{2,40}?)?关于印发(?P<title>.+?)(?:的)?通知$")
_NOTICE_IN = re.compile(r"关于印发[^。；：:，]{4,120}?的?通知")
_QUOTED = re.compile(r"《([^》]{4,80})》")
_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
_MEETING = re.compile(rf"(?P<date>{_DATE})\s*在\s*(?P<where>[^。]{{2,60}}?)会议上")
_ORG = r"(?:人民政府|办公厅|办公室|管理委员会|管委会|委员会|局|厅|委)"
_SIGNED = re.compile(rf"(?P<org>[\u4e00-\u9fff]{{2,30}}?{_ORG})\s*(?P<date>{_DATE})")
_DATE_ONLY = re.compile(rf"^\s*(?P<date>{_DATE})\s*$")
_SPEAKER = re.compile(rf"(?P<org>[\u4e00-\u9fff]{{2,24}}?(?:{_ORG}|省|市|县|区|州))\s*"
                      r"(?P<role>省长|市长|县长|区长|州长|主席|局长|主任|厅长)\s*(?P<name>[\u4e00-\u9fff]{2,4})")
# an administrative area or park at the start of a name: 某省 / 某市 / 某县 / 某综合实验区
_PLACE = re.compile(r"^(?:关于)?([\u4e00-\u9fff]{1,12}?(?:特别行政区|自治区|自治州|自治县|省|市|县|区|旗|盟|州))"
                    r"(?![际内外级域场民属])")  # 省际 市场 区域 are words, not a place's end
_NOT_PLACE = re.compile(r"[的与及对为年局部]|关于|发展|工作|规划|政策|上线|和(?!田|平|林|龙|顺|静)")
_MEETING_PLACE = re.compile(r"在\s*([\u4e00-\u9fff]{2,12}?(?:省|自治区|市|县|区|州))\s*第[一二三四五六七八九十\d]{1,4}届\s*人民代表大会")
_FYP = {"十一五": "2006-2010", "十二五": "2011-2015", "十三五": "2016-2020", "十四五": "2021-2025",
        "十五五": "2026-2030"}
_FYP_ORDINAL = {"十一": "十一五", "十二": "十二五", "十三": "十三五", "十四": "十四五", "十五": "十五五"}
_PERIOD = re.compile(r"(\d{4})\s*[-—–~～至到]{1,2}\s*(\d{4})\s*年")
_PLAN_TERM = re.compile(r"规划期(?:限)?\s*(?:为|是|[:：])?\s*(\d{4})\s*年?\s*[-—–~～至到]{1,2}\s*(\d{4})\s*年")
_REVIEW_HEAD = re.compile(r"(\d{4})\s*年.{0,16}?(?:工作回顾|工作总结|计划执行情况|执行情况|主要工作)")
_TARGET_HEAD = re.compile(r"(\d{4})\s*年.{0,16}?(?:主要目标|预期目标|目标任务|工作安排|重点工作|总体要求|工作任务|计划草案|计划安排)")
# doc_type by the title's last words, checked in this order
_DOC_TYPES: list[tuple[str, re.Pattern[str]]] = [
    ("政府工作报告", re.compile(r"政府工作报告")),
    ("计划执行情况报告", re.compile(r"计划.{0,4}执行情况")),
    ("规划建议", re.compile(r"规划(?:和.{0,20}目标)?的建议|规划建议")),
    ("规划纲要", re.compile(r"纲要")),
    ("建设方案", re.compile(r"建设方案")),
    ("行动计划", re.compile(r"行动(?:计划|方案)")),
    ("实施方案", re.compile(r"方案")),
    ("专项规划", re.compile(r"规划")),
]
# the kinds of document whose figures come with a measure and a period (plans, programmes, reports);
# anything else — a notice, a news item, a letter, a text without a title — is read as running prose
PLAN_DOC_TYPES: tuple[str, ...] = tuple(name for name, _ in _DOC_TYPES)


def read_profile(text: str, paragraphs: list[Paragraph], sections: list[Section], fields: dict[str, str],
                 title_hint: str | None = None, running_headers: list[str] | None = None) -> DocumentProfile:
    """The profile of a parsed document. `fields` are the crawler header's (`Chrome.fields`)."""
    first = sections[0].start if sections else len(text)
    front_paras = [p for p in paragraphs if p.start < max(first, 1)][:30] or paragraphs[:10]
    front = text[:_FRONT]
    prof = DocumentProfile()
    prof.title = _title(fields, title_hint, front_paras, paragraphs, running_headers or [])
    prof.issuer = _issuer(fields, prof.title, front, text)
    prof.date = _date(fields, front, paragraphs)
    prof.doc_type = _doc_type(prof.title)
    prof.place = _place(prof.title, prof.issuer, front)
    prof.period = _period(prof.title, prof.doc_type.value, front)
    if prof.doc_type.value in ("政府工作报告", "计划执行情况报告") or re.match(r"^\d{4}年.{0,30}计划", prof.title.value):
        prof.report_year, prof.review_year = _report_years(prof, sections, front)
    return prof


# --- title ------------------------------------------------------------------------------------


def _unwrap(t: str) -> str:
    """The document a notice publishes: 某局关于印发《X》的通知 → X; 关于印发X的通知 → X."""
    t = t.strip()
    m = re.search(r"印发\s*《([^》]{4,80})》", t)
    if m and re.search(r"通知$", t):
        return m.group(1)
    m = _NOTICE.match(t)
    return m.group("title") if m else t


def _titled(t: str) -> bool:
    return bool(_TITLE_WORDS.search(_YEARS_TAIL.sub("", t)))


def _title(fields: dict[str, str], hint: str | None, front: list[Paragraph], paragraphs: list[Paragraph],
           headers: list[str]) -> ProfileField:
    if fields.get("标题"):
        return ProfileField(_unwrap(fields["标题"]), f"标题: {fields['标题']}")
    if hint and len(hint) <= _MAX_TITLE:
        return ProfileField(_unwrap(_site_stripped(hint)), f"metadata title: {hint}")
    notice = next((m.group(0) for p in front if (m := _NOTICE_IN.search(p.text))), "")
    for p in front:
        if "印发" not in p.text and not _NOTICE.match(p.text.strip()):
            continue
        quoted = [m for m in _QUOTED.finditer(p.text) if _titled(m.group(1))]
        if len(quoted) > 1 and notice:
            return ProfileField(_unwrap(notice), notice)  # a notice publishing several texts names them all
        if quoted:
            return ProfileField(quoted[0].group(1), quoted[0].group(0))
    for h in headers:
        if 4 <= len(h) <= 60 and re.search(r"[\u4e00-\u9fff]", h) and _titled(h):
            return ProfileField(h, f"running header: {h}")
    lines = [re.sub(r"^#{1,6}\s+", "", p.text.strip()) for p in front]
    lines = [t for t in lines if not _SALUTATION.match(t)]
    for k, t in enumerate(lines):
        if 4 <= len(t) <= 60 and _titled(t):
            if _NOTICE.match(t):
                return ProfileField(_unwrap(t), t)
            # a cover page breaks a long title over lines: 某市国民经济和社会发展 / 第十四个五年规划纲要
            head = lines[k - 1] if k else ""
            if _TITLE_HEAD.fullmatch(head) and not _ISSUER_END.search(head) and len(head + t) <= 60:
                t = head + t
            tail = lines[k + 1] if k + 1 < len(lines) else ""
            t = t + tail if _YEARS.fullmatch(tail) and not _YEARS.search(t) else t
            return ProfileField(t, t)
    return _first_line_title(paragraphs)


def _site_stripped(hint: str) -> str:
    """An HTML <title> is often `document title - site name`: keep the part that reads as a title."""
    parts = [p for p in re.split(r"\s*(?:[_|｜]|\s[-—–]\s)\s*", hint) if p.strip()]
    titled = [p for p in parts if _titled(p)]
    return (titled or parts or [hint])[0].strip()


def _first_line_title(paragraphs: list[Paragraph]) -> ProfileField:
    """A web dump's first line: the title runs up to the first gap of spaces before the body."""
    for p in paragraphs[:10]:
        t = re.sub(r"^#{1,6}\s+", "", p.text.strip())
        if p.kind != "text" or not t or _SALUTATION.match(t):
            continue
        if len(t) <= 60:
            return ProfileField(t, t)
        m = re.match(r"^(\S.{3,78}?\S)(?:\s{2,}|\u3000)", t)
        if m is None:
            m = re.match(r"^(\S{4,60})\s", t)
        if m and not re.search(r"[，。；]$", m.group(1)):
            return ProfileField(m.group(1), m.group(1))
        return ProfileField()
    return ProfileField()


# --- issuer, date, place ----------------------------------------------------------------------


def _issuer(fields: dict[str, str], title: ProfileField, front: str, text: str) -> ProfileField:
    for key in ("发布机构", "发文机关"):
        if fields.get(key):
            return ProfileField(fields[key], f"{key}: {fields[key]}")
    for line in [fields.get("标题", ""), *front.split("\n")[:12]]:
        m = re.match(r"^\s*([\u4e00-\u9fff]{2,40}?)关于印发", line)
        if m and re.search(_ORG + "$", m.group(1)):
            return ProfileField(m.group(1), line.strip())
    m = _SPEAKER.search(front)
    if m:
        org = _org_only(m.group("org"))
        if not re.search(_ORG + "$", org):
            org += "人民政府"  # 某省省长 speaks for 某省人民政府
        return ProfileField(org, m.group(0))
    m = _SIGNED.search(front) or _SIGNED.search(text[-400:])
    if m:
        return ProfileField(_org_only(m.group("org")), m.group(0))
    return ProfileField()


def _org_only(org: str) -> str:
    """An organisation's name without the words a one-line text runs into it (`…会议上某省人民政府`)."""
    return re.sub(r"^.*(?:会议上|[日，。；：:])", "", org)


def _date(fields: dict[str, str], front: str, paragraphs: list[Paragraph]) -> ProfileField:
    m = _MEETING.search(front)
    if m:
        return ProfileField(_squeeze(m.group("date")), m.group(0))
    m = _SIGNED.search(front)
    if m:
        return ProfileField(_squeeze(m.group("date")), m.group(0)[len(m.group("org")) - len(_org_only(m.group("org"))):])
    for p in [*paragraphs[:30], *paragraphs[-5:]]:
        m = _DATE_ONLY.match(p.text)
        if m:
            return ProfileField(_squeeze(m.group("date")), p.text.strip())
    for key in ("发布时间", "发布日期", "成文日期"):
        if fields.get(key):
            return ProfileField(fields[key].split()[0], f"{key}: {fields[key]}")
    return ProfileField()


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _place_in(name: str) -> str:
    m = _PLACE.match(re.sub(r"^\d{4}\s*年", "", name.strip()))
    if m is None or _NOT_PLACE.search(m.group(1)) or len(m.group(1)) < 2:
        return ""
    return m.group(1)


def _place(title: ProfileField, issuer: ProfileField, front: str) -> ProfileField:
    # a news headline (重庆省际…) is no title of a document: only a titled name gives a place
    for f in ([title] if _titled(title.value) else []) + [issuer]:
        place = _place_in(f.value)
        if place:
            return ProfileField(place, f.source)
    m = _MEETING_PLACE.search(front)
    if m:
        return ProfileField(m.group(1), m.group(0))
    return ProfileField()


# --- type, period, report year ----------------------------------------------------------------


def _doc_type(title: ProfileField) -> ProfileField:
    t = _YEARS_TAIL.sub("", title.value)
    for name, pat in _DOC_TYPES:
        m = pat.search(t)
        if m:
            return ProfileField(name, title.value)
    return ProfileField("其他", title.value) if title.value else ProfileField()


def _period(title: ProfileField, doc_type: str, front: str) -> ProfileField:
    t = title.value
    m = _PERIOD.search(t)
    if m and m.group(1) < m.group(2):
        return ProfileField(f"{m.group(1)}-{m.group(2)}", m.group(0))
    m = re.search(r"十[一二三四五]五|第(十[一二三四五])个五年", t)
    if m:
        key = m.group(0) if m.group(1) is None else _FYP_ORDINAL[m.group(1)]
        return ProfileField(_FYP[key], m.group(0))
    m = _PLAN_TERM.search(front)
    if m and m.group(1) < m.group(2):
        return ProfileField(f"{m.group(1)}-{m.group(2)}", m.group(0))
    return ProfileField()


def _report_years(prof: DocumentProfile, sections: list[Section],
                  front: str) -> tuple[ProfileField, ProfileField]:
    """The year a report calls 今年 (its targets) and the year its review covers."""
    title = prof.title.value
    report = review = ProfileField()
    m = re.search(r"(\d{4})\s*年.{0,30}?执行情况\D{0,4}?(\d{4})\s*年", title)
    if m:
        return ProfileField(m.group(2), title), ProfileField(m.group(1), title)
    m = re.match(r"^\s*(\d{4})\s*年", title)
    if m:
        report = ProfileField(m.group(1), title)
    for s in sections:
        if s.level > 2:
            continue
        if not review.value and (h := _REVIEW_HEAD.search(s.title)):
            review = ProfileField(h.group(1), s.path.rsplit(" > ", 1)[-1])
        if not report.value and (h := _TARGET_HEAD.search(s.title)):
            report = ProfileField(h.group(1), s.path.rsplit(" > ", 1)[-1])
    if not report.value:
        meeting = _MEETING.search(front)
        if meeting:
            report = ProfileField(meeting.group("date")[:4], meeting.group(0))
    if report.value and not review.value:
        review = ProfileField(str(int(report.value) - 1), report.source)
    elif review.value and not report.value:
        report = ProfileField(str(int(review.value) + 1), review.source)
    return report, review

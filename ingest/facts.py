"""Targets and figures stated in prose become fact records (`ingest.model.FactRecord`).

「今年经济社会发展的主要预期目标是：地区生产总值增长5.5%左右，城镇新增就业85万人以上」 gives
(地区生产总值增长, 5.5, %, 左右) and (城镇新增就业, 85, 万人, 以上). A sentence is cut into clauses at
，；：; a clause's figures are a number with a unit from a known vocabulary; the measure is the
clause's words before the figure (a leading year, scope word or cue verb removed); a figure with no
words of its own (`57761亿元、增长5.5%`) takes the measure before it.

The year comes from the sentence (`到2025年`, `2024年全省…`, 今年 → the profile's report year), else from
the section headings (`二、2026年主要目标`, `“十四五”时期…`), else from the profile (report year or
period) — `year_source` says which. The kind (target or actual) comes from the sentence's cue words
(力争 / 目标 / 到2025年 vs 全年 / 比上年 / 初步统计), else the headings' (目标 / 任务 vs 回顾 / 成就),
else the year against the report year or plan period.
"""

from __future__ import annotations

import re

from ingest.model import DocumentProfile, FactRecord, Paragraph, Section

# units a figure is printed with, longest first so 万亿元 wins over 亿元
_UNITS = sorted("""% ‰ 个百分点 百分点 万亿元 亿元 万元 元 美元 亿美元 万美元 元/人 元/年 万人次 亿人次 人次 万人 人 万户 户
万吨标准煤 吨标准煤 万吨 吨 亿千瓦时 万千瓦时 千瓦时 万千瓦 千瓦 兆瓦 吉瓦 公里 千米 平方公里 万平方米 平方米 万亩 亩 公顷 万公顷
个 家 项 所 张 床 天 岁 倍 辆 万辆 座 条 套 台 件 次 立方米 万立方米 亿立方米 微克/立方米 毫克/立方米 万标箱 标箱 艘 架次
列 万列 个点 名 位 栋 处 间 株 只 头 斤 亿斤 万斤 公斤 吨/日 万家 万个 万名 万套 万台 万件 万项 万所 万张 万条 万座
万间 万头 万只 亿只 亿件 万公里 万千米 万辆 万人次 万户 万亩 万标准箱 万TEU TEU GW MW""".split(), key=len, reverse=True)
_NUM = r"[-−]?\d+(?:[,，]\d{3})*(?:\.\d+)?"
_UNIT = "|".join(re.escape(u) for u in _UNITS)
_PRE_QUAL = r"超过|超|突破|不低于|不少于|不超过|不高于|低于|高于|力争达到|约|近|≥|≤|＞|＜|>|<"
_POST_QUAL = r"左右|以上|以内|以下|上下|之内|内|多|余"
_FIGURE = re.compile(
    rf"(?P<pre>{_PRE_QUAL})?\s*(?P<value>{_NUM}(?:\s*(?:{_UNIT})?\s*[-—–～~至到]\s*{_NUM})?)\s*"
    rf"(?P<unit>{_UNIT})(?P<post>{_POST_QUAL})?")
_CLAUSE = re.compile(r"[^，；：:。！？;,]+")
_SENTENCE = re.compile(r"[^。！？；;]+[。！？；;]?")
# words before a measure that are not part of it: years, scope, cue verbs
_LEAD = re.compile(
    r"^(?:(?:其中|同时|此外|全年|初步统计|预计|力争|确保|争取|努力|推动|实现|完成|新增(?=\d)|主要预期目标是|主要目标是|目标是)"
    r"|(?:到|至|截至|在)?\s*\d{4}\s*年(?:底|末|前)?|今年|去年|上年|过去一年|“?十[一二三四五]五”?(?:期间|末|时期)?"
    r"|全(?:省|市|区|县|州|国)|[，、\s])+")
_TRAIL = re.compile(r"(?:达到了|达到|达|为|是|突破|超过|保持在|控制在|稳定在|提高到|提升到|降低到|下降到|增加到|增至|降至|提高至|"
                    r"扩大至|扩大到|累计|分别|共|约|近|超|年均|均|预计|预期|计划完成|计划|完成|从|由)+$")
_MAX_MEASURE = 24  # characters: a longer run before a figure is a sentence, not a measure's name
_TARGET_CUE = re.compile(r"目标|预期|力争|确保|争取|到\s*\d{4}\s*年|(?:^|[，；])将|计划|预计|规划|要(?:求)?(?:达到|实现|控制)")
_ACTUAL_CUE = re.compile(r"全年|初步统计|比上年|同比|较上年|比\d{4}年|累计(?:完成|实现)|过去(?:一|五)年|已(?:经)?|完成了|实现了|"
                         r"达到了|增长了|下降了")
_GOAL_CUE = re.compile(r"到\s*\d{4}\s*年|力争|目标|确保|争取")
_RESULT_CUE = re.compile(r"初步统计|比上年|同比|较上年|累计完成|完成了|实现了|增长了|下降了|已经|已达|达到了")
_TARGET_HEAD = re.compile(r"目标|任务|安排|重点工作|今年|计划草案|展望|远景")
_ACTUAL_HEAD = re.compile(r"回顾|成就|成绩|成效|执行情况|基础|现状|总结|进展|主要工作")
# a year the sentence is about (`到2025年`), not a base year it compares with (`比2020年`)
_YEAR = re.compile(r"(?<![比较与同])(?:到|至|截至|在|于)?\s*(?<!\d)(\d{4})\s*年(?!\d)")
_FYP = {"十一五": "2006-2010", "十二五": "2011-2015", "十三五": "2016-2020", "十四五": "2021-2025", "十五五": "2026-2030"}


def extract_facts(doc_id: str, paragraphs: list[Paragraph], sections: list[Section], owner: list[int | None],
                  profile: DocumentProfile) -> list[FactRecord]:
    """Fact records of every text paragraph, in document order."""
    out: list[FactRecord] = []
    plan_from = _plan_part(paragraphs, sections, owner, profile)
    for para, own in zip(paragraphs, owner, strict=True):
        if para.kind != "text" or not re.search(r"\d", para.text):
            continue
        section = sections[own] if own is not None else None
        if section is not None and section.start == para.start and len(para.text) <= 60:
            continue  # a heading line names a topic, it states no figure
        path = section.path if section else ""
        if _NOTES.match(path):
            continue  # a glossary explains terms; its figures are no facts of the document
        part = None if plan_from is None else ("plan" if para.start >= plan_from else "review")
        for m in _SENTENCE.finditer(para.text):
            out.extend(_sentence_facts(doc_id, para, m.start(), m.group(), path, profile, part))
    return out


_NOTES = re.compile(r"^(?:名词解释|名词注释|术语解释|注释|附注|尾注)(?: > |$)")
_PLAN_SENTENCE = re.compile(r"今年.{0,20}?(?:主要)?(?:预期)?目标|主要预期目标|今年(?:政府)?(?:的)?工作|总体要求")


def _plan_part(paragraphs: list[Paragraph], sections: list[Section], owner: list[int | None],
               profile: DocumentProfile) -> int | None:
    """Where a report turns from its review to its plan for the report year: the top-level section
    holding the first 今年…目标 / 主要预期目标 sentence, or a heading naming the report year."""
    year = profile.report_year.value
    if not year:
        return None
    for s in sections:
        if s.level == 1 and re.search(rf"{year}\s*年|今年", s.title) and not re.search(r"回顾|执行情况", s.title):
            return s.start
    for para, own in zip(paragraphs, owner, strict=True):
        if para.kind == "text" and _PLAN_SENTENCE.search(para.text):
            top = sections[own] if own is not None else None
            while top is not None and top.parent_id is not None:
                top = next((s for s in sections if s.id == top.parent_id), None)
            return top.start if top is not None else para.start
    return None


_REVIEW_HEADING = re.compile(r"回顾|过去一年|主要成绩|成效|执行情况")


def _sentence_facts(doc_id: str, para: Paragraph, at: int, sent: str, path: str,
                    profile: DocumentProfile, part: str | None) -> list[FactRecord]:
    if not _FIGURE.search(sent):
        return []
    year, source = _sentence_year(sent, profile)
    if not year:
        year, source = _heading_year(path, profile)
    if not year and part is not None:
        year, source = (profile.report_year.value if part == "plan" else profile.review_year.value), "profile"
    if not year and part is None and profile.review_year.value and _REVIEW_HEADING.search(path):
        # a report whose plan part is not found (cut short, unusual headings): its review sections
        # (…取得新成效, 工作回顾) still state the review year's figures, not the report year's
        year, source = profile.review_year.value, "profile"
    if not year:
        year = profile.report_year.value or profile.period.value
        source = "profile" if year else "none"
    kind = _kind(sent, path, year, profile, part)
    out: list[FactRecord] = []
    last = ("", "", "")
    for c in _CLAUSE.finditer(sent):
        for sub in re.split(r"、(?=(?:增长|下降|提高|增加|减少|比上年|同比)?\s*[-−]?\d)", c.group()):
            offset = at + c.start() + c.group().find(sub)
            last = _clause_facts(sub, offset, last, para, out, doc_id, year or None, source, kind, path, profile)
    return out


_VERB = r"增长|下降|提高|增加|减少|降低|提升|上涨|涨幅"
_COUNTERS = set("个 家 项 所 张 条 套 台 件 次 座 辆 艘 名 位 栋 处 间 株 只 头 户 列 万个 万家 万名 万套 万台 万件 万项".split())
_ACT = re.compile(r"^(?:新增|新建|新开工|建成|建设|实施|完成|发布|出台|引进|培育|认定|新认定|开工|改造|新改扩建|打造|创建|"
                  r"累计|争取|推动|招引|签约|落地|获批|新获批|设立|组建|支持|带动|拉动|吸引|帮助|救助|培训|覆盖|解决)$")


def _clause_facts(clause: str, offset: int, last: tuple[str, str, str], para: Paragraph, out: list[FactRecord],
                  doc_id: str, year: str | None, source: str, kind: str, path: str,
                  profile: DocumentProfile) -> tuple[str, str, str]:
    """Facts of one clause; `last` is (measure, its verb, unit) of the figure before, for figures that
    print no words of their own (`57761亿元、增长5.5%`, `分别增长4.6%、6.7%`)."""
    pos = 0
    figures = [f for f in _FIGURE.finditer(clause) if not _is_year_or_date(clause, f)]
    for n, f in enumerate(figures):
        words = clause[pos:f.start()]
        measure = _measure(words)
        tail = ""
        verb = re.search(rf"({_VERB})$", measure)
        base = measure[:verb.start()] if verb else measure
        if re.fullmatch(r"年均|平均|同比|比上年|较上年|分别", base) and last[0] and verb:
            measure = last[0] + measure  # `…亿元，年均增长7.1%`: the growth of the figure before
        elif not base and last[0] and (verb or f.group("unit") == last[2]):
            measure = last[0] + (verb.group(1) if verb else last[1])
        elif _ACT.match(measure) or (verb and not base) or f.group("unit") in _COUNTERS:
            # 实施2205项省重点技改项目: the counted thing follows the figure
            nxt = figures[n + 1].start() if n + 1 < len(figures) else len(clause)
            tail = re.match(r"[^、，]*?(?=开展|进行|实施|推进|参加|的|$|[、，])", clause[f.end():nxt]).group().strip()
            if re.search(r"(?:达到|达|为|超过|突破|让|使)$|[“”]", tail):
                tail = ""  # `203个断面水质优良率达…`: the words after the count belong to the next figure
            if 2 <= len(tail) <= _MAX_MEASURE - len(measure):
                measure += tail
            elif f.group("unit") not in _COUNTERS or _ACT.match(measure):
                measure = ""
            tail = tail if measure.endswith(tail) else ""
        if not _good_measure(measure):
            pos = f.end()
            continue
        verb = re.search(rf"({_VERB})$", measure)
        last = (measure[:verb.start()] if verb else measure, verb.group(1) if verb else "", f.group("unit"))
        lead = len(words) - len(words.lstrip("、，；： \u3000"))
        start = para.start + offset + (pos + lead if words.strip() else f.start())
        end = para.start + offset + f.end() + (clause[f.end():].find(tail) + len(tail) if tail else 0)
        value = re.sub(rf"\s*(?:{_UNIT})\s*(?=[-—–～~至到])", "", f.group("value"))
        out.append(FactRecord(
            doc_id=doc_id, measure=measure, value=re.sub(r"\s+", "", value), unit=f.group("unit"),
            qualifier=f.group("post") or f.group("pre") or None, year=year, year_source=source, kind=kind,
            place=profile.place.value or None, section=path, page=para.page_at(start - para.start),
            quote=para.text[start - para.start:end - para.start], start=start, end=end))
        pos = f.end() + (len(tail) if tail else 0)
    return last


def _is_year_or_date(clause: str, f: re.Match[str]) -> bool:
    """`2025年` `3月` are times, not figures: a 4-digit value with unit 年, or a date."""
    if f.group("unit") == "年" and re.fullmatch(r"\d{4}", f.group("value")):
        return True
    return bool(re.match(r"\s*(?:月|日|号|时)", clause[f.end():]))


def _measure(words: str) -> str:
    w = _LEAD.sub("", words.strip())
    w = _TRAIL.sub("", w).strip("，、：: “”")
    return re.sub(r"分别(?=(?:" + _VERB + r")?$)|分别达|(?:扩大|提高|增长|下降|提升|增加)[至到]$", "", w)


def _good_measure(m: str) -> bool:
    return (2 <= len(m) <= _MAX_MEASURE and bool(re.search(r"[\u4e00-\u9fff]{2}|[A-Z]{2,}", m))
            and not re.match(r"^[\d.%是为有和与及并等]", m) and not re.search(r"[。！？]|以下$|对$", m))


def _sentence_year(sent: str, profile: DocumentProfile) -> tuple[str, str]:
    m = _YEAR.search(sent)
    if m:
        return m.group(1), "sentence"
    m = re.search(r"十[一二三四五]五", sent)
    if m and re.search(r"十[一二三四五]五”?(?:期间|末|时期|规划)", sent):
        return _FYP[m.group(0)], "sentence"
    if "今年" in sent and profile.report_year.value:
        return profile.report_year.value, "profile"
    if re.search(r"去年|上年末|过去一年", sent) and profile.review_year.value:
        return profile.review_year.value, "profile"
    return "", ""


def _heading_year(path: str, profile: DocumentProfile) -> tuple[str, str]:
    for head in reversed(path.split(" > ") if path else []):
        m = re.search(r"(\d{4})\s*年", head)
        if m:
            return m.group(1), "heading"
        m = re.search(r"十[一二三四五]五", head)
        if m:
            return _FYP[m.group(0)], "heading"
        if "今年" in head and profile.report_year.value:
            return profile.report_year.value, "profile"
    return "", ""


def _kind(sent: str, path: str, year: str, profile: DocumentProfile, part: str | None = None) -> str:
    first_year = int(year[:4]) if year[:4].isdigit() else None
    report = int(profile.report_year.value) if profile.report_year.value.isdigit() else None
    start = int(profile.period.value[:4]) if profile.period.value[:4].isdigit() else None
    if first_year is not None and ((report and first_year < report) or (start and first_year < start)):
        return "actual"
    if report and first_year is not None and first_year > report:
        return "target"  # a report's figure for a later year (到2030年) is a goal
    if part is not None:
        return "target" if part == "plan" else "actual"
    if start and not report and first_year is not None and first_year >= start:
        # a plan's figure for its own period is a goal unless the sentence reports a result
        return "actual" if _RESULT_CUE.search(sent) and not _GOAL_CUE.search(sent) else "target"
    if _TARGET_CUE.search(sent) and not _ACTUAL_CUE.search(sent):
        return "target"
    if _ACTUAL_CUE.search(sent):
        return "actual"
    for head in reversed(path.split(" > ") if path else []):
        if _TARGET_HEAD.search(head):
            return "target"
        if _ACTUAL_HEAD.search(head):
            return "actual"
    return "target" if first_year is not None and (report or start) else "actual"

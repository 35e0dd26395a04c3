"""General abbreviations of government Chinese and their full forms (规上 → 规模以上, GDP → 地区生产总值).

A module of its own because the question analyser, the sentence scorer, the indicator matcher and
the row index all write abbreviations out the same way, and none of them needs the rest of the
learned vocabulary to do so. Every entry is true of government texts in general.
"""

from __future__ import annotations

import functools

from assistant.numbers import match_form

# General abbreviations of government Chinese → full forms, applied to the matching copy of a
# question. Every entry is true of government texts in general (statistical terms, common short
# forms); none names an indicator, park or wording of a particular document.
SYNONYMS: list[tuple[str, str]] = [
    ("规上", "规模以上"),
    ("规模工业", "规模以上工业"),
    ("高企", "高新技术企业"),
    ("高新企业", "高新技术企业"),
    # R&D intensity is, by the statistical definition, R&D expenditure as a share of GDP
    ("R&D经费投入强度", "R&D经费支出占地区生产总值比重"),
    ("研发经费投入强度", "R&D经费支出占地区生产总值比重"),
    ("研发投入强度", "R&D经费支出占地区生产总值比重"),
    ("R&D投入强度", "R&D经费支出占地区生产总值比重"),
    ("R&D强度", "R&D经费支出占地区生产总值比重"),
    ("研发强度", "R&D经费支出占地区生产总值比重"),
    ("研发投入占GDP比重", "R&D经费支出占地区生产总值比重"),
    ("研究与试验发展", "R&D"),
    ("研发经费", "R&D支出"),
    ("研发支出", "R&D支出"),
    ("研发投入", "R&D支出"),
    ("R&D经费", "R&D支出"),
    ("R&D投入", "R&D支出"),
    ("万元工业增加值", "单位工业增加值"),
    ("万元地区生产总值", "单位地区生产总值"),
    ("万元GDP", "单位地区生产总值"),
    ("万元工业产值", "单位工业产值"),
    ("万元产值", "单位产值"),
    ("单位GDP", "单位地区生产总值"),
    ("能耗强度", "单位地区生产总值能耗"),
    ("GDP", "地区生产总值"),
    ("国内生产总值", "地区生产总值"),
    ("社零", "社会消费品零售总额"),
    ("PM2.5", "细颗粒物(PM2.5)"),
    ("细颗粒物", "细颗粒物(PM2.5)"),
    ("外贸", "外贸进出口"),
    ("进出口额", "进出口总额"),
    ("营收", "营业收入"),
    ("固投", "固定资产投资"),
    ("固废", "固体废物"),
]


@functools.lru_cache(maxsize=65536)
def expand_synonyms(q: str) -> str:
    """The question with general abbreviations written out (规上 → 规模以上)."""
    out = q
    for short, full in sorted(SYNONYMS, key=lambda p: -len(p[0])):
        sf, ff = match_form(short), match_form(full)
        if sf in out and ff not in out:
            out = out.replace(sf, ff)
    return out

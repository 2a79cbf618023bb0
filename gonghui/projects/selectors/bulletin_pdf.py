"""A bulletin issue laid out as the university's bulletins are (the 2021-11-09 issue): a red
masthead, the publisher and the date over a red rule, the column line 【…】, the series with
its issue number in Chinese numerals and the title (我为群众办实事（四）——校工会：), the bold
subtitle, then the sections, each a heading and its paragraphs; "- N -" at the foot of each
page. The page (templates/projects/bulletins/bulletin.html) and the PDF (WeasyPrint, A4
portrait, Noto CJK) print the same `BulletinLayout`.

A published issue prints its frozen figures; a draft prints the live ones, as a preview marked
草稿 (a withdrawn issue: 已撤回)."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gonghui.projects.choices import BulletinStatus
from gonghui.projects.models import Bulletin
from gonghui.projects.selectors.bulletins import RenderedSection, bulletin_render

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五, 110 → 一百一十 (1–9999; other
    numbers, and any number when the page is not in Chinese, in figures)."""
    if not 0 < number < 10000 or not (get_language() or "zh").startswith("zh"):
        return str(number)
    text, rest, gap = "", number, False
    for value, unit in _UNITS:
        digit, rest = divmod(rest, value)
        if digit:
            if gap and text:
                text += "零"
            # 十一, not 一十一, when the number starts with its tens
            text += ("" if (value == 10 and digit == 1 and not text) else _DIGITS[digit]) + unit
            gap = False
        elif text:
            gap = True
    if rest:
        text += ("零" if gap and text else "") + _DIGITS[rest]
    return text


def date_text(bulletin: Bulletin) -> str:
    day = bulletin.date
    return _("%(y)s 年 %(m)s 月 %(d)s 日") % {"y": day.year, "m": day.month, "d": day.day}


def _masthead(bulletin: Bulletin) -> str:
    from gonghui.people.models import Union

    if bulletin.series.masthead:
        return bulletin.series.masthead
    union = Union.objects.order_by("pk").only("name").first()
    return _("%(union)s简报") % {"union": union.name} if union is not None else _("工会简报")


def title_line(bulletin: Bulletin) -> str:
    """我为群众办实事（四）——校工会：the series, the issue number in Chinese numerals, the title."""
    return _("%(series)s（%(no)s）——%(title)s") % {
        "series": bulletin.series.name,
        "no": chinese_numeral(bulletin.issue_no),
        "title": bulletin.title,
    }


@dataclass(frozen=True)
class BulletinLayout:
    masthead: str  # 示范大学工会简报, in red
    publisher: str  # the series' publisher, left of the date
    date: str  # 2021 年 11 月 9 日
    column: str  # 【贸大要闻】 (blank: no column line)
    title_line: str  # 我为群众办实事（四）——校工会：
    subtitle: str
    sections: list[RenderedSection]
    watermark: str  # "" for a published issue; 草稿 / 已撤回 otherwise


def bulletin_layout(bulletin: Bulletin) -> BulletinLayout:
    """The issue as it prints: frozen figures once published, live ones in a draft."""
    marks: dict[str, str] = {BulletinStatus.DRAFT: _("草稿"), BulletinStatus.WITHDRAWN: _("已撤回")}
    watermark = marks.get(bulletin.status, "")
    return BulletinLayout(
        masthead=_masthead(bulletin),
        publisher=bulletin.series.publisher,
        date=date_text(bulletin),
        column=bulletin.column,
        title_line=title_line(bulletin),
        subtitle=bulletin.subtitle,
        sections=bulletin_render(bulletin),
        watermark=watermark,
    )


def bulletin_pdf(bulletin: Bulletin, layout: BulletinLayout | None = None) -> bytes:
    """The issue as an A4 PDF (WeasyPrint, Noto CJK), page numbers "- N -" at the foot."""
    from weasyprint import HTML

    html = render_to_string(
        "projects/bulletins/bulletin_pdf.html", {"layout": layout or bulletin_layout(bulletin), "bulletin": bulletin}
    )
    return HTML(string=html).write_pdf()


def bulletin_pdf_filename(bulletin: Bulletin) -> str:
    return _("%(series)s第%(no)s期.pdf") % {"series": bulletin.series.name, "no": bulletin.issue_no}


__all__ = [
    "BulletinLayout",
    "bulletin_layout",
    "bulletin_pdf",
    "bulletin_pdf_filename",
    "chinese_numeral",
    "title_line",
]

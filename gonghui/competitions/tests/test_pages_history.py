"""The history page (历届统计, `/competitions/history/`) and an edition's report page (统计报表,
`/competitions/<pk>/report/`) on the small history of history_scenario.py, through the test
client: what each shows (exactly), their charts, their .xlsx read back cell by cell, and who
gets them (the editions' readers; a member 403; an edition one may not see 404)."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.competitions.tests.history_scenario import history_world
from tests.charts import page_charts

ECON, LAW = "经济学院分工会", "法学院分工会"
BEIJING_TITLES = [f"第{n}届北京高校青年教师教学基本功比赛" for n in ("十", "十一", "十二", "十三")]
HISTORY_URL = "/competitions/history/"


@pytest.fixture
def h(w, clock):
    return history_world(w, clock)


def _as(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _section(html: str, testid: str) -> str:
    """The <section> marked data-testid=testid."""
    start = html.index(f'data-testid="{testid}"')
    start = html.rfind("<section", 0, start)
    return html[start : html.index("</section>", start)]


def _rows(html: str, testid: str) -> list[str]:
    """The text of each element marked data-testid=testid, tags removed, spaces squeezed."""
    found = []
    for match in re.finditer(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>', html):
        name = match.group(1)
        body = html[match.end() : html.index(f"</{name}>", match.end())]
        found.append(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip())
    return found


def _one(html: str, testid: str) -> str:
    (found,) = _rows(html, testid)
    return found


def _xlsx(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def report_url(competition) -> str:
    return reverse("competitions:report", args=[competition.pk])


BEIJING_CHART = {
    "kind": "line",
    "title": "北京高校青教赛历届我校参赛人数",
    "format": "number",
    "categories": ["第十届（2017）", "第十一届（2019）", "第十二届（2021）", "第十三届（2023）"],
    "series": [{"name": "参赛人数", "data": [None, 30, 3, 0]}],
}


# --- the history page ---------------------------------------------------------------------------


def test_the_office_reads_every_edition_by_level_with_the_totals(client, w, h):
    assert reverse("competitions:history_overview") == HISTORY_URL
    listing = _text(_as(client, w.office).get(reverse("competitions:list")))
    assert f'href="{HISTORY_URL}" data-testid="history-overview-link"' in listing and "历届统计" in listing
    html = _text(client.get(HISTORY_URL))
    assert "<h1>青年教师教学基本功比赛历届统计</h1>" in html
    assert html.index('data-testid="level-university"') < html.index('data-testid="level-beijing"')
    assert 'data-testid="level-college"' not in html and 'data-testid="level-national"' not in html

    school = _section(html, "level-university")
    assert _one(school, "level-totals") == "举办 2 届，参赛 2 届，3 人次 · 获奖 6 项"
    assert _rows(school, "edition-line") == [
        "第三届 2021 参赛 3 获奖 6 项 "
        f"人文科学类A组一等奖 赵一（{ECON}） 人文科学类A组二等奖 周四（{LAW}） 人文科学类A组三等奖 孙三（{ECON}） "
        f"最佳教案奖 赵一（{ECON}） 最佳现场展示奖 赵一（{ECON}） 优秀指导教师奖 郑师（{LAW}） 第三届青年教师教学基本功比赛",
        "第四届 2023 参赛 0 — 第四届青年教师教学基本功比赛",
    ]
    beijing = _section(html, "level-beijing")
    assert _one(beijing, "level-totals") == "举办 4 届，参赛 3 届，33 人次 · 获奖 2 项"
    assert _rows(beijing, "edition-line") == [
        f"第十届 2017 未参赛 — — {BEIJING_TITLES[0]}",
        f"第十一届 2019 参赛 30 （档案记载） 获奖 1 项 人文科学类A组二等奖 郑师（{LAW}） {BEIJING_TITLES[1]}",
        f"第十二届 2021 参赛 3 获奖 1 项 人文科学类A组一等奖 赵一（{ECON}） {BEIJING_TITLES[2]}",
        f"第十三届 2023 参赛 0 — {BEIJING_TITLES[3]}",
    ]
    assert f'href="{reverse("competitions:detail", args=[h.b2019.pk])}">{BEIJING_TITLES[1]}</a>' in beijing


def test_the_office_reads_each_college_and_the_later_achievements_with_the_charts(client, w, h):
    html = _text(_as(client, w.office).get(HISTORY_URL))
    colleges = _section(html, "colleges")
    assert _rows(colleges, "college-line") == [f"{LAW} 3 3", f"{ECON} 3 5"]
    assert _rows(colleges, "college-editions") == [
        f"{LAW}历届参赛和获奖 北京市第十一届（2019） 参赛：郑师 获奖：人文科学类A组二等奖 郑师 "
        "校级第三届（2021） 参赛：周四 获奖：人文科学类A组二等奖 周四、优秀指导教师奖 郑师 "
        "北京市第十二届（2021） 参赛：周四",
        f"{ECON}历届参赛和获奖 校级第三届（2021） 参赛：赵一、孙三 "
        "获奖：人文科学类A组一等奖 赵一、人文科学类A组三等奖 孙三、最佳教案奖 赵一、最佳现场展示奖 赵一 "
        "北京市第十二届（2021） 参赛：赵一 获奖：人文科学类A组一等奖 赵一",
    ]
    later = _section(html, "later")
    # 郑师 competed at Beijing in 2019 and coached the 2021 winner; 赵一 won in 2021 and judges in 2023
    assert _rows(later, "later-name") == ["郑师 2019年首次参赛", "赵一 2021年首次参赛"]
    assert _rows(later, "part") == [
        "北京市第十一届（2019） 参赛（人文科学类A组）：人文科学类A组二等奖",
        "校级第三届（2021） 指导教师（指导 赵一）：优秀指导教师奖 参赛之后",
        "北京市第十二届（2021） 指导教师（指导 赵一） 参赛之后",
        "校级第三届（2021） 参赛（人文科学类A组）：人文科学类A组一等奖、最佳教案奖、最佳现场展示奖",
        "北京市第十二届（2021） 参赛（人文科学类A组）：人文科学类A组一等奖",
        "校级第四届（2023） 评委（人文科学类A组） 参赛之后",
    ]
    assert page_charts(html) == {
        "history": BEIJING_CHART,
        "prizes": {
            "kind": "bar",
            "title": "各单位历届获奖（项）",
            "format": "number",
            "categories": [ECON, LAW],
            "series": [{"name": "获奖", "data": [5, 3]}],
        },
    }


def test_the_history_as_xlsx(client, w, h):
    response = _as(client, w.office).get(HISTORY_URL, {"export": "xlsx"})
    rows = _xlsx(response)
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote('青教赛历届统计.xlsx')}"
    university, beijing = "第三届（2021）", "第十二届（2021）"
    assert rows == [
        ("类别", "项目", "数值"),
        ("校级", "举办届数", 2),
        ("校级", "参赛届数", 2),
        ("校级", "参赛人次", 3),
        ("校级", "获奖（项）", 6),
        ("校级", university, 3),
        ("校级", "第四届（2023）", 0),
        ("校级获奖", f"{university} 人文科学类A组一等奖", f"赵一（{ECON}）"),
        ("校级获奖", f"{university} 人文科学类A组二等奖", f"周四（{LAW}）"),
        ("校级获奖", f"{university} 人文科学类A组三等奖", f"孙三（{ECON}）"),
        ("校级获奖", f"{university} 最佳教案奖", f"赵一（{ECON}）"),
        ("校级获奖", f"{university} 最佳现场展示奖", f"赵一（{ECON}）"),
        ("校级获奖", f"{university} 优秀指导教师奖", f"郑师（{LAW}）"),
        ("北京市", "举办届数", 4),
        ("北京市", "参赛届数", 3),
        ("北京市", "参赛人次", 33),
        ("北京市", "获奖（项）", 2),
        ("北京市", "第十届（2017）", "未参赛"),
        ("北京市", "第十一届（2019）", 30),
        ("北京市", beijing, 3),
        ("北京市", "第十三届（2023）", 0),
        ("北京市获奖", "第十一届（2019） 人文科学类A组二等奖", f"郑师（{LAW}）"),
        ("北京市获奖", f"{beijing} 人文科学类A组一等奖", f"赵一（{ECON}）"),
        ("各单位参赛（人次）", LAW, 3),
        ("各单位参赛（人次）", ECON, 3),
        ("各单位获奖（项）", LAW, 3),
        ("各单位获奖（项）", ECON, 5),
        (LAW, "北京市第十一届（2019）参赛", "郑师"),
        (LAW, "北京市第十一届（2019）获奖", "人文科学类A组二等奖 郑师"),
        (LAW, f"校级{university}参赛", "周四"),
        (LAW, f"校级{university}获奖", "人文科学类A组二等奖 周四、优秀指导教师奖 郑师"),
        (LAW, f"北京市{beijing}参赛", "周四"),
        (ECON, f"校级{university}参赛", "赵一、孙三"),
        (
            ECON,
            f"校级{university}获奖",
            "人文科学类A组一等奖 赵一、人文科学类A组三等奖 孙三、最佳教案奖 赵一、最佳现场展示奖 赵一",
        ),
        (ECON, f"北京市{beijing}参赛", "赵一"),
        (ECON, f"北京市{beijing}获奖", "人文科学类A组一等奖 赵一"),
        ("参赛后指导或担任评委", "郑师 北京市第十一届（2019）", "参赛（人文科学类A组）：人文科学类A组二等奖"),
        ("参赛后指导或担任评委", f"郑师 校级{university}", "指导教师（赵一）：优秀指导教师奖"),
        ("参赛后指导或担任评委", f"郑师 北京市{beijing}", "指导教师（赵一）"),
        (
            "参赛后指导或担任评委",
            f"赵一 校级{university}",
            "参赛（人文科学类A组）：人文科学类A组一等奖、最佳教案奖、最佳现场展示奖",
        ),
        ("参赛后指导或担任评委", f"赵一 北京市{beijing}", "参赛（人文科学类A组）：人文科学类A组一等奖"),
        ("参赛后指导或担任评委", "赵一 校级第四届（2023）", "评委（人文科学类A组）"),
    ]


def test_who_reads_the_history(client, w, h):
    """The auditor reads what the office reads; a college's officer the announced editions (no
    drafts: the 2023 ones), her college's entries and the one she judged, nobody's later part;
    a member without the competitions' permission is refused, the export too."""
    auditor = _text(_as(client, w.u.users["auditor"]).get(HISTORY_URL))
    assert _one(_section(auditor, "level-beijing"), "level-totals") == "举办 4 届，参赛 3 届，33 人次 · 获奖 2 项"
    assert _rows(auditor, "later-name") == ["郑师 2019年首次参赛", "赵一 2021年首次参赛"]

    officer = _text(_as(client, w.users["sub_union_officer"]).get(HISTORY_URL))
    beijing = _section(officer, "level-beijing")
    assert _one(beijing, "level-totals") == "举办 3 届，参赛 2 届，33 人次 · 获奖 2 项"
    assert [row.split(" ")[0] for row in _rows(beijing, "edition-line")] == ["第十届", "第十一届", "第十二届"]
    assert [row.split(" ")[:2] for row in _rows(officer, "edition-line")][0] == ["第三届", "2021"]
    assert _rows(officer, "college-line") == [f"{LAW} 1 3", f"{ECON} 3 5"]
    assert _rows(officer, "later-name") == []
    assert "还没有参赛后担任指导教师或评委的教师。" in _section(officer, "later")
    rows = _xlsx(client.get(HISTORY_URL, {"export": "xlsx"}))
    assert ("北京市", "举办届数", 3) in rows and ("各单位参赛（人次）", LAW, 1) in rows

    member = _as(client, w.users["member"])
    assert member.get(HISTORY_URL).status_code == 403
    assert member.get(HISTORY_URL, {"export": "xlsx"}).status_code == 403
    client.logout()
    assert client.get(HISTORY_URL).status_code == 302


# --- an edition's report ----------------------------------------------------------------------------


def test_the_school_rounds_report(client, w, h):
    detail = _text(_as(client, w.office).get(reverse("competitions:detail", args=[w.competition.pk])))
    assert f'href="{report_url(w.competition)}" data-testid="report-link"' in detail and "统计报表" in detail
    html = _text(client.get(report_url(w.competition)))
    assert "<h1>第三届青年教师教学基本功比赛报告</h1>" in html
    assert _one(html, "report-entries") == "参赛教师 3 退赛 1 参加选拔 3 推荐单位 2"
    assert _one(html, "report-judging") == "评委 5 已提交评分表 13 改分 0"
    assert _one(html, "report-prizes") == "名次奖 3 单项奖 2 指导教师奖 1 组织奖 0 获奖证书 6"
    assert _rows(html, "ranking-line") == [
        f"1 赵一 92.88 {ECON} 人文科学类A组一等奖、最佳教案奖、最佳现场展示奖 微观经济学 {w.entries['zhao'].appearance}",
        f"2 周四 91.17 {LAW} 人文科学类A组二等奖 民法总论 {w.entries['zhou'].appearance}",
        f"3 孙三 83.75 {ECON} 人文科学类A组三等奖 统计学 {w.entries['qian'].appearance}",
    ]
    assert _rows(html, "award-line") == [
        f"人文科学类A组一等奖 赵一 {ECON} QJS-2021-U03-0002",
        f"人文科学类A组二等奖 周四 {LAW} QJS-2021-U03-0003",
        f"人文科学类A组三等奖 孙三 {ECON} QJS-2021-U03-0004",
        f"最佳教案奖 赵一 {ECON} QJS-2021-U03-0005",
        f"最佳现场展示奖 赵一 {ECON} QJS-2021-U03-0006",
        f"优秀指导教师奖 郑师 {LAW} QJS-2021-U03-0001",
    ]
    assert _rows(_section(html, "by-college"), "college-line") == [f"{ECON} 2 4", f"{LAW} 1 2"]
    beijing = _section(html, "beijing-history")
    assert _one(beijing, "beijing-totals") == "举办 4 届，参赛 3 届，33 人次"
    assert _rows(beijing, "history-line") == [
        "第十届（2017） 未参赛 —",
        "第十一届（2019） 30 （档案记载） 人文科学类A组二等奖",
        "第十二届（2021） 3 人文科学类A组一等奖",
        "第十三届（2023） 0 —",
    ]
    assert f'href="{report_url(h.b2019)}"' in beijing
    assert f'href="{HISTORY_URL}" class="btn btn-outline-primary" data-testid="history-overview-link"' in html
    assert page_charts(html) == {
        "prizes": {
            "kind": "bar",
            "title": "各单位获奖（项）",
            "format": "number",
            "categories": [ECON, LAW],
            "series": [{"name": "获奖", "data": [4, 2]}],
        },
        "history": BEIJING_CHART,
    }


def test_the_school_rounds_report_as_xlsx(client, w, h):
    response = _as(client, w.office).get(report_url(w.competition), {"export": "xlsx"})
    rows = _xlsx(response)
    assert (
        response["Content-Disposition"]
        == f"attachment; filename*=UTF-8''{quote('第三届青年教师教学基本功比赛统计报表.xlsx')}"
    )
    assert rows[:17] == [
        ("类别", "项目", "数值"),
        ("概况", "比赛", "第三届青年教师教学基本功比赛"),
        ("概况", "级别", "校级"),
        ("概况", "年度", 2021),
        ("概况", "状态", "结果已发布"),
        ("概况", "参赛教师", 3),
        ("概况", "参加选拔", 3),
        ("概况", "推荐单位", 2),
        ("概况", "评委", 5),
        ("概况", "已提交评分表", 13),
        ("概况", "改分", 0),
        ("概况", "获奖证书", 6),
        ("奖项", "名次奖", 3),
        ("奖项", "单项奖", 2),
        ("奖项", "指导教师奖", 1),
        ("奖项", "组织奖", 0),
        ("人文科学类A组排名", f"第1名 赵一（{ECON}）", 92.88),
    ]
    assert rows[17:] == [
        ("人文科学类A组排名", f"第2名 周四（{LAW}）", 91.17),
        ("人文科学类A组排名", f"第3名 孙三（{ECON}）", 83.75),
        ("获奖名单", "人文科学类A组一等奖", f"赵一（{ECON}）"),
        ("获奖名单", "人文科学类A组二等奖", f"周四（{LAW}）"),
        ("获奖名单", "人文科学类A组三等奖", f"孙三（{ECON}）"),
        ("获奖名单", "最佳教案奖", f"赵一（{ECON}）"),
        ("获奖名单", "最佳现场展示奖", f"赵一（{ECON}）"),
        ("获奖名单", "优秀指导教师奖", f"郑师（{LAW}）"),
        ("各单位获奖", ECON, 4),
        ("各单位获奖", LAW, 2),
        ("北京高校青年教师教学基本功比赛历届", "第十届（2017）", "未参赛"),
        ("北京高校青年教师教学基本功比赛历届", "第十一届（2019）", 30),
        ("北京高校青年教师教学基本功比赛历届", "第十二届（2021）", 3),
        ("北京高校青年教师教学基本功比赛历届", "第十三届（2023）", 0),
        ("北京高校青年教师教学基本功比赛历届", "合计", "举办 4 届，参赛 3 届，33 人次"),
    ]


def test_a_beijing_editions_report_with_recorded_results(client, w, h):
    html = _text(_as(client, w.office).get(report_url(h.b2021)))
    assert "<h1>第十二届北京高校青年教师教学基本功比赛报告</h1>" in html
    # the school round's three contestants took part in the selection; two were recommended
    assert _one(html, "report-entries") == "参赛教师 2 参加选拔 3 推荐单位 2"
    # no ranks, no scores: the contestants in the order of their prizes
    assert _rows(html, "ranking-line") == [
        f"— 赵一 — {ECON} 人文科学类A组一等奖 微观经济学 —",
        f"— 周四 — {LAW} — 民法总论 —",
    ]
    assert _rows(html, "award-line") == [f"人文科学类A组一等奖 赵一 {ECON} 录入的结果"]
    assert f'href="{report_url(h.b2021)}"' not in _section(html, "beijing-history")  # itself: no link


def test_the_report_as_far_as_a_college_officer_may_see_and_who_is_refused(client, w, h):
    """The econ officer sees her college's entries and law's 周四, whom she judged, her own
    judgeship and sheet; a draft edition is not there for her (404), nor an edition that does
    not exist; a member is refused (403). The office opens the draft."""
    officer = _as(client, w.users["sub_union_officer"])
    html = _text(officer.get(report_url(w.competition)))
    assert _one(html, "report-judging") == "评委 1 已提交评分表 1 改分 0"
    assert [row.split(" ")[1] for row in _rows(html, "ranking-line")] == ["赵一", "周四", "孙三"]
    for draft in (h.b2023, h.school_2023):
        assert officer.get(report_url(draft)).status_code == 404
        assert officer.get(report_url(draft), {"export": "xlsx"}).status_code == 404
    assert officer.get(reverse("competitions:report", args=[999999])).status_code == 404

    member = _as(client, w.users["member"])
    assert member.get(report_url(w.competition)).status_code == 403
    assert member.get(report_url(w.competition), {"export": "xlsx"}).status_code == 403

    draft = _text(_as(client, w.office).get(report_url(h.school_2023)))
    assert _one(draft, "report-entries") == "参赛教师 0 参加选拔 0 推荐单位 0"
    assert "还没有参赛教师。" in draft and "还没有奖项。" in draft
    assert page_charts(draft) == {"history": BEIJING_CHART}  # no prize yet: that chart is empty

"""The bulletins' pages through the test client: the office composes an issue (a series, the
issue, its sections quoting live figures), publishes it (the figures are frozen), and everyone
reads it on the page and as a PDF; a figure that moves on afterwards leaves the issue as it was
and shows as out of date to the office; a member reads published issues only; refusals (an
issue number already published, a figure that does not exist for the year) are shown and
write nothing.

The figures come from a module registered for the test only (`fakemod`: 2021's premium and
number insured, nothing in other years), and from the projects module itself
(`projects.total`)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from gonghui.accounts.system import system_actor
from gonghui.core import registry as core_registry
from gonghui.core.registry import AnnualFigure, AnnualSection
from gonghui.projects.choices import BulletinStatus, Origin, ProjectType
from gonghui.projects.models import Bulletin, BulletinEvent, BulletinFigure, BulletinSection, BulletinSeries
from gonghui.projects.selectors.bulletin_pdf import chinese_numeral
from gonghui.projects.services import bulletins as services
from gonghui.projects.services.progress import progress_add
from gonghui.projects.services.projects import batch_create, project_create
from tests.pdf import pdf_text
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db

d = datetime.date

FAKE_BODY = (
    "2021年度，为我校工会会员续保三个险种，投保保费总计{{ fakemod.premium }}元，住院津贴投保{{ fakemod.insured }}人。"
)
BODY = FAKE_BODY + "\n\n今年共推进实事项目{{ projects.total }}项。"


@pytest.fixture
def figures(university):
    """`fakemod`'s figures of 2021 (the values can be changed by the test); no other year."""
    values = {"premium": Decimal("201025.00"), "insured": 1759}

    def provider(actor, year):
        if year != 2021:
            return None
        return AnnualSection(
            key="fakemod",
            title="测试模块",
            figures=(
                AnnualFigure("fakemod.premium", "投保保费总计", values["premium"], "元", money=True),
                AnnualFigure("fakemod.insured", "住院津贴投保人数", values["insured"], "人"),
            ),
        )

    core_registry.annual_section_register("fakemod", provider, order=999)
    system_actor()  # resolving figures creates the system account once: not during a refused post
    yield values
    core_registry.registry.annual_sections.pop("fakemod")


@pytest.fixture
def office(client, university):
    client.force_login(university.users["union_office"])
    return client


@pytest.fixture
def project(university):
    """One practical project of 2021 with one progress entry."""
    actor = university.users["union_office"]
    batch = batch_create(actor=actor, year=2021, number=1)
    made = project_create(
        actor=actor,
        batch=batch,
        title="推动北京普惠健康保集体参保",
        category="民生保障",
        origin=Origin.INSTRUCTION,
        origin_note="校领导批示",
        lead_unit=university.logistics,
        responsible=university.zhang,
        project_type=ProjectType.DEADLINE,
        deadline=d(2021, 9, 30),
    )
    entry = progress_add(
        actor=actor, project=made, text="在离退休处设立服务点，一对一帮助老同志参保。", date=d(2021, 9, 15)
    )
    return made, entry


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _series(university) -> BulletinSeries:
    return services.series_create(actor=university.users["union_office"], name="我为群众办实事", publisher="校工会")


def _draft(university, series, *, issue_no=4, year=2021, body=FAKE_BODY) -> Bulletin:
    actor = university.users["union_office"]
    bulletin = services.bulletin_create(
        actor=actor,
        series=series,
        issue_no=issue_no,
        date=d(2021, 11, 9),
        title="校工会：",
        subtitle="深学细照学党史　携手同心办实事",
        column="【贸大要闻】",
        figures_year=year,
    )
    if body:
        services.section_save(actor=actor, bulletin=bulletin, heading="以人为本  关注民生", body=body)
    return bulletin


def _published(university, **kwargs) -> Bulletin:
    bulletin = _draft(university, _series(university), **kwargs)
    return services.bulletin_publish(actor=university.users["union_office"], bulletin=bulletin)


def _count(page: str, testid: str) -> int:
    return page.count(f'data-testid="{testid}"')


# --- composing and publishing ------------------------------------------------------------------


def test_the_office_composes_publishes_and_everyone_reads_the_page_and_the_pdf(
    client, office, university, figures, project
):
    made, entry = project
    # a series, then its first issue: numbered 1, today's year for the figures
    response = office.post(reverse("projects:series_new"), {"name": "我为群众办实事", "publisher": "校工会"})
    series = BulletinSeries.objects.get()
    assert response.status_code == 302 and response.url == f"{reverse('projects:bulletin_new')}?series={series.pk}"
    form = _text(office.get(response.url))
    assert 'name="issue_no" value="1"' in form and f'<option value="{series.pk}" selected>' in form
    response = office.post(
        reverse("projects:bulletin_new"),
        {
            "series": series.pk,
            "issue_no": 4,
            "date": "2021-11-09",
            "title": "校工会：",
            "subtitle": "深学细照学党史　携手同心办实事",
            "column": "【贸大要闻】",
            "figures_year": 2021,
        },
    )
    bulletin = Bulletin.objects.get()
    url = reverse("projects:bulletin", args=[bulletin.pk])
    assert response.status_code == 302 and response.url == url
    assert (bulletin.issue_no, bulletin.status, bulletin.figures_year) == (4, BulletinStatus.DRAFT, 2021)
    # the next issue is offered as number 5
    assert 'name="issue_no" value="5"' in _text(office.get(reverse("projects:bulletin_new")))

    # the composer: no section yet (publishing is blocked), the figure picker of 2021
    page = _text(office.get(url))
    assert _count(page, "publish-blocked") == 1 and "简报还没有内容，请先添加栏目。" in page
    assert page.count('data-key="fakemod.') == 2 and page.count('data-key="projects.total"') == 1
    assert re.search(
        r'data-key="fakemod.premium">\s*<span class="flex-fill">投保保费总计：<strong data-testid="figure-value">201025元</strong>',
        page,
    )
    assert '<code class="user-select-all" data-testid="figure-reference">{{ fakemod.premium }}</code>' in page
    assert 'data-copy-text="{{ fakemod.insured }}"' in page and "js/bulletin_figures.js" in page
    # the section form offers the year's project and its progress entry
    assert f'name="projects" value="{made.pk}"' in page and f'name="progress" value="{entry.pk}"' in page

    response = office.post(
        reverse("projects:section_new", args=[bulletin.pk]),
        {"heading": "以人为本  关注民生", "body": BODY, "projects": [made.pk], "progress": [entry.pk]},
    )
    section = BulletinSection.objects.get()
    assert response.status_code == 302 and response.url == f"{url}#section-{section.pk}"
    assert list(section.projects.all()) == [made] and list(section.progress.all()) == [entry]

    # the draft previews live figures, marked 草稿
    page = _text(office.get(url))
    assert _count(page, "watermark") == 1 and _count(page, "publish-button") == 1
    assert "投保保费总计201025元，住院津贴投保1759人。" in page and "今年共推进实事项目1项。" in page
    assert _count(page, "paragraph") == 2 and _count(page, "section-edit") == 1
    preview = office.get(reverse("projects:bulletin_pdf", args=[bulletin.pk]))
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    preview_text = pdf_text(preview.content)
    assert "草稿" in preview_text and "201025元" in preview_text

    # publish: the figures are frozen with the issue
    response = office.post(reverse("projects:bulletin_publish", args=[bulletin.pk]), follow=True)
    assert _messages(response) == ["简报已发布，引用的数据已按发布时的数值固定。"]
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED and bulletin.published_at is not None
    frozen = {f.key: (f.value, f.unit, f.money, f.year) for f in BulletinFigure.objects.filter(bulletin=bulletin)}
    assert frozen == {
        "fakemod.premium": ("201025.00", "元", True, 2021),
        "fakemod.insured": ("1759", "人", False, 2021),
        "projects.total": ("1", "项", False, 2021),
    }
    assert list(BulletinEvent.objects.filter(subject=bulletin).values_list("step", flat=True)) == ["publish"]

    # a member reads it laid out as the bulletin, and its PDF
    client.force_login(university.users["member"])
    page = _text(client.get(url))
    assert 'data-testid="masthead">示范大学工会简报<' in page
    assert 'data-testid="publisher">校工会<' in page and 'data-testid="date">2021 年 11 月 9 日<' in page
    assert 'data-testid="column">【贸大要闻】<' in page
    assert 'data-testid="title-line">我为群众办实事（四）——校工会：<' in page
    assert 'data-testid="subtitle">深学细照学党史　携手同心办实事<' in page
    assert 'data-testid="section-heading">以人为本  关注民生<' in page
    assert "投保保费总计201025元，住院津贴投保1759人。" in page
    for editor_only in ("watermark", "frozen-figures", "figure-picker", "section-edit", "withdraw", "status"):
        assert _count(page, editor_only) == 0, editor_only
    response = client.get(reverse("projects:bulletin_pdf", args=[bulletin.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for line in (
        "示范大学工会简报",
        "校工会",
        "2021 年 11 月 9 日",
        "【贸大要闻】",
        "我为群众办实事（四）——校工会：",
        "- 1 -",
    ):
        assert line in text, line
    flat = text.replace("\n", "")
    assert "投保保费总计201025元，住院津贴投保1759人。" in flat and "草稿" not in flat


def test_a_figure_changed_after_publication_leaves_the_issue_and_shows_as_out_of_date(
    client, office, university, figures
):
    bulletin = _published(university)
    url = reverse("projects:bulletin", args=[bulletin.pk])
    pdf_url = reverse("projects:bulletin_pdf", args=[bulletin.pk])
    # nothing moved yet
    page = _text(office.get(url))
    assert _count(page, "frozen-figure") == 2 and _count(page, "stale") == 0
    assert _count(_text(office.get(reverse("projects:bulletins"))), "stale-count") == 0

    figures["premium"] = Decimal("210000.50")
    # the office: the page prints the frozen figure; the table marks the moved one
    page = _text(office.get(url))
    assert "投保保费总计201025元" in page and "210000.50" not in page.split('data-testid="frozen-figures"')[0]
    assert _count(page, "frozen-figure") == 2 and _count(page, "stale") == 1
    assert re.search(
        r'data-key="fakemod.premium" class="warning">\s*<td>投保保费总计</td>\s*'
        r'<td data-testid="published-value">201025元</td>\s*'
        r'<td><span data-testid="live-value">210000.50元</span> <span class="badge bg-orange-lt" data-testid="stale">已过时</span>',
        page,
    )
    assert re.search(
        r'data-key="fakemod.insured">\s*<td>住院津贴投保人数</td>\s*<td data-testid="published-value">1759人</td>', page
    )
    listing = _text(office.get(reverse("projects:bulletins")))
    assert 'data-testid="stale-count">1 项数据已过时<' in listing
    # a member: the same issue as published, no freshness marks
    client.force_login(university.users["member"])
    page = _text(client.get(url))
    assert "投保保费总计201025元，住院津贴投保1759人。" in page and "210000" not in page
    assert _count(_text(client.get(reverse("projects:bulletins"))), "stale-count") == 0
    flat = pdf_text(client.get(pdf_url).content).replace("\n", "")
    assert "投保保费总计201025元" in flat and "210000" not in flat
    # the frozen rows themselves never changed
    assert BulletinFigure.objects.get(bulletin=bulletin, key="fakemod.premium").value == "201025.00"

    # a figure that no longer exists for the year shows as gone (—)
    core_registry.registry.annual_sections["fakemod"] = (999, lambda actor, year: None)
    client.force_login(university.users["union_office"])
    page = _text(client.get(url))
    assert _count(page, "stale") == 2 and page.count('data-testid="live-value">—</span>') == 2


def test_a_member_reads_published_issues_only(client, university, figures):
    series = _series(university)
    published = _draft(university, series, issue_no=3)
    services.bulletin_publish(actor=university.users["union_office"], bulletin=published)
    draft = _draft(university, series, issue_no=4)
    client.force_login(university.users["member"])
    listing = _text(client.get(reverse("projects:bulletins")))
    assert _count(listing, "bulletin") == 1 and "我为群众办实事（三）——校工会：" in listing
    assert _count(listing, "new-bulletin") == 0 and _count(listing, "new-series") == 0
    before = table_counts()
    for name in ("projects:bulletin", "projects:bulletin_pdf", "projects:bulletin_edit", "projects:section_new"):
        assert client.get(reverse(name, args=[draft.pk])).status_code in (403, 404), name
    assert client.get(reverse("projects:bulletin", args=[draft.pk])).status_code == 404
    assert client.get(reverse("projects:bulletin_pdf", args=[draft.pk])).status_code == 404
    for name in ("projects:bulletin_publish", "projects:bulletin_withdraw", "projects:bulletin_redraft"):
        assert client.post(reverse(name, args=[draft.pk])).status_code == 404, name
        assert client.post(reverse(name, args=[published.pk]), {"message": "x"}).status_code == 404, name
    assert client.get(reverse("projects:bulletin_new")).status_code == 403
    assert changed_tables(before, table_counts()) == {}
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == (BulletinStatus.DRAFT, BulletinStatus.PUBLISHED)
    # the office sees both; an auditor reads the draft's page but not its PDF (the editor's preview)
    client.force_login(university.users["union_office"])
    listing = _text(client.get(reverse("projects:bulletins")))
    assert _count(listing, "bulletin") == 2 and _count(listing, "new-bulletin") == 1
    client.force_login(university.users["auditor"])
    assert client.get(reverse("projects:bulletin", args=[draft.pk])).status_code == 200
    assert client.get(reverse("projects:bulletin_pdf", args=[draft.pk])).status_code == 404


def test_the_same_issue_number_is_published_once_per_series(client, office, university, figures):
    series = _series(university)
    first = _draft(university, series, issue_no=4)
    second = _draft(university, series, issue_no=4)  # two drafts may share a number
    services.bulletin_publish(actor=university.users["union_office"], bulletin=first)
    refusal = "我为群众办实事第 4 期已经发布过，不能重复发布同一期号。"
    page = _text(office.get(reverse("projects:bulletin", args=[second.pk])))
    assert _count(page, "publish-blocked") == 1 and refusal in page

    before = table_counts()
    response = office.post(reverse("projects:bulletin_publish", args=[second.pk]), follow=True)
    assert _messages(response) == [refusal]
    assert changed_tables(before, table_counts()) == {}
    second.refresh_from_db()
    assert second.status == BulletinStatus.DRAFT and second.published_at is None
    assert not BulletinFigure.objects.filter(bulletin=second).exists()

    # a new issue with the number: refused on the form
    response = office.post(
        reverse("projects:bulletin_new"),
        {"series": series.pk, "issue_no": 4, "date": "2021-11-20", "title": "又一期", "figures_year": 2021},
    )
    assert response.status_code == 400 and refusal in response.content.decode()
    assert response.context["form"].errors == {"issue_no": [refusal]}
    # nor may the other draft take it on its edit page
    response = office.post(
        reverse("projects:bulletin_edit", args=[second.pk]),
        {"issue_no": 4, "date": "2021-11-20", "title": "校工会：", "figures_year": 2021},
    )
    assert response.status_code == 400 and response.context["form"].errors == {"issue_no": [refusal]}
    assert changed_tables(before, table_counts()) == {}
    # renumbered, it publishes as 第五期
    response = office.post(
        reverse("projects:bulletin_edit", args=[second.pk]),
        {"issue_no": 5, "date": "2021-11-20", "title": "校工会：", "figures_year": 2021},
    )
    assert response.status_code == 302
    office.post(reverse("projects:bulletin_publish", args=[second.pk]))
    second.refresh_from_db()
    assert (second.issue_no, second.status) == (5, BulletinStatus.PUBLISHED)
    assert "我为群众办实事（五）——校工会：" in _text(office.get(reverse("projects:bulletin", args=[second.pk])))


def test_a_section_quoting_a_figure_missing_for_the_year_is_refused(client, office, university, figures):
    bulletin = _draft(university, _series(university), body="")
    url = reverse("projects:section_new", args=[bulletin.pk])
    before = table_counts()
    response = office.post(
        url, {"heading": "数据", "body": "投保{{ fakemod.missing }}人，保费{{ fakemod.premium }}元。"}
    )
    refusal = "引用的数据在 2021 年度不存在：fakemod.missing。"
    assert response.status_code == 400 and response.context["form"].errors == {"body": [refusal]}
    assert refusal in response.content.decode() and _count(response.content.decode(), "figure-picker") == 1
    # a malformed reference
    response = office.post(url, {"body": "保费{{ premium }}元。"})
    assert response.status_code == 400
    assert response.context["form"].errors["body"][0].startswith("引用格式不正确：{{ premium }}。")
    assert changed_tables(before, table_counts()) == {}

    # fakemod has nothing in 2020: an issue of 2020 may not quote it
    other = _draft(university, bulletin.series, issue_no=9, year=2020, body="")
    before = table_counts()
    response = office.post(reverse("projects:section_new", args=[other.pk]), {"body": "保费{{ fakemod.premium }}元。"})
    assert response.context["form"].errors == {"body": ["引用的数据在 2020 年度不存在：fakemod.premium。"]}
    assert 'data-key="fakemod.' not in response.content.decode()  # the picker offers 2020's figures only
    assert changed_tables(before, table_counts()) == {}
    assert not BulletinSection.objects.exists()


def test_sections_are_changed_and_deleted_and_an_issue_withdrawn_and_redrafted(client, office, university, figures):
    bulletin = _draft(university, _series(university))
    section = bulletin.sections.get()
    edit_url = reverse("projects:section_edit", args=[bulletin.pk, section.pk])
    form = _text(office.get(edit_url))
    assert "以人为本  关注民生" in form and "{{ fakemod.premium }}元" in form
    response = office.post(
        edit_url, {"heading": "搭建平台", "body": "住院津贴投保{{ fakemod.insured }}人。"}, follow=True
    )
    assert response.redirect_chain == [
        (f"{reverse('projects:bulletin', args=[bulletin.pk])}#section-{section.pk}", 302)
    ]
    assert _messages(response) == ["栏目已保存。"] and "住院津贴投保1759人。" in response.content.decode()
    section.refresh_from_db()
    assert (section.heading, section.body) == ("搭建平台", "住院津贴投保{{ fakemod.insured }}人。")
    services.section_save(actor=university.users["union_office"], bulletin=bulletin, body="第二栏。")
    assert bulletin.sections.count() == 2
    response = office.post(reverse("projects:section_delete", args=[bulletin.pk, section.pk]), follow=True)
    assert _messages(response) == ["栏目“搭建平台”已删除。"]
    assert list(bulletin.sections.values_list("body", flat=True)) == ["第二栏。"]

    response = office.post(reverse("projects:bulletin_publish", args=[bulletin.pk]), follow=True)
    assert _messages(response) == ["简报已发布，引用的数据已按发布时的数值固定。"]
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
    # published: no more changes, neither the issue nor its sections
    response = office.get(reverse("projects:bulletin_edit", args=[bulletin.pk]), follow=True)
    assert _messages(response) == ["简报已发布，不能修改。"]
    before = table_counts()
    response = office.post(
        reverse("projects:section_edit", args=[bulletin.pk, bulletin.sections.get().pk]), {"body": "改一改。"}
    )
    assert response.status_code == 400 and response.context["form"].non_field_errors() == ["简报已发布，不能修改。"]
    assert changed_tables(before, table_counts()) == {}
    # withdrawing needs a reason
    before = table_counts()
    response = office.post(reverse("projects:bulletin_withdraw", args=[bulletin.pk]), {"message": ""}, follow=True)
    assert _messages(response) == ["撤回原因：该字段是必填项。"]
    assert changed_tables(before, table_counts()) == {}
    response = office.post(
        reverse("projects:bulletin_withdraw", args=[bulletin.pk]), {"message": "数据有误"}, follow=True
    )
    assert _messages(response) == ["简报已撤回。"]
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.WITHDRAWN
    client.force_login(university.users["member"])
    assert client.get(reverse("projects:bulletin", args=[bulletin.pk])).status_code == 404
    client.force_login(university.users["union_office"])
    page = _text(client.get(reverse("projects:bulletin", args=[bulletin.pk])))
    assert _count(page, "redraft-button") == 1 and 'data-testid="watermark">已撤回<' in page
    response = client.post(reverse("projects:bulletin_redraft", args=[bulletin.pk]), follow=True)
    assert _messages(response) == ["简报已退回草稿，可以修改后重新发布。"]
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT and not bulletin.figures.exists()
    steps = list(BulletinEvent.objects.filter(subject=bulletin).order_by("at", "pk").values_list("step", "message"))
    assert steps == [("publish", ""), ("withdraw", "数据有误"), ("redraft", "")]


def test_issue_numbers_read_in_chinese_numerals():
    assert [chinese_numeral(n) for n in (1, 4, 10, 11, 20, 99, 100, 105, 110, 1001)] == [
        "一",
        "四",
        "十",
        "十一",
        "二十",
        "九十九",
        "一百",
        "一百零五",
        "一百一十",
        "一千零一",
    ]

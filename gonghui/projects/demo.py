"""The demo university's practical projects and its bulletin (DOMAIN §3.10, §2).

- 2020 第一批: the kindergarten co-built with the Chaoyang district education commission, born
  of the 2019 congress proposal (its link kept), opened on 2020-09-01 and ticked off.
- 2021 第一批: what the union did for staff in 2021 as the bulletin tells it: the teaching
  competition, the seventh mentorship cohort, the mutual-aid deductions and subsidies, the
  group insurance renewal, 北京普惠健康保, the revision of the mutual-aid rules (still under way
  at the year's end, as the bulletin says), admissions advice born of the demand survey, and the
  performance-pay deliberations; staff rated the done ones.
- The bulletin 我为群众办实事（四）——校工会, 2021-11-09, composed from these projects with
  the modules' live 2021 figures as references, published (frozen) on its date.
- This year's batch: projects under way, one past its deadline (in the office's to-do queue).

Everything goes through the module's services, each phase at its date."""

from __future__ import annotations

import datetime
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person, UnionMembership, UniversityUnit
from gonghui.projects.choices import Origin, ProjectType, Satisfaction
from gonghui.projects.models import Batch, BulletinSeries, PracticalProject

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
DAY = datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# a 1×1 PNG: the demo's "photos"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)
SERIES = "我为群众办实事"
PUBLISHER = "党史学习教育领导小组办公室"
MASTHEAD = "示范大学党史学习教育"
KINDERGARTEN_PROPOSAL = "关于与朝阳区教委共建幼儿园、缓解教职工子女入园难的提案"
EXTRA_UNITS = (("UNION", "校工会"), ("RETIRE", "离退休工作处"))


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


@contextmanager
def _on(day: datetime.date, hour: int = 10):
    """Run a phase at its date (its events and stamps carry it), in its own transaction."""
    import time_machine

    with time_machine.travel(_at(day, hour), tick=False), transaction.atomic():
        yield


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _photo(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@dataclass
class Cast:
    office: User
    unit_user: User | None
    units: dict[str, UniversityUnit]

    def responsible(self, sub_union_code: str) -> Person:
        person = (
            Person.objects.filter(sub_union__code=sub_union_code, employment_status=EmploymentStatus.ACTIVE)
            .order_by("staff_no")
            .first()
        )
        return person or Person.objects.order_by("staff_no").first()

    def actor_for(self, unit_code: str) -> User:
        """The lead unit's contact person records its progress where there is one (后勤处)."""
        if self.unit_user is not None and unit_code == "HQ":
            return self.unit_user
        return self.office


@dataclass(frozen=True)
class Plan:
    title: str
    category: str
    origin: str
    lead: str
    responsible_from: str  # the sub-union the responsible person comes from
    helpers: tuple[str, ...]
    project_type: str
    deadline: datetime.date
    progress: tuple[tuple[datetime.date, str, str], ...]  # (date, text, funds)
    done_on: datetime.date | None = None
    closed_off_on: datetime.date | None = None
    results: str = ""
    note: str = ""
    description: str = ""


d = datetime.date

PLANS_2020 = (
    Plan(
        "与朝阳区教委共建幼儿园，缓解教职工子女入托难",
        "子女教育",
        Origin.PROPOSAL,
        "HQ",
        "LOG",
        ("UNION", "HR", "ASSET"),
        ProjectType.PHASED,
        d(2020, 9, 1),
        (
            (d(2020, 1, 10), "与朝阳区教委商定共建方案，确定惠新里园址", "0"),
            (d(2020, 6, 30), "园舍改造完成，通过区教委验收", "380000.00"),
            (d(2020, 9, 1), "朝阳教育国资中心惠新里贸大幼儿园正式开园，首批教职工子女入园", "0"),
        ),
        done_on=d(2020, 9, 1),
        closed_off_on=d(2020, 12, 15),
        results="惠新里贸大幼儿园于2020年9月正式开园，每年定向接收教职工子女，缓解了教职工子女入托难的问题。",
        description="落实教代会代表提案，与朝阳区教委共建幼儿园，定向接收教职工子女。",
    ),
)

PLANS_2021 = (
    Plan(
        "组织青年教师参加北京高校第十二届青年教师教学基本功比赛",
        "教师发展",
        Origin.INSTRUCTION,
        "UNION",
        "LIT",
        ("ACAD", "HR"),
        ProjectType.DEADLINE,
        d(2021, 7, 31),
        (
            (d(2021, 4, 20), "完成校内选拔，推荐三名教师代表学校参赛", "0"),
            (d(2021, 7, 16), "北京市比赛成绩揭晓，获一等奖一项、二等奖两项及优秀指导教师奖", "15000.00"),
        ),
        done_on=d(2021, 7, 16),
        closed_off_on=d(2021, 9, 10),
        results="获人文科学类A组一等奖一项（并获最佳教案奖、最佳现场展示奖）、二等奖两项，指导教师获优秀指导教师奖。",
        note="校党委关于加强青年教师队伍建设的部署",
    ),
    Plan(
        "开展第七届青年教师拜师结对活动",
        "教师发展",
        Origin.INSTRUCTION,
        "UNION",
        "ECON",
        ("HR", "ACAD"),
        ProjectType.DEADLINE,
        d(2021, 10, 31),
        ((d(2021, 9, 28), "举行第七届拜师结对仪式，新老教师签订结对协议", "8000.00"),),
        done_on=d(2021, 9, 28),
        closed_off_on=d(2021, 10, 20),
        results="第七届拜师结对完成，七届累计三百多对新老教师结为师徒。",
        note="学校教师队伍建设规划",
    ),
    Plan(
        "完成医疗互助会互助金扣缴和2020年度互助补助发放",
        "医疗保障",
        Origin.OTHER,
        "UNION",
        "RET",
        ("FINANCE", "CLINIC", "RETIRE"),
        ProjectType.DEADLINE,
        d(2021, 6, 30),
        (
            (d(2021, 3, 5), "组织新会员加入医疗互助会，受理2020年度互助金补助申请", "0"),
            (d(2021, 5, 20), "福利委员会审议2020年度互助互补名单，公示无异议后发放补助", "0"),
        ),
        done_on=d(2021, 6, 15),
        closed_off_on=d(2021, 7, 5),
        results="完成在职教职工互助金扣缴，向在职教职工和离退休人员发放大病补助。",
        note="医疗互助会年度工作计划",
    ),
    Plan(
        "修订《教职工医疗互助会管理办法》",
        "医疗保障",
        Origin.RULES_REVISION,
        "UNION",
        "ECON",
        ("FINANCE", "CLINIC"),
        ProjectType.DEADLINE,
        d(2021, 12, 31),
        (
            (d(2021, 10, 15), "就覆盖疾病种类、会费缴纳标准、补助标准、提交材料要求征求各分工会意见", "0"),
            (d(2021, 12, 28), "修订后的管理办法经教代会执委会审议通过，自2022年起施行", "0"),
        ),
        # still under way when the bulletin went out (预计在今年年底前完成), done by the year's end
        done_on=d(2021, 12, 28),
        closed_off_on=d(2022, 1, 10),
        results="修订后的《教职工医疗互助会管理办法》调整了覆盖疾病种类、会费缴纳标准、补助标准和提交材料要求，自2022年起施行。",
        description="就覆盖疾病种类、会费缴纳标准、补助标准、提交材料要求等方面进行政策调整，预计年底前完成。",
    ),
    Plan(
        "为在职教职工续保中国职工保险互助会三个险种",
        "医疗保障",
        Origin.OTHER,
        "UNION",
        "LAW",
        ("FINANCE",),
        ProjectType.DEADLINE,
        d(2021, 6, 30),
        ((d(2021, 6, 25), "住院津贴、重大疾病、女工特疾三个险种投保名单报送办事处", "0"),),
        done_on=d(2021, 6, 28),
        closed_off_on=d(2021, 12, 20),
        results="三个险种续保完成，并为出险教职工办理理赔。",
        note="工会年度工作要点",
    ),
    Plan(
        "协助有意愿的教职工集体参保“北京普惠健康保”",
        "医疗保障",
        Origin.OTHER,
        "UNION",
        "RET",
        ("RETIRE", "HR"),
        ProjectType.IMMEDIATE,
        d(2021, 9, 30),
        (
            (d(2021, 7, 28), "邀请保险公司面向职工代表解读投保及理赔政策", "0"),
            (d(2021, 8, 6), "通过各分工会调查摸底参保意愿", "0"),
            (d(2021, 9, 24), "保险公司进校现场办理，离退休处设服务点一对一帮助老同志", "2000.00"),
        ),
        done_on=d(2021, 9, 30),
        closed_off_on=d(2021, 10, 15),
        results="在职教职工和离退休人员集体参保完成。",
        note="“北京普惠健康保”推出后，教职工的参保咨询",
    ),
    Plan(
        "做好教职工子女入托入学政策咨询和报考指导",
        "子女教育",
        Origin.SURVEY,
        "UNION",
        "FIN",
        ("HR",),
        ProjectType.PHASED,
        d(2021, 8, 31),
        (
            (d(2021, 4, 15), "组织青年教工实地考察附小附中的办学环境和教学情况", "1200.00"),
            (d(2021, 6, 10), "解读海淀区、朝阳区入学政策，为教职工提供报考指导", "0"),
        ),
        done_on=d(2021, 8, 31),
        closed_off_on=d(2021, 9, 15),
        results="完成子女入托入学需求摸底，提供政策咨询和报考指导，组织参观附小附中。",
    ),
    Plan(
        "召开专题会议审议教职工绩效工资改革方案",
        "民主管理",
        Origin.INSTRUCTION,
        "HR",
        "MGMT",
        ("UNION",),
        ProjectType.DEADLINE,
        d(2021, 11, 30),
        ((d(2021, 10, 20), "召开教代会专题会议，听取各学院一线教师的意见建议，汇总反馈人力资源处", "0"),),
        done_on=d(2021, 11, 5),
        closed_off_on=d(2021, 11, 30),
        results="反复审议绩效工资改革方案，意见建议汇总反馈人事处。",
        note="学校关于绩效工资改革须经教代会审议的决定",
    ),
)


def _units() -> dict[str, UniversityUnit]:
    for code, name in EXTRA_UNITS:
        UniversityUnit.objects.get_or_create(code=code, defaults={"name": name})
    return {unit.code: unit for unit in UniversityUnit.objects.all()}


def _origin_links(plan: Plan, year: int) -> dict:
    if plan.origin == Origin.PROPOSAL:
        from gonghui.proposals.models import Proposal

        return {"origin_proposal": Proposal.objects.filter(title=KINDERGARTEN_PROPOSAL).order_by("pk").first()}
    if plan.origin == Origin.SURVEY:
        from gonghui.admissions.models import Campaign

        return {"origin_campaign": Campaign.objects.filter(year=year).first()}
    if plan.origin == Origin.RULES_REVISION:
        from gonghui.mutual_aid.models import SchemeEdition

        return {"origin_edition": SchemeEdition.objects.filter(year__lte=year).order_by("-year").first()}
    return {}


def _plan_build(cast: Cast, batch: Batch, plan: Plan, registered: datetime.date) -> PracticalProject | None:
    from gonghui.projects.services.progress import progress_add
    from gonghui.projects.services.projects import project_close_off, project_create, project_step

    links = _origin_links(plan, batch.year)
    origin, note = plan.origin, plan.note
    if links and all(value is None for value in links.values()):
        # a database without the linked record (a module's demo not built): say so in words
        origin, note, links = Origin.OTHER, plan.note or plan.title, {}
    with _on(registered):
        project = project_create(
            actor=cast.office,
            batch=batch,
            title=plan.title,
            category=plan.category,
            origin=origin,
            origin_note=note,
            description=plan.description,
            lead_unit=cast.units[plan.lead],
            responsible=cast.responsible(plan.responsible_from),
            cooperating_units=[cast.units[code] for code in plan.helpers if code in cast.units],
            project_type=plan.project_type,
            deadline=plan.deadline,
            **links,
        )
    actor = cast.actor_for(plan.lead)
    for n, (day, text, funds) in enumerate(plan.progress):
        with _on(day, 15):
            files = [_photo(f"现场照片{n + 1}.png")] if n == len(plan.progress) - 1 else []
            progress_add(actor=actor, project=project, text=text, date=day, funds=funds, evidence_files=files)
    if plan.done_on is not None:
        with _on(plan.done_on, 17):
            project_step(actor=actor, project=project, step="done", done_on=plan.done_on)
        _ratings(project)
    if plan.closed_off_on is not None:
        with _on(plan.closed_off_on, 11):
            project_close_off(
                actor=cast.office,
                project=project,
                results=plan.results,
                evidence_files=[_pdf("验收材料.pdf")],
                closed_off_on=plan.closed_off_on,
            )
    return project


def _ratings(project: PracticalProject) -> None:
    """Some members rate the done project (a stable choice of members and answers)."""
    from gonghui.projects.services.ratings import rating_cast

    project.refresh_from_db()
    if project.rating_box_id is None:
        return
    voters = list(
        User.objects.filter(
            person_id__in=UnionMembership.objects.current().values("person_id"), is_active=True
        ).order_by("pk")[:40]
    )
    for user in voters:
        dice = zlib.crc32(f"{project.title}|{user.pk}".encode()) % 100
        choice = (
            Satisfaction.SATISFIED if dice < 85 else Satisfaction.BASICALLY if dice < 97 else Satisfaction.NOT_SATISFIED
        )
        rating_cast(actor=user, project=project, satisfaction=choice)


def _current_batch(cast: Cast, today: datetime.date) -> None:
    from gonghui.projects.services.progress import progress_add
    from gonghui.projects.services.projects import batch_create, project_create

    with _on(today - 90 * DAY):
        batch = batch_create(actor=cast.office, year=today.year, number=1)
    current = (
        ("改造教职工之家活动场地", "HQ", ("UNION", "ASSET"), today + 60 * DAY, "完成场地设计方案"),
        ("增设离退休教职工体检服务点", "CLINIC", ("RETIRE",), today - 10 * DAY, "与体检机构商定服务点方案"),
        ("开展教职工心理健康讲座", "UNION", ("CLINIC",), today + 120 * DAY, ""),
    )
    for title, lead, helpers, deadline, first in current:
        with _on(today - 80 * DAY):
            project = project_create(
                actor=cast.office,
                batch=batch,
                title=title,
                category="民生保障",
                origin=Origin.OTHER,
                origin_note="教职工座谈会意见",
                lead_unit=cast.units[lead],
                responsible=cast.responsible("LOG" if lead == "HQ" else "ECON"),
                cooperating_units=[cast.units[c] for c in helpers],
                project_type=ProjectType.DEADLINE,
                deadline=deadline,
            )
        if first:
            with _on(today - 30 * DAY, 15):
                progress_add(
                    actor=cast.actor_for(lead), project=project, text=first, evidence_files=[_photo("方案.png")]
                )


def _bulletin(cast: Cast, projects: list[PracticalProject]) -> None:
    from gonghui.projects.services.bulletins import bulletin_create, bulletin_publish, section_save, series_create

    with _on(d(2021, 11, 5)):
        series = series_create(actor=cast.office, name=SERIES, publisher=PUBLISHER, masthead=MASTHEAD)
        bulletin = bulletin_create(
            actor=cast.office,
            series=series,
            issue_no=4,
            date=d(2021, 11, 9),
            title="校工会：",
            subtitle="深学细照学党史　携手同心办实事",
            column="【校园要闻】",
            figures_year=2021,
        )
        by_title = {p.title: p for p in projects}
        for heading, body, titles in BULLETIN_SECTIONS:
            section_save(
                actor=cast.office,
                bulletin=bulletin,
                heading=heading,
                body=body,
                projects=[by_title[t] for t in titles if t in by_title],
            )
    with _on(d(2021, 11, 9), 9):
        bulletin_publish(actor=cast.office, bulletin=bulletin)


# The bulletin's sections: its words, with the figures quoted from the modules.
BULLETIN_SECTIONS = (
    (
        "",
        "校工会作为党领导的群团组织，始终坚持以习近平总书记关于群团工作的重要讲话和重要指示精神为指引，"
        "在服务教职工的过程中，把握正确方向，坚定改革信心，切实保持和增强群团组织的政治性、先进性、群众性。",
        (),
    ),
    (
        "搭建平台 聚焦成长 全面助力教师基本业务水平提升",
        "精心组织青年教师教学基本功比赛。青教赛坚持每两年举办一次，截至今年，北京高校青年教师教学基本功比赛已举办"
        "{{ competitions.editions_held }}届，校工会已经组织我校教师参加了北京市的{{ competitions.editions_entered }}次比赛，"
        "{{ competitions.participants_total }}名青年教师参加。2021年7月的北京高校青年教师教学基本功比赛成绩揭晓，"
        "{{ competitions.award_list }}。\n\n"
        "持续开展青年教师拜师活动。工会坚持每两年组织一次拜师结对活动，共组织了{{ mentorship.cohorts_total }}届，"
        "{{ mentorship.pairs_total }}对新老教师结为师徒。",
        ("组织青年教师参加北京高校第十二届青年教师教学基本功比赛", "开展第七届青年教师拜师结对活动"),
    ),
    (
        "以人为本 关注民生 精准服务教职工深层需求",
        "加强医疗互助会管理，优化教职工医疗保障服务。当前，校工会正在积极推动《教职工医疗互助会管理办法》的修订完善工作。"
        "2021年度，已完成{{ mutual_aid.fees_deducted_members }}名在职教职工医疗互助会互助金的扣缴工作。"
        "同时，校工会福利委员会审议2020年度互助互补名单、发放大病补助，为在职教职工发放{{ mutual_aid.subsidies_paid_active }}元，"
        "为离退休人员发放{{ mutual_aid.subsidies_paid_retired }}元，并为我校工会会员续保中国职工保险互助会职工互助保障的三个险种。"
        "其中住院津贴投保{{ insurance.insured_zyjt }}人，重大疾病投保{{ insurance.insured_zdjb }}人，"
        "女工特疾投保{{ insurance.insured_ngtj }}人，投保保费总计{{ insurance.premium }}元，"
        "以及为教职工办理出险理赔{{ insurance.claims_paid_count }}人次，共计{{ insurance.claims_paid_sum }}元。\n\n"
        "就“北京普惠健康保”开展调研，协助有意愿的教职工集体参保。9月，校工会统一组织我校有意愿的教职工报名，"
        "协调保险公司工作人员进校现场办理业务，还在离退休处专门设立了服务点。"
        "我校共有{{ drives.enrolled_active }}名在职教职工和{{ drives.enrolled_retired }}名离退休人员参保。\n\n"
        "持续关注教育政策，优化教职工子女入学政策咨询服务。校工会对教职工子女入托入学需求进行摸底统计，提供政策咨询和报考指导。"
        "通过推进教代会代表提案办理，我校与朝阳区教委共建的朝阳教育国资中心惠新里贸大幼儿园于2020年正式开园，"
        "在很大程度上缓解了我校教职工子女入托难的问题。",
        (
            "完成医疗互助会互助金扣缴和2020年度互助补助发放",
            "修订《教职工医疗互助会管理办法》",
            "为在职教职工续保中国职工保险互助会三个险种",
            "协助有意愿的教职工集体参保“北京普惠健康保”",
            "做好教职工子女入托入学政策咨询和报考指导",
        ),
    ),
    (
        "加强管理 落实监督 深入推进民主监督与管理",
        "充分行使教代会职权，围绕关乎职工利益大局的事项召开专题会议，例如反复审议教职工绩效工资改革方案，"
        "充分听取各学院一线教师的意见建议，汇总反馈给人力资源处；按照征集、审查、立案、办理、答复、公示的流程开展提案工作，"
        "切实力求做到“认真提 迅速办 效果好”。",
        ("召开专题会议审议教职工绩效工资改革方案",),
    ),
)


def projects_demo_build() -> str:
    """Build the demo's projects and bulletin once (later runs change nothing)."""
    office = User.objects.filter(username="office").first()
    if office is None or Batch.objects.exists() or BulletinSeries.objects.exists():
        return ""
    cast = Cast(office=office, unit_user=User.objects.filter(username="unit").first(), units=_units())
    with _on(d(2020, 1, 6)):
        from gonghui.projects.services.projects import batch_create

        batch_2020 = batch_create(actor=office, year=2020, number=1)
    for plan in PLANS_2020:
        _plan_build(cast, batch_2020, plan, d(2020, 1, 6))
    with _on(d(2021, 3, 1)):
        batch_2021 = batch_create(actor=office, year=2021, number=1)
    built = [_plan_build(cast, batch_2021, plan, d(2021, 3, 1)) for plan in PLANS_2021]
    _bulletin(cast, [p for p in built if p is not None])
    _current_batch(cast, timezone.localdate())
    return f"{PracticalProject.objects.count()} projects in {Batch.objects.count()} batches, 1 bulletin"

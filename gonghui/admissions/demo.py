"""Demo data for staff children's admission (教职工子女入托入学, DOMAIN §3.9; idempotent).

The bulletin's story, as it happened, run through the services at its dates:

- **Schools** (synthetic names): 示范大学附属小学 and 示范大学附属中学 (海淀区, affiliated),
  示范大学幼儿园 (海淀区, affiliated, few places), and 朝阳区教委共建幼儿园 (朝阳区, co-built,
  recorded when the agreement was signed in September 2019, opened 2020-09-01).
- **Rules** 2018–2021, each adopted the October before (校工会〔Y-1〕N号): the survey in
  November–December, requests March–April, the priority batches (在编 first, then
  grandchildren, then contract, agency and postdoctoral staff), the documents, the places.
  The demo university counts 入园 from 3 full years (36 months on 31 August). The places are
  in proportion to the university's size (`places_for`): at full size 幼儿园 6, 附小 20,
  附中 15, and the co-built kindergarten 30 from 2020.
- **Each year's campaign** 2018–2021: the survey pre-filled and answered (by 经济学院's officer
  100002 for its members, by the admissions officer 郑静 for the rest) — whether a place is
  needed, the intended school and, from 2020, the other kindergarten as the alternative; the
  requests of those who need one (one in ten never asks), made by the parents on the portal
  with their documents and submitted, checked by the sub-union (or the admissions officer)
  and referred; one in ten submitted after the deadline (视为自行解决); the schools' answers
  from their lists, placing in batch order up to their places, then at the alternative while
  it has room, the rest not placed; the year closed.
- **The story**: in 2018 and 2019 nursery demand far above the 幼儿园's places; the office
  records the 2019 shortage and links the congress proposal on kindergarten places (the
  proposals demo's 2019 “关于与朝阳区教委共建幼儿园、缓解教职工子女入园难的提案”, when it is
  there); the co-built kindergarten opens in 2020 with its places, and unmet demand falls in
  2020 and 2021.
- **Policy notes** per district and year (海淀区; 朝阳区 from 2020), published each February;
  the advice logged each spring; a visit to 示范大学附属小学 in April 2021, held, with who went.
- **The current campaign**, live on any day (dates from `timezone.localdate()`): its rules
  adopted 75 days ago, the survey opened 60 days ago (four lines in five answered), requests
  taken since 15 days ago until the deadline in 20 days: some drafts, some submitted, some
  checked by the sub-union; this year's policy notes; a visit in 12 days open for sign-up.

A child's answers follow from a stable number of the parent's staff number, the child's name
and birth date (`_dice`), so every build is the same.
"""

from __future__ import annotations

import datetime
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.admissions.choices import (
    AnswerSource,
    ConsultationChannel,
    Housing,
    Need,
    RequestStatus,
    Stage,
)
from gonghui.admissions.models import AdmissionRequest, Campaign, School, SchoolVisit, SurveyLine
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person, SubUnion

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
DAY = datetime.timedelta(days=1)
HISTORY = (2018, 2019, 2020, 2021)
FULL_SIZE = 1800  # active staff of the full demo university
DEMO_MEMBER = "100001"  # the README's member: a child starting primary school this campaign
OFFICER = "100002"  # 经济学院's sub-union officer collects its survey and checks its requests
ECON = "ECON"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

KINDERGARTEN, CO_BUILT, PRIMARY, SECONDARY = "FXYEY", "CYGJ", "FXFX", "FXFZ"
SCHOOLS = {
    PRIMARY: {
        "name": "示范大学附属小学",
        "kind": "primary",
        "district": "海淀区",
        "affiliation": "affiliated",
        "address": "海淀区示范路 1 号",
        "contact_name": "刘老师",
        "contact_phone": "010-62510001",
    },
    SECONDARY: {
        "name": "示范大学附属中学",
        "kind": "secondary",
        "district": "海淀区",
        "affiliation": "affiliated",
        "address": "海淀区示范路 3 号",
        "contact_name": "陈老师",
        "contact_phone": "010-62510003",
    },
    KINDERGARTEN: {
        "name": "示范大学幼儿园",
        "kind": "kindergarten",
        "district": "海淀区",
        "affiliation": "affiliated",
        "address": "示范大学东区 12 号楼",
        "contact_name": "王园长",
        "contact_phone": "010-62510012",
        "note": "园舍有限，每年面向教职工子女的学位很少。",
    },
}
CO_BUILT_SCHOOL = {
    "name": "朝阳区教委共建幼儿园",
    "kind": "kindergarten",
    "district": "朝阳区",
    "affiliation": "co_built",
    "address": "朝阳区示范大学通州路校区旁",
    "contact_name": "赵园长",
    "contact_phone": "010-65550020",
    "opened_on": datetime.date(2020, 9, 1),
    "note": "经教代会提案推动，学校与朝阳区教委共建，2020年9月开园。",
}
# Places at full size; the co-built kindergarten from 2020.
PLACES = {KINDERGARTEN: 6, PRIMARY: 20, SECONDARY: 15}
CO_BUILT_PLACES = 30
BATCHES = (
    {"position": 1, "label": "在编教职工子女", "relation": "child", "categories": "事业编制"},
    {"position": 2, "label": "教职工孙子女、外孙子女", "relation": "grandchild", "categories": ""},
    {
        "position": 3,
        "label": "合同制、人事代理及博士后子女",
        "relation": "child",
        "categories": "合同制\n人事代理\n博士后",
    },
)
STAGE_SCHOOL = {Stage.PRIMARY: PRIMARY, Stage.JUNIOR: SECONDARY}
HUKOU = ("海淀区", "海淀区", "海淀区", "朝阳区", "朝阳区", "昌平区")
HOUSING = (Housing.OWNED, Housing.OWNED, Housing.RENTED, Housing.NO_DEED)
NOTES = {
    "海淀区": (
        "%(year)s年海淀区入学政策要点",
        "适龄儿童以%(year)s年8月31日划线；户籍、实际居住地与房产一致者优先。"
        "租房家庭须提供租房合同和居住登记。请于5月10日前完成义务教育入学信息采集。",
        "https://www.bjhd.gov.cn/",
    ),
    "朝阳区": (
        "%(year)s年朝阳区幼儿园招生要点",
        "朝阳区幼儿园网上报名于5月中旬开始，满3周岁（%(born)s年8月31日前出生）可报名；"
        "学校与朝阳区教委共建幼儿园面向本校教职工子女的学位由校工会统一报送。",
        "https://www.bjchy.gov.cn/",
    ),
}
QUESTIONS = (
    (
        Stage.PRIMARY,
        "海淀区",
        "孩子9月1日出生，今年能上附小吗？",
        "按8月31日划线，9月1日出生的孩子须到下一年入学，届时可随下一年度一并申请。",
    ),
    (
        Stage.NURSERY,
        "朝阳区",
        "住在朝阳区，租房，能申请幼儿园吗？",
        "可以。租房家庭请准备租房合同；共建幼儿园的学位由校工会统一报送。",
    ),
    (
        Stage.JUNIOR,
        "海淀区",
        "孩子户口不在北京，能报附中吗？",
        "非京籍子女须符合海淀区“五证”要求，请先咨询区教委并准备相关材料。",
    ),
)


def places_for(base: int, active: int) -> int:
    """A school's places at the demo's size (at least one)."""
    return max(1, round(base * active / FULL_SIZE))


def _dice(parent: Person, child) -> int:
    """A stable number 0–99 for a child (the same on every build and database)."""
    return zlib.crc32(f"{parent.staff_no}|{child.name}|{child.birth_date.isoformat()}".encode()) % 100


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


@dataclass
class Cast:
    office: User
    ruxue: User
    officer: User | None  # 经济学院's officer
    econ_ids: set[int]  # 经济学院 and its union groups

    def collector(self, parent_sub_union_id: int) -> User:
        """Who fills in and checks for a parent: their sub-union's officer, or the admissions officer."""
        if self.officer is not None and parent_sub_union_id in self.econ_ids:
            return self.officer
        return self.ruxue


# --- schools and rules ----------------------------------------------------------------------------


def _schools(cast: Cast) -> None:
    from gonghui.admissions.services.rules import school_save

    with _on(datetime.date(2017, 9, 20)):
        for code, fields in SCHOOLS.items():
            school_save(actor=cast.office, code=code, **fields)
    with _on(datetime.date(2019, 9, 16)):  # the co-built agreement is signed
        school_save(actor=cast.office, code=CO_BUILT, **CO_BUILT_SCHOOL)


def _places(year: int, active: int) -> list[dict]:
    rows = [{"school_code": code, "places": places_for(base, active), "note": ""} for code, base in PLACES.items()]
    if year >= 2020:
        rows.append({"school_code": CO_BUILT, "places": places_for(CO_BUILT_PLACES, active), "note": "共建幼儿园"})
    return rows


def _rules(cast: Cast, year: int, adopted_on: datetime.date, dates: dict, active: int, number: int):
    from gonghui.admissions.services.rules import rules_adopt, rules_draft_create

    with _on(adopted_on - 10 * DAY):
        draft = rules_draft_create(
            actor=cast.office,
            year=year,
            name=f"{year}年教职工子女入托入学工作通知",
            nursery_months=36,
            kindergarten_months=36,
            batches=BATCHES,
            places=_places(year, active),
            **dates,
        )
    with _on(adopted_on):
        return rules_adopt(
            actor=cast.office, rules=draft, adopted_on=adopted_on, resolution=f"校工会〔{adopted_on.year}〕{number}号"
        )


def _history_dates(year: int) -> dict:
    return {
        "survey_opens": datetime.date(year - 1, 11, 1),
        "survey_closes": datetime.date(year - 1, 12, 15),
        "requests_open": datetime.date(year, 3, 1),
        "requests_deadline": datetime.date(year, 4, 30),
    }


# --- a year's survey and requests ---------------------------------------------------------------


@dataclass
class Plan:
    """What the family of one survey line does."""

    line: SurveyLine
    need: str
    school: School | None
    alternative: School | None
    hukou: str
    housing: str
    applies: bool
    late: bool


def _plan(line: SurveyLine, schools: dict[str, School], year: int) -> Plan:
    dice = _dice(line.parent, line.child)
    if line.stage == Stage.NURSERY:
        need = Need.YES if dice < 90 else (Need.UNDECIDED if dice < 95 else Need.NO)
        if year >= 2020:
            first, second = (KINDERGARTEN, CO_BUILT) if dice % 3 == 0 else (CO_BUILT, KINDERGARTEN)
            school, alternative = schools[first], schools[second]
        else:
            school, alternative = schools[KINDERGARTEN], None
    else:
        share = 60 if line.stage == Stage.PRIMARY else 50
        need = Need.YES if dice < share else (Need.NO if dice < 95 else Need.UNDECIDED)
        school, alternative = schools[STAGE_SCHOOL[Stage(line.stage)]], None
    if need != Need.YES:
        school = alternative = None
    return Plan(
        line=line,
        need=need,
        school=school,
        alternative=alternative,
        hukou=HUKOU[dice % len(HUKOU)],
        housing=HOUSING[dice // 7 % len(HOUSING)],
        applies=need == Need.YES and dice % 10 != 9,
        late=dice % 10 == 8,
    )


def _answer(cast: Cast, plans: list[Plan]) -> None:
    from gonghui.admissions.services.survey import survey_answer

    for plan in plans:
        survey_answer(
            actor=cast.collector(plan.line.parent.sub_union_id),
            line=plan.line,
            need=plan.need,
            school=plan.school,
            alternative=plan.alternative,
            hukou_district=plan.hukou,
            housing=plan.housing,
        )


def _lines(campaign: Campaign, schools: dict[str, School]) -> list[Plan]:
    lines = (
        SurveyLine.objects.filter(campaign=campaign)
        .select_related("child", "parent__sub_union")
        .order_by("parent__staff_no", "child__birth_date", "child__name")
    )
    return [_plan(line, schools, campaign.year) for line in lines]


def _documents(actor: User, request: AdmissionRequest, *, all_of_them: bool = True) -> None:
    from gonghui.admissions.selectors.requests import documents_required
    from gonghui.admissions.services.requests import document_upload

    rules = documents_required(request)
    for rule in rules if all_of_them else rules[:2]:
        document_upload(actor=actor, request=request, code=rule.code, uploaded_file=_pdf(f"{rule.label}.pdf"))


def _create(actor: User, campaign: Campaign, plan: Plan) -> AdmissionRequest:
    from gonghui.admissions.services.requests import request_create

    assert plan.school is not None
    return request_create(
        actor=actor,
        campaign=campaign,
        child=plan.line.child,
        school=plan.school,
        alternative=plan.alternative,
        hukou_district=plan.hukou,
        housing=plan.housing,
    )


def _check(cast: Cast, request: AdmissionRequest) -> None:
    from gonghui.admissions.services.requests import document_check, request_check

    actor = cast.collector(request.parent.sub_union_id)
    for document in request.documents.all():
        document_check(actor=actor, document=document)
    request_check(actor=actor, request=request)


def _placements(cast: Cast, campaign: Campaign, places: dict[int, int]) -> None:
    """The schools' answers: each school places in batch order up to its places, then the
    alternative takes whom it has room for; the rest are not placed."""
    from gonghui.admissions.services.requests import request_answer

    left = dict(places)
    referred = (
        AdmissionRequest.objects.filter(campaign=campaign, status=RequestStatus.REFERRED)
        .select_related("school", "alternative")
        .order_by("batch_position", "submitted_at", "number")
    )
    for request in referred:
        if left.get(request.school_id, 0) > 0:
            left[request.school_id] -= 1
            request_answer(actor=cast.ruxue, request=request, placed=True, source=AnswerSource.IMPORT)
        elif request.alternative_id and left.get(request.alternative_id, 0) > 0:
            left[request.alternative_id] -= 1
            request_answer(
                actor=cast.ruxue,
                request=request,
                placed=True,
                school=request.alternative,
                source=AnswerSource.IMPORT,
                note="备选学校录取",
            )
        else:
            request_answer(actor=cast.ruxue, request=request, placed=False, source=AnswerSource.IMPORT, note="学位已满")


def _year(cast: Cast, year: int, schools: dict[str, School], active: int) -> Campaign:
    from gonghui.admissions.services import campaigns as campaign_services
    from gonghui.admissions.services.requests import request_submit

    rules = _rules(cast, year, datetime.date(year - 1, 10, 20), _history_dates(year), active, 9)
    with _on(datetime.date(year - 1, 10, 25)):
        campaign = campaign_services.campaign_create(actor=cast.office, year=year, rules=rules)
    with _on(datetime.date(year - 1, 11, 1), 9):
        campaign = campaign_services.campaign_open_survey(actor=cast.office, campaign=campaign)
    plans = _lines(campaign, schools)
    with _on(datetime.date(year - 1, 11, 25)):
        _answer(cast, plans)
    with _on(datetime.date(year, 3, 1), 9):
        campaign = campaign_services.campaign_open_requests(actor=cast.office, campaign=campaign)
    applying = [p for p in plans if p.applies]
    parents = _users_of([p.line.parent for p in applying])
    with _on(datetime.date(year, 4, 10)):
        # the parents apply on the portal, with their documents
        requests = {p.line.pk: _create(parents[p.line.parent_id], campaign, p) for p in applying}
        for plan in applying:
            if not plan.late:
                request = requests[plan.line.pk]
                _documents(parents[plan.line.parent_id], request)
                request_submit(actor=parents[plan.line.parent_id], request=request)
    with _on(datetime.date(year, 4, 20)):
        for plan in applying:
            if not plan.late:
                _check(cast, AdmissionRequest.objects.select_related("parent").get(pk=requests[plan.line.pk].pk))
    with _on(datetime.date(year, 5, 6)):  # after the deadline: 视为自行解决
        for plan in applying:
            if plan.late:
                request_submit(actor=parents[plan.line.parent_id], request=requests[plan.line.pk])
    with _on(datetime.date(year, 5, 10)):
        campaign = campaign_services.campaign_refer(actor=cast.ruxue, campaign=campaign)
    places = {schools[row.school_code].pk: row.places for row in rules.places.all()}
    with _on(datetime.date(year, 6, 20)):
        _placements(cast, campaign, places)
    with _on(datetime.date(year, 7, 1)):
        campaign = campaign_services.campaign_close(actor=cast.office, campaign=campaign)
    return campaign


# --- advice and visits -----------------------------------------------------------------------


def _notes(cast: Cast, year: int, on: datetime.date, *, publish: bool = True) -> None:
    from gonghui.admissions.services import advice

    districts = ["海淀区"] + (["朝阳区"] if year >= 2020 else [])
    with _on(on):
        for index, district in enumerate(districts):
            title, body, url = NOTES[district]
            note = advice.policy_note_create(
                actor=cast.office,
                year=year,
                district=district,
                title=title % {"year": year},
                body=body % {"year": year, "born": year - 3},
                source_url=url,
            )
            if publish or index == 0:
                advice.policy_note_publish(actor=cast.office, note=note)


def _consultations(cast: Cast, on: datetime.date, people: list[Person]) -> None:
    from gonghui.admissions.services.advice import consultation_log

    channels = list(ConsultationChannel)
    with _on(on + 2 * DAY, 15):
        for index, (stage, district, question, answer) in enumerate(QUESTIONS):
            consultation_log(
                actor=cast.ruxue,
                person=people[index] if index < len(people) else None,
                asked_on=on + index * DAY,
                channel=channels[index % len(channels)],
                question=question,
                answer=answer,
                stage=stage,
                district=district,
            )


def _users_of(people: list[Person]) -> dict[int, User]:
    """Each person's account by their id (parents apply and members sign up themselves): one
    without a usable password for those who have none."""
    users = {u.person_id: u for u in User.objects.filter(person__in=people)}
    for person in people:
        if person.pk not in users:
            user = User(username=person.staff_no, person=person)
            user.set_unusable_password()
            user.save()
            users[person.pk] = user
    return users


def _young_staff(count: int, skip: set[str]) -> list[Person]:
    """Young active staff (the visit is for them), the youngest born by 1995 (on the staff in 2021) first."""
    return list(
        Person.objects.filter(employment_status=EmploymentStatus.ACTIVE, birth_date__year__lte=1995)
        .exclude(staff_no__in=skip)
        .order_by("-birth_date", "staff_no")[:count]
    )


def _visits(cast: Cast, schools: dict[str, School], today: datetime.date) -> None:
    from gonghui.admissions.services import advice

    school = schools[PRIMARY]
    with _on(datetime.date(2021, 3, 25)):
        held = advice.visit_create(
            actor=cast.office,
            school=school,
            visit_on=datetime.date(2021, 4, 17),
            capacity=30,
            signup_until=datetime.date(2021, 4, 12),
            meeting_point="东门",
            note="附小开放日：参观校园、听一节公开课、与招生老师座谈。",
        )
    young = _young_staff(8, {"100001"})
    users = _users_of(young)
    goers = [users[p.pk] for p in young]
    with _on(datetime.date(2021, 4, 2), 12):
        for user in goers:
            advice.visit_signup(actor=user, visit=held)
    with _on(datetime.date(2021, 4, 17), 16):
        held = advice.visit_hold(actor=cast.office, visit=held)
        signups = list(held.signups.order_by("pk").values_list("pk", flat=True))
        advice.visit_attendance_record(actor=cast.office, visit=held, attended_ids=signups[:-1])
    # this year's, open for sign-up (the demo sign-in 100001 can still sign up)
    with _on(today - 3 * DAY):
        current = advice.visit_create(
            actor=cast.office,
            school=schools[CO_BUILT],
            visit_on=today + 12 * DAY,
            capacity=20,
            signup_until=today + 7 * DAY,
            meeting_point="东门班车站",
            note="共建幼儿园开放日，校车往返。",
        )
    with _on(today - 2 * DAY, 12):
        for user in goers[:5]:
            advice.visit_signup(actor=user, visit=current)


# --- the shortage and the proposal ------------------------------------------------------------


def _shortage_2019(cast: Cast) -> None:
    from gonghui.admissions.selectors.demand import shortages
    from gonghui.admissions.services.shortages import shortage_proposal_link, shortage_record
    from gonghui.proposals.models import Proposal

    found = [s for s in shortages(2019) if s.stage == Stage.NURSERY and s.school is None]
    if not found:
        return
    gap = found[0]
    with _on(datetime.date(2019, 7, 15)):
        shortage = shortage_record(
            actor=cast.office,
            year=2019,
            stage=Stage.NURSERY,
            district="海淀区",
            demand=gap.demand,
            places=gap.places,
            title="2019年教职工子女入园学位缺口",
            summary="示范大学幼儿园面向教职工子女的学位连续两年远少于需求，青年教师子女入园难。",
        )
        # the proposal of the congress's 2019 session (the proposals demo's archive), not a later one
        proposal = (
            Proposal.objects.filter(session__opens_on__year=2019, title__contains="入园难")
            .exclude(status="draft")
            .order_by("pk")
            .first()
        )
        if proposal is not None:
            shortage_proposal_link(actor=cast.office, shortage=shortage, proposal=proposal)


# --- the current campaign ------------------------------------------------------------------------


def current_year(today: datetime.date) -> int:
    """The year of the campaign running now: the September after its request deadline (in
    20 days), never one of the history's years."""
    deadline = today + 20 * DAY
    year = deadline.year if deadline < datetime.date(deadline.year, 9, 1) else deadline.year + 1
    return max(year, HISTORY[-1] + 1)


def _demo_member_child(cast: Cast, year: int, on: datetime.date) -> Person | None:
    """The demo member's second child, starting primary school in the campaign's year."""
    from gonghui.people.services import child_add

    member = Person.objects.filter(staff_no=DEMO_MEMBER).first()
    if member is None:
        return None
    with _on(on):
        child_add(
            actor=cast.office, parent=member, name="李语安", gender="F", birth_date=datetime.date(year - 6, 3, 15)
        )
    return member


def _demo_member_answer(campaign: Campaign, member: Person | None, schools: dict[str, School]) -> None:
    from gonghui.admissions.services.survey import survey_answer

    user = User.objects.filter(person=member).first() if member is not None else None
    line = SurveyLine.objects.filter(campaign=campaign, parent=member).first() if member is not None else None
    if user is None or line is None:
        return
    survey_answer(
        actor=user,
        line=line,
        need=Need.YES,
        school=schools[PRIMARY],
        hukou_district="海淀区",
        housing=Housing.OWNED,
        note="希望就读附小",
    )


def _current(cast: Cast, schools: dict[str, School], active: int, today: datetime.date) -> Campaign:
    from gonghui.admissions.services import campaigns as campaign_services
    from gonghui.admissions.services.requests import request_submit

    year = current_year(today)
    dates = {
        "survey_opens": today - 60 * DAY,
        "survey_closes": today - 25 * DAY,
        "requests_open": today - 15 * DAY,
        "requests_deadline": today + 20 * DAY,
    }
    rules = _rules(cast, year, today - 75 * DAY, dates, active, 7)
    with _on(today - 70 * DAY):
        campaign = campaign_services.campaign_create(actor=cast.office, year=year, rules=rules)
    member = _demo_member_child(cast, year, today - 65 * DAY)
    with _on(today - 60 * DAY, 9):
        campaign = campaign_services.campaign_open_survey(actor=cast.office, campaign=campaign)
    # the demo member (README: 100001) answers on the portal and has yet to apply: their page
    # shows the child's stage, the answer and the button that starts a request
    plans = [p for p in _lines(campaign, schools) if p.line.parent_id != getattr(member, "pk", None)]
    answered = [p for p in plans if _dice(p.line.parent, p.line.child) % 5 != 4]  # four in five
    with _on(today - 40 * DAY):
        _answer(cast, answered)
        _demo_member_answer(campaign, member, schools)
    _notes(cast, year, today - 30 * DAY, publish=False)
    with _on(today - 15 * DAY, 9):
        campaign = campaign_services.campaign_open_requests(actor=cast.office, campaign=campaign)
    applying = [p for p in answered if p.applies and not p.late]
    parents = _users_of([p.line.parent for p in applying])
    with _on(today - 10 * DAY):
        requests = [(p, _create(parents[p.line.parent_id], campaign, p)) for p in applying]
        for index, (plan, request) in enumerate(requests):
            # every third is still missing some documents
            _documents(parents[plan.line.parent_id], request, all_of_them=index % 3 != 2)
    with _on(today - 5 * DAY):
        for index, (plan, request) in enumerate(requests):
            if index % 3 != 2 and index % 4 != 3:
                request_submit(actor=parents[plan.line.parent_id], request=request)
    with _on(today - 2 * DAY):
        for index, (_plan, request) in enumerate(requests):
            if index % 3 == 0 and index % 4 != 3:
                _check(cast, AdmissionRequest.objects.select_related("parent").get(pk=request.pk))
    return campaign


# --- the whole ------------------------------------------------------------------------------------


def _summary() -> str:
    from gonghui.admissions.selectors.demand import demand_by_year

    table = demand_by_year()
    parts = []
    for year in table.years:
        nursery = table.total(year=year, stage=Stage.NURSERY)
        parts.append(f"{year} nursery {nursery.demand} needed / {nursery.places} places / {nursery.placed} placed")
    current = Campaign.objects.order_by("-year").first()
    assert current is not None
    return (
        f"{Campaign.objects.count()} campaigns ({'; '.join(parts)}); "
        f"{current.year} {current.get_status_display()}: "
        f"{AdmissionRequest.objects.filter(campaign=current).count()} requests, "
        f"{SchoolVisit.objects.count()} visits"
    )


def admissions_demo_build() -> str:
    """Build the demo history once (later runs change nothing)."""
    office = User.objects.filter(username="office").first()
    ruxue = User.objects.filter(username="ruxue").first()
    econ = SubUnion.objects.filter(code=ECON).first()
    if office is None or ruxue is None or econ is None:
        return ""
    if Campaign.objects.filter(year=HISTORY[0]).exists() or School.objects.filter(code=KINDERGARTEN).exists():
        return ""
    cast = Cast(
        office=office,
        ruxue=ruxue,
        officer=User.objects.filter(username=OFFICER).first(),
        econ_ids=set(SubUnion.objects.with_descendants([econ.pk])),
    )
    today = timezone.localdate()
    active = Person.objects.filter(employment_status=EmploymentStatus.ACTIVE).count()
    # each phase commits at its date: a run cut short leaves rows to remove by --reset
    _schools(cast)
    schools = {s.code: s for s in School.objects.all()}
    for year in HISTORY:
        _notes(cast, year, datetime.date(year, 2, 20))
        campaign = _year(cast, year, schools, active)
        parents = list(
            Person.objects.filter(
                pk__in=SurveyLine.objects.filter(campaign=campaign, need=Need.YES).values("parent_id")
            ).order_by("staff_no")[: len(QUESTIONS)]
        )
        _consultations(cast, datetime.date(year, 3, 12), parents)
        if year == 2019:
            _shortage_2019(cast)
    _visits(cast, schools, today)
    _current(cast, schools, active, today)
    return _summary()

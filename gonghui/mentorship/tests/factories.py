"""Building a mentorship cohort for the mentorship tests.

The world (`mentorship_world`): the university of the root conftest (at its fixed moment,
2021-03-15 10:00) with the 2021 rules adopted — mentors 副高级 or above with 5 years' teaching,
the same discipline, one mentee each; new teachers under 40 hired within 3 years; 4
demonstrations and 8 observations a year; grades 合格 1200, 基本合格 600 + 600 after a 6-month
extension, 不合格 0 — and 第八期 (cycle 2021-03-01 … 2023-02-28), a draft.

Teachers (profile: title, discipline, research field, campus, hired, teaching since):
- mentors: 孙教授 E1101 (经济学院, 教授, 经济学, 宏观经济, 海淀, teaching since 2000),
  周副教授 E1102 (经济学院, 副教授, 经济学, 金融, 通州, 2008), 郑教授 L1101 (法学院, 教授, 法学,
  民法, 海淀, 1998); 吴讲师 E1103 (经济学院, 讲师: below the title);
- new teachers: 赵青 E2001 (经济学院, born 1992, hired 2020-07-01, 经济学, 宏观经济, 海淀), 钱青
  E2002 (经济学院, 1990, 2019-09-01, 经济学, 金融, 通州), 孙青 L2001 (法学院, 1993, 2020-09-01,
  法学, 民法, 海淀); 李老 E2003 (born 1975: over 40) and 王旧 L2002 (hired 2015: not new).

Accounts: `w.users` has the root conftest's (the economics officer 陈静 E0099, the office …)
plus `mentee` (赵青) and `mentor` (孙教授).

`through(w, stage)` runs the real services up to a stage: "matching" (opened, the five
eligible teachers named), "proposed" (赵青←孙教授, 钱青←周副教授 and 孙青←郑教授 proposed),
"agreed" (all three signed on 2021-03-10), "running" (the ceremony on 2021-03-12).
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.mentorship.choices import Side, TitleRank
from gonghui.mentorship.models import TeacherProfile
from gonghui.mentorship.services import cohorts as cohort_services
from gonghui.mentorship.services import pairs as pair_services
from gonghui.mentorship.services.rules import DEFAULT_GRADES, RulesSettings, rules_adopt
from gonghui.people.choices import Gender
from gonghui.people.tests.factories import person_make, user_make

STARTS_ON = datetime.date(2021, 3, 1)
SIGNED_ON = datetime.date(2021, 3, 10)
CEREMONY_ON = datetime.date(2021, 3, 12)
STAGES = ("draft", "matching", "proposed", "agreed", "running")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def agreement_file(name: str = "协议.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def teacher_make(staff_no, name, sub_union, *, born, title, rank, discipline, field, campus, hired, since, **extra):
    person = person_make(staff_no=staff_no, name=name, sub_union=sub_union, birth_date=born, **extra)
    TeacherProfile.objects.create(
        person=person,
        title=title,
        title_rank=rank,
        discipline=discipline,
        research_field=field,
        campus=campus,
        hired_on=hired,
        teaching_since=since,
    )
    return person


def mentorship_world(university) -> SimpleNamespace:
    office = university.users["union_office"]
    econ, law = university.econ, university.law
    d = datetime.date
    rules = rules_adopt(
        actor=office,
        settings=RulesSettings(year=2021, name="2021年青年教师拜师结对实施办法"),
        grades=DEFAULT_GRADES,
        adopted_on=d(2021, 1, 10),
        resolution="校工会〔2021〕3号",
    )
    sun = teacher_make(
        "E1101", "孙教授", econ, born=d(1968, 4, 1), title="教授", rank=TitleRank.SENIOR, discipline="经济学",
        field="宏观经济", campus="海淀", hired=d(2000, 7, 1), since=d(2000, 9, 1),
    )  # fmt: skip
    zhou = teacher_make(
        "E1102", "周副教授", econ, born=d(1978, 6, 1), title="副教授", rank=TitleRank.ASSOCIATE, discipline="经济学",
        field="金融", campus="通州", hired=d(2008, 7, 1), since=d(2008, 9, 1), gender=Gender.FEMALE,
    )  # fmt: skip
    zheng = teacher_make(
        "L1101", "郑教授", law, born=d(1965, 1, 1), title="教授", rank=TitleRank.SENIOR, discipline="法学",
        field="民法", campus="海淀", hired=d(1998, 7, 1), since=d(1998, 9, 1),
    )  # fmt: skip
    wu = teacher_make(
        "E1103", "吴讲师", econ, born=d(1985, 1, 1), title="讲师", rank=TitleRank.INTERMEDIATE, discipline="经济学",
        field="金融", campus="海淀", hired=d(2012, 7, 1), since=d(2012, 9, 1),
    )  # fmt: skip
    zhao = teacher_make(
        "E2001", "赵青", econ, born=d(1992, 5, 1), title="讲师", rank=TitleRank.INTERMEDIATE, discipline="经济学",
        field="宏观经济", campus="海淀", hired=d(2020, 7, 1), since=d(2020, 9, 1),
    )  # fmt: skip
    qian = teacher_make(
        "E2002", "钱青", econ, born=d(1990, 2, 1), title="讲师", rank=TitleRank.INTERMEDIATE, discipline="经济学",
        field="金融", campus="通州", hired=d(2019, 9, 1), since=d(2019, 9, 1), gender=Gender.FEMALE,
    )  # fmt: skip
    sunq = teacher_make(
        "L2001", "孙青", law, born=d(1993, 8, 1), title="助教", rank=TitleRank.JUNIOR, discipline="法学",
        field="民法", campus="海淀", hired=d(2020, 9, 1), since=d(2020, 9, 1),
    )  # fmt: skip
    old = teacher_make(
        "E2003", "李老", econ, born=d(1975, 1, 1), title="讲师", rank=TitleRank.INTERMEDIATE, discipline="经济学",
        field="金融", campus="海淀", hired=d(2020, 7, 1), since=d(2020, 9, 1),
    )  # fmt: skip
    veteran = teacher_make(
        "L2002", "王旧", law, born=d(1990, 1, 1), title="讲师", rank=TitleRank.INTERMEDIATE, discipline="法学",
        field="民法", campus="海淀", hired=d(2015, 7, 1), since=d(2015, 9, 1),
    )  # fmt: skip
    cohort = cohort_services.cohort_create(
        actor=office, number=8, rules=rules, starts_on=STARTS_ON, proposals_close=d(2021, 3, 20)
    )
    users = dict(university.users)
    users["mentee"] = user_make(username="E2001", person=zhao)
    users["mentor"] = user_make(username="E1101", person=sun)
    return SimpleNamespace(
        university=university,
        office=office,
        officer=users["sub_union_officer"],
        users=users,
        rules=rules,
        cohort=cohort,
        econ=econ,
        law=law,
        sun=sun,
        zhou=zhou,
        zheng=zheng,
        wu=wu,
        zhao=zhao,
        qian=qian,
        sunq=sunq,
        old=old,
        veteran=veteran,
        pairs={},
    )


def through(w: SimpleNamespace, stage: str) -> SimpleNamespace:
    """Run the services from the draft up to `stage` (see the module's docstring)."""
    wanted = STAGES.index(stage)
    office = w.office
    if wanted >= 1:
        w.cohort = cohort_services.cohort_open(actor=office, cohort=w.cohort)
        for person in (w.zhao, w.qian, w.sunq):
            pair_services.candidate_add(actor=office, cohort=w.cohort, person=person, side=Side.MENTEE)
        for person in (w.sun, w.zhou, w.zheng):
            pair_services.candidate_add(actor=office, cohort=w.cohort, person=person, side=Side.MENTOR)
    if wanted >= 2:
        for mentee, mentor in ((w.zhao, w.sun), (w.qian, w.zhou), (w.sunq, w.zheng)):
            w.pairs[mentee.name] = pair_services.pair_propose(
                actor=office, cohort=w.cohort, mentor=mentor, mentee=mentee
            )
    if wanted >= 3:
        for name, pair in list(w.pairs.items()):
            w.pairs[name] = pair_services.pair_agree(
                actor=office,
                pair=pair,
                signed_on=SIGNED_ON,
                uploaded_file=agreement_file(),
                plan="第一年听课，第二年开课",
            )
    if wanted >= 4:
        w.cohort = cohort_services.cohort_start(actor=office, cohort=w.cohort, ceremony_on=CEREMONY_ON)
        for name, pair in list(w.pairs.items()):
            pair.refresh_from_db()
            w.pairs[name] = pair
    return w


# --- helpers of the service tests -------------------------------------------------------------


@contextmanager
def nothing_written():
    """Asserts that the block leaves every table's row count as it was (a refused action)."""
    from tests.tables import changed_tables, table_counts

    before = table_counts()
    yield
    changed = changed_tables(before, table_counts())
    assert changed == {}


def officer_make(sub_union, staff_no: str, name: str = "王干事"):
    """A college's officer (分工会干事) of `sub_union`, with their user."""
    from gonghui.accounts.roles import Role

    person = person_make(staff_no=staff_no, name=name, sub_union=sub_union)
    return user_make(username=staff_no, person=person, roles=[(Role.SUB_UNION_OFFICER, sub_union)])

"""Building an appraisal round for the appraisal tests.

The world (`appraisal_world`): the university of the root conftest (at its fixed moment,
2021-03-15 10:00) with the year's rules adopted (the example rules of DOMAIN §3.6: leaders 30,
cadres 30, staff 40 counted for the quorum of 2/3; 优秀/称职/基本称职/不称职 and 好/较好/一般/差;
诫勉谈话 when 优秀+称职 < 2/3, 考虑调整 when 不称职 > 1/3), and a round voting on 2021-03-20
from 09:00 to 18:00 in two units:

- economics: cadres 钱院长 (院长) and 孙书记 (书记); its staff are 张伟 (the member user), 李娜,
  陈静 (the econ officer's person) and two more; tellers 李娜 and 陈静;
- law: cadre 周院长 (院长); staff 王芳 and two more; tellers 王芳 and 郑红.

The university leader 吴校长 votes in both, in the leaders' category. The organisation
department's user is `zzb` (in `users`).

Helpers run the real services, one stage after another (`through`)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils import timezone

from gonghui.appraisals.choices import RoundStatus, VotingMode
from gonghui.appraisals.services import rounds as round_services
from gonghui.appraisals.services.rules import RulesText, rules_adopt, rules_text
from gonghui.people.choices import SubUnionKind
from gonghui.people.tests.factories import SubUnionFactory, person_make, user_make

OPENS = datetime.datetime(2021, 3, 20, 9, 0)
CLOSES = datetime.datetime(2021, 3, 20, 18, 0)


def aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment)


def rules_make(u, *, year: int = 2021, mode: str = VotingMode.ONLINE, text: RulesText | None = None, **fields):
    values = {
        "quorum_numerator": 2,
        "quorum_denominator": 3,
        "report_days": 3,
        "team_ballot": True,
        "name": "",
        "adopted_on": datetime.date(year, 1, 10),
        "resolution": "党委组织部〔2021〕1号",
    }
    values.update(fields)
    return rules_adopt(actor=u.users["union_office"], year=year, mode=mode, text=text or rules_text(None), **values)


def appraisal_world(u, *, mode: str = VotingMode.ONLINE) -> SimpleNamespace:
    office = u.users["union_office"]
    admin_offices = SubUnionFactory(code="ADM", name="机关分工会", kind=SubUnionKind.COLLEGE, union=u.econ.union)
    leader = person_make(staff_no="X0001", name="吴校长", sub_union=admin_offices)
    dean = person_make(staff_no="E0101", name="钱院长", sub_union=u.econ)
    secretary = person_make(staff_no="E0102", name="孙书记", sub_union=u.econ)
    econ_staff = [person_make(staff_no=f"E02{i:02d}", name=f"经济{i}", sub_union=u.econ) for i in range(2)]
    law_dean = person_make(staff_no="L0101", name="周院长", sub_union=u.law)
    zheng = person_make(staff_no="L0102", name="郑红", sub_union=u.law)
    law_staff = [person_make(staff_no=f"L02{i:02d}", name=f"法学{i}", sub_union=u.law) for i in range(1)]
    users = dict(u.users)
    users["zzb"] = u.users["organisation_department"]
    users["leader"] = user_make(username="X0001", person=leader)
    users["dean"] = user_make(username="E0101", person=dean)
    users["li"] = user_make(username="E0002", person=u.li)
    users["wang"] = user_make(username="L0001", person=u.wang)
    users["zheng"] = user_make(username="L0102", person=zheng)
    rules = rules_make(u, mode=mode)
    appraisal_round = round_services.round_create(
        actor=office, year=2021, title="2021年度中层干部民主测评", opens_at=aware(OPENS), closes_at=aware(CLOSES)
    )
    econ = round_services.unit_add(actor=office, appraisal_round=appraisal_round, sub_union=u.econ)
    law = round_services.unit_add(actor=office, appraisal_round=appraisal_round, sub_union=u.law)
    cadres = {
        "dean": round_services.cadre_add(actor=office, unit=econ, staff_no="E0101", post="院长"),
        "secretary": round_services.cadre_add(actor=office, unit=econ, staff_no="E0102", post="书记"),
        "law_dean": round_services.cadre_add(actor=office, unit=law, staff_no="L0101", post="院长"),
    }
    for cadre in cadres.values():
        round_services.cadre_report_set(actor=office, cadre=cadre, text=f"{cadre.person.name}2021年度述职报告")
    for unit in (econ, law):
        round_services.voters_fill(actor=office, unit=unit, staff_category="staff", cadre_category="cadre")
    round_services.voters_add(actor=office, units=[econ, law], staff_numbers=["X0001"], category="leader")
    round_services.tellers_set(actor=office, unit=econ, staff_numbers=["E0002", "E0099"])
    round_services.tellers_set(actor=office, unit=law, staff_numbers=["L0001", "L0102"])
    return SimpleNamespace(
        u=u,
        rules=rules,
        round=appraisal_round,
        econ=econ,
        law=law,
        cadres=cadres,
        leader=leader,
        dean=dean,
        secretary=secretary,
        law_dean=law_dean,
        zheng=zheng,
        econ_staff=econ_staff,
        law_staff=law_staff,
        users=users,
        office=office,
    )


def grades_all(unit, cadre_grade: str = "excellent", team_grade: str = "good") -> dict:
    """A full ballot for `unit`: every cadre `cadre_grade`, the team `team_grade`."""
    choices = {cadre.item_key: cadre_grade for cadre in unit.cadres.all()}
    choices["team"] = team_grade
    return choices


STAGES = ("published", "open", "closed", "tallied", "released")


def through(w, stage: str, clock=None) -> None:
    """Run the round's real services up to `stage`, moving the clock (time-machine) as they
    need: the reports out on 2021-03-15, voting at 09:00 on the 20th, closing at 18:00."""
    from gonghui.accounts.system import system_actor

    steps = STAGES[: STAGES.index(stage) + 1]
    w.round.refresh_from_db()
    if "published" in steps and w.round.status == RoundStatus.DRAFT:
        round_services.reports_publish(actor=w.office, appraisal_round=w.round)
    if "open" in steps and w.round.status == RoundStatus.REPORTS_PUBLISHED:
        if clock is not None:
            clock.move_to(aware(OPENS) + datetime.timedelta(minutes=1))
        round_services.voting_open(actor=w.office, appraisal_round=w.round)
    if "closed" in steps and w.round.status == RoundStatus.VOTING_OPEN:
        if clock is not None:
            clock.move_to(aware(CLOSES) + datetime.timedelta(minutes=1))
        round_services.voting_close(actor=system_actor(), appraisal_round=w.round)
    if "tallied" in steps and w.round.status == RoundStatus.VOTING_CLOSED:
        round_services.round_tally(actor=w.office, appraisal_round=w.round)
    if "released" in steps and w.round.status == RoundStatus.TALLIED:
        round_services.results_release(actor=w.users["zzb"], appraisal_round=w.round)
    w.round.refresh_from_db()
    for unit in (w.econ, w.law):
        unit.refresh_from_db()

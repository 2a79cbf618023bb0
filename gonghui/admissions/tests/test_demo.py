"""The admissions demo: at the small scale the tests build (every year run through the
services, every status with its events, the current campaign live today, a second run that
changes nothing), and at full size the bulletin's story — nursery demand far above the
places in 2018 and 2019, the shortage turned into the congress proposal, the co-built
kindergarten's places from 2020 and unmet demand falling."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone

from gonghui.admissions.choices import CampaignStatus, PolicyNoteStatus, RequestStatus, Stage, VisitStatus
from gonghui.admissions.demo import CO_BUILT, admissions_demo_build, current_year
from gonghui.admissions.models import (
    AdmissionRequest,
    AdmissionRequestEvent,
    AdmissionRules,
    Campaign,
    CampaignEvent,
    Consultation,
    PolicyNote,
    School,
    SchoolVisit,
    ShortageAction,
)
from gonghui.admissions.selectors.demand import demand_by_year, history
from gonghui.core.editions import EditionStatus
from gonghui.core.registry import demo_builders
from gonghui.people.demo import demo_university_build
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db

HISTORY = [2018, 2019, 2020, 2021]


def _nursery(year):
    figures = demand_by_year().total(year=year, stage=Stage.NURSERY)
    return (year, figures.demand, figures.places, figures.placed, figures.unmet)


def test_the_demo_at_the_small_scale(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    demo_university_build(scale=0.1)
    line = admissions_demo_build()
    assert "admissions" in [builder.name for builder in demo_builders()]
    assert line.startswith(
        "5 campaigns (2018 nursery 1 needed / 1 places / 0 placed; 2019 nursery 1 needed / 1 places / 1 placed; "
        "2020 nursery 4 needed / 4 places / 4 placed; 2021 nursery 4 needed / 4 places / 4 placed; "
    )
    _the_history()
    _every_status_has_its_events()
    _the_current_campaign()
    _advice_and_visits()
    _a_second_run_changes_nothing()


def _the_history():
    table = demand_by_year(years=HISTORY)
    assert [
        (f.year, f.stage, f.demand, f.requests, f.placed, f.not_placed, f.self_arranged, f.places)
        for f in table.by("year", "stage")
    ] == [
        (2018, "nursery", 1, 1, 0, 0, 1, 1),
        (2018, "primary", 2, 1, 1, 0, 0, 2),
        (2018, "junior", 0, 0, 0, 0, 0, 2),
        (2019, "nursery", 1, 1, 1, 0, 0, 1),
        (2019, "primary", 1, 1, 1, 0, 0, 2),
        (2019, "junior", 2, 1, 1, 0, 0, 2),
        (2020, "nursery", 4, 4, 4, 0, 0, 4),
        (2020, "primary", 1, 1, 1, 0, 0, 2),
        (2020, "junior", 0, 0, 0, 0, 0, 2),
        (2021, "nursery", 4, 4, 4, 0, 0, 4),
        (2021, "primary", 1, 1, 0, 0, 1, 2),
        (2021, "junior", 2, 2, 2, 0, 0, 2),
    ]
    campaigns = list(Campaign.objects.filter(year__in=HISTORY).order_by("year"))
    assert [(c.year, c.status) for c in campaigns] == [(year, CampaignStatus.CLOSED) for year in HISTORY]
    # each went draft → survey → requests → referred → closed, at the year's dates
    for campaign in campaigns:
        events = list(CampaignEvent.objects.filter(subject=campaign).order_by("at", "pk"))
        assert [e.step for e in events] == ["created", "open_survey", "open_requests", "refer", "close"]
        assert timezone.localdate(events[1].at) == datetime.date(campaign.year - 1, 11, 1)
        assert timezone.localdate(events[-1].at) == datetime.date(campaign.year, 7, 1)
    rules = AdmissionRules.objects.filter(year__in=HISTORY).order_by("year")
    assert [(r.year, r.status, r.adopted_on, r.nursery_months) for r in rules] == [
        (year, EditionStatus.ADOPTED, datetime.date(year - 1, 10, 20), 36) for year in HISTORY
    ]
    # the co-built kindergarten: recorded in 2019, opened 2020-09-01, places from the 2020 rules
    co_built = School.objects.get(code=CO_BUILT)
    assert (co_built.affiliation, co_built.district, co_built.opened_on) == (
        "co_built",
        "朝阳区",
        datetime.date(2020, 9, 1),
    )
    assert {r.year for r in rules if r.places.filter(school_code=CO_BUILT).exists()} == {2020, 2021}
    assert ShortageAction.objects.count() == 0  # no shortage at this size


def _every_status_has_its_events():
    last_step = (
        AdmissionRequestEvent.objects.filter(subject=OuterRef("pk")).exclude(step="document").order_by("-at", "-pk")
    )
    requests = AdmissionRequest.objects.annotate(last=Subquery(last_step.values("to_state")[:1]))
    assert not requests.exclude(last=F("status")).exists()
    assert AdmissionRequest.objects.annotate(created=Count("events")).filter(created=0).count() == 0
    steps = dict(
        AdmissionRequestEvent.objects.filter(subject__campaign__year__in=HISTORY)
        .values_list("step")
        .annotate(n=Count("pk"))
        .order_by()
    )
    assert steps == {
        "created": 17,
        "document": 75,
        "submit": 15,
        "check": 15,
        "refer": 15,
        "place": 15,
        "arrange_self": 2,
    }
    late = AdmissionRequest.objects.filter(status=RequestStatus.SELF_ARRANGED)
    assert late.count() == late.filter(late=True).count() == 2


def _the_current_campaign():
    today = timezone.localdate()
    current = Campaign.objects.select_related("rules").get(year=current_year(today))
    assert current.status == CampaignStatus.REQUESTS
    rules = current.rules
    assert (rules.survey_opens, rules.requests_open, rules.requests_deadline) == (
        today - datetime.timedelta(days=60),
        today - datetime.timedelta(days=15),
        today + datetime.timedelta(days=20),
    )
    lines = current.lines.all()
    assert lines.exclude(need="").count() < lines.count() or lines.count() <= 1  # some still to answer
    requests = AdmissionRequest.objects.filter(campaign=current)
    assert set(requests.values_list("status", flat=True)) <= {
        RequestStatus.DRAFT,
        RequestStatus.SUBMITTED,
        RequestStatus.CHECKED,
    }


def _advice_and_visits():
    notes = PolicyNote.objects.order_by("year", "district")
    assert notes.filter(status=PolicyNoteStatus.PUBLISHED).count() == 7
    assert list(notes.filter(status=PolicyNoteStatus.DRAFT).values_list("district", flat=True)) == ["朝阳区"]
    assert Consultation.objects.count() == 12
    held = SchoolVisit.objects.get(status=VisitStatus.HELD)
    assert (held.visit_on, held.signups.count(), held.signups.filter(attended=True).count()) == (
        datetime.date(2021, 4, 17),
        8,
        7,
    )
    open_visit = SchoolVisit.objects.get(status=VisitStatus.OPEN)
    assert open_visit.visit_on == timezone.localdate() + datetime.timedelta(days=12)
    assert open_visit.signups.count() == 5
    assert not open_visit.signups.filter(person__staff_no="100001").exists()  # the demo sign-in can sign up


def _a_second_run_changes_nothing():
    before = table_counts()
    assert admissions_demo_build() == ""
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.once  # the full-size demo with the congress: built once, in the SQLite pass
def test_the_kindergarten_story_at_full_size(settings, tmp_path):
    from gonghui.proposals.demo import proposals_demo_build

    settings.MEDIA_ROOT = str(tmp_path)
    demo_university_build(scale=1.0)
    proposals_demo_build()
    admissions_demo_build()
    # nursery places: (year, demand, places, placed, unmet)
    assert [_nursery(year) for year in HISTORY] == [
        (2018, 17, 6, 6, 11),
        (2019, 19, 6, 6, 13),
        (2020, 33, 36, 28, 5),
        (2021, 24, 36, 19, 5),
    ]
    assert [(f.year, f.demand, f.places, f.unmet) for f in history(stages=[Stage.NURSERY]) if f.year in HISTORY] == [
        (2018, 17, 6, 11),
        (2019, 19, 6, 13),
        (2020, 33, 36, 5),
        (2021, 24, 36, 5),
    ]
    # the 2019 shortage, turned into the congress proposal on kindergarten places
    shortage = ShortageAction.objects.select_related("proposal").get()
    assert (shortage.year, shortage.stage, shortage.demand, shortage.places, shortage.shortfall) == (
        2019,
        Stage.NURSERY,
        19,
        6,
        13,
    )
    assert (shortage.proposal.title, shortage.proposal.session.year, shortage.proposal.status) == (
        "关于与朝阳区教委共建幼儿园、缓解教职工子女入园难的提案",
        2019,
        "closed",
    )
    assert shortage.proposal.submitted_at < shortage.created_at  # the proposal came first
    # the co-built kindergarten took the children the affiliated one could not
    table = demand_by_year(years=[2020])
    co_built = next(f for f in table.by("school") if f.school and f.school.code == CO_BUILT)
    assert (co_built.places, co_built.placed) == (30, 23)

"""A teacher's own pages of mentorship pairing (我的拜师结对): their pairs as mentor or mentee
with this cycle year's duties against the cohort's requirements, the duties they logged with
where each stands, the phone form to log one (记录履职), and, under 双向选择, the ranking of
the other side's candidates."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import MemberPageMixin
from gonghui.core.views_kit import form_service_post
from gonghui.mentorship import forms
from gonghui.mentorship.choices import LOGGING_PAIR_STATUSES, CohortStatus, DutyKind, Side
from gonghui.mentorship.models import Candidate, DutyLog, Pair
from gonghui.mentorship.selectors.board import current_year
from gonghui.mentorship.selectors.counters import YearCounters, pair_counters
from gonghui.mentorship.selectors.lists import own_candidacies, own_pairs, side_people
from gonghui.mentorship.services import duties as duty_services
from gonghui.mentorship.services import pairs as pair_services
from gonghui.people.models import Person


@dataclass
class PairCard:
    pair: Pair
    role: str  # 指导教师 / 青年教师: what the user is in the pair
    other: Person
    year: YearCounters | None
    may_log: bool


class MineView(MemberPageMixin, View):
    def get(self, request):
        person_id = get_access(request.user).person_id
        cards = []
        pairs = list(own_pairs(request.user))
        for pair in pairs:
            now = current_year(pair.cohort)
            year = pair_counters(pair)[now[0] - 1] if now and pair.status in LOGGING_PAIR_STATUSES else None
            mentor = pair.mentor_id == person_id
            cards.append(
                PairCard(
                    pair,
                    str(Side.MENTOR.label if mentor else Side.MENTEE.label),
                    pair.mentee if mentor else pair.mentor,
                    year,
                    pair.status in LOGGING_PAIR_STATUSES,
                )
            )
        duties = list(
            DutyLog.objects.restrict(request.user)
            .filter(pair__in=[p.pk for p in pairs])
            .select_related("pair__mentor", "pair__mentee")[:30]
        )
        ranking = list(own_candidacies(request.user))
        return render(request, "mentorship/mine/mine.html", {"cards": cards, "duties": duties, "ranking": ranking})


def own_pair_or_404(user, pk) -> Pair:
    pair = own_pairs(user).filter(pk=pk).first()
    if pair is None:
        raise Http404
    return pair


class DutyLogView(MemberPageMixin, View):
    """记录履职, phone first: the kind as large choices, the date, the course, the hours, a
    note and an optional photo, posted to the duty service."""

    def _page(self, request, pair, form):
        now = current_year(pair.cohort)
        year = pair_counters(pair)[now[0] - 1] if now else None
        return render(
            request,
            "mentorship/mine/log.html",
            {"pair": pair, "form": form, "year": year, "open": pair.status in LOGGING_PAIR_STATUSES},
        )

    def get(self, request, pk):
        pair = own_pair_or_404(request.user, pk)
        form = forms.DutyLogForm(initial={"kind": DutyKind.OBSERVATION, "held_on": timezone.localdate(), "hours": 2})
        return self._page(request, pair, form)

    def post(self, request, pk):
        pair = own_pair_or_404(request.user, pk)
        form = forms.DutyLogForm(request.POST, request.FILES)
        done = form_service_post(
            request,
            form,
            lambda data: duty_services.duty_log(actor=request.user, pair=pair, **data),
            success=_("已记录，等待学院确认。"),
            then=lambda duty: redirect("mentorship:mine"),
        )
        return done or self._page(request, pair, form)


@dataclass
class RankLine:
    person: Person
    position: int | None


class RankView(MemberPageMixin, View):
    """双向选择: the candidate ranks the other side's candidates (1 the first wish)."""

    def _candidate(self, request, pk) -> Candidate:
        candidate = own_candidacies(request.user).filter(pk=pk).first()
        if candidate is None:
            raise Http404
        return candidate

    def _lines(self, candidate: Candidate) -> list[RankLine]:
        other = Side.MENTOR if candidate.side == Side.MENTEE else Side.MENTEE
        people = side_people(candidate.cohort, other, exclude=candidate.person_id)
        positions = {person_id: n for n, person_id in enumerate(candidate.ranking or [], start=1)}
        return [RankLine(p, positions.get(p.pk)) for p in people]

    def _page(self, request, candidate, lines, error=""):
        return render(
            request,
            "mentorship/mine/rank.html",
            {
                "candidate": candidate,
                "lines": lines,
                "error": error,
                "open": candidate.cohort.status == CohortStatus.MATCHING,
                "other": pgettext("mentorship", "指导教师")
                if candidate.side == Side.MENTEE
                else pgettext("mentorship", "青年教师"),
                "positions": range(1, len(lines) + 1),
            },
        )

    def get(self, request, pk):
        candidate = self._candidate(request, pk)
        return self._page(request, candidate, self._lines(candidate))

    def post(self, request, pk):
        candidate = self._candidate(request, pk)
        lines = self._lines(candidate)
        chosen = []
        for line in lines:
            value = request.POST.get(f"rank-{line.person.pk}") or ""
            line.position = int(value) if value.isdigit() and 0 < int(value) <= len(lines) else None
            if line.position:
                chosen.append((line.position, line.person.pk))
        positions = [n for n, _pk in chosen]
        if len(positions) != len(set(positions)):
            return self._page(request, candidate, lines, _("每个志愿序号只能用一次。"))
        try:
            pair_services.candidate_rank(
                actor=request.user, candidate=candidate, ranking=[pk for _n, pk in sorted(chosen)]
            )
        except ApplicationError as error:
            return self._page(request, candidate, lines, str(error.message))
        from django.contrib import messages

        messages.success(request, _("志愿已保存（%(n)s 个）。") % {"n": len(chosen)})
        return redirect("mentorship:mine")

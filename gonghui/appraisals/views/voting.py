"""The voter's pages, made for a phone: a unit's cadres and their reports (述职报告), one cadre's
report, the ballot (every cadre's grade and the team's on one screen, then a review of the
choices, then the cast) and the page after casting.

Secrecy (docs/adr/0008-secret-ballots.md): the choices travel in POST bodies only (never in a
URL, a session, a message or a log line); the review page carries them back in hidden fields;
the pages are not cached and their POST values are kept out of error reports; after casting
no page shows what was voted.

Who reads a unit: its voters and tellers once the reports are out, and those who read the whole
round (the union office, auditors, the organisation department). Anyone else gets a 404, as
for a unit that does not exist. Only the unit's voters reach the ballot."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from gonghui.appraisals.choices import RoundStatus, VotingMode
from gonghui.appraisals.models import PUBLIC_STATUSES, Cadre, RoundUnit
from gonghui.appraisals.selectors import rounds as selectors
from gonghui.appraisals.services.paper import ballot_items
from gonghui.appraisals.services.voting import appraisal_vote, is_teller
from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import MemberPageMixin


@dataclass(frozen=True)
class UnitReader:
    """A unit as the signed-in user reads it: whether they read the whole round (`insider`),
    their voter category there (None: not a voter) and whether they count its paper ballots."""

    unit: RoundUnit
    insider: bool
    category: str | None
    teller: bool


def unit_reader_or_404(user, pk: int) -> UnitReader:
    unit = selectors.unit_get(user=user, pk=pk)
    if unit is None:
        raise Http404
    insider = selectors.round_is_insider(user, unit.round)
    category = selectors.voter_category(user=user, unit=unit)
    teller = is_teller(user, unit)
    if not insider and not (unit.round.status in PUBLIC_STATUSES and (category or teller)):
        raise Http404
    return UnitReader(unit=unit, insider=insider, category=category, teller=teller)


def voter_unit_or_404(user, pk: int) -> UnitReader:
    """The unit of one of its voters: the ballot pages are theirs alone."""
    reader = unit_reader_or_404(user, pk)
    if reader.category is None:
        raise Http404
    return reader


# Where a voter stands: the ballot is open to them only in "open".
NOT_STARTED, OPEN, CLOSED, VOTED, TOOK_PAPER, PAPER_ONLY = (
    "not_started",
    "open",
    "closed",
    "voted",
    "paper",
    "paper_only",
)


def ballot_state(user, reader: UnitReader) -> str:
    """The voter's state in the unit: never what they voted, only whether they have."""
    if reader.category is None:
        return ""
    unit = reader.unit
    appraisal_round = unit.round
    if selectors.took_paper(user=user, unit=unit):
        return TOOK_PAPER
    if appraisal_round.rules.mode == VotingMode.PAPER:
        return PAPER_ONLY
    if selectors.has_voted(user=user, unit=unit):
        return VOTED
    now = timezone.now()
    if appraisal_round.status in (RoundStatus.DRAFT, RoundStatus.REPORTS_PUBLISHED) or now < appraisal_round.opens_at:
        return NOT_STARTED
    if appraisal_round.status != RoundStatus.VOTING_OPEN or now >= appraisal_round.closes_at or unit.box_id is None:
        return CLOSED
    return OPEN


def ballot_rows(unit: RoundUnit, choices: dict[str, str] | None = None, missing: frozenset[str] = frozenset()):
    """The ballot's items (the box's, as it accepts them; the unit's before it opens), each with
    its cadre (name and post), its options, the option chosen and its label."""
    items = unit.box.items if unit.box_id else ballot_items(unit)
    cadres = {cadre.item_key: cadre for cadre in selectors.cadres_of(unit)}
    choices = choices or {}
    rows = []
    for item in items:
        chosen = choices.get(item["key"], "")
        labels = dict((code, label) for code, label in item["options"])
        rows.append(
            {
                "key": item["key"],
                "label": item["label"],
                "cadre": cadres.get(item["key"]),
                "options": [(code, label) for code, label in item["options"]],
                "chosen": chosen if chosen in labels else "",
                "chosen_label": labels.get(chosen, ""),
                "missing": item["key"] in missing,
            }
        )
    return rows


def posted_choices(post, unit: RoundUnit) -> dict[str, str]:
    """The grades posted for the ballot's items (only its items' keys; a value is the option's
    code as sent, checked by the service)."""
    items = unit.box.items if unit.box_id else ballot_items(unit)
    return {item["key"]: post.get(item["key"], "") for item in items if post.get(item["key"])}


def _state_context(user, reader: UnitReader) -> dict:
    unit = reader.unit
    return {
        "unit": unit,
        "round": unit.round,
        "reader": reader,
        "state": ballot_state(user, reader),
    }


class UnitView(MemberPageMixin, View):
    """A unit's cadres with their posts and reports, the voting time and, for a voter, where
    they stand (a big button while they may vote)."""

    def get(self, request, pk):
        reader = unit_reader_or_404(request.user, pk)
        context = _state_context(request.user, reader)
        context["cadres"] = selectors.cadres_of(reader.unit).select_related("report_file")
        return render(request, "appraisals/unit.html", context)


class CadreReadView(MemberPageMixin, View):
    """One cadre's report: its text and its file, for whoever reads the cadre's unit."""

    def get(self, request, pk):
        cadre = get_object_or_404(
            Cadre.objects.restrict(request.user).select_related("person", "report_file", "round_unit"), pk=pk
        )
        reader = unit_reader_or_404(request.user, cadre.round_unit_id)
        return render(request, "appraisals/cadre_read.html", {"cadre": cadre, "unit": reader.unit, "reader": reader})


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class VoteView(MemberPageMixin, View):
    """The ballot on one screen: every cadre with the cadre scale, then the team with the team
    scale. `action=review` shows the choices back (a grade missing: the form again, naming
    what is missing); `action=cast` casts them through the service, final; anything else (the
    review's "返回修改") shows the form with the choices kept."""

    def get(self, request, pk):
        reader = voter_unit_or_404(request.user, pk)
        return self.form_page(request, reader)

    def post(self, request, pk):
        reader = voter_unit_or_404(request.user, pk)
        unit = reader.unit
        choices = posted_choices(request.POST, unit)
        action = request.POST.get("action")
        if action == "cast":
            try:
                appraisal_vote(actor=request.user, unit=unit, choices=choices)
            except ApplicationError as error:
                return self.form_page(
                    request, reader, choices, error=str(error.message), field=error.extra.get("field")
                )
            return redirect("appraisals:voted", unit.pk)
        if action == "review" and ballot_state(request.user, reader) == OPEN:
            rows = ballot_rows(unit, choices)
            missing = [row for row in rows if not row["chosen"]]
            if missing:
                names = "、".join(row["label"] for row in missing)
                error = _("还有 %(n)s 项没有选择等次：%(names)s。每一项都选好后才能投出。") % {
                    "n": len(missing),
                    "names": names,
                }
                return self.form_page(
                    request, reader, choices, error=error, missing=frozenset(row["key"] for row in missing)
                )
            return render(
                request, "appraisals/vote_review.html", {**_state_context(request.user, reader), "rows": rows}
            )
        return self.form_page(request, reader, choices)

    def form_page(self, request, reader, choices=None, *, error="", field=None, missing=frozenset()):
        context = _state_context(request.user, reader)
        if field and not missing:
            missing = frozenset({field})
        if context["state"] == OPEN:
            context["rows"] = ballot_rows(reader.unit, choices, missing)
        context["error"] = error
        return render(request, "appraisals/vote.html", context)


@method_decorator(never_cache, name="dispatch")
class VotedView(MemberPageMixin, View):
    """After the cast: the ballot is in, and nothing of what it said."""

    def get(self, request, pk):
        reader = voter_unit_or_404(request.user, pk)
        if ballot_state(request.user, reader) != VOTED:
            return redirect("appraisals:unit", reader.unit.pk)
        return render(request, "appraisals/voted.html", _state_context(request.user, reader))

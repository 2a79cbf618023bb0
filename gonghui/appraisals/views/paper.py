"""The tellers' page for a unit's paper ballots (计票): each of the two tellers enters every
paper on their own (its category is its colour; a spoilt paper is entered as 废票), sees how far
they and the other teller have got, takes back a slip of their own, and asks for the two
tallies to be checked against each other; where the meeting also votes online, they sign in the
voters who take a paper ballot (领票).

The page is made for entering a hundred papers in a row: after each one the form comes back
empty with the same category and "已录入第 N 张" (htmx swaps the working part of the page; without
JavaScript the page is posted and shown again, the category in its address).

Who: the unit's two tellers; the union office reads the progress and the agreed counts. Anyone
else gets a 404, as for a unit that does not exist."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.appraisals.choices import RoundStatus, VotingMode
from gonghui.appraisals.models import PaperBallot, RoundUnit
from gonghui.appraisals.selectors import paper as paper_selectors
from gonghui.appraisals.selectors import rounds as selectors
from gonghui.appraisals.services.paper import paper_ballot_enter, paper_ballot_remove, paper_count_agree
from gonghui.appraisals.services.voting import is_teller, paper_handout
from gonghui.appraisals.views.voting import ballot_rows, posted_choices
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.pages import MemberPageMixin

RECENT = 5  # the teller's last entries shown with a 撤回 button


def paper_unit_or_404(user, pk: int) -> tuple[RoundUnit, bool]:
    """The unit and whether the user is one of its tellers; the union office reads it too."""
    unit = selectors.unit_get(user=user, pk=pk)
    if unit is None:
        raise Http404
    teller = is_teller(user, unit)
    office = user.has_perm("appraisals.manage_appraisalround") and selectors.round_is_insider(user, unit.round)
    if not (teller or office):
        raise Http404
    return unit, teller


def teller_unit_or_404(user, pk: int) -> RoundUnit:
    """The unit of one of its tellers: only they enter, take back and agree."""
    unit, teller = paper_unit_or_404(user, pk)
    if not teller:
        raise Http404
    return unit


def _category_codes(unit: RoundUnit) -> list[str]:
    return [category.code for category in unit.round.rules.categories.all()]


def category_asked(unit: RoundUnit, value: str | None) -> str:
    """The category asked for, when the rules have it; else the one with the most voters (the
    staff's, as a rule)."""
    codes = _category_codes(unit)
    if value in codes:
        return value
    voters = selectors.voters_by_category(unit)
    return max(codes, key=lambda code: (voters.get(code, 0), -codes.index(code))) if codes else ""


def paper_url(unit: RoundUnit, category: str) -> str:
    return f"{reverse('appraisals:paper', args=[unit.pk])}?{urlencode({'category': category})}"


def _session_key(unit: RoundUnit) -> str:
    return f"appraisals.paper.{unit.pk}"


def _remember(request, unit: RoundUnit, entry: PaperBallot) -> None:
    """The teller's last entries (their own session): those they may take back at a glance."""
    keys = [str(entry.key), *request.session.get(_session_key(unit), [])][: RECENT * 4]
    request.session[_session_key(unit)] = keys


def _forget(request, unit: RoundUnit, key: str) -> None:
    keys = request.session.get(_session_key(unit), [])
    if key in keys:
        request.session[_session_key(unit)] = [k for k in keys if k != key]


def _entry_rows(items: list[dict], entries: list[PaperBallot]) -> list[dict]:
    """Entries as the teller reads them back: the grade labels in the ballot's order (`items`:
    the ballot's rows)."""
    rows = []
    for entry in entries:
        if entry.spoilt:
            text = _("废票")
        else:
            text = " · ".join(
                f"{row['cadre'].person.name if row['cadre'] else row['label']} "
                f"{dict(row['options']).get(entry.choices.get(row['key']), '—')}"
                for row in items
            )
        rows.append({"key": entry.key, "text": text, "spoilt": entry.spoilt})
    return rows


def paper_context(request, unit: RoundUnit, teller: bool, category: str, **extra) -> dict:
    appraisal_round = unit.round
    categories = list(appraisal_round.rules.categories.all())
    names = {c.code: c.name for c in categories}
    tellers = list(unit.tellers.select_related("person").order_by("pk"))
    me = get_access(request.user).person_id if teller else None
    progress = []
    selected_agreed = None
    for row in paper_selectors.paper_progress(unit):
        progress.append(
            {
                "code": row.category,
                "name": names.get(row.category, row.category),
                "counts": [row.by_teller.get(t.person_id, 0) for t in tellers],
                "agreed": row.agreed,
                "selected": row.category == category,
            }
        )
        if row.category == category:
            selected_agreed = row.agreed
    counting = appraisal_round.paper and appraisal_round.status in (RoundStatus.VOTING_OPEN, RoundStatus.VOTING_CLOSED)
    entering = teller and counting and selected_agreed is None
    context = {
        "unit": unit,
        "round": appraisal_round,
        "teller": teller,
        "not_teller": not teller,
        "me": me,
        "tellers": tellers,
        "categories": categories,
        "category": category,
        "category_name": names.get(category, ""),
        "progress": progress,
        "selected_agreed": selected_agreed,
        "counting": counting,
        "entering": entering,
        "handing_out": teller
        and appraisal_round.rules.mode == VotingMode.BOTH
        and appraisal_round.status == RoundStatus.VOTING_OPEN,
        "notice": "",
        "error": "",
        "differences": [],
        "choices": {},
        "missing": frozenset(),
    }
    context.update(extra)
    if entering:
        context["rows"] = ballot_rows(unit, context["choices"], context["missing"])
        mine = paper_selectors.my_entries(unit, me, category, limit=500)
        recent_keys = request.session.get(_session_key(unit), [])
        by_key = {str(entry.key): entry for entry in mine}
        items = ballot_rows(unit)
        context["recent"] = _entry_rows(items, [by_key[k] for k in recent_keys if k in by_key][:RECENT])
        context["mine"] = _entry_rows(items, mine)
    if context["handing_out"]:
        context["handed_out"] = unit.handouts.count()
    return context


def render_work(request, unit: RoundUnit, teller: bool, category: str, **extra):
    """The page, or for htmx its working part (progress, form, entries) alone."""
    context = paper_context(request, unit, teller, category, **extra)
    template = "appraisals/partials/paper_work.html" if request.htmx else "appraisals/paper.html"
    return render(request, template, context)


class PaperView(MemberPageMixin, View):
    """GET: the page for `?category=`; POST: one paper ballot entered (`action=spoilt`: as spoilt)."""

    def get(self, request, pk):
        unit, teller = paper_unit_or_404(request.user, pk)
        return render_work(request, unit, teller, category_asked(unit, request.GET.get("category")))

    def post(self, request, pk):
        unit = teller_unit_or_404(request.user, pk)
        category = request.POST.get("category", "")
        spoilt = request.POST.get("action") == "spoilt"
        choices = posted_choices(request.POST, unit)
        try:
            entry = paper_ballot_enter(actor=request.user, unit=unit, category=category, spoilt=spoilt, choices=choices)
        except PermissionDenied:
            raise Http404 from None
        except ApplicationError as error:
            field = error.extra.get("field")
            return render_work(
                request,
                unit,
                True,
                category_asked(unit, category),
                error=str(error.message),
                choices=choices,
                missing=frozenset({field}) if field else frozenset(),
            )
        _remember(request, unit, entry)
        me = get_access(request.user).person_id
        entered = next(
            (row.by_teller.get(me, 0) for row in paper_selectors.paper_progress(unit) if row.category == category), 0
        )
        name = next((c.name for c in unit.round.rules.categories.all() if c.code == category), category)
        if spoilt:
            notice = _("已录入第 %(n)s 张%(category)s票（废票）。") % {"n": entered, "category": name}
        else:
            notice = _("已录入第 %(n)s 张%(category)s票。") % {"n": entered, "category": name}
        if request.htmx:
            return render_work(request, unit, True, category, notice=notice)
        messages.success(request, notice)
        return redirect(paper_url(unit, category))


class PaperRemoveView(MemberPageMixin, View):
    """A teller takes back one of their own entries, before the category is agreed."""

    def post(self, request, key):
        # the entry's unit first: its tellers' page, or nothing is there
        unit = teller_unit_or_404(request.user, _entry_unit_id(key))
        entry = PaperBallot.objects.filter(key=key, round_unit=unit).first()
        if entry is None:
            raise Http404
        category = entry.category
        try:
            paper_ballot_remove(actor=request.user, ballot=entry)
        except PermissionDenied:
            raise Http404 from None
        except ApplicationError as error:
            if request.htmx:
                return render_work(request, unit, True, category, error=str(error.message))
            messages.error(request, str(error.message))
            return redirect(paper_url(unit, category))
        _forget(request, unit, str(key))
        notice = _("已撤回一张。")
        if request.htmx:
            return render_work(request, unit, True, category, notice=notice)
        messages.success(request, notice)
        return redirect(paper_url(unit, category))


def _entry_unit_id(key) -> int:
    unit_id = PaperBallot.objects.filter(key=key).values_list("round_unit_id", flat=True).first()
    if unit_id is None:
        raise Http404
    return unit_id


class PaperAgreeView(MemberPageMixin, View):
    """Both tellers' tallies of a category checked against each other: the same, they count;
    else the differences are listed and nothing is written."""

    def post(self, request, pk):
        unit = teller_unit_or_404(request.user, pk)
        category = category_asked(unit, request.POST.get("category"))
        try:
            count = paper_count_agree(actor=request.user, unit=unit, category=category)
        except PermissionDenied:
            raise Http404 from None
        except ApplicationError as error:
            differences = list(error.extra.get("differences") or [])
            message = (
                _("两位计票人的计票不一致，请重新清点，由录错的计票人撤回后重新录入：")
                if differences
                else str(error.message)
            )
            return render_work(request, unit, True, category, error=message, differences=differences)
        name = next((c.name for c in unit.round.rules.categories.all() if c.code == category), category)
        notice = _("%(category)s票核对一致：%(n)s 张，其中废票 %(spoilt)s 张，已计入结果。") % {
            "category": name,
            "n": count.ballots,
            "spoilt": count.spoilt,
        }
        if request.htmx:
            return render_work(request, unit, True, category, notice=notice)
        messages.success(request, notice)
        return redirect(paper_url(unit, category))


class PaperHandoutView(MemberPageMixin, View):
    """A voter signs in for a paper ballot (by staff number) where the meeting also votes
    online: from then on they cannot vote online."""

    def post(self, request, pk):
        unit = teller_unit_or_404(request.user, pk)
        category = category_asked(unit, request.POST.get("category"))
        try:
            handout = paper_handout(actor=request.user, unit=unit, staff_no=request.POST.get("staff_no", ""))
        except PermissionDenied:
            raise Http404 from None
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            name = next((c.name for c in unit.round.rules.categories.all() if c.code == handout.category), "")
            messages.success(
                request,
                _("已登记：%(name)s（%(category)s）领取纸质选票，此后不能再网上投票。")
                % {"name": handout.person.name, "category": name},
            )
        return redirect(paper_url(unit, category))

"""Pages: the deliberations a user may see, one deliberation with the steps each role may
take, a version's text (with an opinion form on each article while a round is open), the
diff between versions, a round's colleges, a college's summary, the roll-up (the drafting
unit answers on it), the member's own opinions, the history and the report. Views are thin:
forms validate fields, services decide, selectors read."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.ballots import has_voted, is_voter
from gonghui.core.excel import XLSX_CONTENT_TYPE, file_response
from gonghui.core.history import export_record
from gonghui.core.pages import MemberPageMixin, PermissionPageMixin, paginate, render_page_or_partial
from gonghui.core.views_kit import ImportPreviewPageMixin, filters_checked, list_query
from gonghui.core.workflow import available_steps
from gonghui.deliberations import forms
from gonghui.deliberations.choices import DeliberationStatus, VersionStatus
from gonghui.deliberations.models import Deliberation, DraftVersion, OpinionRound
from gonghui.deliberations.selectors import deliberations as selectors
from gonghui.deliberations.selectors import report as report_selectors
from gonghui.deliberations.services.answers import ANSWERS_KIND
from gonghui.deliberations.services.rounds import _asked
from gonghui.deliberations.services.versions import DOCX_KIND
from gonghui.deliberations.services.votes import ballot_open_box, delegates_serving, vote_rules_in_force
from gonghui.deliberations.workflow import (
    OFFICE,
    PRESIDIUM,
    UNIT,
    DeliberationWorkflow,
    DraftVersionWorkflow,
    deliberation_relations,
)


def deliberation_or_404(user, pk) -> Deliberation:
    try:
        return selectors.deliberation_get(user=user, pk=pk)
    except Deliberation.DoesNotExist:
        raise Http404 from None


def version_or_404(user, pk) -> DraftVersion:
    try:
        return selectors.version_get(user=user, pk=pk)
    except DraftVersion.DoesNotExist:
        raise Http404 from None


def round_or_404(user, pk) -> OpinionRound:
    try:
        return selectors.round_get(user=user, pk=pk)
    except OpinionRound.DoesNotExist:
        raise Http404 from None


def require_insider(user, deliberation: Deliberation, relations=frozenset({OFFICE, PRESIDIUM, UNIT}), *, readers=True):
    """The relations that let `user` see a deliberation's inside (roll-up, report, history) or,
    with `readers=False`, write to it (draft a version); auditors read everything. To anyone
    else that inside is not there (404), as an object outside their scope."""
    mine = deliberation_relations(deliberation, user)
    if mine & relations or (readers and get_access(user).reads_everything):
        return mine
    raise Http404


def require_rollup_reader(user, opinion_round: OpinionRound) -> set[str]:
    """`require_insider` for a round's roll-up: the drafting unit reads it once it is sent."""
    relations = require_insider(user, opinion_round.deliberation)
    if not (relations & {OFFICE, PRESIDIUM} or get_access(user).reads_everything) and opinion_round.sent_at is None:
        raise Http404
    return relations


def _person_asked(user, opinion_round: OpinionRound | None) -> bool:
    person = getattr(user, "person", None)
    return bool(person and opinion_round and opinion_round.online and not _asked(opinion_round, person))


class ListView(MemberPageMixin, View):
    def get(self, request):
        filters = filters_checked(request, forms.StatusFilterForm)
        rows = selectors.deliberation_list(user=request.user)
        if filters.get("status"):
            rows = rows.filter(status=filters["status"])
        return render_page_or_partial(
            request,
            "deliberations/list.html",
            "deliberations/partials/_list.html",
            {
                "page": paginate(request, rows),
                "query": list_query(request),
                "filter_form": forms.StatusFilterForm(request.GET),
                "can_create": request.user.has_perm("deliberations.manage_deliberation"),
                "mine": selectors.my_opinions(user=request.user)[:5],
            },
        )


class CreateView(PermissionPageMixin, View):
    permission_required = "deliberations.manage_deliberation"

    def get(self, request):
        return render(request, "deliberations/form.html", {"form": forms.DeliberationForm()})

    def post(self, request):
        from gonghui.core.views_kit import form_service_post
        from gonghui.deliberations.services.versions import deliberation_create

        form = forms.DeliberationForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: deliberation_create(actor=request.user, **data),
            success=_("已设立专题审议。下一步：起草第一稿（粘贴正文或导入 Word）。"),
            then=lambda d: redirect("deliberations:detail", d.pk),
        )
        return done or render(request, "deliberations/form.html", {"form": form})


class DetailView(MemberPageMixin, View):
    def get(self, request, pk):
        deliberation = deliberation_or_404(request.user, pk)
        relations = deliberation_relations(deliberation, request.user)
        steps = {s.name for s in available_steps(DeliberationWorkflow, deliberation, request.user)}
        current = deliberation.current_round()
        latest = deliberation.latest_version()
        access = get_access(request.user)
        insider = bool(relations & {OFFICE, PRESIDIUM, UNIT}) or access.reads_everything
        vote_rules = vote_rules_in_force(deliberation.session)
        now = timezone.now()
        box = ballot_open_box(deliberation) if deliberation.status == DeliberationStatus.VOTING else None
        delegates = delegates_serving(deliberation, timezone.localdate())
        context = {
            "deliberation": deliberation,
            "relations": relations,
            "steps": steps,
            "insider": insider,
            "is_office": OFFICE in relations,
            "is_unit": UNIT in relations,
            "is_presidium": PRESIDIUM in relations,
            "is_collector": Role.SUB_UNION_OFFICER in access.roles
            and request.user.has_perm("deliberations.collect_opinion"),
            "versions": selectors.versions_of(user=request.user, deliberation=deliberation),
            "latest": latest,
            "current": current,
            "current_open": bool(current and deliberation.status == DeliberationStatus.OPEN and current.is_open(now)),
            "asked": _person_asked(request.user, current),
            "rounds": deliberation.rounds.select_related("version").order_by("number"),
            "counts": selectors.rollup_counts(opinion_round=current) if current and insider else None,
            "can_open_round": "open_round" in steps
            and latest
            and not deliberation.rounds.filter(version=latest).exists(),
            "can_draft": bool(relations & {OFFICE, UNIT})
            and deliberation.status
            in (DeliberationStatus.DRAFTING, DeliberationStatus.RESPONDED, DeliberationStatus.REJECTED)
            and not deliberation.versions.filter(status=VersionStatus.DRAFT).exists(),
            "round_form": forms.RoundForm(
                initial={
                    "opens_at": timezone.localtime(now),
                    "closes_at": timezone.localtime(now) + datetime.timedelta(days=14),
                }
            ),
            "vote_form": forms.VoteForm(
                initial={
                    "held_on": timezone.localdate(),
                    "present": delegates,
                }
            ),
            "vote_rules": vote_rules,
            "delegates": delegates,
            "votes": deliberation.votes.select_related("version").order_by("recorded_at"),
            "ballot": box,
            "ballot_voters": box.voters.count() if box else 0,
            "ballot_voted": box.voters.filter(voted=True).count() if box else 0,
            "may_vote": bool(box and is_voter(box, access.person_id)),
            "has_voted": bool(box and has_voted(box, access.person_id)),
            "my_opinions": selectors.opinions_with_fate(
                selectors.my_opinions(user=request.user, deliberation=deliberation)
            ),
            "answered_rounds": selectors.answers_published(user=request.user, deliberation=deliberation),
        }
        return render(request, "deliberations/detail.html", context)


class VersionView(MemberPageMixin, View):
    """A version's text. While its round is open, a member asked for opinions has a form on
    each article and one for the whole draft; their own opinions show under the articles."""

    def get(self, request, pk):
        version = version_or_404(request.user, pk)
        deliberation = version.deliberation
        relations = deliberation_relations(deliberation, request.user)
        opinion_round = version.rounds.first()
        accepting = bool(
            opinion_round
            and deliberation.status == DeliberationStatus.OPEN
            and deliberation.current_round() == opinion_round
            and opinion_round.is_open()
        )
        mine: dict = {}
        if opinion_round:
            for opinion in selectors.my_opinions(user=request.user).filter(round=opinion_round):
                mine.setdefault(opinion.article_id, []).append(opinion)
        articles = [(a, mine.get(a.pk, [])) for a in version.articles.order_by("position")]
        previous = selectors.previous_version(version)
        # the answers to the previous version's opinions, carried into this one
        previous_round = previous.rounds.filter(answered_at__isnull=False).first() if previous else None
        return render(
            request,
            "deliberations/version.html",
            {
                "version": version,
                "deliberation": deliberation,
                "articles": articles,
                "general_mine": mine.get(None, []),
                "round": opinion_round,
                "accepting": accepting,
                "asked": accepting and _person_asked(request.user, opinion_round),
                "can_edit": version.status == VersionStatus.DRAFT and bool(relations & {OFFICE, UNIT}),
                "can_publish": any(
                    s.name == "publish" for s in available_steps(DraftVersionWorkflow, version, request.user)
                ),
                "previous": previous,
                "previous_round": previous_round,
                "previous_counts": selectors.rollup_counts(opinion_round=previous_round) if previous_round else None,
            },
        )


class VersionCreateView(MemberPageMixin, View):
    """A new version from pasted text, or a Word file through the import kit."""

    def _deliberation(self, request, pk):
        deliberation = deliberation_or_404(request.user, pk)
        require_insider(request.user, deliberation, frozenset({OFFICE, UNIT}), readers=False)
        return deliberation

    def get(self, request, pk):
        deliberation = self._deliberation(request, pk)
        return render(
            request,
            "deliberations/version_form.html",
            {"deliberation": deliberation, "form": forms.VersionTextForm(), "docx_form": forms.VersionDocxForm()},
        )

    def post(self, request, pk):
        from gonghui.core.views_kit import form_service_post
        from gonghui.deliberations.services.versions import version_from_text

        deliberation = self._deliberation(request, pk)
        form = forms.VersionTextForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: version_from_text(actor=request.user, deliberation=deliberation, **data),
            success=_("稿本已保存为草稿。请核对条款后发布。"),
            then=lambda v: redirect("deliberations:version", v.pk),
        )
        return done or render(
            request,
            "deliberations/version_form.html",
            {"deliberation": deliberation, "form": form, "docx_form": forms.VersionDocxForm()},
        )


class VersionEditView(MemberPageMixin, View):
    def _version(self, request, pk):
        version = version_or_404(request.user, pk)
        require_insider(request.user, version.deliberation, frozenset({OFFICE, UNIT}), readers=False)
        if version.status != VersionStatus.DRAFT:
            raise Http404
        return version

    def get(self, request, pk):
        version = self._version(request, pk)
        lines, chapter = [version.title, version.preamble], ""
        for article in version.articles.order_by("position"):
            if article.chapter and article.chapter != chapter:
                lines.append(article.chapter)
            chapter = article.chapter
            lines.append(f"{article.label}　{article.text}")
        text = "\n".join(line for line in lines if line)
        form = forms.VersionTextForm(initial={"title": version.title, "text": text, "change_note": version.change_note})
        return render(
            request,
            "deliberations/version_form.html",
            {"deliberation": version.deliberation, "form": form, "version": version},
        )

    def post(self, request, pk):
        from gonghui.core.views_kit import form_service_post
        from gonghui.deliberations.articles import draft_parse, text_paragraphs
        from gonghui.deliberations.services.versions import version_update

        version = self._version(request, pk)
        form = forms.VersionTextForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: version_update(
                actor=request.user,
                version=version,
                draft=draft_parse(text_paragraphs(data["text"])),
                title=data["title"],
                change_note=data["change_note"],
            ),
            success=_("已保存。"),
            then=lambda v: redirect("deliberations:version", v.pk),
        )
        return done or render(
            request,
            "deliberations/version_form.html",
            {"deliberation": version.deliberation, "form": form, "version": version},
        )


class ImportPreviewView(ImportPreviewPageMixin, View):
    """The articles a Word file was found to hold, before it becomes a draft version."""

    permission_required = "deliberations.add_draftversion"
    import_kind = DOCX_KIND

    def get(self, request, pk):
        preview = self.get_preview(pk)
        deliberation = deliberation_or_404(request.user, int(preview.target))
        unready = self.unready(preview, back_url=_new_version_url(deliberation))
        if unready is not None:
            return unready
        from gonghui.core.imports import import_kind

        return render(
            request,
            "deliberations/import_preview.html",
            {
                "preview": preview,
                "deliberation": deliberation,
                "problem": import_kind(DOCX_KIND).confirmable(preview),
            },
        )


def _new_version_url(deliberation) -> str:
    from django.urls import reverse

    return reverse("deliberations:version_create", args=[deliberation.pk])


class DiffView(MemberPageMixin, View):
    """A version against the previous published one (or `?from=<version>`), article by article,
    with the adopted opinions that caused each change."""

    def get(self, request, pk):
        new = version_or_404(request.user, pk)
        old = None
        if request.GET.get("from"):
            old = version_or_404(request.user, request.GET["from"])
            if old.deliberation_id != new.deliberation_id:
                raise Http404
        old = old or selectors.previous_version(new)
        rows, general = selectors.version_diff(old=old, new=new) if old else ([], [])
        return render(
            request,
            "deliberations/diff.html",
            {
                "new": new,
                "old": old,
                "deliberation": new.deliberation,
                "rows": rows,
                "changed": [r for r in rows if r.kind != "same"],
                "general": general,
                "show_all": request.GET.get("all") == "1",
                "versions": DraftVersion.objects.restrict(request.user, "view")
                .filter(deliberation=new.deliberation, status=VersionStatus.PUBLISHED)
                .exclude(pk=new.pk)
                .order_by("number"),
            },
        )


class RoundView(MemberPageMixin, View):
    """A round: per college, how many opinions and how many members gave one (office,
    presidium, drafting unit, auditors); a college officer's own colleges, with the form for
    paper opinions."""

    def get(self, request, pk):
        opinion_round = round_or_404(request.user, pk)
        deliberation = opinion_round.deliberation
        access = get_access(request.user)
        relations = deliberation_relations(deliberation, request.user)
        insider = bool(relations & {OFFICE, PRESIDIUM, UNIT}) or access.reads_everything
        collector = Role.SUB_UNION_OFFICER in access.roles and request.user.has_perm("deliberations.collect_opinion")
        if not (insider or collector):
            raise Http404
        colleges = selectors.colleges_overview(
            opinion_round=opinion_round, college_ids=None if insider else access.sub_union_ids
        )
        accepting = deliberation.status == DeliberationStatus.OPEN and opinion_round.is_open()
        from gonghui.people.models import SubUnion

        my_colleges = (
            SubUnion.objects.filter(pk__in=access.sub_union_ids, parent__isnull=True).order_by("sort_key")
            if collector
            else SubUnion.objects.none()
        )
        return render(
            request,
            "deliberations/round.html",
            {
                "round": opinion_round,
                "deliberation": deliberation,
                "colleges": colleges,
                "totals": {
                    "opinions": sum(c.opinions for c in colleges),
                    "authors": sum(c.authors for c in colleges),
                    "staff": sum(c.staff for c in colleges),
                },
                "insider": insider,
                "accepting": accepting,
                "my_colleges": my_colleges,
                "paper_form": forms.PaperOpinionForm(articles=selectors.article_choices(opinion_round)[1:]),
                "is_office": OFFICE in relations,
            },
        )


class CollegeSummaryView(MemberPageMixin, View):
    """A college's opinions grouped by article, with counts."""

    def get(self, request, pk, college_pk):
        opinion_round = round_or_404(request.user, pk)
        access = get_access(request.user)
        relations = deliberation_relations(opinion_round.deliberation, request.user)
        from gonghui.people.models import SubUnion

        college = get_object_or_404(SubUnion, pk=college_pk)
        insider = bool(relations & {OFFICE, PRESIDIUM}) or access.reads_everything
        if not insider and college.pk not in access.sub_union_ids:
            raise Http404
        rows = selectors.college_summary(user=request.user, opinion_round=opinion_round, college=college)
        return render(
            request,
            "deliberations/college.html",
            {
                "round": opinion_round,
                "deliberation": opinion_round.deliberation,
                "college": college,
                "rows": rows,
                "total": sum(r.opinions for r in rows),
                "access": access,
            },
        )


class RollupView(MemberPageMixin, View):
    """The union office's roll-up of a round: groups of near-identical opinions by article, with
    counts and colleges; `?format=xlsx|pdf` for the drafting unit. The drafting unit answers
    each group here while the answers are open; the office may move an opinion between groups
    before sending."""

    def get(self, request, pk):
        opinion_round = round_or_404(request.user, pk)
        deliberation = opinion_round.deliberation
        relations = require_rollup_reader(request.user, opinion_round)
        fmt = request.GET.get("format")
        if fmt in ("xlsx", "pdf"):
            export_record(
                request.user,
                what=_("导出专题审议意见汇总"),
                object_type="deliberations.opinionround",
                query=f"round={opinion_round.pk}&format={fmt}",
            )
            name = f"{deliberation.topic[:30]}-第{opinion_round.number}轮意见汇总.{fmt}"
            if fmt == "xlsx":
                data = report_selectors.rollup_xlsx(user=request.user, opinion_round=opinion_round)
                return file_response(data, filename=name, content_type=XLSX_CONTENT_TYPE)
            data = report_selectors.rollup_pdf(user=request.user, opinion_round=opinion_round)
            return file_response(data, filename=name, content_type="application/pdf")
        filters = filters_checked(request, forms.RollupFilterForm)
        groups = selectors.rollup_groups(
            user=request.user,
            opinion_round=opinion_round,
            article=filters.get("article"),
            status=filters.get("status", ""),
        )
        page = paginate(request, groups, per_page=30)
        answering = deliberation.status == DeliberationStatus.AWAITING_RESPONSE and bool(relations & {OFFICE, UNIT})
        return render_page_or_partial(
            request,
            "deliberations/rollup.html",
            "deliberations/partials/_groups.html",
            {
                "round": opinion_round,
                "deliberation": deliberation,
                "page": page,
                "rows": selectors.groups_with_opinions(user=request.user, groups=page.object_list),
                "query": list_query(request),
                "filters": filters,
                "articles": selectors.article_choices(opinion_round),
                "counts": selectors.rollup_counts(opinion_round=opinion_round),
                "answering": answering,
                "regrouping": deliberation.status == DeliberationStatus.SUMMARISING and OFFICE in relations,
                "answer_form": forms.AnswerForm(),
                "can_send": deliberation.status == DeliberationStatus.SUMMARISING and OFFICE in relations,
                "can_publish": answering,
            },
        )


class MyOpinionsView(MemberPageMixin, View):
    """A member's own opinions and what became of each."""

    def get(self, request):
        rows = selectors.my_opinions(user=request.user)
        page = paginate(request, rows)
        return render(
            request,
            "deliberations/mine.html",
            {"page": page, "rows": selectors.opinions_with_fate(page.object_list)},
        )


class HistoryView(MemberPageMixin, View):
    def get(self, request, pk):
        deliberation = deliberation_or_404(request.user, pk)
        require_insider(request.user, deliberation)
        if request.GET.get("format") == "pdf":
            data = report_selectors.history_pdf(user=request.user, deliberation=deliberation)
            return file_response(
                data, filename=f"{deliberation.topic[:40]}-审议过程.pdf", content_type="application/pdf"
            )
        return render(
            request,
            "deliberations/history.html",
            {
                "deliberation": deliberation,
                "entries": report_selectors.deliberation_history(user=request.user, deliberation=deliberation),
            },
        )


class ReportView(MemberPageMixin, View):
    def get(self, request, pk):
        deliberation = deliberation_or_404(request.user, pk)
        require_insider(request.user, deliberation)
        report = report_selectors.deliberation_report(deliberation)
        if request.GET.get("format") == "xlsx":
            export_record(
                request.user,
                what=_("导出专题审议报告"),
                object_type="deliberations.deliberation",
                query=f"deliberation={deliberation.pk}",
            )
            return report.xlsx_response(f"{deliberation.topic[:40]}-审议报告.xlsx")
        return render(
            request,
            "deliberations/report.html",
            {"deliberation": deliberation, "report": report, "figures": report.figures},
        )


class VoteRulesView(PermissionPageMixin, View):
    """A session's vote rules: the edition in force and its history; the office adopts a new
    edition (quorum and majority) recording the presidium's or the congress's act."""

    permission_required = "deliberations.view_voterules"

    def get(self, request, session_pk):
        from gonghui.congress.models import CongressSession
        from gonghui.deliberations.models import VoteRules

        session = get_object_or_404(CongressSession.objects.select_related("term__congress"), pk=session_pk)
        return render(
            request,
            "deliberations/vote_rules.html",
            {
                "session": session,
                "editions": VoteRules.objects.filter(session=session).order_by("-id"),
                "in_force": vote_rules_in_force(session),
                "form": forms.VoteRulesForm(initial={"adopted_on": timezone.localdate()}),
                "can_adopt": request.user.has_perm("deliberations.change_voterules"),
            },
        )


class AnswersView(MemberPageMixin, View):
    """A round's published answer table, for everyone who may read the deliberation."""

    def get(self, request, pk):
        opinion_round = round_or_404(request.user, pk)
        if opinion_round.answered_at is None:
            raise Http404
        groups = selectors.rollup_groups(user=request.user, opinion_round=opinion_round)
        return render(
            request,
            "deliberations/answers.html",
            {
                "round": opinion_round,
                "deliberation": opinion_round.deliberation,
                "page": paginate(request, groups, per_page=50),
                "query": list_query(request),
            },
        )


class AnswersImportPreviewView(ImportPreviewPageMixin, View):
    """What a workbook of answers would record, row by row, before anything is written."""

    permission_required = "deliberations.answer_deliberation"
    import_kind = ANSWERS_KIND

    def get(self, request, pk):
        preview = self.get_preview(pk)
        opinion_round = round_or_404(request.user, int(preview.target))
        unready = self.unready(preview, back_url=reverse("deliberations:rollup", args=[opinion_round.pk]))
        if unready is not None:
            return unready
        from gonghui.core.imports import import_kind

        return render(
            request,
            "deliberations/answers_import_preview.html",
            {
                "preview": preview,
                "round": opinion_round,
                "deliberation": opinion_round.deliberation,
                "problem": import_kind(ANSWERS_KIND).confirmable(preview),
            },
        )

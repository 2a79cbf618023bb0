"""The POSTs of deliberation pages: each runs one service and goes back to the page it came
from, with the service's refusal as a message when it refuses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.imports import import_confirm, import_discard, upload_read
from gonghui.core.views_kit import ImportPreviewPageMixin, RecordAction, next_or
from gonghui.deliberations import forms
from gonghui.deliberations.models import Opinion, OpinionGroup
from gonghui.deliberations.selectors import deliberations as selectors
from gonghui.deliberations.services import answers, rounds, versions, votes
from gonghui.deliberations.views.pages import deliberation_or_404, round_or_404, version_or_404


class ActionView(RecordAction):
    """A button or small form on a deliberation page: `act` runs one service and returns the
    success message; a refusal (ApplicationError) is shown as an error; a step the user may
    not take on a record they can see is a 404, as a record outside their scope."""


class DeliberationAction(ActionView):
    def target(self, request, pk):
        return deliberation_or_404(request.user, pk)

    def back(self, obj) -> str:
        return reverse("deliberations:detail", args=[obj.pk])


class RoundAction(ActionView):
    def target(self, request, pk):
        return round_or_404(request.user, pk)

    def back(self, obj) -> str:
        return reverse("deliberations:detail", args=[obj.deliberation_id])


class VersionPublishView(ActionView):
    def target(self, request, pk):
        return version_or_404(request.user, pk)

    def back(self, obj) -> str:
        return reverse("deliberations:version", args=[obj.pk])

    def act(self, request, obj, data):
        versions.version_publish(actor=request.user, version=obj)
        return _("%(version)s已发布。") % {"version": obj}


class VersionImportView(DeliberationAction):
    """Upload a Word file: it is read (in the worker when large) and its preview shows the
    articles found before anything is written."""

    def post(self, request, pk):
        deliberation = self.target(request, pk)
        form = forms.VersionDocxForm(request.POST, request.FILES)
        back = reverse("deliberations:version_create", args=[deliberation.pk])
        if not form.is_valid():
            messages.error(request, _("请选择要导入的 Word 文件（.docx）。"))
            return redirect(back)
        try:
            preview = versions.version_import_start(
                actor=request.user,
                deliberation=deliberation,
                upload=upload_read(versions.DOCX_KIND, form.cleaned_data["file"]),
                change_note=form.cleaned_data["change_note"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return redirect(back)
        return redirect("deliberations:import_preview", preview.pk)


class ImportConfirmView(ImportPreviewPageMixin, View):
    permission_required = "deliberations.add_draftversion"
    import_kind = versions.DOCX_KIND

    def post(self, request, pk):
        preview = self.get_preview(pk)
        deliberation = deliberation_or_404(request.user, int(preview.target))
        if request.POST.get("discard"):
            import_discard(preview, actor=request.user)
            messages.info(request, _("已放弃导入。"))
            return redirect("deliberations:version_create", deliberation.pk)
        try:
            confirmed = import_confirm(preview, actor=request.user)
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return redirect("deliberations:import_preview", preview.pk)
        messages.success(request, _("已导入为草稿，请核对条款后发布。"))
        return redirect("deliberations:version", confirmed.result["version"])


class RoundOpenView(DeliberationAction):
    form_class = forms.RoundForm

    def act(self, request, obj, data):
        opinion_round = rounds.round_open(actor=request.user, deliberation=obj, **data)
        return _("已发布%(round)s，已通知征求对象和各分工会。") % {"round": opinion_round}


class OpinionGiveView(RoundAction):
    """A member's own opinion on an article (or in general) from the version page."""

    form_class = forms.OpinionForm

    def back(self, obj) -> str:
        article = (self.request.POST.get("article") or "").strip()
        anchor = f"#article-{article}" if article.isdigit() else "#my-opinions"
        return reverse("deliberations:version", args=[obj.version_id]) + anchor

    def act(self, request, obj, data):
        rounds.opinion_give(
            actor=request.user, opinion_round=obj, text=data["text"], article_id=_article_id(data["article"])
        )
        return _("意见已提交，可在“我的意见”中查看答复。")


def _article_id(value) -> int | None:
    value = (value or "").strip()
    if not value or value == "general":
        return None
    if not value.isdigit():
        raise ApplicationError(_("所选条款不存在，请重新选择。"), extra={"field": "article"})
    return int(value)


class PaperOpinionView(RoundAction):
    """A college officer enters a paper opinion (by the member's staff number, or the
    college's collective opinion)."""

    def back(self, obj) -> str:
        return reverse("deliberations:round", args=[obj.pk])

    def post(self, request, pk):
        if not request.user.has_perm("deliberations.collect_opinion"):
            raise Http404
        opinion_round = self.target(request, pk)
        form = forms.PaperOpinionForm(request.POST, articles=selectors.article_choices(opinion_round)[1:])
        if not form.is_valid():
            messages.error(request, _("请填写意见。"))
            return redirect(self.back(opinion_round))
        return super().post(request, pk)

    def act(self, request, obj, data):
        from gonghui.people.models import Person, SubUnion

        sub_union = get_object_or_404(SubUnion, pk=request.POST.get("sub_union") or 0)
        staff_no = (request.POST.get("author") or "").strip()
        author = None
        if staff_no:
            author = Person.objects.restrict(request.user, "view").filter(staff_no=staff_no).first()
            if author is None:
                raise ApplicationError(_("找不到工号为 %(no)s 的本学院教职工。") % {"no": staff_no})
        rounds.opinion_enter(
            actor=request.user,
            opinion_round=obj,
            sub_union=sub_union,
            author=author,
            article_id=_article_id(request.POST.get("article")),
            text=request.POST.get("text", ""),
        )
        return _("已录入。")


class RoundCloseView(RoundAction):
    def act(self, request, obj, data):
        closed = rounds.round_close(actor=request.user, opinion_round=obj)
        return _("已截止，共 %(n)s 条意见，已归并为 %(g)s 组。") % {
            "n": closed.opinions.count(),
            "g": closed.groups.count(),
        }


class RegroupView(ActionView):
    form_class = forms.RegroupForm

    def target(self, request, pk):
        opinion = get_object_or_404(Opinion.objects.restrict(request.user, "view").select_related("round"), pk=pk)
        return opinion

    def back(self, obj) -> str:
        return reverse("deliberations:rollup", args=[obj.round_id])

    def act(self, request, obj, data):
        group = None
        if data.get("group"):
            group = OpinionGroup.objects.filter(round_id=obj.round_id, number=data["group"]).first()
            if group is None:
                raise ApplicationError(_("没有序号为 %(n)s 的意见组。") % {"n": data["group"]})
        rounds.opinion_regroup(actor=request.user, opinion=obj, group=group)
        return _("已调整。")


class RollupSendView(RoundAction):
    def act(self, request, obj, data):
        rounds.rollup_send(actor=request.user, opinion_round=obj)
        return _("意见汇总已送起草单位。")


class GroupAnswerView(LoginRequiredMixin, View):
    """The drafting unit answers one group; htmx gets the group's row back."""

    def post(self, request, pk):
        group = get_object_or_404(
            OpinionGroup.objects.restrict(request.user, "view").select_related("round__deliberation", "article"), pk=pk
        )
        form = forms.AnswerForm(request.POST)
        error = ""
        if not form.is_valid():
            error = _("请选择采纳、部分采纳或不采纳。")
        else:
            try:
                group = answers.group_answer(actor=request.user, group=group, **form.cleaned_data)
            except PermissionDenied:
                raise Http404 from None
            except ApplicationError as refusal:
                error = str(refusal.message)
        if request.htmx:  # the group's row, and the counts and the publish button out of band
            row = selectors.groups_with_opinions(user=request.user, groups=[group])[0]
            return render(
                request,
                "deliberations/partials/_group_answered.html",
                {
                    "row": row,
                    "answering": True,
                    "answer_form": form if error else forms.AnswerForm(),
                    "error": error,
                    "round": group.round,
                    "counts": selectors.rollup_counts(opinion_round=group.round),
                    "can_publish": True,
                },
            )
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("已答复。"))
        return redirect(next_or(request, reverse("deliberations:rollup", args=[group.round_id])))


class AnswersImportView(RoundAction):
    """The drafting unit uploads the roll-up workbook with its answers filled in; the preview
    shows what it would record."""

    def post(self, request, pk):
        opinion_round = self.target(request, pk)
        back = reverse("deliberations:rollup", args=[opinion_round.pk])
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择填好答复的 Excel 文件（.xlsx）。"))
            return redirect(back)
        try:
            preview = answers.answers_import_start(
                actor=request.user,
                opinion_round=opinion_round,
                upload=upload_read(answers.ANSWERS_KIND, upload),
            )
        except PermissionDenied:
            raise Http404 from None
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return redirect(back)
        return redirect("deliberations:answers_import_preview", preview.pk)


class AnswersImportConfirmView(ImportPreviewPageMixin, View):
    permission_required = "deliberations.answer_deliberation"
    import_kind = answers.ANSWERS_KIND

    def post(self, request, pk):
        preview = self.get_preview(pk)
        opinion_round = round_or_404(request.user, int(preview.target))
        back = reverse("deliberations:rollup", args=[opinion_round.pk])
        if request.POST.get("discard"):
            import_discard(preview, actor=request.user)
            messages.info(request, _("已放弃导入。"))
            return redirect(back)
        try:
            confirmed = import_confirm(preview, actor=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return redirect("deliberations:answers_import_preview", preview.pk)
        messages.success(request, _("已记录 %(n)s 条答复。") % {"n": confirmed.result["answered"]})
        return redirect(back)


class AnswersPublishView(RoundAction):
    def act(self, request, obj, data):
        answers.answers_publish(actor=request.user, opinion_round=obj)
        return _("答复已公布，已通知意见提出人和代表。")


class VoteCallView(DeliberationAction):
    def act(self, request, obj, data):
        votes.vote_call(actor=request.user, deliberation=obj)
        return _("已提交大会表决。")


class VoteRecordView(DeliberationAction):
    form_class = forms.VoteForm

    def act(self, request, obj, data):
        vote = votes.vote_record(actor=request.user, deliberation=obj, **data)
        return _("表决结果已录入：%(result)s（%(counts)s）。") % {
            "result": _("通过") if vote.adopted else _("未通过"),
            "counts": vote,
        }


class BallotOpenView(DeliberationAction):
    """The presidium opens the secret ballot (delegates vote on their phones)."""

    def act(self, request, obj, data):
        votes.ballot_open(actor=request.user, deliberation=obj)
        return _("无记名投票已开始，已通知代表。")


class BallotCastView(DeliberationAction):
    """A delegate's secret ballot: for, against or abstain; final."""

    def back(self, obj) -> str:
        return reverse("deliberations:detail", args=[obj.pk]) + "#vote-title"

    def act(self, request, obj, data):
        votes.ballot_vote(actor=request.user, deliberation=obj, choice=request.POST.get("choice", ""))
        return _("您的选票已投出。")


class BallotCountView(DeliberationAction):
    """The presidium closes the ballot; its count is the vote."""

    def act(self, request, obj, data):
        from django.utils import timezone

        vote = votes.ballot_count(actor=request.user, deliberation=obj, held_on=timezone.localdate())
        return _("计票完成：%(result)s（%(counts)s）。") % {
            "result": _("通过") if vote.adopted else _("未通过"),
            "counts": vote,
        }


class VoteRulesAdoptView(LoginRequiredMixin, View):
    """The office records a session's vote rules (a new edition, adopted at once)."""

    def post(self, request, session_pk):
        from gonghui.congress.models import CongressSession

        if not request.user.has_perm("deliberations.change_voterules"):
            raise PermissionDenied
        session = get_object_or_404(CongressSession, pk=session_pk)
        form = forms.VoteRulesForm(request.POST)
        back = reverse("deliberations:vote_rules", args=[session.pk])
        if not form.is_valid():
            messages.error(request, _("请完整填写表决规则、通过日期和依据。"))
            return redirect(back)
        try:
            votes.vote_rules_adopt(actor=request.user, session=session, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return redirect(back)
        messages.success(request, _("表决规则已通过。"))
        return redirect(next_or(request, back))

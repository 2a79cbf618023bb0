"""Deliberations and their versions: a deliberation is set up by the union office; a
version is drafted from pasted text or imported from a .docx (core's import kit: read,
preview the articles found, confirm), then published, after which it never changes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import cast

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.core.documents import docx_paragraphs
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import AuditAction
from gonghui.core.imports import ImportKind, import_kind_register, preview_bytes
from gonghui.core.service_kit import audit, required_text
from gonghui.core.tabular import ReadLimits
from gonghui.core.workflow import transition
from gonghui.deliberations.articles import ParsedDraft, draft_parse, text_paragraphs
from gonghui.deliberations.choices import DeliberationStatus, VersionStatus
from gonghui.deliberations.models import Article, Deliberation, DraftVersion
from gonghui.deliberations.workflow import (
    OFFICE,
    UNIT,
    DeliberationWorkflow,
    DraftVersionWorkflow,
    deliberation_relations,
)

MANAGE = "deliberations.manage_deliberation"


def _require_relation(deliberation: Deliberation, actor, relations: set[str]) -> None:
    if not deliberation_relations(deliberation, actor) & relations:
        raise PermissionDenied


@transaction.atomic
def deliberation_create(*, actor, session, topic: str, drafting_unit, description: str = "") -> Deliberation:
    """The union office puts a draft on the session's agenda."""
    if actor is None or not actor.has_perm(MANAGE):
        raise PermissionDenied
    deliberation = Deliberation.objects.create(
        session=session,
        topic=required_text(topic, _("请填写议题。"), field="topic")[:200],
        drafting_unit=drafting_unit,
        description=(description or "").strip(),
        created_by=actor,
    )
    DeliberationWorkflow.record(deliberation, "created", actor)
    audit(actor, deliberation, AuditAction.CREATED, _("设立专题审议：%(topic)s") % {"topic": deliberation.topic})
    return deliberation


def _refuse_no_articles(draft: ParsedDraft) -> None:
    if not draft.articles:
        raise ApplicationError(
            _("没有识别出条款：每条应以“第一条”“第二条”……开头（章标题写作“第一章 ……”）。"),
            extra={"field": "text"},
        )


@transaction.atomic
def version_create(
    *,
    actor,
    deliberation: Deliberation,
    draft: ParsedDraft,
    title: str = "",
    change_note: str = "",
    source_name: str = "",
) -> DraftVersion:
    """A new draft version with the parsed articles; numbered after the last one. Refused
    while an unpublished version exists (finish or delete it first) or after the vote."""
    _require_relation(deliberation, actor, {OFFICE, UNIT})
    _refuse_no_articles(draft)
    deliberation = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    if deliberation.status in (DeliberationStatus.VOTING, DeliberationStatus.ADOPTED):
        raise ApplicationError(_("已提交表决，不能再起草新稿。"))
    pending = deliberation.versions.filter(status=VersionStatus.DRAFT).first()
    if pending is not None:
        raise ApplicationError(
            _("%(version)s尚未发布：请先修改并发布它，再起草新稿。") % {"version": pending},
            extra={"version": pending.pk},
        )
    number = (deliberation.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DraftVersion.objects.create(
        deliberation=deliberation,
        number=number,
        title=(title or draft.title or deliberation.topic).strip()[:200],
        preamble=draft.preamble,
        change_note=(change_note or "").strip(),
        source_name=(source_name or "")[:200],
        created_by=actor,
    )
    Article.objects.bulk_create(
        Article(version=version, position=i, label=a.label, chapter=a.chapter[:200], text=a.text)
        for i, a in enumerate(draft.articles, start=1)
    )
    DraftVersionWorkflow.record(version, "created", actor, parameters={"articles": len(draft.articles)})
    DeliberationWorkflow.record(
        deliberation, "version_drafted", actor, message=str(version), parameters={"version": version.pk}
    )
    return version


def version_from_text(*, actor, deliberation: Deliberation, text: str, title: str = "", change_note: str = ""):
    """A version from pasted text (one paragraph per line)."""
    draft = draft_parse(text_paragraphs(text))
    return version_create(actor=actor, deliberation=deliberation, draft=draft, title=title, change_note=change_note)


@transaction.atomic
def version_update(*, actor, version: DraftVersion, draft: ParsedDraft, title: str = "", change_note: str = ""):
    """Replace an unpublished version's text (a published one refuses: VersionLocked)."""
    _require_relation(version.deliberation, actor, {OFFICE, UNIT})
    _refuse_no_articles(draft)
    version = DraftVersion.objects.select_for_update().get(pk=version.pk)
    version.title = (title or draft.title or version.title).strip()[:200]
    version.preamble = draft.preamble
    version.change_note = (change_note or "").strip()
    version.save()  # refuses a published version before anything below runs
    version.articles.all().delete()
    Article.objects.bulk_create(
        Article(version=version, position=i, label=a.label, chapter=a.chapter[:200], text=a.text)
        for i, a in enumerate(draft.articles, start=1)
    )
    DraftVersionWorkflow.record(version, "edited", actor, parameters={"articles": len(draft.articles)})
    return version


@transaction.atomic
def version_publish(*, actor, version: DraftVersion) -> DraftVersion:
    """Publish a version: refused without articles, or while an opinion of the previous
    round is unanswered. After answers, the deliberation goes back to drafting with it."""
    version = transition(DraftVersionWorkflow, version, to=VersionStatus.PUBLISHED, actor=actor)
    deliberation = version.deliberation
    if deliberation.status in (DeliberationStatus.RESPONDED, DeliberationStatus.REJECTED):
        step = "revise" if deliberation.status == DeliberationStatus.RESPONDED else "redraft"
        transition(DeliberationWorkflow, deliberation, step=step, actor=actor, parameters={"version": version.pk})
    DeliberationWorkflow.record(
        deliberation, "version_published", actor, message=str(version), parameters={"version": version.pk}
    )
    return version


# --- .docx through the import kit ------------------------------------------------------------

DOCX_KIND = "deliberations.version_docx"


@import_kind_register
class VersionDocxImport(ImportKind):
    """A version's text from the drafting unit's Word file: the preview shows the articles
    found (or, when none is recognised, the paragraphs read), and confirming creates the
    draft version."""

    name = DOCX_KIND
    title = cast(str, gettext_lazy("导入稿本（Word）"))
    permission = "deliberations.add_draftversion"
    limits = ReadLimits(extensions=("docx",), max_bytes=10 * 1024 * 1024, max_rows=5_000)
    ttl = datetime.timedelta(days=2)

    def classify(self, preview) -> dict:
        paragraphs = docx_paragraphs(preview_bytes(preview), self.limits)
        draft = draft_parse(paragraphs)
        return {
            **draft.as_dict(),
            "paragraphs": len(paragraphs),
            "first_paragraphs": [p[:200] for p in paragraphs[:12]],
            "total_rows": len(draft.articles),
        }

    def confirmable(self, preview) -> str:
        if not preview.summary.get("articles"):
            return _(
                "没有识别出条款：每条应以“第一条”“第二条”……开头。请在 Word 中检查条款编号后重新上传，或直接粘贴文本。"
            )
        return ""

    def apply(self, preview, *, actor, progress: Callable[[int, int], None]) -> dict:
        from gonghui.deliberations.articles import ParsedArticle

        deliberation = Deliberation.objects.get(pk=int(preview.target))
        summary = preview.summary
        draft = ParsedDraft(
            title=summary.get("title", ""),
            preamble=summary.get("preamble", ""),
            articles=[ParsedArticle(**a) for a in summary["articles"]],
        )
        version = version_create(
            actor=actor,
            deliberation=deliberation,
            draft=draft,
            change_note=preview.parameters.get("change_note", ""),
            source_name=preview.original_name,
        )
        return {"version": version.pk, "articles": len(draft.articles), "total": len(draft.articles)}


def version_import_start(*, actor, deliberation: Deliberation, upload, change_note: str = ""):
    """Keep and read a .docx for `deliberation`; the preview lists the articles found."""
    from gonghui.core.imports import import_start

    _require_relation(deliberation, actor, {OFFICE, UNIT})
    return import_start(
        DOCX_KIND,
        actor=actor,
        upload=upload,
        target=str(deliberation.pk),
        parameters={"change_note": (change_note or "").strip()},
    )

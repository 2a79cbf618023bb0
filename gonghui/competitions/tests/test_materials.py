"""Materials: every upload a new version (the old ones kept), complete materials move the entry
on, the deadline locks them, and only the contestant, their college and the office upload."""

import datetime
import os

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.attachments.models import Attachment
from gonghui.competitions.choices import MATERIAL_PURPOSE, EntryStatus, MaterialKind
from gonghui.competitions.models import EntryMaterial
from gonghui.competitions.selectors.entries import current_materials, entries_without_materials, materials_missing
from gonghui.competitions.services import entries as entry_services
from gonghui.competitions.tests.factories import aware, materials_complete, nominate_all, pdf, through
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import AuditEvent
from tests.tables import changed_tables, table_counts


def upload(w, entry, kind=MaterialKind.LESSON_PLAN, number=1, actor=None, file=None):
    return entry_services.material_upload(
        actor=actor or w.office, entry=entry, kind=kind, number=number, uploaded_file=file or pdf()
    )


def media_files(settings) -> int:
    return sum(len(files) for _root, _dirs, files in os.walk(settings.MEDIA_ROOT))


def refused(w, settings, entry, exception=ApplicationError, **kwargs):
    """The refusal of an upload, having checked that nothing was written (no row, no file)."""
    before, files = table_counts(), media_files(settings)
    with pytest.raises(exception) as raised:
        upload(w, entry, **kwargs)
    assert changed_tables(before, table_counts()) == {}
    assert media_files(settings) == files
    return raised.value


def test_a_second_upload_is_a_new_version_and_both_are_kept(w):
    zhao = nominate_all(w)["zhao"]
    first = upload(w, zhao, number=3)
    second = upload(w, zhao, number=3, actor=w.users["zhao"], file=pdf("教案3-修改稿.pdf"))
    rows = list(EntryMaterial.objects.filter(entry=zhao).order_by("version"))
    assert [(m.kind, m.number, m.version, m.uploaded_by_id) for m in rows] == [
        (MaterialKind.LESSON_PLAN, 3, 1, w.office.pk),
        (MaterialKind.LESSON_PLAN, 3, 2, w.users["zhao"].pk),
    ]
    assert (first.pk, second.pk) == (rows[0].pk, rows[1].pk)
    assert first.attachment_id != second.attachment_id
    attachments = Attachment.objects.filter(pk__in=[first.attachment_id, second.attachment_id])
    assert sorted(attachments.values_list("original_name", "purpose", "owner_person_id")) == sorted(
        [("教案.pdf", MATERIAL_PURPOSE, zhao.person_id), ("教案3-修改稿.pdf", MATERIAL_PURPOSE, zhao.person_id)]
    )
    assert [(m.pk, count) for m, count in current_materials(zhao)] == [(second.pk, 2)]
    messages = list(
        AuditEvent.objects.filter(object_type="competitions.entry", object_id=str(zhao.pk), action="updated")
        .order_by("id")
        .values_list("message", flat=True)
    )
    assert messages == ["上传教案 3（第 1 版）", "上传教案 3（第 2 版）"]
    # a slide deck's number is always 1
    slides = upload(w, zhao, kind=MaterialKind.SLIDES, number=4)
    assert (slides.number, slides.version) == (1, 1)


def test_complete_materials_move_the_entry_to_submitted(w):
    entries = nominate_all(w)
    zhao = entries["zhao"]
    assert materials_missing(zhao) == ["教案 1", "教案 2", "教案 3", "教案 4", "教案 5", "课件"]
    for number in (1, 2, 3, 4, 5):
        upload(w, zhao, number=number)
    upload(w, zhao, kind=MaterialKind.VIDEO)  # not required
    zhao.refresh_from_db()
    assert (zhao.status, materials_missing(zhao)) == (EntryStatus.NOMINATED, ["课件"])
    upload(w, zhao, kind=MaterialKind.SLIDES, actor=w.users["sub_union_officer"])
    zhao.refresh_from_db()
    assert (zhao.status, materials_missing(zhao)) == (EntryStatus.SUBMITTED, [])
    event = zhao.events.get()
    assert (event.from_state, event.to_state, event.step, event.actor_id) == (
        "nominated",
        "submitted",
        "materials_complete",
        w.users["sub_union_officer"].pk,
    )
    assert entries_without_materials(w.competition) == ["钱二", "周四"]  # in pinyin order
    # a new version after completion keeps the entry submitted, with no second event
    upload(w, zhao, number=2)
    zhao.refresh_from_db()
    assert (zhao.status, zhao.events.count()) == (EntryStatus.SUBMITTED, 1)


def test_materials_lock_at_the_deadline_with_nothing_stored(w, clock, settings):
    zhao = nominate_all(w)["zhao"]
    upload(w, zhao, number=1)
    clock.move_to(aware(datetime.datetime(2021, 3, 25, 17, 59)))
    upload(w, zhao, number=2)
    clock.move_to(aware(datetime.datetime(2021, 3, 25, 18, 0, 1)))
    error = refused(w, settings, zhao, number=3)
    assert error.message == "材料已于 2021-03-25 18:00 截止提交，不能再上传或更换。"
    assert EntryMaterial.objects.filter(entry=zhao).count() == 2
    assert Attachment.objects.filter(purpose=MATERIAL_PURPOSE).count() == 2


@pytest.mark.parametrize("number", [0, 6])
def test_a_lesson_plan_beyond_the_rules_is_refused(w, settings, number):
    zhao = nominate_all(w)["zhao"]
    error = refused(w, settings, zhao, number=number)
    assert (error.message, error.extra) == ("教案序号须在 1 到 5 之间。", {"field": "number"})


def test_an_unknown_kind_is_refused(w, settings):
    zhao = nominate_all(w)["zhao"]
    error = refused(w, settings, zhao, kind="poster")
    assert (error.message, error.extra) == ("请选择材料类别。", {"field": "kind"})


@pytest.mark.parametrize(
    "actor, contestant",
    [
        ("member", "zhou"),  # 张伟 of economics: another college's entry
        ("member", "zhao"),  # 张伟: his own college, but neither the contestant nor its officer
        ("sub_union_officer", "zhou"),  # economics' officer: law's entry
        ("zhou", "zhao"),  # a contestant: another's entry
        ("coach", "zhao"),  # the coach does not upload
    ],
)
def test_only_the_contestant_the_college_and_the_office_upload(w, settings, actor, contestant):
    entry = nominate_all(w)[contestant]
    error = refused(w, settings, entry, exception=PermissionDenied, actor=w.users[actor])
    assert str(error) == "只有参赛教师本人、推荐单位和比赛办公室可以上传材料。"


def test_a_file_of_another_type_is_refused_with_nothing_stored(w, settings):
    from gonghui.attachments.services import AttachmentRefused

    zhao = nominate_all(w)["zhao"]
    text = SimpleUploadedFile("plan.pdf", b"just some text, not a PDF", content_type="application/pdf")
    refused(w, settings, zhao, exception=AttachmentRefused, file=text)


def test_no_upload_after_the_draw_or_a_withdrawal(w, clock, settings):
    through(w, clock, "drawn")
    zhao = w.entries["zhao"]
    assert zhao.status == EntryStatus.DRAWN
    clock.move_to(aware(datetime.datetime(2021, 3, 24, 9, 0)))  # even before the deadline
    assert refused(w, settings, zhao).message == "抽签后或退赛后不能再上传材料。"


def test_no_upload_after_a_withdrawal(w, settings):
    qian = nominate_all(w)["qian"]
    entry_services.entry_withdraw(actor=w.office, entry=qian, reason="工作调整")
    assert refused(w, settings, qian).message == "抽签后或退赛后不能再上传材料。"


def test_materials_complete_for_an_officer_and_the_contestant(w):
    entries = nominate_all(w)
    materials_complete(w, entries["zhou"])
    assert entries["zhou"].status == EntryStatus.SUBMITTED
    assert EntryMaterial.objects.filter(entry=entries["zhou"]).count() == 6

"""Hostile spreadsheets are refused with a clear message, in bounded memory and time, and
nothing is written: a zip bomb, sizes that lie, a row that never closes, a huge shared-string
table, deep XML, entities (billion laughs, an external one), cells far apart, CSV fields over
the standard library's limit. Both when the request reads the file (small) and when the task
worker does (large)."""

import json
import os
import subprocess
import sys

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from gonghui.core.exceptions import ImportFileError, InvalidTransition
from gonghui.core.imports import Upload, import_confirm, import_start
from gonghui.core.models import AuditEvent, ImportPreview, ImportPreviewEvent, ImportStatus, Job, JobStatus
from gonghui.core.tabular import table_read
from gonghui.core.tests.hostile import HOSTILE, workbook, zip_bomb
from gonghui.core.tests.kinds import SheetImport  # noqa: F401  (registers core_tests.sheet)

CASES = sorted(HOSTILE)


@pytest.fixture(autouse=True)
def chinese():
    """The messages are asserted in Chinese, whatever an earlier test left active."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture
def office(admin_user, settings, tmp_path):
    """An importer (a superuser: these tests need no university) with a storage of its own."""
    settings.MEDIA_ROOT = str(tmp_path)
    return admin_user


def _case(name: str, settings=None) -> tuple[Upload, str]:
    """The file and the message that refuses it. In the suite the zip bomb unpacks to 12 MB
    against a 10 MB limit (fast); the measuring test below reads the 160 MB one at the
    default limits."""
    builder, message = HOSTILE[name]
    data = builder()
    if name == "zip bomb" and settings is not None:
        settings.IMPORT_LIMITS = {"max_member_bytes": 10 * 1024 * 1024}
        data, message = zip_bomb(12), "“xl/worksheets/sheet1.xml”超过 10 MB"
    return Upload(data=data, filename="hostile.csv" if "CSV" in name else "hostile.xlsx"), message


def _stored() -> list[str]:
    return default_storage.listdir("imports")[1] if default_storage.exists("imports") else []


@pytest.mark.parametrize("name", CASES)
def test_a_hostile_file_read_in_the_request_is_refused_and_nothing_is_kept(office, settings, name):
    settings.IMPORT_READ_INLINE_MAX_BYTES = 10 * 1024 * 1024
    upload, message = _case(name, settings)
    with pytest.raises(ImportFileError) as refused:
        import_start("core_tests.sheet", actor=office, upload=upload)
    assert message in str(refused.value.message)
    assert ImportPreview.objects.count() == 0 and Job.objects.count() == 0
    assert _stored() == [] and AuditEvent.objects.filter(object_type="test").count() == 0


@pytest.mark.parametrize("name", CASES)
def test_a_hostile_file_read_by_the_worker_fails_its_preview_and_is_deleted(
    office, settings, name, django_capture_on_commit_callbacks
):
    settings.IMPORT_READ_INLINE_MAX_BYTES = 0
    upload, message = _case(name, settings)
    with django_capture_on_commit_callbacks(execute=True):
        preview = import_start("core_tests.sheet", actor=office, upload=upload)
    preview.refresh_from_db()
    assert preview.status == ImportStatus.FAILED and message in preview.error
    job = preview.read_job
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and message in job.error
    assert _stored() == [] and AuditEvent.objects.filter(object_type="test").count() == 0
    event = ImportPreviewEvent.objects.get(subject=preview)
    assert (event.from_state, event.to_state, event.step) == ("reading", "failed", "refuse")
    with pytest.raises(InvalidTransition, match="该文件未能读取"):
        import_confirm(preview, actor=office)
    assert AuditEvent.objects.filter(object_type="test").count() == 0


_MEASURE = """
import json, os, resource, sys, time
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
django.setup()
from gonghui.core.exceptions import ImportFileError, InvalidTransition
from gonghui.core.tabular import table_read
out = {}
for path in sys.argv[1:]:
    started = time.monotonic()
    try:
        table_read(data=open(path, "rb").read(), filename=path)
        outcome = "read"
    except ImportFileError as error:
        outcome = str(error.message)
    out[os.path.basename(path)] = [outcome, time.monotonic() - started]
# The peak of this process's own memory: VmHWM starts afresh at exec, whereas ru_maxrss keeps
# the high-water mark of the (large, forked) pytest worker that started it.
try:
    with open("/proc/self/status") as status:
        out["maxrss_mb"] = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
except OSError:
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out, ensure_ascii=False))
"""


def test_every_hostile_file_is_refused_under_500_mb_and_in_seconds(tmp_path):
    """In a process of its own, so that its peak resident memory (python-calamine's is not
    Python's) is the reading's alone."""
    paths = []
    for index, name in enumerate(CASES):
        path = tmp_path / f"{index}.{'csv' if 'CSV' in name else 'xlsx'}"
        path.write_bytes(HOSTILE[name][0]())
        paths.append(str(path))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *paths], cwd=root, capture_output=True, text=True, timeout=120, check=True
    )
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    for index, name in enumerate(CASES):
        outcome, seconds = measured[os.path.basename(paths[index])]
        assert HOSTILE[name][1] in outcome, name
        assert seconds < 30, name
    assert measured["maxrss_mb"] < 500


def test_a_plain_workbook_is_read_with_its_formulas_as_text():
    data = workbook(
        b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        b'<row r="2"><c r="A2"><v>7</v></c><c r="B2"><f>A2*2</f><v>14</v></c></row>'
        b'<row r="4"><c r="B4" t="inlineStr"><is><t>x &amp; y</t></is></c></row>'
    )
    assert table_read(data=data, filename="a.xlsx") == [["工号", "姓名"], ["7", "=A2*2"], [], ["", "x & y"]]


def test_the_preview_page_of_a_failed_read_shows_the_reason(
    client, office, settings, django_capture_on_commit_callbacks
):
    """Finding 9: a job that failed is readable on its page and on the preview's."""
    settings.IMPORT_READ_INLINE_MAX_BYTES = 0
    with django_capture_on_commit_callbacks(execute=True):
        preview = import_start("core_tests.sheet", actor=office, upload=_case("deep XML")[0])
    preview.refresh_from_db()
    client.force_login(office)
    page = client.get(reverse("core:job_detail", args=[preview.read_job_id]))
    assert page.status_code == 200
    assert "文件的 XML 结构嵌套过深，无法读取" in page.content.decode()

"""Records and actors for the workflow contract test (tests/test_workflow_contract.py)."""

from django.test import override_settings

from gonghui.accounts.system import system_actor
from gonghui.core.imports import Upload, import_start
from gonghui.core.models import ImportStatus
from gonghui.core.tests.kinds import NamesImport


def _preview(world, step, source):
    office = world.users["union_office"]
    upload = Upload("工号,姓名\nE1,张伟".encode(), "n.csv")
    if source == ImportStatus.READING:  # a large file: read by the worker (not run here)
        with override_settings(IMPORT_READ_INLINE_MAX_BYTES=0):
            preview = import_start(NamesImport.name, actor=office, upload=upload)
    else:
        preview = import_start(NamesImport.name, actor=office, upload=upload)
    actor = system_actor() if step.name in ("expire", "read", "refuse") else office
    return preview, actor, {}


def _ballot_box(world, step, source):
    from gonghui.core.ballots import Voter, ballot_box_open

    box = ballot_box_open(
        actor=world.users["union_office"],
        kind="test",
        subject="test:1",
        title="契约测试投票",
        items=[{"key": "vote", "label": "表决", "options": [["for", "赞成"], ["against", "反对"]]}],
        voters=[Voter(person_id=world.zhang.pk)],
    )
    return box, system_actor(), {}


CONTRACT = {"core.importpreview": _preview, "core.ballotbox": _ballot_box}

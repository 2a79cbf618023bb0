"""The commands: `deliberation_report` (the report kit's command: json, text, xlsx, and the
history as a PDF) and `deliberations_remind` (closes rounds past their time, reminds once)."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from gonghui.deliberations.choices import DeliberationStatus
from gonghui.deliberations.tasks import deliberations_rounds_due
from gonghui.deliberations.tests.factories import (
    deliberation_make,
    opinions_give,
    round_opened,
    through,
    version_published,
)
from gonghui.notifications.models import Notification


def test_the_report_as_json_comes_from_the_data(w):
    world = through(w, "responded")
    out = io.StringIO()
    call_command("deliberation_report", "--deliberation", str(world.deliberation.pk), stdout=out)
    figures = json.loads(out.getvalue())
    assert (figures["topic"], figures["drafting_unit"], figures["status"]) == (
        "教职工绩效工资改革方案",
        "人事处",
        "已答复",
    )
    (first,) = figures["rounds"]
    assert (first["round"], first["opinions"], first["groups"]) == (1, 6, 4)
    assert first["answers"] == {"待答复": 0, "采纳": 4, "部分采纳": 0, "不采纳": 0}
    assert figures["votes"] == []


def test_the_history_as_a_pdf_and_an_unknown_deliberation(w, tmp_path):
    world = through(w, "sent")
    target = tmp_path / "过程.pdf"
    out = io.StringIO()
    call_command(
        "deliberation_report",
        "--deliberation",
        str(world.deliberation.pk),
        "--format",
        "pdf",
        "--output",
        str(target),
        stdout=out,
    )
    assert target.read_bytes().startswith(b"%PDF")
    assert out.getvalue().startswith(f"{target}: ")
    with pytest.raises(CommandError, match="no deliberation 999999"):
        call_command("deliberation_report", "--deliberation", "999999", stdout=io.StringIO())


def test_the_daily_run_closes_due_rounds_and_reminds_once(w, clock, django_capture_on_commit_callbacks):
    due = deliberation_make(w, topic="已到期的方案")
    version_published(w, due)
    due_round = round_opened(w, due)
    opinions_give(w, due_round)
    soon = deliberation_make(w, topic="明天截止的方案")
    version_published(w, soon)
    round_opened(w, soon, closes_at=due_round.closes_at + datetime.timedelta(hours=20))
    clock.move_to(due_round.closes_at + datetime.timedelta(minutes=5))

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("deliberations_remind", stdout=out)
    assert out.getvalue().strip() == "closed: 1, reminded: 1"
    due.refresh_from_db()
    soon.refresh_from_db()
    assert (due.status, soon.status) == (DeliberationStatus.SUMMARISING, DeliberationStatus.OPEN)
    assert due_round.groups.count() == 4
    reminded = Notification.objects.filter(kind="deliberations.round_closing").count()
    assert reminded > 0
    # the task runs the same service: nothing left to close, no second reminder
    assert deliberations_rounds_due.call() == {"closed": 0, "reminded": 0}
    assert Notification.objects.filter(kind="deliberations.round_closing").count() == reminded

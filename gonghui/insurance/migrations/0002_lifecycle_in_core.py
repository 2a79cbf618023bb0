"""Onto core's lifecycle (ADR 0005): the claims' event table takes the shared WorkflowEvent
shape keeping its rows (claim → subject with PROTECT, from/to_status → from/to_state,
note → message, a step name filled in from the move), plan editions take core's rule-edition
fields, and enrollments and editions get their event tables."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The step that moved a claim into each state (CLAIM_TRANSITIONS had one way into each).
STEP_INTO = {
    "documents_pending": "request_documents",
    "ready": "complete",
    "submitted": "submit",
    "returned": "return",
    "paid": "pay",
    "refused": "refuse",
    "withdrawn": "withdraw",
}


def name_the_steps(apps, schema_editor):
    ClaimEvent = apps.get_model("insurance", "ClaimEvent")
    ClaimEvent.objects.filter(from_state="").update(step="created")
    ClaimEvent.objects.filter(from_state=models.F("to_state")).exclude(from_state="").update(step="document")
    for state, step in STEP_INTO.items():
        ClaimEvent.objects.filter(to_state=state, step="").exclude(from_state=state).update(step=step)


def event_fields(subject_model: str):
    return [
        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
        ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="时间")),
        ("from_state", models.CharField(blank=True, max_length=32, verbose_name="原状态")),
        ("to_state", models.CharField(max_length=32, verbose_name="新状态")),
        ("step", models.CharField(max_length=32, verbose_name="步骤")),
        ("message", models.TextField(blank=True, verbose_name="说明")),
        ("parameters", models.JSONField(blank=True, default=dict, verbose_name="参数")),
        (
            "actor",
            models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        (
            "subject",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="events", to=f"insurance.{subject_model}"
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("insurance", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # the claims' events, rows kept
        migrations.RenameField("claimevent", "claim", "subject"),
        migrations.AlterField(
            model_name="claimevent",
            name="subject",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="insurance.planclaim",
                verbose_name="理赔",
            ),
        ),
        migrations.RenameField("claimevent", "from_status", "from_state"),
        migrations.AlterField(
            model_name="claimevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="原状态"),
        ),
        migrations.RenameField("claimevent", "to_status", "to_state"),
        migrations.AlterField(
            model_name="claimevent",
            name="to_state",
            field=models.CharField(max_length=32, verbose_name="新状态"),
        ),
        migrations.RenameField("claimevent", "note", "message"),
        migrations.AlterField(
            model_name="claimevent",
            name="message",
            field=models.TextField(blank=True, verbose_name="说明"),
        ),
        migrations.AlterField(
            model_name="claimevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="时间"),
        ),
        migrations.AddField(
            model_name="claimevent",
            name="step",
            field=models.CharField(default="", max_length=32, verbose_name="步骤"),
            preserve_default=False,
        ),
        migrations.RunPython(name_the_steps, migrations.RunPython.noop),
        # plan editions: core's rule-edition fields
        migrations.AlterField(
            model_name="planedition",
            name="adopted_on",
            field=models.DateField(blank=True, null=True, verbose_name="通过日期"),
        ),
        migrations.AlterField(
            model_name="planedition",
            name="resolution",
            field=models.CharField(
                blank=True, help_text="如：第五届教代会第三次会议决议", max_length=200, verbose_name="通过依据"
            ),
        ),
        migrations.AlterField(
            model_name="planedition",
            name="status",
            field=models.CharField(
                choices=[("draft", "草案"), ("adopted", "已通过"), ("superseded", "已被取代")],
                default="draft",
                max_length=16,
                verbose_name="状态",
            ),
        ),
        # the event tables of editions and enrollments
        migrations.CreateModel(
            name="PlanEditionEvent",
            fields=event_fields("planedition"),
            options={
                "verbose_name": "保障计划版本记录",
                "verbose_name_plural": "保障计划版本记录",
                "ordering": ["at", "id"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="PlanEnrollmentEvent",
            fields=event_fields("planenrollment"),
            options={
                "verbose_name": "参保记录变动",
                "verbose_name_plural": "参保记录变动",
                "ordering": ["at", "id"],
                "abstract": False,
            },
        ),
    ]

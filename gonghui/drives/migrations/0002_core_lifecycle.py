"""Drives onto core's lifecycle (ADR 0005):

- the rules of each drive move from Drive into DriveRules (a core rule edition, one per
  drive): copied row by row, then the columns leave Drive. A drive whose registration had
  opened gets adopted rules (the date registration opened, or the drive's creation), any
  other drive draft rules;
- PhaseChange becomes DriveEvent, the drive's workflow event table (rows kept: from_phase,
  to_phase, by → from_state, to_state, actor; the step is the phase moved to);
- registrations, bookings and rules get their event tables;
- a provider's result keeps the import preview it was confirmed from."""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

RULE_FIELDS = (
    "price_per_person",
    "policy_start",
    "eligible_statuses",
    "eligible_coverage_types",
    "min_age",
    "max_age",
    "relatives_allowed",
    "relative_relationships",
    "group_only_coverage_types",
    "consent_text",
)
OPEN_PHASES = ("registration", "roster", "on_site", "done")


def rules_from_drives(apps, schema_editor):
    Drive = apps.get_model("drives", "Drive")
    DriveRules = apps.get_model("drives", "DriveRules")
    DriveRegistration = apps.get_model("drives", "DriveRegistration")
    for drive in Drive.objects.order_by("pk"):
        opened = drive.phase in OPEN_PHASES or DriveRegistration.objects.filter(drive_id=drive.pk).exists()
        rules = DriveRules.objects.create(
            drive=drive,
            status="adopted" if opened else "draft",
            adopted_on=(drive.registration_from or drive.created_at.date()) if opened else None,
            resolution="报名开始时的活动设置（迁移）" if opened else "",
            created_by_id=drive.created_by_id,
            **{name: getattr(drive, name) for name in RULE_FIELDS},
        )
        rules.eligible_categories.set(drive.eligible_categories.all())


def steps_of_phase_changes(apps, schema_editor):
    DriveEvent = apps.get_model("drives", "DriveEvent")
    for to_state in DriveEvent.objects.values_list("to_state", flat=True).distinct():
        DriveEvent.objects.filter(to_state=to_state, step="").update(step=to_state)


def _event_fields():
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
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_import_previews"),
        ("drives", "0001_initial"),
        ("people", "0002_person_list_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # --- the drive's rules ---------------------------------------------------------------
        migrations.CreateModel(
            name="DriveRules",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "草案"), ("adopted", "已通过"), ("superseded", "已被取代")],
                        default="draft",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("adopted_on", models.DateField(blank=True, null=True, verbose_name="通过日期")),
                (
                    "resolution",
                    models.CharField(
                        blank=True,
                        help_text="如：第五届教代会第三次会议决议",
                        max_length=200,
                        verbose_name="通过依据",
                    ),
                ),
                (
                    "price_per_person",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=10,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.00"))],
                        verbose_name="每人价格（元）",
                    ),
                ),
                ("policy_start", models.DateField(help_text="年龄按此日计算", verbose_name="保障起始日")),
                ("eligible_statuses", models.JSONField(blank=True, default=list, verbose_name="可参加的人员状态")),
                (
                    "eligible_coverage_types",
                    models.JSONField(blank=True, default=list, verbose_name="可参加的医疗类别"),
                ),
                ("min_age", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="最低年龄")),
                ("max_age", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="最高年龄")),
                ("relatives_allowed", models.BooleanField(default=False, verbose_name="家属可参加")),
                ("relative_relationships", models.JSONField(blank=True, default=list, verbose_name="可参加的家属关系")),
                (
                    "group_only_coverage_types",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="这些医疗类别的教职工只能通过学校团体参保，家属不能以此类别报名",
                        verbose_name="只能团体参保的医疗类别",
                    ),
                ),
                (
                    "consent_text",
                    models.TextField(
                        default="本人同意校工会将上述报名信息（姓名、身份证号、手机号、性别、出生日期、医疗类别、关系）提供给承办机构，仅用于办理本次参保。",
                        verbose_name="个人信息授权说明",
                    ),
                ),
                (
                    "based_on",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="drives.driverules",
                        verbose_name="修订自",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="创建人",
                    ),
                ),
                (
                    "drive",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rules",
                        to="drives.drive",
                        verbose_name="参保活动",
                    ),
                ),
                (
                    "eligible_categories",
                    models.ManyToManyField(
                        blank=True, related_name="+", to="people.employmentcategory", verbose_name="可参加的人员类别"
                    ),
                ),
            ],
            options={
                "verbose_name": "参保规则",
                "verbose_name_plural": "参保规则",
                "ordering": ["-policy_start", "-id"],
            },
        ),
        migrations.RunPython(rules_from_drives, migrations.RunPython.noop),
        *[migrations.RemoveField(model_name="drive", name=name) for name in (*RULE_FIELDS, "eligible_categories")],
        migrations.AlterModelOptions(
            name="drive",
            options={
                "ordering": ["-id"],
                "permissions": [
                    ("advance_drive", "推进参保活动阶段"),
                    ("export_roster", "导出报送名单"),
                    ("import_result", "导入承办机构结果"),
                    ("remind_survey", "催办意向摸底"),
                    ("checkin_booking", "现场签到与办理"),
                ],
                "verbose_name": "参保活动",
                "verbose_name_plural": "参保活动",
            },
        ),
        # --- PhaseChange becomes the drive's event table ----------------------------------------
        migrations.RenameModel(old_name="PhaseChange", new_name="DriveEvent"),
        migrations.RenameField(model_name="driveevent", old_name="drive", new_name="subject"),
        migrations.RenameField(model_name="driveevent", old_name="from_phase", new_name="from_state"),
        migrations.RenameField(model_name="driveevent", old_name="to_phase", new_name="to_state"),
        migrations.RenameField(model_name="driveevent", old_name="by", new_name="actor"),
        migrations.AlterField(
            model_name="driveevent",
            name="subject",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="drives.drive",
                verbose_name="参保活动",
            ),
        ),
        migrations.AlterField(
            model_name="driveevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="driveevent",
            name="to_state",
            field=models.CharField(max_length=32, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="driveevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        migrations.AlterField(
            model_name="driveevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="时间"),
        ),
        migrations.AddField(
            model_name="driveevent",
            name="step",
            field=models.CharField(default="", max_length=32, verbose_name="步骤"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="driveevent",
            name="message",
            field=models.TextField(blank=True, verbose_name="说明"),
        ),
        migrations.AddField(
            model_name="driveevent",
            name="parameters",
            field=models.JSONField(blank=True, default=dict, verbose_name="参数"),
        ),
        migrations.RunPython(steps_of_phase_changes, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="driveevent",
            options={"ordering": ["at", "id"], "verbose_name": "参保活动记录", "verbose_name_plural": "参保活动记录"},
        ),
        # --- new event tables -----------------------------------------------------------------
        migrations.CreateModel(
            name="DriveRulesEvent",
            fields=[
                *_event_fields(),
                (
                    "subject",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="drives.driverules",
                        verbose_name="参保规则",
                    ),
                ),
            ],
            options={
                "verbose_name": "参保规则记录",
                "verbose_name_plural": "参保规则记录",
                "ordering": ["at", "id"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="RegistrationEvent",
            fields=[
                *_event_fields(),
                (
                    "subject",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="drives.driveregistration",
                        verbose_name="报名",
                    ),
                ),
            ],
            options={
                "verbose_name": "报名记录",
                "verbose_name_plural": "报名记录",
                "ordering": ["at", "id"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="BookingEvent",
            fields=[
                *_event_fields(),
                (
                    "subject",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="drives.slotbooking",
                        verbose_name="预约",
                    ),
                ),
            ],
            options={
                "verbose_name": "预约记录",
                "verbose_name_plural": "预约记录",
                "ordering": ["at", "id"],
                "abstract": False,
            },
        ),
        # --- the provider's result keeps its preview -------------------------------------------
        migrations.AddField(
            model_name="providerresultimport",
            name="preview",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.importpreview",
                verbose_name="导入预览",
            ),
        ),
    ]

"""The rules of a session's proposals work move from CongressSession into SessionRules, a
core rule edition (ADR 0005). Every existing session keeps its values as an adopted edition,
dated the day its solicitation opened, with the act noted as carried over."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import gonghui.congress.models

RULE_FIELDS = (
    "solicitation_opens_at",
    "solicitation_closes_at",
    "min_co_signers",
    "reply_working_days",
    "reminder_working_days",
    "rounds_before_escalation",
    "co_signers_rate",
    "satisfaction_scale",
    "public_fields",
    "leader_in_charge_id",
)


def rules_from_sessions(apps, schema_editor):
    CongressSession = apps.get_model("congress", "CongressSession")
    SessionRules = apps.get_model("congress", "SessionRules")
    SessionRulesEvent = apps.get_model("congress", "SessionRulesEvent")
    for session in CongressSession.objects.order_by("pk").iterator():
        adopted_on = django.utils.timezone.localtime(session.solicitation_opens_at).date()
        rules = SessionRules.objects.create(
            session_id=session.pk,
            status="adopted",
            adopted_on=adopted_on,
            resolution="沿用原会议设置（系统升级迁移）",
            **{name: getattr(session, name) for name in RULE_FIELDS},
        )
        SessionRulesEvent.objects.create(
            subject_id=rules.pk,
            from_state="draft",
            to_state="adopted",
            step="adopt",
            message=rules.resolution,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0001_initial"),
        ("people", "0002_person_list_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SessionRules",
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
                        blank=True, help_text="如：第五届教代会第三次会议决议", max_length=200, verbose_name="通过依据"
                    ),
                ),
                ("solicitation_opens_at", models.DateTimeField(verbose_name="提案征集开始")),
                ("solicitation_closes_at", models.DateTimeField(verbose_name="提案征集截止")),
                ("min_co_signers", models.PositiveSmallIntegerField(default=2, verbose_name="附议人数下限")),
                ("reply_working_days", models.PositiveSmallIntegerField(default=20, verbose_name="答复期限（工作日）")),
                (
                    "reminder_working_days",
                    models.PositiveSmallIntegerField(default=3, verbose_name="提前提醒（工作日）"),
                ),
                (
                    "rounds_before_escalation",
                    models.PositiveSmallIntegerField(default=2, verbose_name="重新办理几轮后上报"),
                ),
                ("co_signers_rate", models.BooleanField(default=False, verbose_name="附议人也可评价答复")),
                (
                    "satisfaction_scale",
                    models.JSONField(
                        default=gonghui.congress.models.default_satisfaction_scale, verbose_name="满意度等级"
                    ),
                ),
                (
                    "public_fields",
                    models.JSONField(default=gonghui.congress.models.default_public_fields, verbose_name="公示字段"),
                ),
                (
                    "based_on",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="congress.sessionrules",
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
                    "leader_in_charge",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="people.person",
                        verbose_name="分管校领导",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rules",
                        to="congress.congresssession",
                        verbose_name="会议",
                    ),
                ),
            ],
            options={
                "verbose_name": "会议提案规则",
                "verbose_name_plural": "会议提案规则",
                "ordering": ["session", "-id"],
            },
        ),
        migrations.CreateModel(
            name="SessionRulesEvent",
            fields=[
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
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="congress.sessionrules",
                        verbose_name="会议提案规则",
                    ),
                ),
            ],
            options={
                "verbose_name": "会议提案规则记录",
                "verbose_name_plural": "会议提案规则记录",
                "ordering": ["at", "id"],
                "abstract": False,
            },
        ),
        migrations.AddConstraint(
            model_name="sessionrules",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "adopted")), fields=("session",), name="session_rules_one_in_force"
            ),
        ),
        migrations.RunPython(rules_from_sessions, migrations.RunPython.noop),
    ]

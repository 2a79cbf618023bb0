"""The session's proposal settings now live in its SessionRules (copied by 0002, in its
own transaction before the columns go)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("congress", "0002_session_rules")]

    operations = [
        migrations.RemoveField(
            model_name="congresssession",
            name="co_signers_rate",
        ),
        migrations.RemoveField(
            model_name="congresssession",
            name="leader_in_charge",
        ),
        migrations.RemoveField(
            model_name="congresssession",
            name="min_co_signers",
        ),
        migrations.RemoveField(
            model_name="congresssession",
            name="public_fields",
        ),
        migrations.RemoveField(
            model_name="congresssession",
            name="reminder_working_days",
        ),
        migrations.RemoveField(
            model_name="congresssession",
            name="reply_working_days",
        ),
        migrations.RemoveField(
            model_name="congresssession",
            name="rounds_before_escalation",
        ),
        migrations.RemoveField(
            model_name="congresssession",
            name="satisfaction_scale",
        ),
        migrations.RemoveField(
            model_name="congresssession",
            name="solicitation_closes_at",
        ),
        migrations.RemoveField(
            model_name="congresssession",
            name="solicitation_opens_at",
        ),
    ]

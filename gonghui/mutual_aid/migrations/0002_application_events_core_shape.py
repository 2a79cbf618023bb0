"""ApplicationEvent takes the core workflow event shape (ADR 0005): the foreign key becomes
`subject` (PROTECT: history outlives nothing it describes), from/to_status become
from_state/to_state, and each kept row gets the name of the step it records."""

from django.db import migrations, models

# (from, to) → the step of gonghui.mutual_aid.workflow.ApplicationWorkflow that makes it.
STEPS = {
    ("draft", "submitted"): "submit",
    ("returned", "submitted"): "submit",
    ("submitted", "sub_union_checked"): "sub_union_check",
    ("submitted", "returned"): "return",
    ("sub_union_checked", "returned"): "office_return",
    ("office_checked", "returned"): "office_return",
    ("sub_union_checked", "office_checked"): "office_check",
    ("office_checked", "approved"): "approve",
    ("office_checked", "adjusted"): "adjust",
    ("office_checked", "rejected"): "reject",
    ("approved", "on_notice"): "post_notice",
    ("adjusted", "on_notice"): "post_notice",
    ("on_notice", "on_hold"): "hold",
    ("on_hold", "on_notice"): "resume",
    ("on_hold", "rejected"): "uphold_objection",
    ("on_notice", "payable"): "make_payable",
    ("payable", "paid"): "pay",
    ("paid", "closed"): "close",
}


def name_steps(apps, schema_editor):
    ApplicationEvent = apps.get_model("mutual_aid", "ApplicationEvent")
    pairs = ApplicationEvent.objects.values_list("from_state", "to_state").distinct()
    for source, target in list(pairs):
        step = "withdraw" if target == "withdrawn" else STEPS.get((source, target), target)
        ApplicationEvent.objects.filter(from_state=source, to_state=target).update(step=step)


class Migration(migrations.Migration):
    dependencies = [("mutual_aid", "0001_initial")]

    operations = [
        migrations.RenameField("applicationevent", "application", "subject"),
        migrations.RenameField("applicationevent", "from_status", "from_state"),
        migrations.RenameField("applicationevent", "to_status", "to_state"),
        migrations.AddField(
            model_name="applicationevent",
            name="step",
            field=models.CharField(default="", max_length=32, verbose_name="步骤"),
            preserve_default=False,
        ),
        migrations.RunPython(name_steps, migrations.RunPython.noop),
    ]

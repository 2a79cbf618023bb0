"""ProposalEvent takes the core workflow event shape (ADR 0005), keeping every row: the
foreign key becomes `subject` (PROTECT: history is never deleted with its proposal),
from/to_status become from_state/to_state and `type` becomes `step`.

Status rows get the name of the step of ProposalWorkflow that makes them ("created" for
the draft's creation); the other events (co-signed, contact, reply drafted …) keep their
type as step and get from = to = the proposal's state at that moment."""

import django.db.models.deletion
from django.db import migrations, models

# (from, to) → the step of gonghui.proposals.workflow.ProposalWorkflow that makes it.
STEPS = {
    ("", "draft"): "created",
    ("draft", "awaiting_co_signers"): "invite",
    ("awaiting_co_signers", "draft"): "return_to_draft",
    ("draft", "submitted"): "submit",
    ("awaiting_co_signers", "submitted"): "submit",
    ("draft", "withdrawn"): "withdraw",
    ("awaiting_co_signers", "withdrawn"): "withdraw",
    ("submitted", "withdrawn"): "withdraw",
    ("submitted", "under_review"): "review",
    ("under_review", "registered"): "register",
    ("under_review", "merged"): "merge",
    ("under_review", "opinion"): "to_opinion",
    ("under_review", "not_registered"): "not_register",
    ("under_review", "referred"): "refer",
    ("referred", "registered"): "presidium_register",
    ("referred", "opinion"): "presidium_opinion",
    ("referred", "not_registered"): "presidium_not_register",
    ("registered", "assigned"): "hand_over",
    ("opinion", "assigned"): "hand_over",
    ("assigned", "in_handling"): "start_handling",
    ("in_handling", "replied"): "reply",
    ("rehandling", "replied"): "reply",
    ("replied", "closed"): "accept",
    ("replied", "rehandling"): "rehandle",
    ("replied", "follow_up"): "follow_up",
    ("follow_up", "closed"): "close",
}


def events_reshaped(apps, schema_editor):
    """Walk each proposal's history in order, naming the steps and filling the state of
    the events that did not change it."""
    ProposalEvent = apps.get_model("proposals", "ProposalEvent")
    changed, state, subject = [], "", None
    rows = ProposalEvent.objects.order_by("subject_id", "at", "id").iterator(chunk_size=2000)
    for event in rows:
        if event.subject_id != subject:
            subject, state = event.subject_id, ""
        if event.step == "status" and event.to_state:
            event.step = STEPS.get((event.from_state, event.to_state), event.to_state)
            state = event.to_state
        else:
            # the note written when a proposal went back to draft, and every other event
            event.step = "confirmations_cleared" if event.step == "status" else event.step
            event.from_state = event.to_state = state
        changed.append(event)
        if len(changed) >= 2000:
            ProposalEvent.objects.bulk_update(changed, ["step", "from_state", "to_state"])
            changed = []
    if changed:
        ProposalEvent.objects.bulk_update(changed, ["step", "from_state", "to_state"])


class Migration(migrations.Migration):
    dependencies = [("proposals", "0002_alter_proposalevent_from_status_and_more")]

    operations = [
        migrations.RenameField("proposalevent", "proposal", "subject"),
        migrations.RenameField("proposalevent", "from_status", "from_state"),
        migrations.RenameField("proposalevent", "to_status", "to_state"),
        migrations.RenameField("proposalevent", "type", "step"),
        migrations.AlterField(
            model_name="proposalevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="proposalevent",
            name="to_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="proposalevent",
            name="step",
            field=models.CharField(max_length=32, verbose_name="步骤"),
        ),
        migrations.RunPython(events_reshaped, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="proposalevent",
            name="to_state",
            field=models.CharField(max_length=32, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="proposalevent",
            name="subject",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="proposals.proposal",
                verbose_name="提案",
            ),
        ),
        migrations.AlterModelOptions(
            name="proposalevent",
            options={"ordering": ["at", "id"], "verbose_name": "提案记录", "verbose_name_plural": "提案记录"},
        ),
    ]

"""The move onto core's lifecycle keeps the claims' history: every ClaimEvent row survives
0002, reshaped (claim → subject, from/to_status → from/to_state, note → message) and named
by the step that made it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("insurance", "0001_initial")]
AFTER = [("insurance", "0002_lifecycle_in_core")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_claim_events_are_reshaped_and_kept():
    apps = _migrate(BEFORE)
    try:
        Person = apps.get_model("people", "Person")
        SubUnion = apps.get_model("people", "SubUnion")
        Union = apps.get_model("people", "Union")
        Plan = apps.get_model("insurance", "Plan")
        PlanEdition = apps.get_model("insurance", "PlanEdition")
        PlanEnrollment = apps.get_model("insurance", "PlanEnrollment")
        PlanClaim = apps.get_model("insurance", "PlanClaim")
        ClaimEvent = apps.get_model("insurance", "ClaimEvent")
        union = Union.objects.create(name="工会", university="大学")
        sub_union = SubUnion.objects.create(union=union, code="ECON", name="经济学院分工会")
        person = Person.objects.create(
            staff_no="E1", name="张伟", gender="M", birth_date=datetime.date(1980, 1, 1), sub_union=sub_union
        )
        plan = Plan.objects.create(code="ZYJT", name="住院津贴")
        edition = PlanEdition.objects.create(
            plan=plan, name="2021", status="adopted", start_date=datetime.date(2021, 7, 1), price_per_share="50.00"
        )
        enrollment = PlanEnrollment.objects.create(
            edition=edition,
            person=person,
            sub_union=sub_union,
            shares=1,
            premium="50.00",
            starts_on=datetime.date(2021, 7, 1),
            ends_on=datetime.date(2022, 6, 30),
        )
        claim = PlanClaim.objects.create(
            person=person,
            edition=edition,
            enrollment=enrollment,
            status="submitted",
            benefit_code="allowance",
            diagnosis="肺炎",
            event_date=datetime.date(2021, 9, 1),
            reported_on=datetime.date(2021, 9, 15),
        )
        for before, after, note in [
            ("", "reported", "登记理赔"),
            ("reported", "reported", "上传材料：诊断证明"),
            ("reported", "ready", "材料齐全"),
            ("ready", "submitted", "递交"),
        ]:
            ClaimEvent.objects.create(claim=claim, from_status=before, to_status=after, note=note)

        apps = _migrate(AFTER)

        ClaimEvent = apps.get_model("insurance", "ClaimEvent")
        rows = list(
            ClaimEvent.objects.order_by("pk").values_list("subject_id", "from_state", "to_state", "step", "message")
        )
        assert rows == [
            (claim.pk, "", "reported", "created", "登记理赔"),
            (claim.pk, "reported", "reported", "document", "上传材料：诊断证明"),
            (claim.pk, "reported", "ready", "complete", "材料齐全"),
            (claim.pk, "ready", "submitted", "submit", "递交"),
        ]
    finally:
        _migrate(executor_leaf_nodes())


def executor_leaf_nodes():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()

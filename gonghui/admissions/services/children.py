"""What admission keeps of a child beyond people's record: whose child (a grandchild is its
own priority batch), the hukou district and the housing. Written by the parent, their
sub-union's officer or the admissions officer; nobody else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.admissions.choices import Housing, Relation
from gonghui.admissions.models import ChildRecord
from gonghui.admissions.selectors.children import child_label, parent_relations
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_between, snapshot
from gonghui.core.service_kit import audit
from gonghui.people.models import Child, Person

RECORD_FIELDS = ["relation", "hukou_district", "housing"]


def children_act_require(actor, parent: Person) -> set[str]:
    """The actor's relations to the parent's children; PermissionDenied when there are none."""
    relations = parent_relations(actor, parent)
    if not relations:
        raise PermissionDenied(_("只有家长本人、所在分工会和校工会子女入学专员可以办理。"))
    return relations


def record_values_check(*, relation: str, housing: str) -> None:
    if relation not in Relation.values:
        raise ApplicationError(_("请选择与教职工的关系。"), extra={"field": "relation"})
    if housing and housing not in Housing.values:
        raise ApplicationError(_("请选择住房情况。"), extra={"field": "housing"})


@transaction.atomic
def child_record_save(*, actor, child: Child, relation: str, hukou_district: str, housing: str) -> ChildRecord:
    """Create or change the child's admission record."""
    children_act_require(actor, child.parent)
    relation = relation or Relation.CHILD
    record_values_check(relation=relation, housing=housing)
    record = ChildRecord.objects.select_for_update().filter(child=child).first()
    created = record is None
    if record is None:
        record = ChildRecord(child=child)
    before = snapshot(record, RECORD_FIELDS) if not created else dict.fromkeys(RECORD_FIELDS)
    record.relation = relation
    record.hukou_district = (hukou_district or "").strip()
    record.housing = housing or ""
    record.updated_by = actor
    record.save()
    changes = changes_between(before, snapshot(record, RECORD_FIELDS))
    if changes or created:
        audit(
            actor,
            record,
            AuditAction.CREATED if created else AuditAction.UPDATED,
            _("子女入学信息：%(child)s") % {"child": child_label(child)},
            person_id=child.parent_id,
            changes=changes,
        )
    return record

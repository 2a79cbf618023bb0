"""Staff rate a done project's satisfaction on the portal: once per person, by secret ballot
(core.ballots), so the results are counts only. The ballot opens when the project is done, for
every member of the union, and closes (and is counted) when the project is ticked off."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.core.ballots import Voter, ballot_box_close, ballot_box_open, ballot_cast
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import BallotBoxStatus
from gonghui.projects.choices import RATEABLE_STATUSES, Satisfaction
from gonghui.projects.models import PracticalProject

KIND = "projects.satisfaction"
ITEM = "satisfaction"


def _subject(project: PracticalProject) -> str:
    return f"{KIND}:{project.pk}"


def rating_items() -> list[dict]:
    return [
        {
            "key": ITEM,
            "label": str(_("对项目办理结果的满意度")),
            "options": [[str(choice.value), str(choice.label)] for choice in Satisfaction],
        }
    ]


def rating_open(project: PracticalProject, *, actor) -> None:
    """Open the project's rating for the union's members (once; a project done again after
    being resumed keeps its ballot), opened by whoever marked it done."""
    from gonghui.people.models import UnionMembership

    if project.rating_box_id is not None:
        return
    members = UnionMembership.objects.current().values_list(
        "person_id", "person__employment_status", "person__sub_union_id"
    )
    box = ballot_box_open(
        actor=actor,
        kind=KIND,
        subject=_subject(project),
        title=_("满意度测评：%(title)s") % {"title": project.title},
        items=rating_items(),
        voters=(Voter(person_id, category=status or "", unit_id=unit) for person_id, status, unit in members),
    )
    PracticalProject.objects.filter(pk=project.pk).update(rating_box=box)
    project.rating_box = box


def rating_close(project: PracticalProject, *, actor) -> None:
    box = project.rating_box
    if box is not None and box.status == BallotBoxStatus.OPEN:
        ballot_box_close(actor=actor, box=box)


@transaction.atomic
def rating_cast(*, actor, project: PracticalProject, satisfaction) -> None:
    """`actor`'s rating of a done project, final and anonymous."""
    if not getattr(actor, "person_id", None):
        raise ApplicationError(_("只有登记在册的会员可以评价。"))
    project = PracticalProject.objects.select_related("rating_box").get(pk=project.pk)
    if project.status not in RATEABLE_STATUSES or project.rating_box is None:
        raise ApplicationError(_("项目完成后才能评价满意度。"))
    if project.rating_box.status != BallotBoxStatus.OPEN:
        raise ApplicationError(_("该项目已销号，满意度测评已结束。"))
    ballot_cast(box=project.rating_box, person_id=actor.person_id, choices={ITEM: str(satisfaction)})

"""Reads of plan editions (the side-by-side comparison is core's `edition_compare`)."""

from gonghui.insurance.models import PlanEdition


def edition_list(*, user, plan=None):
    qs = PlanEdition.objects.restrict(user).select_related("plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs

from gonghui.accounts.access import get_access
from gonghui.core.models import Job


def job_list(*, user):
    """Jobs a user started; office, administrators and auditors see all."""
    access = get_access(user)
    if not user.is_authenticated:
        return Job.objects.none()
    if access.reads_everything:
        return Job.objects.all()
    return Job.objects.filter(created_by=user)

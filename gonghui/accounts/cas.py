"""Campus single sign-on: CAS users are matched to people by staff number."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django_cas_ng.backends import CASBackend
from django_cas_ng.utils import get_cas_client

from gonghui.core.history import audit_event_record
from gonghui.core.models import AuditAction

#: Set on the request when CAS vouched for a staff number that is not on the roster, so
#: that the sign-in view can say why the sign-in was refused.
REFUSED_STAFF_NO_ATTR = "cas_refused_staff_no"


@transaction.atomic
def cas_account_for_person(*, person, staff_no: str):
    """The sign-in account of `person`, who CAS says holds `staff_no`.

    An account already linked to the person is used as is; otherwise an unlinked account
    named after the staff number is linked, or a new one (without a usable password) is
    created. Returns None when the staff number's account belongs to someone else."""
    User = get_user_model()
    user = User.objects.filter(person=person).first()
    if user is not None:
        return user
    user = User.objects.select_for_update().filter(username=staff_no).first()
    if user is not None and user.person_id is not None:
        return None
    if user is None:
        user = User(username=staff_no, person=person, first_name=person.name)
        user.set_unusable_password()
        user.save()
        action, message = AuditAction.CREATED, _("统一身份认证首次登录，创建账号并关联人员")
    else:
        user.person = person
        user.save(update_fields=["person"])
        action, message = AuditAction.UPDATED, _("统一身份认证登录，账号关联人员")
    audit_event_record(actor=None, obj=user, action=action, person_id=person.pk, message=message)
    return user


class StaffNumberCASBackend(CASBackend):
    """The CAS user name is the staff number (工号). A sign-in succeeds only when a person
    with that staff number is on the roster; their account is created on first sign-in
    and linked to the person. Nobody else gets an account."""

    def clean_username(self, username):
        return (username or "").strip()

    def authenticate(self, request, ticket, service):
        from gonghui.people.models import Person

        client = get_cas_client(service_url=service, request=request)
        username, attributes, _pgtiou = client.verify_ticket(ticket)
        staff_no = self.clean_username(username)
        if not staff_no:
            return None
        person = Person.objects.filter(staff_no=staff_no).first()
        if person is None:
            if request is not None:
                setattr(request, REFUSED_STAFF_NO_ATTR, staff_no)
            return None
        user = cas_account_for_person(person=person, staff_no=staff_no)
        if user is None or not self.user_can_authenticate(user):
            return None
        return user

"""Campus single sign-on: CAS users are matched to people by staff number."""

from django.contrib.auth import get_user_model
from django_cas_ng.backends import CASBackend


class StaffNumberCASBackend(CASBackend):
    """The CAS user name is the staff number (工号). A sign-in succeeds only when a person
    with that staff number is on the roster; their account is created on first sign-in
    and linked to the person."""

    def clean_username(self, username):
        return (username or "").strip()

    def authenticate(self, request, ticket, service):
        from gonghui.people.models import Person

        user = super().authenticate(request, ticket, service)
        if user is None:
            return None
        person = Person.objects.filter(staff_no=user.username).first()
        if person is None:
            return None
        if user.person_id != person.pk:
            get_user_model().objects.filter(person=person).exclude(pk=user.pk).update(person=None)
            user.person = person
            user.save(update_fields=["person"])
        return user

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user)

from django.shortcuts import render
from django.views import View

from gonghui.core.pages import MemberPageMixin
from gonghui.people.selectors import membership_history
from gonghui.portal.cards import service_cards


class HomeView(MemberPageMixin, View):
    def get(self, request):
        return render(request, "portal/home.html", {"cards": service_cards(request.user)})


class ProfileView(MemberPageMixin, View):
    """My profile: ID number masked, children listed."""

    def get(self, request):
        person = request.user.person
        children = person.children.all() if person else []
        return render(request, "portal/profile.html", {"person": person, "children": children})


class MembershipView(MemberPageMixin, View):
    def get(self, request):
        person = request.user.person
        memberships = membership_history(person=person) if person else []
        return render(request, "portal/membership.html", {"person": person, "memberships": memberships})

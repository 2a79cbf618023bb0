from django.shortcuts import render
from django.views import View

from gonghui.accounts.selectors import user_greeting
from gonghui.core.pages import MemberPageMixin
from gonghui.core.registry import portal_links_for, service_cards, workspace_for
from gonghui.core.workbench import workbench_for
from gonghui.people.selectors import membership_history


class HomeView(MemberPageMixin, View):
    """A greeting by name and role; what waits for the user (every module's to-do queues
    with something in them); the member's services (cards and links every module
    registers); for those who have one, the workspace (each module's back-office pages
    they may open); and, for those who read the whole union, the year at a glance."""

    def get(self, request):
        name, roles = user_greeting(request.user)
        workbench = workbench_for(request.user)
        context = {
            "greeting_name": name,
            "greeting_roles": roles,
            "todos": workbench.waiting,
            "has_todos": bool(workbench.todos),
            "year": workbench.year,
            "figures": workbench.figures,
            "cards": service_cards(request.user),
            "links": portal_links_for(request.user),
            "workspace": workspace_for(request.user),
        }
        return render(request, "portal/home.html", context)


class ServicesView(MemberPageMixin, View):
    """办事 (the phone's second tab): every service the user may open, as icon tiles: the
    members' services, then each back-office section of the workspace."""

    def get(self, request):
        context = {
            "cards": service_cards(request.user),
            "links": portal_links_for(request.user),
            "workspace": workspace_for(request.user),
        }
        return render(request, "portal/services.html", context)


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

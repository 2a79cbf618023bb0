from django.shortcuts import render
from django.views import View

from gonghui.core.pages import MemberPageMixin


class InboxView(MemberPageMixin, View):
    def get(self, request):
        return render(request, "portal/home.html", {})

"""The inbox page: the user's own notifications, mark one or all read (htmx partial swaps)."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from gonghui.core.pages import MemberPageMixin, paginate, render_page_or_partial
from gonghui.notifications.selectors import notification_list
from gonghui.notifications.services import notification_mark_all_read, notification_mark_read


def _inbox_context(request):
    # The unread count comes from the context processor (`unread_notifications`).
    return {"page": paginate(request, notification_list(user=request.user), per_page=30)}


class InboxView(MemberPageMixin, View):
    def get(self, request):
        return render_page_or_partial(
            request, "notifications/inbox.html", "notifications/partials/_inbox.html", _inbox_context(request)
        )


class NotificationReadView(MemberPageMixin, View):
    """POST: mark one read. htmx gets the row back (and the top-bar count out of band)."""

    def post(self, request, pk):
        notification = get_object_or_404(notification_list(user=request.user), pk=pk)
        notification_mark_read(notification=notification, user=request.user)
        if request.htmx:
            return render(request, "notifications/partials/_notification_read.html", {"notification": notification})
        return redirect("notifications:inbox")


class NotificationOpenView(MemberPageMixin, View):
    """POST: mark read and follow the notification's link (only links within this site)."""

    def post(self, request, pk):
        notification = get_object_or_404(notification_list(user=request.user), pk=pk)
        notification_mark_read(notification=notification, user=request.user)
        if notification.url and url_has_allowed_host_and_scheme(
            notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(notification.url)
        return redirect("notifications:inbox")


class NotificationReadAllView(MemberPageMixin, View):
    def post(self, request):
        notification_mark_all_read(user=request.user)
        if request.htmx:
            return render(request, "notifications/partials/_inbox.html", _inbox_context(request))
        return redirect("notifications:inbox")

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.views import View
from django.views.generic.base import RedirectView

from gonghui.core.jobs import job_progress
from gonghui.core.pages import MemberPageMixin, render_page_or_partial
from gonghui.core.selectors import job_list


class JobDetailView(MemberPageMixin, View):
    """A job's progress bar (polled by htmx until done) and outcome; survives a reload."""

    def get(self, request, pk):
        job = get_object_or_404(job_list(user=request.user), pk=pk)
        done, total = job_progress(job)
        percent = int(done * 100 / total) if total else (100 if job.is_finished else 0)
        context = {"job": job, "done": done, "total": total, "percent": percent}
        return render_page_or_partial(request, "core/job_detail.html", "core/partials/_job_progress.html", context)


class FaviconView(RedirectView):
    """/favicon.ico, which browsers ask for on what is not a page of ours (a PDF, a JSON
    answer): the icon under its content-hashed name, looked up when asked (the manifest may not
    exist yet when the URLs are loaded, as during migrate before collectstatic)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.ico")


class RobotsView(View):
    """robots.txt: every page but the sign-in ones needs a session, so crawlers may only ever see
    those; the API and the Django admin are not for them at all."""

    def get(self, request):
        return HttpResponse(
            "User-agent: *\nDisallow: /api/\nDisallow: /admin/\n", content_type="text/plain; charset=utf-8"
        )


class HealthView(View):
    """`GET /healthz/`: "ok" while the process answers requests — for the reverse proxy's or
    the load balancer's health check, and the ceiling of the load bench (bench/load.py).

    Anonymous, no database, no session, no template: it says the worker is alive, not that
    PostgreSQL is (a database outage would turn a liveness check into restarting every worker)."""

    def get(self, request):
        response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response

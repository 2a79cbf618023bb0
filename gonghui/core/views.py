from django.shortcuts import get_object_or_404
from django.views import View

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

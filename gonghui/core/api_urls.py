from django.urls import path
from rest_framework import serializers
from rest_framework.generics import RetrieveAPIView

from gonghui.core.jobs import job_progress
from gonghui.core.models import Job
from gonghui.core.selectors import job_list


class JobSerializer(serializers.ModelSerializer):
    progress_done = serializers.SerializerMethodField()
    progress_total = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "progress_done",
            "progress_total",
            "result",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_progress_done(self, job) -> int:
        return job_progress(job)[0]

    def get_progress_total(self, job) -> int:
        return job_progress(job)[1]


class JobDetailApi(RetrieveAPIView):
    serializer_class = JobSerializer

    def get_queryset(self):
        return job_list(user=self.request.user)


urlpatterns = [path("jobs/<int:pk>/", JobDetailApi.as_view(), name="api-job-detail")]

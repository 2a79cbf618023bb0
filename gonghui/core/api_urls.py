from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView, RetrieveAPIView
from rest_framework.response import Response

from gonghui.core.jobs import job_progress
from gonghui.core.models import Job
from gonghui.core.selectors import job_list
from gonghui.core.workbench import workbench_for


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


class TodoQueueSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    role = serializers.CharField(help_text="whom the queue serves")
    count = serializers.IntegerField()
    oldest = serializers.CharField(allow_null=True, help_text="when the longest-waiting item started waiting (ISO)")
    deadline = serializers.CharField(allow_null=True, help_text="the nearest deadline among the items (ISO)")
    overdue = serializers.IntegerField(help_text="items past their deadline")
    url = serializers.CharField(help_text="the list page filtered to exactly these items")


class YearFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField(source="label", help_text="what the figure is")
    value = serializers.CharField(help_text="a count, or yuan to the cent when money is true")
    money = serializers.BooleanField()
    detail = serializers.CharField(allow_blank=True)
    url = serializers.CharField(help_text="the report the figure comes from")


class WorkbenchSerializer(serializers.Serializer):
    todos = TodoQueueSerializer(many=True)
    year = serializers.IntegerField()
    figures = YearFigureSerializer(many=True, help_text="the year at a glance: office, administrator and auditor")


def _iso(value):
    return value.isoformat() if value is not None else None


class WorkbenchApi(GenericAPIView):
    """The caller's workbench: every to-do queue of theirs (empty ones included), and for
    those who read the whole union the year at a glance of the current year."""

    serializer_class = WorkbenchSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(responses=WorkbenchSerializer)
    def get(self, request):
        workbench = workbench_for(request.user)
        data = {
            "todos": [
                {**queue.__dict__, "oldest": _iso(queue.oldest), "deadline": _iso(queue.deadline)}
                for queue in workbench.todos
            ],
            "year": workbench.year,
            "figures": [{**figure.__dict__, "value": str(figure.value)} for figure in workbench.figures],
        }
        return Response(WorkbenchSerializer(data).data)


urlpatterns = [
    path("jobs/<int:pk>/", JobDetailApi.as_view(), name="api-job-detail"),
    path("workbench/", WorkbenchApi.as_view(), name="api-workbench"),
]

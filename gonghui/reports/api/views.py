"""The annual report's API, the same figures as the page and `manage.py annual_report`:

- GET /api/reports/annual/?year=Y — {"year": Y, "sections": {section: {figure: value}}} (the
  union office, the administrators, the auditors; 403 to anyone else)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from gonghui.core.api import HasRolePermission, query_values
from gonghui.core.reports import plain
from gonghui.reports.api import serializers as s
from gonghui.reports.selectors import ANNUAL_REPORT_PERMISSION, annual_report_build


class AnnualReportApi(APIView):
    """The union's annual report of a year: every module's figures."""

    permission_classes = [HasRolePermission]
    permission_required = ANNUAL_REPORT_PERMISSION

    @extend_schema(operation_id="reports_annual", parameters=[s.ReportsAnnualFilters], responses=s.ReportsAnnualOut)
    def get(self, request):
        year = query_values(request, s.ReportsAnnualFilters).get("year") or timezone.localdate().year
        report = annual_report_build(user=request.user, year=year)
        return Response(s.ReportsAnnualOut(plain(report.figures)).data)

"""The union's annual report (DOMAIN §3.10) keeps no figures of its own: every section comes
from a module through the registry (`gonghui.core.registry.annual_sections_for`). What it
stores is who downloaded which year's report, in which format (an auditable export log), and
the model carries the permission to read the report (`reports.view_annualreport`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import ScopedQuerySet
from gonghui.core.models import actor_field


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel (.xlsx)"
    PDF = "pdf", "PDF"


class AnnualReportExport(models.Model):
    """One download of the annual report (the .xlsx or the PDF): the year, the format, who and when.
    Written by `gonghui.reports.services.annual_report_file`, never changed."""

    year = models.PositiveSmallIntegerField(_("年度"))
    format = models.CharField(_("格式"), max_length=8, choices=ExportFormat.choices)
    created_by = actor_field(_("导出人"))
    created_at = models.DateTimeField(_("导出时间"), auto_now_add=True)

    # the union office, the administrators, the auditors and the system actor read them all; nobody else any
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度报告导出记录")
        verbose_name_plural = _("年度报告导出记录")
        ordering = ["-created_at", "-id"]
        permissions = [("view_annualreport", "Can view the union's annual report")]

    def __str__(self):
        return f"{self.year} {self.format}"

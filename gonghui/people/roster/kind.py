"""HR's staff roster as a core import kind: upload → preview (an ImportPreview) → map unknown
units (classify again) → confirm once → apply in the worker with a progress bar.

The file is classified again when the confirmed import runs, against the database as it
is then; core's reader (gonghui.core.tabular, python-calamine) reads it both times, within limits."""

from __future__ import annotations

import os
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import Actor
from gonghui.core.imports import ImportKind, import_kind_register, preview_open
from gonghui.core.models import ImportPreview
from gonghui.core.tabular import ReadLimits
from gonghui.people.roster.reading import roster_limits
from gonghui.people.roster.services import ROSTER_KIND, Classification, roster_classify, roster_summary, roster_write

RESULT_LABELS = {
    "new": gettext_lazy("新增"),
    "changed": gettext_lazy("变更"),
    "unchanged": gettext_lazy("未变"),
    "invalid": gettext_lazy("无效（未导入）"),
    "transferred": gettext_lazy("转会"),
    "memberships_ended": gettext_lazy("会籍终止"),
}


def _classify(preview: ImportPreview, progress=None) -> Classification:
    ext = os.path.splitext(preview.file)[1].lstrip(".").lower()
    with preview_open(preview) as stream:
        return roster_classify(stream, ext=ext, progress=progress)


@import_kind_register
class RosterImport(ImportKind):
    name = ROSTER_KIND
    title = gettext_lazy("名册导入")  # type: ignore[assignment]
    permission = "people.import_roster"
    runs_in_worker = True

    @property
    def limits(self) -> ReadLimits:  # type: ignore[override]
        return roster_limits()  # the size limit is a setting

    def classify(self, preview: ImportPreview) -> dict:
        return roster_summary(_classify(preview))

    def confirmable(self, preview: ImportPreview) -> str:
        return "" if preview.summary.get("valid") else _("没有可以导入的有效行")

    def apply(self, preview: ImportPreview, *, actor: Actor, progress: Callable[[int, int], None]) -> dict:
        """Read and classify the file again, then write it; the bar covers both passes."""
        counts = preview.summary.get("counts", {})
        state = {"total": preview.summary.get("total_rows", 0) + counts.get("new", 0) + counts.get("changed", 0)}

        def parsed(n: int) -> None:
            progress(min(n, state["total"]), state["total"])

        c = _classify(preview, progress=parsed)
        state["total"] = c.total_rows + len(c.new) + len(c.changed)

        def written(n: int, _total: int) -> None:
            progress(c.total_rows + n, state["total"])

        result = roster_write(
            c, actor=actor, today=timezone.localdate(), progress=written, source=f"import-{preview.pk}"
        )
        return {
            **result,
            "total": state["total"],
            "labels": {str(RESULT_LABELS[key]): value for key, value in result.items()},
        }

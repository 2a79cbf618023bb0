"""Live counts of a drive and its final report. `drive_figures` is the one source of the
numbers; `drive_report` builds the core Report (figures + rows) that the report page, its
.xlsx, the API and `manage.py drive_report` print, and `drive_charts` its two charts."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.core.money import money
from gonghui.core.reports import Chart, Report, RowsBuilder
from gonghui.drives.choices import ENROLLED_STATUSES, LIVE_STATUSES, BookingStatus, Intent, Relationship
from gonghui.drives.choices import RegistrationStatus as R
from gonghui.drives.eligibility import eligible_people
from gonghui.drives.models import Drive, DriveRegistration, IntentAnswer, SlotBooking
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import SubUnion

SELF = Q(relationship=Relationship.SELF)
ACTIVE = SELF & Q(person__employment_status=EmploymentStatus.ACTIVE)
RETIRED = SELF & Q(person__employment_status=EmploymentStatus.RETIRED)


def _split(statuses) -> dict:
    s = Q(status__in=statuses)
    return {
        "total": Count("pk", filter=s),
        "staff": Count("pk", filter=s & SELF),
        "relatives": Count("pk", filter=s & ~SELF),
        "active": Count("pk", filter=s & ACTIVE),
        "retired": Count("pk", filter=s & RETIRED),
    }


def drive_figures(drive) -> dict:
    """Every number of the drive, as plain JSON-able values (money as a string)."""
    registrations = DriveRegistration.objects.filter(drive=drive)
    parts = {}
    for key, statuses in (("registered", LIVE_STATUSES), ("enrolled", ENROLLED_STATUSES)):
        for name, aggregate in _split(statuses).items():
            parts[f"{key}__{name}"] = aggregate
    for status in R.values:
        parts[f"status__{status}"] = Count("pk", filter=Q(status=status))
    totals = registrations.aggregate(**parts)
    registered = {k.split("__")[1]: v for k, v in totals.items() if k.startswith("registered__")}
    enrolled = {k.split("__")[1]: v for k, v in totals.items() if k.startswith("enrolled__")}
    by_status = {k.split("__")[1]: v for k, v in totals.items() if k.startswith("status__")}

    answers = IntentAnswer.objects.filter(drive=drive).aggregate(
        answered=Count("pk"),
        yes=Count("pk", filter=Q(intent=Intent.YES)),
        no=Count("pk", filter=Q(intent=Intent.NO)),
        undecided=Count("pk", filter=Q(intent=Intent.UNDECIDED)),
        relatives_intended=Coalesce(Sum("relatives_count", filter=Q(intent=Intent.YES)), 0),
    )
    eligible = eligible_people(drive).count()

    # by top-level sub-union (groups roll up into their parent)
    top = Coalesce("person__sub_union__parent_id", "person__sub_union_id")
    reg_rows = (
        registrations.annotate(top=top)
        .values("top")
        .annotate(
            registered=Count("pk", filter=Q(status__in=LIVE_STATUSES)),
            enrolled=Count("pk", filter=Q(status__in=ENROLLED_STATUSES)),
            enrolled_staff=Count("pk", filter=Q(status__in=ENROLLED_STATUSES) & SELF),
            enrolled_relatives=Count("pk", filter=Q(status__in=ENROLLED_STATUSES) & ~SELF),
        )
        .order_by()
    )
    intent_rows = (
        IntentAnswer.objects.filter(drive=drive)
        .annotate(top=top)
        .values("top")
        .annotate(intent_yes=Count("pk", filter=Q(intent=Intent.YES)), answered=Count("pk"))
        .order_by()
    )
    eligible_rows = (
        eligible_people(drive)
        .annotate(top=Coalesce("sub_union__parent_id", "sub_union_id"))
        .values("top")
        .annotate(eligible=Count("pk"))
        .order_by()
    )
    rows: dict[int, dict] = {}
    for source in (eligible_rows, intent_rows, reg_rows):
        for row in source:
            rows.setdefault(row["top"], {}).update({k: v for k, v in row.items() if k != "top"})
    names = {s.pk: s for s in SubUnion.objects.filter(pk__in=rows)}
    keys = ("eligible", "answered", "intent_yes", "registered", "enrolled", "enrolled_staff", "enrolled_relatives")
    by_sub_union = sorted(
        (
            {"code": names[pk].code, "name": names[pk].name, **{k: row.get(k, 0) for k in keys}}
            for pk, row in rows.items()
        ),
        key=lambda r: (-r["enrolled"], r["code"]),
    )
    bookings = SlotBooking.objects.filter(drive=drive).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in BookingStatus.values}
    )
    price = drive.rules.price_per_person
    return {
        "drive": {
            "id": drive.pk,
            "name": drive.name,
            "product": drive.product,
            "provider": drive.provider,
            "price_per_person": str(price),
            "phase": drive.phase,
            "policy_start": drive.rules.policy_start.isoformat(),
        },
        "eligible": eligible,
        "intent": answers,
        "registered": registered,
        "enrolled": enrolled,
        "by_status": by_status,
        "premium": str(money(price * enrolled["total"])),
        "by_sub_union": by_sub_union,
        "bookings": bookings,
        "rosters": list(drive.rosters.order_by("version").values("version", "line_count", "new_count")),
    }


def year_enrolment(*, user, year: int) -> dict | None:
    """Enrolment in the drives of `year` (those whose cover starts in it, as the year at a
    glance counts them), summed over them, as `user` may see it: how many drives, the
    enrolled split as `drive_figures` splits it, and the survey's "yes" answers. None when
    no drive of `year` is visible. Three aggregate queries, whatever the number of people."""
    drives = Drive.objects.restrict(user, "view").filter(rules__policy_start__year=year)
    count = drives.count()
    if not count:
        return None
    enrolled = (
        DriveRegistration.objects.restrict(user, "view").filter(drive__in=drives).aggregate(**_split(ENROLLED_STATUSES))
    )
    answers = (
        IntentAnswer.objects.restrict(user, "view")
        .filter(drive__in=drives)
        .aggregate(yes=Count("pk", filter=Q(intent=Intent.YES)))
    )
    return {"year": year, "drives": count, "enrolled": enrolled, "intent_yes": answers["yes"]}


SUB_UNION_COLUMNS = (
    ("eligible", gettext_lazy("应参加人数")),
    ("answered", gettext_lazy("已填意向")),
    ("intent_yes", gettext_lazy("意向参加")),
    ("registered", gettext_lazy("报名")),
    ("enrolled", gettext_lazy("参保")),
    ("enrolled_staff", gettext_lazy("参保职工")),
    ("enrolled_relatives", gettext_lazy("参保家属")),
)


def drive_report(drive) -> Report:
    """The drive's figures and the rows every output prints (section, item, value)."""
    figures = drive_figures(drive)
    rows = RowsBuilder()
    registered, enrolled = figures["registered"], figures["enrolled"]
    rows.section(_("合计"))
    rows.add(_("应参加人数"), figures["eligible"])
    rows.add(_("已填意向"), figures["intent"]["answered"])
    rows.add(_("意向参加"), figures["intent"]["yes"])
    for title, split in ((_("报名"), registered), (_("参保"), enrolled)):
        rows.section(title)
        rows.add(_("合计"), split["total"])
        rows.add(_("职工"), split["staff"])
        rows.add(_("在职"), split["active"])
        rows.add(_("离退休"), split["retired"])
        rows.add(_("家属"), split["relatives"])
    rows.section(_("保费"))
    rows.add(_("保费合计（元）"), money(figures["premium"]))
    for row in figures["by_sub_union"]:
        rows.section(row["name"])
        for key, label in SUB_UNION_COLUMNS:
            rows.add(label, row[key])
    return Report(
        title=str(_("参保统计")),
        figures=figures,
        rows=rows.rows,
        headers=(str(_("分工会或类别")), str(_("项目")), str(_("人数或金额"))),
        charts=drive_charts(figures),
    )


def drive_charts(figures: dict) -> dict[str, Chart]:
    """The report's two charts (`Report.charts`): the totals, and intent against enrolled staff
    per sub-union (whole names: the chart wraps them)."""
    registered, enrolled = figures["registered"], figures["enrolled"]
    return {
        "totals": Chart.bars(
            _("总体"),
            [
                (_("意向参加"), figures["intent"]["yes"]),
                (_("报名（职工）"), registered["staff"]),
                (_("参保（在职）"), enrolled["active"]),
                (_("参保（离退休）"), enrolled["retired"]),
                (_("参保（家属）"), enrolled["relatives"]),
            ],
        ),
        "sub_unions": Chart.grouped(
            _("各分工会：意向参加与参保职工"),
            [(row["name"], row["intent_yes"], row["enrolled_staff"]) for row in figures["by_sub_union"]],
            names=(_("意向参加"), _("参保职工")),
        ),
    }

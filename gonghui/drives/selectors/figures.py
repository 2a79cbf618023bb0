"""Live counts of a drive, the final report and its charts. `drive_figures` is the one source
for the report page, its .xlsx and `manage.py drive_report --format json`."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from gonghui.drives.choices import ENROLLED_STATUSES, LIVE_STATUSES, BookingStatus, Intent, Relationship
from gonghui.drives.choices import RegistrationStatus as R
from gonghui.drives.eligibility import eligible_people
from gonghui.drives.models import DriveRegistration, IntentAnswer, SlotBooking
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
    price = drive.price_per_person
    return {
        "drive": {
            "id": drive.pk,
            "name": drive.name,
            "product": drive.product,
            "provider": drive.provider,
            "price_per_person": str(price),
            "phase": drive.phase,
            "policy_start": drive.policy_start.isoformat(),
        },
        "eligible": eligible,
        "intent": answers,
        "registered": registered,
        "enrolled": enrolled,
        "by_status": by_status,
        "premium": str((price * enrolled["total"]).quantize(Decimal("0.01"))),
        "by_sub_union": by_sub_union,
        "bookings": bookings,
        "rosters": list(drive.rosters.order_by("version").values("version", "line_count", "new_count")),
    }


def bar_chart(bars: list[tuple[str, int]], *, width: int = 360, bar_height: int = 20) -> dict:
    """Geometry for a horizontal inline-SVG bar chart drawn by the template (no JS)."""
    label_width, gap = 110, 6
    largest = max((value for _, value in bars), default=0) or 1
    room = width - label_width - 50
    items = []
    for index, (label, value) in enumerate(bars):
        length = int(room * value / largest) if value else 0
        y = index * (bar_height + gap)
        items.append(
            {
                "label": label,
                "value": value,
                "x": label_width,
                "y": y,
                "length": length,
                "text_y": y + bar_height * 0.72,
                "value_x": label_width + length + 4,
            }
        )
    return {
        "width": width,
        "height": max(len(bars) * (bar_height + gap), bar_height),
        "bar_height": bar_height,
        "items": items,
    }


def paired_chart(rows: list[tuple[str, int, int]], *, width: int = 360, bar_height: int = 10) -> dict:
    """Two bars per label (intent and enrolled), for the sub-union comparison."""
    label_width, gap = 110, 8
    largest = max((max(a, b) for _, a, b in rows), default=0) or 1
    room = width - label_width - 50
    items = []
    for index, (label, first, second) in enumerate(rows):
        y = index * (2 * bar_height + gap)
        a, b = int(room * first / largest), int(room * second / largest)
        items.append(
            {
                "label": label,
                "y": y,
                "text_y": y + bar_height * 1.4,
                "first": first,
                "second": second,
                "first_length": a,
                "second_length": b,
                "second_y": y + bar_height,
                "first_value_x": label_width + a + 4,
                "second_value_x": label_width + b + 4,
                "first_text_y": y + bar_height * 0.85,
                "second_text_y": y + bar_height * 1.85,
            }
        )
    return {
        "width": width,
        "height": max(len(rows) * (2 * bar_height + gap), 2 * bar_height),
        "bar_height": bar_height,
        "label_width": label_width,
        "items": items,
    }

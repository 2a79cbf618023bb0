"""Demand against places over the years (DOMAIN §3.9 "demand to action"): figures only, no child.

For each campaign year, counted in a few grouped queries (not per child) and merged here:

- **demand**: the survey lines answered 需要 (need = yes), by the intended school (a line
  naming no school counts for its stage only);
- **requests**: the requests that went in — submitted, checked, referred, answered, or
  taken as 视为自行解决; drafts and withdrawn ones do not count — by the intended school;
- **placed**: the requests a school took, counted at the school that took them (the intended
  one, or the alternative when the school's answer named it); **not placed** and
  **self-arranged** (视为自行解决) by the intended school;
- **places**: the places each school offers staff children that year, from the year's adopted
  rules (`SchoolPlaces`), counted for the school's stage and district; there are no places by
  sub-union;
- **unmet** = demand − placed (never below 0), at whatever level the figures are summed: the
  children whose family said they need a place and who got none through the union, whether
  they were not placed, arranged it themselves or never asked;
- **shortfall** = demand − places (never below 0): what the schools' places could not meet
  even had every place gone to a child who needs one.

Each figure is located by year × stage × district × school × sub-union. The district is the
school's (the place's district, as the policy notes are); a line naming no school has none.
The sub-union is the parent's top-level sub-union (a union group counts in the sub-union above
it, as the survey board counts it).

The figures carry no child and no name, so the union office and the auditors see them as the
admissions officer does (the pages decide who opens them); `answer_rates` gives each school's
answered / referred per year, `shortages` where a year's demand exceeded the places.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from gonghui.admissions.choices import KIND_STAGE, Need, RequestStatus, SchoolKind, Stage
from gonghui.admissions.models import AdmissionRequest, AdmissionRules, Campaign, School, SchoolPlaces, SurveyLine
from gonghui.core.editions import EditionStatus
from gonghui.core.reports import rate
from gonghui.people.models import SubUnion

# The requests that went in (a draft has not, a withdrawn one was taken back).
REQUESTED = (
    RequestStatus.SUBMITTED,
    RequestStatus.CHECKED,
    RequestStatus.REFERRED,
    RequestStatus.PLACED,
    RequestStatus.NOT_PLACED,
    RequestStatus.SELF_ARRANGED,
)
# Referred to the school (its answer is awaited, or came).
REFERRED = (RequestStatus.REFERRED, RequestStatus.PLACED, RequestStatus.NOT_PLACED)
ANSWERED = (RequestStatus.PLACED, RequestStatus.NOT_PLACED)

DIMENSIONS = ("year", "stage", "district", "school", "sub_union")
COUNTS = ("demand", "requests", "placed", "not_placed", "self_arranged")
STAGE_ORDER = {stage: index for index, stage in enumerate(Stage.values)}

Key = tuple[int, str, str, int | None, int | None]  # year, stage, district, school id, sub-union id


@dataclass
class DemandFigures:
    """The figures of one group: a year, and as many of stage, district, school and
    sub-union as the grouping asked for (the others are None)."""

    year: int | None = None
    stage: str | None = None
    district: str | None = None
    school: School | None = None
    sub_union: SubUnion | None = None
    demand: int = 0
    requests: int = 0
    placed: int = 0
    not_placed: int = 0
    self_arranged: int = 0
    # The schools' places (None when grouped by sub-union: places are not shared out).
    places: int | None = None

    @property
    def unmet(self) -> int:
        return max(0, self.demand - self.placed)

    @property
    def shortfall(self) -> int | None:
        return None if self.places is None else max(0, self.demand - self.places)

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label) if self.stage else ""

    def as_dict(self) -> dict:
        """The JSON of the figures (the report's and the API's)."""
        data: dict = {}
        if self.year is not None:
            data["year"] = self.year
        if self.stage is not None:
            data["stage"] = self.stage
        if self.district is not None:
            data["district"] = self.district
        if self.school is not None:
            data["school"] = self.school.code
            data["school_name"] = self.school.name
        if self.sub_union is not None:
            data["sub_union"] = self.sub_union.code
            data["sub_union_name"] = self.sub_union.name
        data.update({name: getattr(self, name) for name in COUNTS})
        data["unmet"] = self.unmet
        if self.places is not None:
            data["places"] = self.places
            data["shortfall"] = self.shortfall
        return data


@dataclass
class DemandTable:
    """The finest figures (`rows`, by year × stage × district × school × sub-union) and the
    places by year and school; `by(...)` sums them at any level."""

    years: list[int]
    rows: dict[Key, dict[str, int]]
    places: dict[tuple[int, int], int]  # (year, school id) → places
    schools: dict[int, School]
    sub_unions: dict[int, SubUnion]
    _stage_of: dict[int, str] = field(default_factory=dict)

    def by(self, *dimensions: str, year: int | None = None) -> list[DemandFigures]:
        """The figures summed by `dimensions` (some of `DIMENSIONS`; none: the grand total),
        optionally of one year. Places are attached when the
        grouping leaves sub-unions out; a school with places and no demand has its row."""
        unknown = set(dimensions) - set(DIMENSIONS)
        if unknown:
            raise ValueError(f"unknown dimensions {sorted(unknown)}")
        wanted = [DIMENSIONS.index(d) for d in DIMENSIONS if d in dimensions]
        groups: dict[tuple, DemandFigures] = {}

        def group(key: Key) -> DemandFigures:
            picked = tuple(key[i] for i in wanted)
            figures = groups.get(picked)
            if figures is None:
                figures = groups[picked] = DemandFigures(
                    year=key[0] if 0 in wanted else None,
                    stage=key[1] if 1 in wanted else None,
                    district=key[2] if 2 in wanted else None,
                    school=self.schools.get(key[3]) if 3 in wanted and key[3] else None,
                    sub_union=self.sub_unions.get(key[4]) if 4 in wanted and key[4] else None,
                    places=None if "sub_union" in dimensions else 0,
                )
            return figures

        for key, counts in self.rows.items():
            if year is not None and key[0] != year:
                continue
            figures = group(key)
            for name in COUNTS:
                setattr(figures, name, getattr(figures, name) + counts.get(name, 0))
        if "sub_union" not in dimensions:
            for (place_year, school_id), places in self.places.items():
                if year is not None and place_year != year:
                    continue
                school = self.schools[school_id]
                figures = group((place_year, self._stage_of[school_id], school.district, school_id, None))
                figures.places = (figures.places or 0) + places
        return sorted(groups.values(), key=_figures_order)

    def total(self, *, year: int | None = None, stage: str | None = None) -> DemandFigures:
        """One year's (or every year's) figures, of one stage or all."""
        dims = tuple(d for d, v in (("year", year), ("stage", stage)) if v is not None)
        for figures in self.by(*dims, year=year):
            if stage is None or figures.stage == stage:
                return figures
        return DemandFigures(year=year, stage=stage, places=0)


def _figures_order(figures: DemandFigures):
    return (
        figures.year or 0,
        STAGE_ORDER.get(figures.stage or "", -1),
        figures.district or "",
        (figures.school.kind, figures.school.code) if figures.school else ("", ""),
        figures.sub_union.sort_key if figures.sub_union else "",
    )


def _top_sub_union(prefix: str):
    """The parent's top-level sub-union (a union group counts in the one above it)."""
    return Coalesce(f"{prefix}__sub_union__parent_id", f"{prefix}__sub_union_id")


def campaign_years() -> list[int]:
    """The years with a campaign or adopted rules, in order."""
    years = set(Campaign.objects.values_list("year", flat=True))
    years |= set(AdmissionRules.objects.filter(status=EditionStatus.ADOPTED).values_list("year", flat=True))
    return sorted(years)


def demand_by_year(*, years: Iterable[int] | None = None) -> DemandTable:
    """Demand, requests, outcomes and places of the given years (default: every year with a
    campaign or adopted rules): three grouped queries (the survey, the requests, the places),
    the schools and sub-unions read in bulk."""
    years = sorted(set(years)) if years is not None else campaign_years()
    schools = School.objects.in_bulk()
    stage_of = {pk: str(KIND_STAGE[SchoolKind(school.kind)]) for pk, school in schools.items()}
    rows: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))

    def district(school_id: int | None) -> str:
        return schools[school_id].district if school_id else ""

    lines = (
        SurveyLine.objects.filter(campaign__year__in=years, need=Need.YES)
        .annotate(year=F("campaign__year"), top=_top_sub_union("parent"))
        .values_list("year", "stage", "school_id", "top")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for year, stage, school_id, top, n in lines:
        rows[(year, stage, district(school_id), school_id, top)]["demand"] += n

    requests = (
        AdmissionRequest.objects.filter(campaign__year__in=years, status__in=REQUESTED)
        .annotate(year=F("campaign__year"), top=_top_sub_union("parent"))
        .values_list("year", "stage", "school_id", "placed_school_id", "top", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for year, stage, school_id, placed_school_id, top, status, n in requests:
        rows[(year, stage, district(school_id), school_id, top)]["requests"] += n
        if status == RequestStatus.PLACED:
            at = placed_school_id or school_id
            rows[(year, stage, district(at), at, top)]["placed"] += n
        elif status == RequestStatus.NOT_PLACED:
            rows[(year, stage, district(school_id), school_id, top)]["not_placed"] += n
        elif status == RequestStatus.SELF_ARRANGED:
            rows[(year, stage, district(school_id), school_id, top)]["self_arranged"] += n

    code_to_pk = {school.code: pk for pk, school in schools.items()}
    places: dict[tuple[int, int], int] = defaultdict(int)
    for year, code, number in SchoolPlaces.objects.filter(
        edition__status=EditionStatus.ADOPTED, edition__year__in=years
    ).values_list("edition__year", "school_code", "places"):
        if code in code_to_pk:
            places[(year, code_to_pk[code])] += number

    sub_union_ids = {key[4] for key in rows if key[4]}
    return DemandTable(
        years=years,
        rows=dict(rows),
        places=dict(places),
        schools=schools,
        sub_unions=SubUnion.objects.in_bulk(sub_union_ids),
        _stage_of=stage_of,
    )


# --- the schools' answers --------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRate:
    """How many requests a school was sent in a year and how many it answered."""

    year: int
    school: School
    referred: int
    answered: int
    placed: int

    @property
    def waiting(self) -> int:
        return self.referred - self.answered

    @property
    def rate(self) -> Decimal | None:
        return rate(self.answered, self.referred)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "school": self.school.code,
            "school_name": self.school.name,
            "referred": self.referred,
            "answered": self.answered,
            "placed": self.placed,
            "waiting": self.waiting,
            "rate": self.rate,
        }


def answer_rates(*, years: Iterable[int] | None = None) -> list[AnswerRate]:
    """Each school's answer rate per year (answered / referred), by the school a request was
    referred to, in one grouped query; schools sent nothing that year are left out."""
    queryset = AdmissionRequest.objects.filter(status__in=REFERRED)
    if years is not None:
        queryset = queryset.filter(campaign__year__in=list(years))
    grouped = (
        queryset.values_list("campaign__year", "school_id")
        .annotate(
            referred=Count("pk"),
            answered=Count("pk", filter=Q(status__in=ANSWERED)),
            placed=Count("pk", filter=Q(status=RequestStatus.PLACED)),
        )
        .order_by()
    )
    schools = School.objects.in_bulk()
    rates = [
        AnswerRate(year=year, school=schools[school_id], referred=referred, answered=answered, placed=placed)
        for year, school_id, referred, answered, placed in grouped
    ]
    return sorted(rates, key=lambda r: (r.year, r.school.kind, r.school.code))


# --- shortages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shortage:
    """Demand above places in a year: for a stage as a whole (`school` None) or at a school."""

    year: int
    stage: str
    school: School | None
    district: str
    demand: int
    places: int

    @property
    def shortfall(self) -> int:
        return self.demand - self.places

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "stage": self.stage,
            "school": self.school.code if self.school else None,
            "school_name": self.school.name if self.school else None,
            "district": self.district,
            "demand": self.demand,
            "places": self.places,
            "shortfall": self.shortfall,
        }


def shortages(year: int, *, table: DemandTable | None = None) -> list[Shortage]:
    """Where the year's demand exceeded the places: each stage (all its demand against all
    its schools' places), then each school that offers places or takes requests (the demand
    naming it against its places). A school the union neither refers to nor counts places
    at (another nearby school) is not a shortage of the union's."""
    table = table or demand_by_year(years=[year])
    found: list[Shortage] = []
    for figures in table.by("year", "stage", year=year):
        assert figures.stage is not None
        if figures.demand > (figures.places or 0):
            found.append(Shortage(year, figures.stage, None, "", demand=figures.demand, places=figures.places or 0))
    for figures in table.by("year", "stage", "school", year=year):
        school = figures.school
        if school is None or not (school.takes_requests or (year, school.pk) in table.places):
            continue
        assert figures.stage is not None
        if figures.demand > (figures.places or 0):
            found.append(
                Shortage(
                    year, figures.stage, school, school.district, demand=figures.demand, places=figures.places or 0
                )
            )
    return found


def history(*, stages: Sequence[str] | None = None, table: DemandTable | None = None) -> list[DemandFigures]:
    """Every year's totals (of some stages, or all): demand, places, placed, unmet."""
    table = table or demand_by_year()
    if stages is None:
        return table.by("year")
    rows = []
    for year in table.years:
        total = DemandFigures(year=year, places=0)
        for figures in table.by("year", "stage", year=year):
            if figures.stage in stages:
                for name in (*COUNTS, "places"):
                    setattr(total, name, (getattr(total, name) or 0) + (getattr(figures, name) or 0))
        rows.append(total)
    return rows


def linkable_proposals(user):
    """The congress proposals a shortage may be linked to: those `user` may read, and every
    published one (the admissions officer reads no proposal of their own)."""
    from gonghui.proposals.models import Proposal

    readable = Q(pk__in=Proposal.objects.restrict(user).values("pk")) | Q(published_at__isnull=False)
    return Proposal.objects.filter(readable).order_by("-pk")

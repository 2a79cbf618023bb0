"""One roster row's cells → clean values, or the reasons the row cannot be imported."""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from gonghui.core.crypto import keyed_digest
from gonghui.core.text import clean_text
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender
from gonghui.people.idnumbers import IdNumberError, id_number_birth_date, id_number_check
from gonghui.people.roster.reading import header_label

GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE, "M": Gender.MALE, "F": Gender.FEMALE}
STATUSES = {
    "在职": EmploymentStatus.ACTIVE,
    "离退休": EmploymentStatus.RETIRED,
    "退休": EmploymentStatus.RETIRED,
    "离休": EmploymentStatus.RETIRED,
    "调离": EmploymentStatus.LEFT,
    "去世": EmploymentStatus.DECEASED,
    "已故": EmploymentStatus.DECEASED,
}
COVERAGES = {
    "公费医疗": CoverageType.PUBLIC,
    "公费": CoverageType.PUBLIC,
    "医保": CoverageType.INSURANCE,
    "医疗保险": CoverageType.INSURANCE,
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日", "%Y.%m.%d")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_PHONE = re.compile(r"^\+?[0-9\-]{5,20}$")
_SPACES = re.compile(r"\s+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
# An ID number as the people export masks it (core.crypto.mask_id_number): region code, eight
# stars, the last four. The 17th character, the gender digit, is among the four.
MASKED_ID = re.compile(r"\d{6}\*{8}\d{3}[\dX]\Z", re.ASCII)


def cell_text(value) -> str:
    """A cell as text: integral numbers without ".0", dates as ISO, strings stripped and
    without control characters (core/text.py: the bulk writes skip `save()`)."""
    if type(value) is str:  # the common case first; printable text has no control character
        return (value if value.isprintable() else clean_text(value)).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value) -> datetime.date | None:
    """Date cells, and dates typed as text: 1980-05-17, 1980/5/17, 19800517, 1980年5月17日."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if len(text) == 10 and _ISO_DATE.match(text):  # 1980-05-17: what strptime("%Y-%m-%d") gives, faster
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return None
    text = text.split(" ")[0].split("T")[0] if re.match(r"^\d{4}-\d{1,2}-\d{1,2}[ T]", text) else text
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def unit_key(text: str) -> str:
    return _SPACES.sub("", text or "").casefold()


class SubUnionMatcher:
    """所在单位 → sub-union id, by name, code or alias (spaces and case ignored)."""

    def __init__(self, sub_unions):
        self.by_key: dict[str, int] = {}
        self.names: dict[int, str] = {}
        aliases: list[tuple[object, int]] = []
        for su in sub_unions:
            self.names[su["id"]] = su["name"]
            self.by_key.setdefault(unit_key(su["name"]), su["id"])
            self.by_key.setdefault(unit_key(su["code"]), su["id"])
            aliases.extend((alias, su["id"]) for alias in (su.get("aliases") or []))
        for alias, pk in aliases:  # names and codes win over aliases
            self.by_key.setdefault(unit_key(str(alias)), pk)

    def match(self, text: str) -> int | None:
        return self.by_key.get(unit_key(text))


@dataclass(slots=True)
class CleanRow:
    row: int
    staff_no: str
    name: str
    gender: str
    id_number: str  # "" when the file has the number masked (id_masked)
    id_digest: str
    birth_date: datetime.date | None  # None: a masked number without 出生日期 keeps the stored one (classification)
    sub_union_id: int
    employment_category: str | None = None
    employment_status: str | None = None
    phone: str | None = None
    coverage_type: str | None = None
    jingka_no: str | None = None
    joined_on: datetime.date | None = None  # dates a new member's first membership
    id_masked: str = ""  # the number as exported masked: keeps the stored number (classification)


@dataclass(slots=True)
class InvalidRow:
    row: int
    staff_no: str
    reasons: list[str] = field(default_factory=list)
    unknown_unit: str = ""
    id_digest: str = ""
    unit: str = ""  # the row's 所在单位 as written, for the per-unit summary

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


def row_validate(number: int, cells: Sequence[Any], columns: dict[str, int], matcher: SubUnionMatcher):
    """Return a CleanRow, or an InvalidRow listing every reason found."""
    raw = {key: (cells[index] if index < len(cells) else None) for key, index in columns.items()}
    reasons: list[str] = []

    formulas = [header_label(k) for k, v in raw.items() if isinstance(v, str) and v.startswith("=") and len(v) > 1]
    if formulas:
        reasons.append(_("单元格含公式（%(columns)s），请粘贴为数值后再导入") % {"columns": "、".join(formulas)})

    staff_no = cell_text(raw["staff_no"])
    if not staff_no:
        reasons.append(_("工号为空"))
    elif len(staff_no) > 32:
        reasons.append(_("工号过长"))

    name = cell_text(raw["name"])
    if not name:
        reasons.append(_("姓名为空"))
    elif len(name) > 50:
        reasons.append(_("姓名过长"))

    gender_text = cell_text(raw["gender"])
    gender = GENDERS.get(gender_text.upper() if gender_text.isascii() else gender_text)
    if gender is None:
        reasons.append(_("性别应为“男”或“女”（当前为“%(value)s”）") % {"value": gender_text})

    birth_date = None
    if "birth_date" in raw and raw["birth_date"] not in (None, ""):
        birth_date = parse_date(raw["birth_date"])
        if birth_date is None:
            reasons.append(
                _("出生日期“%(value)s”无法识别，请写作 1980-05-17") % {"value": cell_text(raw["birth_date"])}
            )

    id_raw = raw["id_number"]
    id_number = ""
    id_digest = ""
    id_masked = ""
    if isinstance(id_raw, (int, float)) and not isinstance(id_raw, bool):
        reasons.append(_("身份证号被 Excel 存成了数字，请设为文本格式"))
    else:
        id_text = cell_text(id_raw)
        if not id_text:
            reasons.append(_("身份证号为空"))
        elif _SCIENTIFIC.match(id_text):
            reasons.append(_("身份证号被 Excel 存成了数字，请设为文本格式"))
        elif "*" in id_text and MASKED_ID.match(id_text.upper()):
            # masked by the people export: the stored number stays (checked against it later)
            id_masked = id_text.upper()
            masked_gender = Gender.MALE if int(id_masked[16]) % 2 == 1 else Gender.FEMALE
            if gender and masked_gender != gender:
                reasons.append(_("身份证号中的性别与填写的性别不一致"))
        elif not id_text.startswith("="):
            try:
                id_number = id_number_check(id_text, gender=gender, birth_date=birth_date)
                id_digest = keyed_digest(id_number)
            except IdNumberError as error:
                reasons.append(str(error))

    unit_text = cell_text(raw["sub_union"])
    sub_union_id = None
    unknown_unit = ""
    if not unit_text:
        reasons.append(_("所在单位为空"))
    else:
        sub_union_id = matcher.match(unit_text)
        if sub_union_id is None:
            unknown_unit = unit_text
            reasons.append(_("未知的所在单位“%(unit)s”") % {"unit": unit_text})

    values: dict[str, Any] = {}
    if "employment_category" in raw:
        text = cell_text(raw["employment_category"])
        if len(text) > 50:
            reasons.append(_("人员类别过长"))
        values["employment_category"] = text or None
    if "employment_status" in raw:
        text = cell_text(raw["employment_status"])
        status = STATUSES.get(text) if text else None
        if text and status is None:
            reasons.append(_("人员状态“%(value)s”无法识别（在职、离退休、退休、调离、去世）") % {"value": text})
        values["employment_status"] = status
    if "coverage_type" in raw:
        text = cell_text(raw["coverage_type"])
        coverage = COVERAGES.get(text) if text else None
        if text and coverage is None:
            reasons.append(_("医疗类别“%(value)s”无法识别（公费医疗、医保）") % {"value": text})
        values["coverage_type"] = coverage
    if "phone" in raw:
        text = cell_text(raw["phone"]).replace(" ", "")
        if text and not _PHONE.match(text):
            reasons.append(_("手机号“%(value)s”格式错误") % {"value": text})
        values["phone"] = text or None
    if "jingka_no" in raw:
        text = cell_text(raw["jingka_no"])
        if len(text) > 32:
            reasons.append(_("京卡号过长"))
        values["jingka_no"] = text or None

    if "joined_on" in raw and raw["joined_on"] not in (None, ""):
        joined_on = parse_date(raw["joined_on"])
        if joined_on is None:
            reasons.append(_("入会日期“%(value)s”无法识别，请写作 2005-09-01") % {"value": cell_text(raw["joined_on"])})
        values["joined_on"] = joined_on

    if reasons:
        return InvalidRow(
            row=number,
            staff_no=staff_no,
            reasons=reasons,
            unknown_unit=unknown_unit,
            id_digest=id_digest,
            unit=unit_text,
        )
    # no reasons: the row has a gender, a birth date and a sub-union (each missing one is a reason)
    assert gender is not None and sub_union_id is not None
    return CleanRow(
        row=number,
        staff_no=staff_no,
        name=name,
        gender=gender,
        id_number=id_number,
        id_digest=id_digest,
        birth_date=birth_date or (id_number_birth_date(id_number) if id_number else None),
        sub_union_id=sub_union_id,
        id_masked=id_masked,
        **values,
    )

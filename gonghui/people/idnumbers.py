"""Resident ID numbers (居民身份证号): GB 11643 checksum via python-stdnum, and agreement
with the stated birth date and gender."""

import datetime

from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from gonghui.people.choices import Gender


class IdNumberError(ValueError):
    pass


def id_number_normalise(value: str) -> str:
    return ric.compact(value or "").upper()


def id_number_check(value: str, *, gender: str | None = None, birth_date: datetime.date | None = None) -> str:
    """Return the compact ID number, or raise IdNumberError with a translated reason."""
    number = id_number_normalise(value)
    if len(number) != 18:
        raise IdNumberError(_("身份证号应为18位（当前%(n)d位）") % {"n": len(number)})
    try:
        ric.validate(number)
    except InvalidChecksum:
        raise IdNumberError(_("身份证号校验位错误")) from None
    except (InvalidFormat, InvalidLength, InvalidComponent, ValidationError):
        raise IdNumberError(_("身份证号格式错误")) from None
    if birth_date is not None and ric.get_birth_date(number) != birth_date:
        raise IdNumberError(_("身份证号中的出生日期与填写的出生日期不一致"))
    if gender:
        id_gender = Gender.MALE if int(number[16]) % 2 == 1 else Gender.FEMALE
        if id_gender != gender:
            raise IdNumberError(_("身份证号中的性别与填写的性别不一致"))
    return number


def id_number_birth_date(number: str) -> datetime.date:
    return ric.get_birth_date(number)


def id_number_gender(number: str) -> str:
    return Gender.MALE if int(number[16]) % 2 == 1 else Gender.FEMALE


def id_number_compose(*, region: str, birth_date: datetime.date, sequence: int, gender: str) -> str:
    """A syntactically valid ID number (for demo and test data): the sequence's last digit
    is made odd for men and even for women, as GB 11643 requires."""
    order = sequence % 1000
    if (order % 2 == 1) != (gender == Gender.MALE):
        order = (order + 1) % 1000
    body = f"{region}{birth_date:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder check digit

"""Sign-in accounts: one-time codes that let people set their password (activation by their
sub-union officer, a forgotten password, the first administrator).

Codes are short enough to type from paper (8 letters and digits, no look-alikes) and are
stored only as a keyed digest. A code expires, works once, and is void after
MAX_FAILED_ATTEMPTS wrong tries; issuing a new code voids the earlier ones of its purpose."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor
from gonghui.accounts.models import CodeChannel, CodePurpose, OneTimeCode, User
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit
from gonghui.people.models import Person

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off paper
CODE_LENGTH = 8
MAX_FAILED_ATTEMPTS = 5
CODE_LIFETIMES = {
    CodePurpose.SETUP: timedelta(days=1),
    CodePurpose.ACTIVATION: timedelta(days=30),
    CodePurpose.RESET: timedelta(minutes=30),
}


class CodeRefused(ApplicationError):
    """A code that is wrong, expired, used or void: nothing is changed."""


@dataclass(frozen=True)
class IssuedCode:
    person: Person
    user: User
    code: str  # in clear, shown once on the issuing page and never stored
    expires_at: object


def code_normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _digest(user_id: int, code: str) -> str:
    return salted_hmac("gonghui.accounts.one_time_code", f"{user_id}:{code}", algorithm="sha256").hexdigest()


def one_time_code_issue(*, user: User, purpose: str, channel: str, actor: Actor | None) -> tuple[str, OneTimeCode]:
    """A new code for `user` (earlier unused codes of the purpose become void). Returns the
    code in clear, for the caller to show or send once."""
    now = timezone.now()
    code = "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))
    with transaction.atomic():
        OneTimeCode.objects.filter(user=user, purpose=purpose, used_at=None, voided_at=None).update(voided_at=now)
        record = OneTimeCode.objects.create(
            user=user,
            purpose=purpose,
            channel=channel,
            digest=_digest(user.pk, code),
            issued_by=actor if actor is not None and actor.is_authenticated else None,
            expires_at=now + CODE_LIFETIMES[CodePurpose(purpose)],
        )
        audit(
            actor,
            user,
            AuditAction.UPDATED,
            _("发放一次性验证码（%(purpose)s，%(channel)s）")
            % {"purpose": record.get_purpose_display(), "channel": record.get_channel_display()},
            person_id=user.person_id,
        )
    return code, record


def account_for_person(person: Person) -> User:
    """The person's sign-in account, created without a usable password when missing (its
    username is the staff number; the person sets a password with a code)."""
    user = User.objects.filter(person=person).first()
    if user is not None:
        return user
    user = User(username=person.staff_no, first_name=person.name, person=person)
    user.set_unusable_password()
    user.save()
    return user


def activation_codes_issue(*, actor: Actor, person_ids: list[int]) -> list[IssuedCode]:
    """Activation codes for people in the actor's scope who have not activated yet, to hand
    out on paper. People outside the scope refuse the whole batch; people who already
    activated are passed over."""
    if not actor.has_perm("accounts.issue_codes"):
        raise PermissionDenied
    wanted = set(person_ids)
    people = list(Person.objects.restrict(actor, "view").filter(pk__in=wanted).order_by("sub_union__name", "staff_no"))
    if len(people) != len(wanted):
        raise PermissionDenied
    issued = []
    with transaction.atomic():
        for person in people:
            user = account_for_person(person)
            if user.has_usable_password():
                continue
            code, record = one_time_code_issue(
                user=user, purpose=CodePurpose.ACTIVATION, channel=CodeChannel.PAPER, actor=actor
            )
            issued.append(IssuedCode(person=person, user=user, code=code_display(code), expires_at=record.expires_at))
    return issued


def password_set_with_code(*, username: str, code: str, purpose: str, password: str) -> User:
    """Set `username`'s password with a one-time code. An unknown username and a wrong code
    get the same message; a wrong code counts against the user's live code."""
    wrong = CodeRefused(_("工号或验证码不正确。"))
    user = User.objects.filter(username=(username or "").strip(), is_active=True).first()
    if user is None:
        raise wrong
    refusal: CodeRefused | None = None
    with transaction.atomic():
        record = (
            OneTimeCode.objects.select_for_update()
            .filter(user=user, purpose=purpose, voided_at=None)
            .order_by("-issued_at")
            .first()
        )
        now = timezone.now()
        if record is None:
            refusal = wrong
        elif not constant_time_compare(record.digest, _digest(user.pk, code_normalise(code))):
            # Counted (and committed) even though the request fails: guessing is bounded.
            record.failed_attempts += 1
            if record.failed_attempts >= MAX_FAILED_ATTEMPTS:
                record.voided_at = now
            record.save(update_fields=["failed_attempts", "voided_at"])
            refusal = wrong
        elif record.used_at is not None:
            refusal = CodeRefused(_("该验证码已使用过。如需再次设置密码，请重新获取验证码。"))
        elif record.expires_at <= now:
            refusal = CodeRefused(_("该验证码已过期，请重新获取。"))
        else:
            try:
                validate_password(password, user)
            except ValidationError as error:
                refusal = CodeRefused(" ".join(error.messages))
        if refusal is None and record is not None:
            record.used_at = now
            record.save(update_fields=["used_at"])
            user.set_password(password)
            user.save(update_fields=["password"])
            audit(
                user,
                user,
                AuditAction.UPDATED,
                _("以一次性验证码设置密码（%(purpose)s）") % {"purpose": record.get_purpose_display()},
                person_id=user.person_id,
            )
    if refusal is not None:
        raise refusal
    return user


def password_reset_request(*, username: str) -> None:
    """Send a reset code to the channels that reach `username` (e-mail, SMS …). Says nothing
    either way: the page answers the same whether or not the account exists."""
    user = User.objects.filter(username=(username or "").strip(), is_active=True, person__isnull=False).first()
    if user is None or not user.has_usable_password():
        return
    channels = [import_string(dotted)() for dotted in settings.NOTIFICATION_CHANNELS]
    reachable = [channel for channel in channels if channel.can_reach(user)]
    if not reachable:
        return
    channel_names = {channel.name for channel in reachable}
    recorded = next((c for c in (CodeChannel.EMAIL, CodeChannel.SMS, CodeChannel.WECOM) if c in channel_names), "")
    code, _record = one_time_code_issue(
        user=user, purpose=CodePurpose.RESET, channel=recorded or CodeChannel.EMAIL, actor=None
    )
    message = SimpleNamespace(
        title=_("工会服务平台重设密码验证码：%(code)s，30 分钟内有效。") % {"code": code_display(code)},
        body=_("如非本人操作，请忽略本消息。"),
        url="",
        recipient=user,
    )
    for channel in reachable:
        try:
            channel.deliver(message)
        except Exception:  # noqa: BLE001 — one channel failing must not stop the others
            continue

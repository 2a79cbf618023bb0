"""API tokens (issue 11, finding 6): issued on sign-in to the API, kept only as a digest,
expiring after API_TOKEN_LIFETIME_DAYS, revoked by their owner or an administrator, and all
of a user's revoked when their password changes or their account is stopped (that last rule
is in `User.save()`, so that every way of setting a password obeys it).

Services (writes) and selectors (reads) of the tokens; the authentication class that reads
`Authorization: Token <key>` is `ApiTokenAuthentication`."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from gonghui.accounts.access import Actor
from gonghui.accounts.models import ApiToken, User
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit

# last_used_at is written at most this often per token (not on every request)
LAST_USED_RESOLUTION = timedelta(minutes=5)


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_issue(*, user: User, name: str = "") -> tuple[str, ApiToken]:
    """A new token for `user`: the key in clear (to show once) and its stored row."""
    key = secrets.token_hex(20)
    lifetime = timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    token = ApiToken.objects.create(
        user=user,
        digest=token_digest(key),
        prefix=key[:8],
        name=name[:100],
        expires_at=timezone.now() + lifetime,
    )
    return key, token


def api_token_revoke(*, actor: Actor, token: ApiToken) -> None:
    """Revoke one token: the owner's own, or anyone's by an administrator (audited)."""
    if not ApiToken.objects.restrict(actor, "delete").filter(pk=token.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        audit(
            actor,
            token.user,
            AuditAction.UPDATED,
            _("收回 API 令牌 %(prefix)s…") % {"prefix": token.prefix},
            person_id=token.user.person_id,
        )
        token.delete()


def api_tokens_of(*, actor: Actor, user: User | None = None):
    """The live tokens `actor` may see: their own, or (an administrator) `user`'s."""
    owner = user or actor
    return ApiToken.objects.restrict(actor).live(timezone.now()).filter(user=owner).order_by("-created_at", "-pk")


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, looked up by digest; expired tokens and stopped accounts
    are refused."""

    def authenticate_credentials(self, key):
        now = timezone.now()
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))  # DRF's own words
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(gettext_lazy("令牌已过期，请重新获取"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return (token.user, token)

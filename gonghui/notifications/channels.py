"""Outside channels a notification is copied to. settings.NOTIFICATION_CHANNELS lists them by
dotted path; each is a `Channel` subclass. `deliver` raises to report a failure (recorded on
the NotificationDelivery, never raised out of the task)."""

from __future__ import annotations

import json
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


def absolute_url(url: str) -> str:
    """Links in messages leave the site, so relative ones get settings.SITE_URL in front."""
    if url.startswith("/") and getattr(settings, "SITE_URL", None):
        return settings.SITE_URL.rstrip("/") + url
    return url


class Channel:
    """Base class: `name` is a short code, `label` what the office sees."""

    name = ""
    label: str | Promise = ""

    def can_reach(self, user) -> bool:
        raise NotImplementedError

    def deliver(self, notification) -> None:
        raise NotImplementedError


class EmailChannel(Channel):
    name = "email"
    label = _("电子邮件")

    def can_reach(self, user) -> bool:
        return bool(user.is_active and user.email)

    def deliver(self, notification) -> None:
        body = notification.body
        link = absolute_url(notification.url)
        if link:
            body = f"{body}\n\n{link}" if body else link
        send_mail(
            subject=notification.title,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
            fail_silently=False,
        )


class HttpGatewayChannel(Channel):
    """Posts JSON to a gateway URL from settings, with the standard library only."""

    url_setting = ""
    token_setting = ""

    def gateway_url(self) -> str:
        url = getattr(settings, self.url_setting, "")
        if not url:
            raise ImproperlyConfigured(f"{self.url_setting} is not set")
        return url

    def post(self, payload: dict) -> bytes:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        token = getattr(settings, self.token_setting, "") if self.token_setting else ""
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(
            self.gateway_url(),
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers=headers,
            method="POST",
        )
        # urlopen raises HTTPError on 4xx/5xx and URLError when the gateway cannot be reached.
        with urllib.request.urlopen(request, timeout=getattr(settings, "NOTIFICATION_HTTP_TIMEOUT", 10)) as response:
            return response.read()


class SmsChannel(HttpGatewayChannel):
    """Text message through the campus SMS gateway: title and link only (SMS is short and
    passes through the operator, so bodies with personal details stay in the inbox)."""

    name = "sms"
    label = _("短信")
    url_setting = "SMS_GATEWAY_URL"
    token_setting = "SMS_GATEWAY_TOKEN"

    def phone(self, user) -> str:
        person = user.person if user.person_id else None
        return (person.phone or "").strip() if person else ""

    def can_reach(self, user) -> bool:
        return bool(user.is_active and self.phone(user))

    def deliver(self, notification) -> None:
        text = notification.title
        link = absolute_url(notification.url)
        if link:
            text = f"{text} {link}"
        self.post(
            {
                "phone": self.phone(notification.recipient),
                "sign": getattr(settings, "SMS_SIGN", ""),
                "text": text,
            }
        )


class WeComError(Exception):
    pass


class WeComChannel(HttpGatewayChannel):
    """企业微信 application message to the recipient's WeCom user id (the staff number).
    WECOM_WEBHOOK_URL is message/send with its access token, or a campus relay adding it.
    WeCom answers HTTP 200 with {"errcode": …}; a non-zero errcode is a failure."""

    name = "wecom"
    label = _("企业微信")
    url_setting = "WECOM_WEBHOOK_URL"
    token_setting = "WECOM_GATEWAY_TOKEN"

    def can_reach(self, user) -> bool:
        return bool(user.is_active and user.person_id)

    def deliver(self, notification) -> None:
        content = notification.title
        if notification.body:
            content = f"{content}\n{notification.body}"
        link = absolute_url(notification.url)
        if link:
            content = f"{content}\n{link}"
        payload = {
            "touser": notification.recipient.username,
            "msgtype": "text",
            "agentid": getattr(settings, "WECOM_AGENT_ID", ""),
            "text": {"content": content},
        }
        raw = self.post(payload)
        try:
            answer = json.loads(raw.decode("utf-8") or "{}")
        except ValueError:
            answer = {}
        if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
            raise WeComError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def channels_configured() -> dict[str, Channel]:
    """{dotted path: channel} for settings.NOTIFICATION_CHANNELS, read at call time."""
    return {dotted: import_string(dotted)() for dotted in settings.NOTIFICATION_CHANNELS}

"""The real client address behind the trusted reverse proxies.

Each proxy in front of the site appends the address it received the request from to
`X-Forwarded-For` (nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`).
With `TRUSTED_PROXY_COUNT` = N such proxies, the client is the N-th address from the right:
everything to its left was written by the client itself and is not trusted. With N = 0 (the
site faces clients directly, or in development) the header is ignored and the socket address
(`REMOTE_ADDR`) is the client. django-axes uses this (AXES_CLIENT_IP_CALLABLE).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    text = value.strip()
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's address: from the trusted proxies' header, else the socket's."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count > 0:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            found = _address(hops[-count])
            if found:
                return found
    return _address(remote) or remote

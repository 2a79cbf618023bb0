"""Certificates (获奖证书): the PDF of one, for whoever holds or looks after the award, with its
serial number and a QR code of the public verification page; and that page, open to anyone
without signing in, which says whether a certificate is genuine and shows only what is
printed on it (an unknown token: "not found", 404)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from gonghui.competitions.selectors.certificates import certificate_for_user, certificate_verify, issuer_name
from gonghui.core.excel import file_response
from gonghui.core.history import export_record
from gonghui.core.pages import MemberPageMixin

PDF_CONTENT_TYPE = "application/pdf"


def verify_url(request, token: str) -> str:
    """The absolute address of the certificate's public page: on the site's address when one is
    configured (GONGHUI_SITE_URL), else on the address the request came to."""
    path = reverse("competitions:verify", args=[token])
    site = getattr(settings, "SITE_URL", "") or ""
    if site:
        return site.rstrip("/") + path
    return request.build_absolute_uri(path)


def qr_data_uri(url: str) -> str:
    """A QR code of `url` as an SVG data URI (WeasyPrint draws it; nothing leaves the server)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def certificate_html(request, certificate) -> str:
    """The certificate as WeasyPrint lays it out: serial number, recipient, award, edition,
    date, issuing body and the QR code of its verification page."""
    award = certificate.award
    url = verify_url(request, certificate.token)
    return render_to_string(
        "competitions/certificates/certificate_pdf.html",
        {
            "certificate": certificate,
            "award": award,
            "competition": award.competition,
            "issuer": issuer_name(),
            "verify_url": url,
            "qr": qr_data_uri(url),
        },
    )


def certificate_pdf(request, certificate) -> bytes:
    from weasyprint import HTML

    return HTML(string=certificate_html(request, certificate)).write_pdf()


class CertificatePdfView(MemberPageMixin, View):
    """The certificate as a PDF (the winner's, a coach's, the college's officer's for their
    college, the office's); anyone else: 404. The download is in the audit trail."""

    def get(self, request, pk):
        certificate = certificate_for_user(request.user, pk)
        if certificate is None:
            raise Http404
        export_record(request.user, what=_("下载获奖证书 %(serial)s") % {"serial": certificate.serial}, obj=certificate)
        return file_response(
            certificate_pdf(request, certificate),
            filename=f"{certificate.serial}.pdf",
            content_type=PDF_CONTENT_TYPE,
        )


class VerifyView(View):
    """The public check of a certificate by the token its QR code carries (no sign-in)."""

    def get(self, request, token):
        verification = certificate_verify(token)
        if verification is None:
            return render(request, "competitions/certificates/verify_missing.html", status=404)
        return render(request, "competitions/certificates/verify.html", {"v": verification})

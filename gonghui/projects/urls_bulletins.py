"""The bulletins' routes (views/bulletins.py), included into the "projects" app's urls.py."""

from gonghui.core.routes import route
from gonghui.projects.views import bulletins

urlpatterns: list = [
    # the issues, a new series, a new issue
    route("bulletins/", bulletins.BulletinListView, "bulletins"),
    route("bulletins/series/new/", bulletins.SeriesCreateView, "series_new"),
    route("bulletins/new/", bulletins.BulletinCreateView, "bulletin_new"),
    # an issue: its page, its PDF, its details
    route("bulletins/<int:pk>/", bulletins.BulletinDetailView, "bulletin"),
    route("bulletins/<int:pk>/pdf/", bulletins.BulletinPdfView, "bulletin_pdf"),
    route("bulletins/<int:pk>/edit/", bulletins.BulletinEditView, "bulletin_edit"),
    # its sections (a draft's)
    route("bulletins/<int:pk>/sections/new/", bulletins.SectionCreateView, "section_new"),
    route("bulletins/<int:pk>/sections/<int:section>/", bulletins.SectionEditView, "section_edit"),
    route("bulletins/<int:pk>/sections/<int:section>/delete/", bulletins.SectionDeleteView, "section_delete"),
    # the editor's steps
    route("bulletins/<int:pk>/publish/", bulletins.BulletinPublishView, "bulletin_publish"),
    route("bulletins/<int:pk>/withdraw/", bulletins.BulletinWithdrawView, "bulletin_withdraw"),
    route("bulletins/<int:pk>/redraft/", bulletins.BulletinRedraftView, "bulletin_redraft"),
]

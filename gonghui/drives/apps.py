from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrivesConfig(AppConfig):
    name = "gonghui.drives"
    label = "drives"
    verbose_name = _("参保活动")

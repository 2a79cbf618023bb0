from django.db import models
from django.utils.translation import gettext_lazy as _


class CongressLevel(models.TextChoices):
    UNIVERSITY = "university", _("学校教代会")
    COLLEGE = "college", _("二级教代会")


class CommitteeKind(models.TextChoices):
    PROPOSALS = "proposals", _("提案工作委员会")
    PRESIDIUM = "presidium", _("主席团")

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("准备中")
    REPORTS_PUBLISHED = "reports_published", _("述职报告已公开")
    VOTING_OPEN = "voting_open", _("投票中")
    VOTING_CLOSED = "voting_closed", _("投票已截止")
    TALLIED = "tallied", _("已计票")
    RELEASED = "released", _("结果已启封")


class VotingMode(models.TextChoices):
    ONLINE = "online", _("网上投票")
    PAPER = "paper", _("纸质选票")
    BOTH = "both", _("网上与纸质")


class BallotKind(models.TextChoices):
    CADRE = "cadre", _("干部个人")
    TEAM = "team", _("领导班子")


class Comparison(models.TextChoices):
    BELOW = "below", _("低于")
    ABOVE = "above", _("高于")


# Cadres' reports (述职报告) as PDF, uploaded by the office that runs the round (attachments).
REPORT_PURPOSE = "appraisals.report"

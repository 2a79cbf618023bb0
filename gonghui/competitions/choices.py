"""The choices of the young teachers' teaching competition (青教赛, DOMAIN §3.7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Files of an entry's materials (lesson plans, slides, a video) stored through attachments.
MATERIAL_PURPOSE = "competition_material"


class Level(models.TextChoices):
    COLLEGE = "college", _("院级")
    UNIVERSITY = "university", _("校级")
    BEIJING = "beijing", _("北京市")
    NATIONAL = "national", _("全国")


# The levels the university runs itself; results at the others are entered as recorded.
HOSTED_LEVELS = (Level.COLLEGE, Level.UNIVERSITY)
LEVEL_ORDER = {Level.COLLEGE: 1, Level.UNIVERSITY: 2, Level.BEIJING: 3, Level.NATIONAL: 4}


class CompetitionStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    NOMINATING = "nominating", _("推荐报名")
    PREPARING = "preparing", _("备赛")
    DRAWN = "drawn", _("已抽签")
    SCORING = "scoring", _("评分中")
    SCORED = "scored", _("评分完成")
    PUBLICITY = "publicity", _("公示中")
    RELEASED = "released", _("结果已发布")
    RECORDED = "recorded", _("结果已录入")


class EntryStatus(models.TextChoices):
    NOMINATED = "nominated", _("已推荐")
    SUBMITTED = "submitted", _("材料已交")
    DRAWN = "drawn", _("已抽签")
    SCORED = "scored", _("已评分")
    PLACED = "placed", _("获奖")
    NOT_PLACED = "not_placed", _("未获奖")
    RECOMMENDED = "recommended", _("已推荐参加上一级比赛")
    WITHDRAWN = "withdrawn", _("已退赛")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("评分中")
    SUBMITTED = "submitted", _("已提交")


class MaterialKind(models.TextChoices):
    LESSON_PLAN = "lesson_plan", _("教案")
    SLIDES = "slides", _("课件")
    VIDEO = "video", _("教学视频")
    SYLLABUS = "syllabus", _("教学大纲")


class TeachingPost(models.TextChoices):
    FULL_TIME = "full_time", _("专任教师")
    LAB = "lab", _("实验教学人员")
    COUNSELLOR = "counsellor", _("辅导员")
    ADMINISTRATIVE = "administrative", _("管理岗位")
    OTHER = "other", _("其他岗位")


class PastWinnerRule(models.TextChoices):
    NONE = "none", _("不限")
    FIRST_PRIZE = "first_prize", _("已获同级比赛一等奖者不再参赛")
    ANY_PRIZE = "any_prize", _("已获同级比赛名次奖者不再参赛")


class Rounding(models.TextChoices):
    HALF_UP = "half_up", _("四舍五入")
    DOWN = "down", _("截尾")


class AwardKind(models.TextChoices):
    RANK = "rank", _("名次奖")
    SPECIAL = "special", _("单项奖")
    COACH = "coach", _("指导教师奖")
    ORGANISATION = "organisation", _("组织奖")


class SpecialBasis(models.TextChoices):
    """How a single award is decided: the best trimmed mean of one part in each group, or
    conferred by the competition office."""

    BEST_PART = "best_part", _("按单项得分最高")
    CONFERRED = "conferred", _("由比赛办公室评定")

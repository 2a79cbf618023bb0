"""Draft deliberation (专题审议) roll-up and report benchmark on PostgreSQL.

    .venv/bin/python bench/deliberations_rollup.py                    # both sizes
    .venv/bin/python bench/deliberations_rollup.py --size large       # 5,000 opinions only
    ... bench/deliberations_rollup.py --size large --roster million   # and 1,000,000 people

DATABASE_URL names the database (default postgres://postgres@127.0.0.1:5432/gonghui_bench_deliberations;
its name must contain "bench": the people, congress and deliberation tables are emptied; --rebuild,
or a migration history that no longer matches the code, drops it and migrates afresh).

Builds one deliberation (教职工绩效工资改革方案, drafted by 人事处) through the services: its
version of 30 articles written by the drafting unit and published by the union office, one
round open to all staff (anonymous to the drafting unit, as the demo's first round). The
roster: 50 top-level sub-unions (colleges and offices, each with two union groups) × 200
active staff plus retirees — or, with --roster million, 1,000,000 people, loaded the way
bench/people_api.py loads them (one INSERT … SELECT FROM generate_series; kept between runs
when the count matches). Opinions are bulk-created (not through the services) at --size:

- realistic: 500 opinions; large: 5,000 (the issue's target: p95 < 300 ms for the roll-up
  page at 50 colleges × 5,000 opinions);

from 50 colleges with uneven weights, on ~27 articles and in general, with the busy articles
(the base-pay share, the 考核 deductions, the 课时费 …) drawing most. Texts are short Chinese
sentences composed from templates × topics (2–3 per article) × phrasings × prefixes and
tails, plus one-off mixtures, so that near-duplicates exist without being copies.

Then `round_close` runs once (the real `opinions_group`, timed on its own too, against the
floor of one SELECT reading the rows it groups), the office sends the roll-up, a third of
the groups get an answer, and the Django test client, signed in as the union office and as a
drafting-unit officer (Role.HANDLING_UNIT_OFFICER scoped to 人事处, an account linked to a
member of staff), requests --requests times each: the roll-up page (first page, and one
article's pending groups), the round page (colleges overview), the report page and the
roll-up .xlsx; the drafting unit's roll-up also on the same round made not anonymous (fewer
requests, at least 5, where they would take over a minute). Each
row: p50/p95 ms, SQL queries per request, response size, and the floor: one set-based SQL
statement computing the same figures (the page's groups with their article, counts,
colleges and opinions; opinions and distinct authors per college with the staff asked; the
report's tables), timed the same way. Prints a table and writes
bench/out/deliberations_rollup.json (one entry per size and roster).
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
from benchdb import ensure_database  # noqa: E402  (bench/ is the script's folder)
from people_api import GIVEN, SURNAMES, percentile  # noqa: E402  (the roster's names, as people_api loads them)

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gonghui_bench_deliberations")
# The test settings: in-memory cache, fast password hashing, no outside e-mail.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic needed here

SIZES = {"realistic": 500, "large": 5_000}
ROSTERS = {"standard": 10_000, "million": 900_000}  # active staff; retirees add a ninth (1,000,000 in all)
PAGE = 30  # groups per roll-up page (RollupView)

# 50 top-level sub-unions: colleges and offices (the HR officer works in 机关第一分工会).
COLLEGES = """
经济学院 法学院 统计学院 文学院 外国语学院 数学科学学院 计算机学院 管理学院 金融学院 马克思主义学院
新闻与传播学院 历史学院 哲学院 社会与人口学院 公共管理学院 国际关系学院 商学院 财政金融学院
农业与农村发展学院 环境学院 物理学系 化学系 心理学系 艺术学院 信息学院 教育学院 国学院 信息资源管理学院
劳动人事学院 生命科学学院 材料学院 机械工程学院 电子工程学院 土木工程学院 建筑学院 医学院 药学院
护理学院 继续教育学院 国际文化交流学院 体育部 图书馆 校医院 后勤 机关第一 机关第二 机关第三 附属中学
出版社 档案馆
""".split()
HR_COLLEGE = COLLEGES.index("机关第一")

DRAFT = """教职工绩效工资改革方案（征求意见稿）
第一章 总则
第一条 为建立体现岗位职责、工作业绩和实际贡献的收入分配机制，调动教职工积极性，根据国家和北京市事业单位绩效工资有关规定，结合学校实际，制定本方案。
第二条 本方案适用于学校在编在岗教职工及人事代理人员，合同制人员参照执行。
第三条 绩效工资分配坚持按劳分配、优绩优酬，向教学科研一线和关键岗位倾斜。
第四条 绩效工资分为基础性绩效工资和奖励性绩效工资两部分，基础性绩效工资占绩效工资总量的百分之六十。
第五条 绩效工资总量由学校按上级核定的总量确定，实行总量控制、分级管理。
第二章 基础性绩效工资
第六条 基础性绩效工资按岗位等级确定标准，按月发放。
第七条 新入职教职工自报到之月起按岗位等级发放基础性绩效工资。
第八条 岗位等级变动的，自聘任之月起按新岗位等级发放。
第九条 请事假、病假超过规定期限的，按有关规定扣减基础性绩效工资。
第十条 离退休人员不再发放基础性绩效工资。
第三章 奖励性绩效工资
第十一条 奖励性绩效工资由学校统筹部分和学院分配部分组成，学院分配部分占百分之七十。
第十二条 奖励性绩效工资根据年度考核结果发放，考核为优秀的上浮百分之二十，基本合格的下浮百分之三十，不合格的不发放。
第十三条 教学工作量按学年核算，超工作量部分按每学时八十元计发。
第十四条 研究生指导工作量按指导学生人数折算，每名学生每学年折合二十学时。
第十五条 科研奖励按学校科研奖励办法执行，纳入奖励性绩效工资总额。
第十六条 承担学校重大任务和公共服务工作的，给予专项奖励。
第十七条 辅导员、班主任工作按岗位设置专项津贴。
第十八条 管理和教辅人员的奖励性绩效工资按岗位职责和考核结果确定，与同级别教师大体平衡。
第十九条 学院奖励性绩效工资分配办法由学院党政联席会议制定，报人事处备案。
第四章 分配程序与监督
第二十条 学院分配方案应在学院内公示，公示期不少于五个工作日。
第二十一条 教职工对绩效工资分配有异议的，可在公示期内向学院提出复核申请。
第二十二条 人事处、财务处会同纪检监察部门对绩效工资分配进行监督检查。
第二十三条 学校每年向教代会报告绩效工资总量和分配情况。
第二十四条 违反规定发放绩效工资的，责令纠正，并追究相关人员责任。
第五章 过渡与保障
第二十五条 改革后绩效工资低于改革前水平的，设置两年过渡期，按差额发放过渡性补贴。
第二十六条 产假、哺乳期教职工的教学工作量按规定核减，不影响年度考核等次。
第二十七条 援派、挂职人员的绩效工资由派出单位按同类人员平均水平发放。
第六章 附则
第二十八条 各学院应在本方案实施后三个月内制定本单位分配办法。
第二十九条 本方案自2021年7月1日起实施，原有规定与本方案不一致的，以本方案为准。
第三十条 本方案由人事处负责解释。
"""

# Opinion topics, one a line: its weight (how many opinions it draws), its article's position
# (0: on the draft in general), its subjects, problems and changes (two wordings each).
TOPIC_LINES = """
2  0 方案征求意见的时间|这次征求意见的时间 / 太短|偏紧，一线教师来不及讨论 / 延长征求意见时间|多召开一线教师座谈会听取意见
2  0 绩效工资测算依据|绩效工资的测算办法 / 不够公开|没有公布 / 公布各类人员的测算结果|公开测算依据和测算过程
2  0 方案整体|这次改革的方向 / 总体可行，表示赞同|符合学校实际 / 尽快出台配套的实施细则|同步出台实施细则
1  1 制定依据|方案的依据 / 表述笼统|没有列明具体文件 / 列明所依据的上级文件名称|写明依据的文件和文号
2  2 适用范围|合同制人员参照执行 / 不够明确|的含义不清 / 明确合同制人员的绩效标准|合同制人员与在编人员同工同酬
3  3 分配原则|向一线倾斜的原则 / 没有体现青年教师|对青年教师关注不够 / 明确向青年教师倾斜|增加向青年教师和实验人员倾斜
5  4 基础性绩效工资比例|基础性绩效占比 / 偏低|太低，收入波动大 / 提高到百分之六十五以上|从百分之六十提高到百分之七十
5  4 奖励性绩效工资比例|奖励部分的比重 / 过低，激励作用不足|拉不开差距 / 适当提高奖励性绩效比例|加大奖励性绩效的比重
2  5 绩效工资总量|总量核定 / 增长机制不明确|多年未调整 / 建立总量正常增长机制|随上级核定总量同步增长
2  6 岗位等级标准|按月发放的标准 / 级差太小|各级之间差距不合理 / 公布各岗位等级的具体标准|适当拉开岗位等级之间的差距
3  7 新入职教职工的基础性绩效|试用期的绩效工资 / 发放办法不明确|是否全额发放没有说明 / 明确试用期内的发放比例|写明试用期按全额发放
1  8 岗位变动|岗位等级调整 / 执行时间不清楚|从哪个月开始执行没有说清 / 自聘任文件下达之月起执行|明确聘任次月起执行
2  9 病假扣减|请假扣发基础性绩效 / 规定过严|对大病职工不够人性化 / 对重大疾病职工适当放宽|明确扣减的具体标准和期限
4 11 学院分配部分比例|学校统筹部分 / 比例偏高|统筹过多，学院自主权不足 / 学院分配部分提高到百分之八十|减少学校统筹比例
6 12 基本合格下浮比例|考核基本合格扣发 / 百分之三十幅度过大|太多了，影响正常生活 / 下调到百分之二十|改为下浮百分之十五
6 12 考核等次|优秀比例 / 设置不合理|只有优秀一档上浮 / 增加良好等次|适当扩大优秀比例
6 13 超工作量课时费|课时费标准 / 每学时八十元偏低|多年未调整 / 提高到每学时一百元|建立课时费定期调整机制
6 13 实验和实践教学工作量|实验课学时 / 折算标准偏低|没有与理论课同等对待 / 与理论课按同一标准折算|实验课、实践课与理论课同等计算学时
3 14 研究生指导工作量|指导研究生的折算 / 二十学时偏少|没有区分博士生和硕士生 / 博士生按三十学时折算|区分博士生与硕士生分别折算
5 15 科研奖励纳入绩效总额|科研奖励 / 会挤占教学人员收入|对教学为主的教师不公平 / 科研奖励单列，不占绩效总额|单独核算科研奖励
1 16 专项奖励|重大任务和公共服务 / 范围不清|认定标准没有明确 / 列明专项奖励的具体范围|制定专项奖励认定办法
2 17 辅导员津贴|班主任津贴 / 标准偏低|与工作量不匹配 / 提高辅导员和班主任津贴标准|按所带学生人数核定津贴
6 18 管理和教辅人员绩效|管理人员的奖励性绩效 / 与教师差距过大|大体平衡的表述不具体 / 明确管理人员与同级教师的比例关系|保障教辅和管理人员的合理收入
8 19 学院分配办法|学院分配方案的制定程序 / 只由党政联席会议决定|没有听取教职工意见 / 须经学院教职工大会或二级教代会讨论通过|经二级教代会审议后再报人事处备案
2 20 公示期|学院分配结果的公示 / 五个工作日偏短|内容不明确 / 延长到十个工作日|公示到个人分配结果
2 21 复核申请|异议处理 / 渠道单一|只能向学院提出 / 增加向学校工会或人事处申诉的渠道|明确复核的答复期限
2 23 向教代会报告|报告内容 / 内容过于笼统|只报告总量不够 / 报告各学院分配情况|同时报告各类人员的人均水平
6 25 过渡期|过渡性补贴 / 两年太短|差额补贴办法不清 / 延长到三年|明确过渡性补贴的计算办法
3 26 产假和哺乳期|孕产期教职工 / 工作量核减标准不明确|考核中容易吃亏 / 明确核减的具体学时数|产假期间按平均水平发放奖励性绩效
1 27 援派挂职人员|挂职人员的绩效 / 发放标准偏低|平均水平的口径不清 / 按本人原岗位水平发放|明确按所在学院同类人员平均水平计算
1 28 学院制定办法的期限|三个月的期限 / 偏紧|时间太短 / 延长到六个月|给学院留出充分讨论的时间
4 29 实施时间|实施日期 / 太紧|定在7月1日太仓促 / 推迟到9月1日新学年实施|推迟到秋季学期
1 30 解释权|由人事处解释 / 不够妥当|应由学校解释 / 改为由学校授权人事处解释|重大问题的解释须经教代会同意
"""
TOPICS: list[tuple[int, int, list[str], list[str], list[str]]] = []
for _line in TOPIC_LINES.strip().splitlines():
    _weight, _position, _rest = _line.split(maxsplit=2)
    _subjects, _problems, _changes = (part.strip().split("|") for part in _rest.split(" / "))
    TOPICS.append((int(_weight), int(_position), _subjects, _problems, _changes))
TEMPLATES = (
    "建议{change}",
    "{subject}{problem}，建议{change}",
    "{subject}{problem}，希望{change}",
    "关于{subject}：{problem}，建议{change}",
    "{subject}{problem}",
    "希望{change}，{subject}{problem}",
)
PREFIXES = ("", "", "", "我院教师普遍反映，", "个人意见：", "经学院讨论，", "几位老师提出，")
TAILS = ("", "。", "，请予考虑。", "。谢谢！", "，望采纳。", "！")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=[*SIZES, "both"], default="both", help="opinions: realistic 500, large 5000")
    parser.add_argument("--roster", choices=list(ROSTERS), default="standard", help="50 × 200 active staff, or 1M")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per row (default 30)")
    parser.add_argument("--rebuild", action="store_true", help="drop the database first (after a migration changed)")
    return parser.parse_args()


# --- the data -------------------------------------------------------------------------------


def opinion_texts(rng: random.Random, count: int) -> list[tuple[int, str]]:
    """`count` (article position, text): a topic drawn by weight, then a template, the topic's
    wordings, a prefix and a tail; one in twelve a one-off with another topic's change."""
    weights = [t[0] for t in TOPICS]
    out = []
    for _ in range(count):
        _weight, position, subjects, problems, changes = rng.choices(TOPICS, weights)[0]
        if rng.random() < 1 / 12:
            other_changes = rng.choice(TOPICS)[4]
            text = f"{rng.choice(subjects)}{rng.choice(problems)}，另外建议{rng.choice(other_changes)}"
        else:
            text = rng.choice(TEMPLATES).format(
                subject=rng.choice(subjects), problem=rng.choice(problems), change=rng.choice(changes)
            )
        out.append((position, rng.choice(PREFIXES) + text + rng.choice(TAILS)))
    return out


def drop_database() -> None:
    """Drop the bench's database (as bench/load.py does), to migrate it afresh."""
    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'drop database if exists "{url.path.lstrip("/")}" with (force)')


def reset(*, roster: bool) -> None:
    """Empty the deliberation tables (and, with `roster`, the people, congress and account
    tables) of the bench's own database."""
    from django.db import connection

    prefixes = ("deliberations_", "notifications_", "core_auditevent")
    if roster:
        prefixes += ("people_", "congress_", "accounts_user", "accounts_roleassignment")
    with connection.cursor() as cursor:
        cursor.execute("select tablename from pg_tables where schemaname = 'public'")
        tables = [t for (t,) in cursor.fetchall() if t.startswith(prefixes)]
        cursor.execute("truncate " + ", ".join(f'"{t}"' for t in tables) + " restart identity cascade")


def load_roster(active: int) -> float | None:
    """50 top-level sub-unions with two union groups each, `active` active staff spread evenly
    over them (and over their groups), and a ninth as many retirees: people_api's INSERT …
    SELECT FROM generate_series. Kept when already loaded at this size (None)."""
    from django.db import connection, transaction

    from gonghui.people.choices import SubUnionKind
    from gonghui.people.models import Person, SubUnion, Union, UniversityUnit

    total = active + active // 9
    if Person.objects.count() == total + 1 and SubUnion.objects.filter(parent__isnull=True).count() == len(COLLEGES):
        return None
    reset(roster=True)
    started = time.perf_counter()
    with transaction.atomic():
        union = Union.objects.create(name="示范大学工会", university="示范大学")
        ids = []
        for i, name in enumerate(COLLEGES):
            college = SubUnion.objects.create(
                union=union,
                code=f"C{i:02d}",
                name=f"{name}分工会",
                kind=SubUnionKind.COLLEGE if i < 41 else SubUnionKind.OFFICE,
            )
            ids.append(college.pk)
            for g in (1, 2):
                group = SubUnion.objects.create(
                    union=union,
                    parent=college,
                    code=f"C{i:02d}-G{g}",
                    kind=SubUnionKind.GROUP,
                    name=f"{college.name}第{'一二'[g - 1]}工会小组",
                )
                ids.append(group.pk)
        UniversityUnit.objects.create(code="HR", name="人事处")
        with connection.cursor() as cursor:
            cursor.execute(
                """
                insert into people_person (
                    created_at, updated_at, staff_no, name, name_pinyin, name_initials, gender, birth_date,
                    id_number_encrypted, id_number_digest, id_number_masked, phone, employment_category_id,
                    employment_status, status_changed_on, status_reason, coverage_type, sub_union_id, jingka_no)
                select now(), now(),
                       'B' || lpad(i::text, 7, '0'),
                       s.c || g1.c || case when i %% 3 = 0 then '' else g2.c end,
                       s.p || g1.p || case when i %% 3 = 0 then '' else g2.p end,
                       left(s.p, 1) || left(g1.p, 1) || case when i %% 3 = 0 then '' else left(g2.p, 1) end,
                       case when i %% 2 = 0 then 'M' else 'F' end,
                       date '1950-01-01' + (i::bigint * 7919 %% 18250)::int,
                       '', md5('digest' || i) || md5('more' || i), '', '', null,
                       case when i > %(active)s then 'retired' else 'active' end,
                       null, '', 'insurance',
                       -- college i %% 50, then the college itself or one of its two groups
                       (%(ids)s::bigint[])[1 + (i %% %(n)s) * 3 + (i / %(n)s) %% 3],
                       ''
                from generate_series(1, %(total)s) as i
                cross join lateral (select (%(sc)s::text[])[1 + i %% %(n_s)s] as c,
                                           (%(sp)s::text[])[1 + i %% %(n_s)s] as p) s
                cross join lateral (select (%(gc)s::text[])[1 + (i / 7) %% %(n_g)s] as c,
                                           (%(gp)s::text[])[1 + (i / 7) %% %(n_g)s] as p) g1
                cross join lateral (select (%(gc)s::text[])[1 + (i / 13) %% %(n_g)s] as c,
                                           (%(gp)s::text[])[1 + (i / 13) %% %(n_g)s] as p) g2
                """,
                {
                    "active": active,
                    "total": total,
                    "ids": ids,
                    "n": len(COLLEGES),
                    "sc": [c for c, _ in SURNAMES],
                    "sp": [p for _, p in SURNAMES],
                    "n_s": len(SURNAMES),
                    "gc": [c for c, _ in GIVEN],
                    "gp": [p for _, p in GIVEN],
                    "n_g": len(GIVEN),
                },
            )
        # the drafting unit's officer is a member of staff too (in 机关第一分工会)
        Person.objects.create(
            staff_no="HR0001",
            name="李娜",
            name_pinyin="lina",
            name_initials="ln",
            gender="F",
            birth_date=datetime.date(1982, 5, 4),
            sub_union_id=ids[HR_COLLEGE * 3],
        )
    with connection.cursor() as cursor:
        cursor.execute("analyze people_person; analyze people_subunion")
    return time.perf_counter() - started


def users():
    from gonghui.accounts.models import RoleAssignment, User
    from gonghui.accounts.roles import Role
    from gonghui.people.models import Person, UniversityUnit

    office, created = User.objects.get_or_create(username="bench-office")
    if created:
        RoleAssignment.objects.create(user=office, role=Role.UNION_OFFICE)
    unit, created = User.objects.get_or_create(
        username="bench-hr", defaults={"person": Person.objects.get(staff_no="HR0001")}
    )
    if created:
        RoleAssignment.objects.create(
            user=unit, role=Role.HANDLING_UNIT_OFFICER, university_unit=UniversityUnit.objects.get(code="HR")
        )
    return office, unit


def build(opinions: int, office, unit) -> dict:
    """The deliberation through the services, its opinions bulk-created, the round closed
    (grouped, timed), the roll-up sent and a third of the groups answered."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from gonghui.congress.models import Congress, CongressSession, CongressTerm
    from gonghui.deliberations.articles import draft_parse, text_paragraphs
    from gonghui.deliberations.choices import AnswerStatus, OpinionChannel, RoundAudience
    from gonghui.deliberations.models import Opinion, OpinionGroup
    from gonghui.deliberations.services import rounds, versions
    from gonghui.people.models import SubUnion, UniversityUnit

    reset(roster=False)
    now = timezone.now()
    congress, _ = Congress.objects.get_or_create(name="示范大学教职工代表大会")
    term, _ = CongressTerm.objects.get_or_create(
        congress=congress, number=7, defaults={"starts_on": datetime.date(2024, 11, 1)}
    )
    session, _ = CongressSession.objects.get_or_create(
        term=term, number=2, defaults={"opens_on": now.date(), "closes_on": now.date()}
    )
    deliberation = versions.deliberation_create(
        actor=office,
        session=session,
        topic="教职工绩效工资改革方案",
        drafting_unit=UniversityUnit.objects.get(code="HR"),
        description="人事处起草，校工会组织各学院征求教职工意见。",
    )
    version = versions.version_create(actor=unit, deliberation=deliberation, draft=draft_parse(text_paragraphs(DRAFT)))
    versions.version_publish(actor=office, version=version)
    opens = now - datetime.timedelta(days=14)
    opinion_round = rounds.round_open(
        actor=office,
        deliberation=deliberation,
        opens_at=opens,
        closes_at=now + datetime.timedelta(hours=1),
        audience=RoundAudience.ALL_STAFF,
        anonymous=True,
    )
    articles = {a.position: a.pk for a in version.articles.all()}

    # the colleges (uneven: a few give many opinions) and up to 200 of each one's active staff
    rng = random.Random(opinions)
    colleges = list(SubUnion.objects.filter(parent__isnull=True).order_by("code").values_list("pk", flat=True))
    staff: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        for college in colleges:
            cursor.execute(
                "select id from people_person where employment_status = 'active' and sub_union_id in "
                "(select id from people_subunion where id = %s or parent_id = %s) order by id limit 200",
                [college, college],
            )
            staff[college] = [pk for (pk,) in cursor.fetchall()]
    college_weights = [1 + (i * 7) % 5 + (6 if i < 5 else 0) for i in range(len(colleges))]
    rows = []
    span = (now - opens).total_seconds() - 3600
    for n, (position, text) in enumerate(opinion_texts(rng, opinions)):
        college = rng.choices(colleges, college_weights)[0]
        roll = rng.random()
        collective = roll < 0.05
        # authors: each college's people, the first ones (delegates, officers) more often
        pool = staff[college]
        author = None if collective else pool[min(len(pool) - 1, int(rng.expovariate(1 / 40)))]
        rows.append(
            Opinion(
                round=opinion_round,
                article_id=articles.get(position),
                author_id=author,
                sub_union_id=college,
                is_delegate=not collective and rng.random() < 0.1,
                text=text,
                channel=OpinionChannel.PAPER if roll < 0.35 else OpinionChannel.ONLINE,
                entered_by=office if roll < 0.35 else None,
                created_at=opens + datetime.timedelta(seconds=span * n / opinions),
            )
        )
    started = time.perf_counter()
    Opinion.objects.bulk_create(rows, batch_size=1000)
    insert_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("analyze deliberations_opinion")

    # the floor of the grouping: the one SELECT reading the rows it groups
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "select o.id, o.text, o.article_id, o.sub_union_id from deliberations_opinion o "
            "left join deliberations_article a on a.id = o.article_id where o.round_id = %s "
            "order by a.position, o.id",
            [opinion_round.pk],
        )
        cursor.fetchall()
    read_floor_s = time.perf_counter() - started

    grouping = {}
    real_group = rounds.opinions_group

    def timed_group(r):
        t = time.perf_counter()
        made = real_group(r)
        grouping["seconds"] = time.perf_counter() - t
        return made

    rounds.opinions_group = timed_group
    try:
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            rounds.round_close(actor=office, opinion_round=opinion_round)
            close_s = time.perf_counter() - started
    finally:
        rounds.opinions_group = real_group
    rounds.rollup_send(actor=office, opinion_round=opinion_round)
    # the drafting unit has answered a third of the groups
    reasons = {
        AnswerStatus.ADOPTED: "",
        AnswerStatus.PARTLY: "已在第二稿中部分吸收。",
        AnswerStatus.NOT_ADOPTED: "按上级规定执行，不作调整。",
    }
    with connection.cursor() as cursor:
        for k, (status, reason) in enumerate(reasons.items()):
            cursor.execute(
                "update deliberations_opiniongroup set status = %s, reason = %s, answered_by_id = %s, "
                "answered_at = now() where round_id = %s and number %% 9 = %s",
                [status, reason, unit.pk, opinion_round.pk, k * 3],
            )
        cursor.execute("analyze deliberations_opinion; analyze deliberations_opiniongroup")
    sizes = sorted(OpinionGroup.objects.filter(round=opinion_round).values_list("size", flat=True), reverse=True)
    return {
        "round": opinion_round,
        "opinions": opinions,
        "insert_s": insert_s,
        "close_s": close_s,
        "close_queries": len(captured),
        "group_s": grouping["seconds"],
        "read_floor_s": read_floor_s,
        "groups": len(sizes),
        "largest_groups": sizes[:5],
        "singletons": sum(1 for s in sizes if s == 1),
    }


# --- the floors -------------------------------------------------------------------------------

# The roll-up page: the page's groups with their article, counts, colleges and opinions (text,
# college, author), the filtered count of groups, and the round's counts (opinions, colleges,
# groups by answer) — one statement. Without LIMIT: the whole roll-up (the .xlsx).
ROLLUP_SQL = """
with chosen as (
    select g.id, g.number, g.summary, g.size, g.colleges, g.status, g.reason, a.label,
           count(*) over () as total
    from deliberations_opiniongroup g
    left join deliberations_article a on a.id = g.article_id
    where g.round_id = %(round)s
      and (%(article)s::bigint is null or g.article_id = %(article)s)
      and (%(status)s = '' or g.status = %(status)s)
    order by g.number
    limit %(limit)s
), counts as (
    select (select count(*) from deliberations_opinion where round_id = %(round)s) as opinions,
           (select count(distinct sub_union_id) from deliberations_opinion where round_id = %(round)s) as colleges,
           (select json_object_agg(status, n) from (
                select status, count(*) as n from deliberations_opiniongroup where round_id = %(round)s group by status
            ) s) as by_status
)
select c.number, c.label, c.summary, c.size, c.colleges, c.status, c.reason, c.total,
       string_agg(distinct s.name, '、') as college_names,
       json_agg(json_build_object('text', o.text, 'college', s.name, 'author', p.name, 'channel', o.channel)
                order by o.id) as opinions,
       min(counts.opinions), min(counts.colleges), min(counts.by_status::text)
from chosen c
join deliberations_opinion o on o.group_id = c.id
join people_subunion s on s.id = o.sub_union_id
left join people_person p on p.id = o.author_id
cross join counts
group by c.id, c.number, c.label, c.summary, c.size, c.colleges, c.status, c.reason, c.total
order by c.number
"""

# The round page: per top-level college, opinions and distinct authors, and the staff asked
# (active people of the college's tree).
COLLEGES_CTE = """
with recursive tree as (
    select id, id as college from people_subunion where parent_id is null and merged_into_id is null
    union all
    select s.id, t.college from people_subunion s join tree t on s.parent_id = t.id
), staff as (
    select t.college, sum(x.n)::bigint as n
    from (select sub_union_id, count(*) as n from people_person where employment_status = 'active'
          group by sub_union_id) x
    join tree t on t.id = x.sub_union_id
    group by t.college
), given as (
    select sub_union_id as college, count(*) as n, count(distinct author_id) as authors
    from deliberations_opinion where round_id = %(round)s group by sub_union_id
), colleges as (
    select c.id, c.name, c.sort_key, coalesce(g.n, 0) as opinions, coalesce(g.authors, 0) as authors,
           coalesce(st.n, 0) as staff
    from people_subunion c
    left join given g on g.college = c.id
    left join staff st on st.college = c.id
    where c.parent_id is null and c.merged_into_id is null and (g.n is not null or st.n is not null)
)
"""
COLLEGES_SQL = COLLEGES_CTE + "select id, name, opinions, authors, staff from colleges order by sort_key, name"

# The report page: the same per college, opinions per article, the college × article matrix
# and the answers by status, as one JSON document.
REPORT_SQL = (
    COLLEGES_CTE
    + """
select json_build_object(
    'by_college', (select json_agg(json_build_object('college', name, 'opinions', opinions, 'authors', authors,
                                                      'staff', staff) order by sort_key, name) from colleges),
    'by_article', (select json_agg(json_build_object('article', coalesce(label, '总体意见'), 'opinions', n)
                                   order by position nulls first)
                   from (select a.label, a.position, count(*) as n from deliberations_opinion o
                         left join deliberations_article a on a.id = o.article_id
                         where o.round_id = %(round)s group by a.label, a.position) x),
    'matrix', (select json_agg(json_build_object('college', s.name, 'article', coalesce(a.label, '总体意见'), 'n', n))
               from (select sub_union_id, article_id, count(*) as n from deliberations_opinion
                     where round_id = %(round)s group by sub_union_id, article_id) m
               join people_subunion s on s.id = m.sub_union_id
               left join deliberations_article a on a.id = m.article_id),
    'answers', (select json_object_agg(status, n) from (select status, count(*) as n
                from deliberations_opiniongroup where round_id = %(round)s group by status) st)
)
"""
)


def floor(sql: str, params: dict, requests: int) -> dict:
    from django.db import connection

    timings = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # warm-up
        rows = cursor.fetchall()
        for _ in range(requests):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            timings.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "rows": len(rows),
        "result": rows,
    }


# --- the requests -------------------------------------------------------------------------------


def measure(client, url: str, params: dict, requests: int, budget_s: float = 60.0) -> dict:
    """`requests` timed requests after one warm-up; fewer (at least 5) when the warm-up says
    they would take longer than `budget_s` in all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    response = client.get(url, params)  # warm-up: templates, plans, connection
    warmup = time.perf_counter() - started
    assert response.status_code == 200, (url, params, response.status_code)
    requests = max(5, min(requests, int(budget_s / max(warmup, 0.001))))
    timings, queries, size = [], set(), 0
    for _ in range(requests):
        connection.queries_log.clear()  # the log keeps 9,000 queries: a count above would be wrong
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, params, response.status_code)
        timings.append(elapsed * 1000)
        queries.add(len(captured))
        size = len(response.content)
    return {
        "requests": requests,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "queries": sorted(queries),
        "kb": round(size / 1024, 1),
    }


def run_size(label: str, opinions: int, roster: str, requests: int) -> dict:
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from gonghui.deliberations.models import Opinion, OpinionGroup
    from gonghui.deliberations.selectors.deliberations import colleges_overview

    settings.ALLOWED_HOSTS = ["testserver"]
    load_s = load_roster(ROSTERS[roster])
    office, unit = users()
    built = build(opinions, office, unit)
    opinion_round = built["round"]
    people = ROSTERS[roster] + ROSTERS[roster] // 9 + 1
    print(
        f"\n== {label}: {opinions:,} opinions, {people:,} people"
        + (f" (roster loaded in {load_s:.1f} s)" if load_s else " (roster kept)")
        + f"; opinions inserted in {built['insert_s'] * 1000:.0f} ms",
        flush=True,
    )
    print(
        f"round_close {built['close_s'] * 1000:.0f} ms ({built['close_queries']} queries), of which opinions_group {built['group_s'] * 1000:.0f} ms "
        f"(floor: reading the rows {built['read_floor_s'] * 1000:.1f} ms): {built['groups']} groups, "
        f"{built['singletons']} of one opinion, largest {built['largest_groups']}",
        flush=True,
    )
    busiest = (
        Opinion.objects.filter(round=opinion_round, article__isnull=False)
        .values("article_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["article_id"]
    )
    rollup = f"/deliberations/rounds/{opinion_round.pk}/rollup/"
    pending = {"article": str(busiest), "status": "pending"}
    base = {"round": opinion_round.pk, "article": None, "status": "", "limit": PAGE}
    floors = {
        "rollup": floor(ROLLUP_SQL, base, requests),
        "rollup_filtered": floor(ROLLUP_SQL, {**base, "article": busiest, "status": "pending"}, requests),
        "rollup_all": floor(ROLLUP_SQL, {**base, "limit": None}, requests),
        "colleges": floor(COLLEGES_SQL, {"round": opinion_round.pk}, requests),
        "report": floor(REPORT_SQL, {"round": opinion_round.pk}, requests),
    }
    # the floors compute what the pages show: the same colleges' figures and first groups
    app = [
        (c.college_id, c.college, c.opinions, c.authors, c.staff)
        for c in colleges_overview(opinion_round=opinion_round)
    ]
    assert sorted(app) == sorted(floors["colleges"]["result"]), "colleges floor differs from colleges_overview"
    first = list(
        OpinionGroup.objects.filter(round=opinion_round).order_by("number").values_list("number", "size")[:PAGE]
    )
    assert first == [(r[0], len(r[9])) for r in floors["rollup"]["result"]], "roll-up floor differs"

    pages = [
        ("roll-up page 1", rollup, {}, "rollup"),
        ("roll-up, busiest article, pending", rollup, pending, "rollup_filtered"),
        ("round page (colleges overview)", f"/deliberations/rounds/{opinion_round.pk}/", {}, "colleges"),
        ("report page", f"/deliberations/{opinion_round.deliberation_id}/report/", {}, "report"),
        ("roll-up .xlsx", rollup, {"format": "xlsx"}, "rollup_all"),
    ]
    results = []
    for who, user in (("office", office), ("unit", unit)):
        client = Client()
        client.force_login(user)
        for name, url, params, floor_key in pages:
            results.append({"page": name, "user": who, **measure(client, url, params, requests), "floor": floor_key})
            print(_row(results[-1], floors), flush=True)
    # the drafting unit again, the round named (not anonymous): what the anonymity check costs
    type(opinion_round).objects.filter(pk=opinion_round.pk).update(anonymous=False)
    client = Client()
    client.force_login(unit)
    for name, url, params, floor_key in (pages[0], pages[4]):
        row = {"page": f"{name} (round named)", "user": "unit", **measure(client, url, params, requests)}
        results.append({**row, "floor": floor_key})
        print(_row(results[-1], floors), flush=True)
    type(opinion_round).objects.filter(pk=opinion_round.pk).update(anonymous=True)

    target = next(r for r in results if r["page"] == "roll-up page 1" and r["user"] == "office")
    return {
        "size": label,
        "opinions": opinions,
        "colleges": len(COLLEGES),
        "people": people,
        "roster_load_s": round(load_s, 1) if load_s else None,
        "round_close_ms": round(built["close_s"] * 1000),
        "round_close_queries": built["close_queries"],
        "opinions_group_ms": round(built["group_s"] * 1000),
        "floor_read_rows_ms": round(built["read_floor_s"] * 1000, 1),
        "groups": built["groups"],
        "singleton_groups": built["singletons"],
        "largest_groups": built["largest_groups"],
        "requests": requests,
        "results": results,
        "floors": {k: {"p50_ms": v["p50_ms"], "p95_ms": v["p95_ms"], "rows": v["rows"]} for k, v in floors.items()},
        "rollup_p95_under_300ms": target["p95_ms"] < 300,
        "load_average": os.getloadavg(),
    }


def _row(r: dict, floors: dict) -> str:
    f = floors[r["floor"]]
    return (
        f"{r['page']:<38} {r['user']:<6} n {r['requests']:>2}  p50 {r['p50_ms']:>7.1f} ms  p95 {r['p95_ms']:>7.1f} ms  "
        f"queries {','.join(map(str, r['queries'])):<9} {r['kb']:>7.1f} KB | floor p50 {f['p50_ms']:>6.1f} ms  "
        f"p95 {f['p95_ms']:>6.1f} ms  ×{r['p50_ms'] / max(f['p50_ms'], 0.01):>6.1f}"
    )


def main():
    args = parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit(
            "DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/gonghui_bench_deliberations"
        )
    if "bench" not in urlparse(url).path:
        sys.exit("the database's name must contain 'bench': this script empties its people and deliberation tables")
    if args.rebuild:
        drop_database()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.exceptions import InconsistentMigrationHistory

    try:
        call_command("migrate", verbosity=0)
    except InconsistentMigrationHistory as error:  # a migration rewritten since the last run
        print(f"{error}: dropping the bench's database and migrating afresh", flush=True)
        connection.close()
        drop_database()
        ensure_database()
        call_command("migrate", verbosity=0)
    sizes = list(SIZES) if args.size == "both" else [args.size]
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "deliberations_rollup.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    for label in sizes:
        result = run_size(label, SIZES[label], args.roster, args.requests)
        report[f"{label}/{args.roster}"] = result
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        print(
            f"roll-up page p95 (office) < 300 ms: {'yes' if result['rollup_p95_under_300ms'] else 'NO'}; "
            f"load average {', '.join(f'{x:.2f}' for x in result['load_average'])}"
        )
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""Roster import benchmark on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gonghui_bench .venv/bin/python bench/roster_import.py
    … bench/roster_import.py --sizes 10000        (one size only)

Generates 10,000- and 100,000-row .xlsx rosters in bench/out/ (realistic Chinese names,
valid synthetic ID numbers, ~20 sub-unions), migrates the database, then measures for each:
parse-only (read + validate + classify against an empty table), a fresh full import, a
re-import where 10% of rows changed, the ratio import/parse, peak memory, and the floor.
In the re-import, about 2% of the rows also change unit (membership transfers) and 0.8%
leave (status change, membership ended): both write workflow events.
"Import" is the confirmed import's whole path: read + validate + classify against the
database + write, in one transaction, commit included.

The floor is the fresh import's own people rows (kept in a temporary table after it) written
again by one `INSERT … SELECT` into the emptied people table, as the fresh import found it,
with the deferred foreign-key checks that the import's commit makes; then rolled back. So it
pays what the import cannot avoid for those rows: the same names (their name grams, written
by the trigger), the same index keys, the same checks. The earlier floor, one
`INSERT … SELECT FROM generate_series` of made-up rows (every name 张伟 and every pinyin
"zhangwei", into a table already holding the re-imported people, rolled back before its
foreign keys were checked), is still measured as `floor_synthetic_s`: over 18 runs it took a
median 0.80 of the same rows' time (5.7 s against 7.4 s at 100,000 rows).

Each measurement starts after a CHECKPOINT (see `checkpoint`), and the parse-only
classification is dropped before the imports, so that the peak memory is the import's.

Writes bench/out/roster_import.json (with the machine's load average, since other work on a
2-core machine skews the figures). The database is emptied of people before each size.
"""

import datetime
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
from benchdb import ensure_database  # noqa: E402  (bench/ is the script's folder)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/gonghui_bench")


ensure_database()
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from gonghui.core.models import AuditEvent  # noqa: E402
from gonghui.people.idnumbers import id_number_compose  # noqa: E402
from gonghui.people.models import EmploymentCategory, Person, SubUnion, Union, UnionMembership  # noqa: E402
from gonghui.people.roster.services import roster_classify, roster_write  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力永春琳斌宇浩凯鹏晨欣怡子涵梓轩雨泽思远嘉一诺博文志明海燕晓东丹婷雪梅国庆小红卫东"
UNITS = [
    "经济学院分工会",
    "法学院分工会",
    "文学院分工会",
    "理学院分工会",
    "工学院分工会",
    "医学院分工会",
    "外国语学院分工会",
    "信息学院分工会",
    "管理学院分工会",
    "艺术学院分工会",
    "马克思主义学院分工会",
    "体育部分工会",
    "图书馆分工会",
    "后勤集团分工会",
    "机关第一分工会",
    "机关第二分工会",
    "附属中学分工会",
    "出版社分工会",
    "研究院分工会",
    "离退休工作处分工会",
]
CATEGORIES = ["事业编制", "合同制", "人事代理", "博士后"]
STATUSES = ["在职"] * 8 + ["离退休", "退休"]
HEADER = [
    "工号",
    "姓名",
    "性别",
    "身份证号",
    "所在单位",
    "人员类别",
    "人员状态",
    "手机号",
    "医疗类别",
    "出生日期",
    "京卡号",
]


def rows(n: int, seed: int = 7, changed_share: float = 0.0):
    rnd = random.Random(seed)
    change = random.Random(seed + 1)
    for i in range(n):
        gender = "男" if rnd.random() < 0.5 else "女"
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rnd.randrange(0, 365 * 50))
        name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))
        number = id_number_compose(
            region="110108", birth_date=born, sequence=i % 997 + 1, gender="M" if gender == "男" else "F"
        )
        # different birth dates keep ID numbers unique; (born, order) collisions are shifted
        row = [
            f"S{i:07d}",
            name,
            gender,
            number,
            rnd.choice(UNITS),
            rnd.choice(CATEGORIES),
            rnd.choice(STATUSES),
            f"13{rnd.randrange(10**9):09d}",
            rnd.choice(["公费医疗", "医保"]),
            born.isoformat(),
            f"JK{i:08d}",
        ]
        if changed_share and change.random() < changed_share:
            row[7] = f"15{change.randrange(10**9):09d}"
            # a fifth of the changed rows move to another unit (a membership transfer), a tenth
            # of the active ones leave (status change and the membership ended)
            if change.random() < 0.2:
                row[4] = UNITS[(UNITS.index(row[4]) + 1) % len(UNITS)]
            if row[6] == "在职" and change.random() < 0.1:
                row[6] = "调离"
        yield row


def write_xlsx(path: Path, n: int, **kwargs):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    seen = set()
    for row in rows(n, **kwargs):
        while row[3] in seen:  # keep synthetic ID numbers unique
            born = datetime.date.fromisoformat(row[9]) + datetime.timedelta(days=1)
            row[9] = born.isoformat()
            row[3] = id_number_compose(
                region="110108",
                birth_date=born,
                sequence=int(row[0][1:]) % 997 + 1,
                gender="M" if row[2] == "男" else "F",
            )
        seen.add(row[3])
        ws.append(row)
    wb.save(path)
    excel_like(path, rows=n + 1, cols=len(HEADER))


def excel_like(path: Path, *, rows: int, cols: int):
    """Rewrite openpyxl's inline strings as a shared-string table and add the <dimension>
    element, as Excel itself saves a workbook (openpyxl always writes inline strings)."""
    import re
    import zipfile

    from openpyxl.utils import get_column_letter

    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    table: dict[str, int] = {}

    def shared(match):
        text = match.group(2)
        index = table.setdefault(text, len(table))
        return f'<c r="{match.group(1)}" t="s"><v>{index}</v></c>'

    sheet = re.sub(r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>(.*?)</t></is></c>', shared, sheet)
    sheet = sheet.replace("<sheetViews>", f'<dimension ref="A1:{get_column_letter(cols)}{rows}"/><sheetViews>', 1)
    strings = "".join(f"<si><t>{text}</t></si>" for text in table)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(table)}" uniqueCount="{len(table)}">{strings}</sst>'
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    if "sharedStrings" not in types:
        types = types.replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    if "sharedStrings" not in rels:
        rels = rels.replace(
            "</Relationships>",
            '<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
    parts["[Content_Types].xml"] = types.encode()
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def setup_org():
    union, _ = Union.objects.get_or_create(name="示范大学工会", defaults={"university": "示范大学"})
    for i, name in enumerate(UNITS):
        SubUnion.objects.get_or_create(
            code=f"B{i:02d}", defaults={"union": union, "name": name, "name_pinyin": f"b{i:02d}"}
        )
    for name in CATEGORIES[:2]:
        EmploymentCategory.objects.get_or_create(name=name)


def reset_people():
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE people_unionmembership, people_child, people_personnamegram, people_person, core_auditevent "
            "RESTART IDENTITY CASCADE"
        )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def checkpoint() -> None:
    """Start the next measurement with the server's write-ahead log checkpointed: a fresh
    import writes about 450 MB of it, so otherwise a checkpoint (requested at about half of
    max_wal_size) falls in whichever measurement comes next, and the figures vary by seconds."""
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def timed(fn):
    checkpoint()
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def import_file(path: Path):
    with open(path, "rb") as stream, transaction.atomic():
        c = roster_classify(stream, ext="xlsx")
        return roster_write(c, actor=None, today=timezone.localdate(), source=path.name)


def parse_only(path: Path):
    with open(path, "rb") as stream:
        return roster_classify(stream, ext="xlsx")


def floor_synthetic(n: int) -> float:
    """The earlier floor: as many made-up person rows by one INSERT … SELECT FROM generate_series
    (then rolled back, before the deferred foreign-key checks)."""
    sub_union_id = SubUnion.objects.order_by("pk").values_list("pk", flat=True).first()
    sql = """
        INSERT INTO people_person (created_at, updated_at, staff_no, name, name_pinyin, name_initials, gender,
            birth_date, id_number_encrypted, id_number_digest, id_number_masked, phone, employment_status,
            status_reason, coverage_type, sub_union_id, jingka_no)
        SELECT now(), now(), 'F' || lpad(g::text, 7, '0'), '张伟', 'zhangwei', 'zw', 'M',
            date '1950-01-01' + (g %% 18000), md5(g::text) || md5((g + 1)::text) || md5((g + 2)::text),
            encode(sha256(g::text::bytea), 'hex'), '110108********' || lpad((g %% 10000)::text, 4, '0'),
            '13800000000', 'active', '', 'insurance', %s, 'JK' || g
        FROM generate_series(1, %s) AS g
    """
    checkpoint()
    with transaction.atomic():
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, [sub_union_id, n])
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds


FLOOR_ROWS = "bench_floor_people"


def floor_keep() -> None:
    """Keep the people rows the fresh import wrote (untimed), for floor_same_rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_ROWS}")
        cursor.execute(f"CREATE TEMPORARY TABLE {FLOOR_ROWS} AS SELECT * FROM people_person")


def floor_same_rows() -> float:
    """The kept rows inserted by one INSERT … SELECT into the emptied people table, deferred
    foreign keys checked; timed from the INSERT to the checks' end, then rolled back."""
    checkpoint()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE people_unionmembership, people_child, people_personnamegram, people_person, "
                "core_auditevent CASCADE"
            )
            start = time.perf_counter()
            cursor.execute(f"INSERT INTO people_person SELECT * FROM {FLOOR_ROWS}")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds


def run_size(n: int) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    fresh = OUT / f"roster_{n}.xlsx"
    changed = OUT / f"roster_{n}_changed.xlsx"
    if not fresh.exists() or not changed.exists():
        import subprocess

        subprocess.run([sys.executable, __file__, "--generate", str(n)], check=True)
    reset_people()
    parse_s, c = timed(lambda: parse_only(fresh))
    assert c.counts["new"] == n, c.counts
    del c  # the bench's, not the import's: it no longer counts in the import's peak memory
    fresh_s, fresh_result = timed(lambda: import_file(fresh))
    floor_keep()
    reimport_s, reimport_result = timed(lambda: import_file(changed))
    floor_s = floor_same_rows()
    synthetic_s = floor_synthetic(n)
    return {
        "rows": n,
        "file_mb": round(fresh.stat().st_size / 1048576, 2),
        "parse_s": round(parse_s, 2),
        "parse_rows_per_s": round(n / parse_s),
        "import_fresh_s": round(fresh_s, 2),
        "import_fresh_rows_per_s": round(n / fresh_s),
        "reimport_10pct_s": round(reimport_s, 2),
        "reimport_rows_per_s": round(n / reimport_s),
        "ratio_import_parse": round(fresh_s / parse_s, 2),
        "floor_sql_s": round(floor_s, 2),
        "floor_rows_per_s": round(n / floor_s),
        "fresh_over_floor": round(fresh_s / floor_s, 2),
        "reimport_over_floor": round(reimport_s / floor_s, 2),
        "floor_synthetic_s": round(synthetic_s, 2),
        "fresh_over_synthetic": round(fresh_s / synthetic_s, 2),
        "reimport_over_synthetic": round(reimport_s / synthetic_s, 2),
        "fresh_result": fresh_result,
        "reimport_result": reimport_result,
        "persons": Person.objects.count(),
        "memberships": UnionMembership.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "peak_rss_mb_so_far": round(peak_mb()),
    }


def main(sizes=(10_000, 100_000)):
    call_command("migrate", verbosity=0)
    setup_org()
    load_before = os.getloadavg()
    results = [run_size(n) for n in sizes]
    report = {
        "database": connection.vendor,
        "server": connection.cursor().connection.info.server_version,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        # other work on the machine slows every figure: the 1-minute load before and after
        "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "results": results,
        "peak_rss_mb": round(peak_mb()),
    }
    (OUT / "roster_import.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    columns = [
        "rows",
        "parse_rows_per_s",
        "import_fresh_rows_per_s",
        "reimport_rows_per_s",
        "ratio_import_parse",
        "floor_rows_per_s",
        "import_fresh_s",
        "reimport_10pct_s",
        "floor_sql_s",
        "fresh_over_floor",
        "reimport_over_floor",
        "floor_synthetic_s",
        "fresh_over_synthetic",
        "peak_rss_mb_so_far",
    ]
    print(" | ".join(columns))
    for r in results:
        print(" | ".join(str(r[k]) for k in columns))
    print(
        f"peak RSS: {report['peak_rss_mb']} MB; load average before/after: "
        f"{report['load_average_before_after']}; JSON: {OUT / 'roster_import.json'}"
    )
    for r in results:
        print(r["rows"], "fresh:", r["fresh_result"], "re-import:", r["reimport_result"])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--generate"]:
        size = int(sys.argv[2])
        OUT.mkdir(parents=True, exist_ok=True)
        write_xlsx(OUT / f"roster_{size}.xlsx", size)
        write_xlsx(OUT / f"roster_{size}_changed.xlsx", size, changed_share=0.10)
    elif sys.argv[1:2] == ["--sizes"]:  # e.g. --sizes 10000 (default: 10,000 and 100,000)
        main(tuple(int(n) for n in sys.argv[2].split(",")))
    else:
        main()

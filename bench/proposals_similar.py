"""Similar-proposal search benchmark on PostgreSQL: 10,000 distinct proposals, short drafts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gonghui_bench_proposals .venv/bin/python bench/proposals_similar.py
    ... bench/proposals_similar.py --size 2000 --duration 10      # a quicker look

Empties the proposals tables of the database DATABASE_URL names (a database of its own) and
loads --size distinct synthetic proposals (default 10,000), composed by a seeded generator from
pools of campus places, facilities, problems, people and measures (no two texts alike, so no
term's weight is inflated by repetition), plus the development set's 183 proposals
(gonghui/proposals/tests/similar_devset.py). Then, side by side:

- build: the index as the task worker builds it (`similar_index_build`), against the floor of
  reading the same texts with one SELECT; its size in bytes;
- load: a web worker reading the newest build once (`similar_index_current`), and what that
  adds to the process's memory;
- query: `proposals_similar` on the warm index for the 191 short drafts (one line, 12–30
  characters), p50/p95, against the floor of one SQL statement (ILIKE on two characters);
- quality at this size: the dev set's figures (the match in the top 5, first, shown; wrong
  proposals shown per draft, precision) among all the others;
- under load: gunicorn with production settings (bench/load.py's), GET /api/proposals/similar/
  with an API token at --connections concurrent requests (default 20) for --duration seconds,
  cycling through the drafts (wrk): p50/p95/p99/max and errors, beside the floor: the same
  request with an empty text, which answers before the index; during a second run a proposal
  is submitted and the index rebuilt as the task worker would, and every worker then reads the
  new build: the run's slowest request is what a delegate waited at worst after a submission;
  each gunicorn worker's memory before and after it has read the index.
Prints a table and writes bench/out/proposals_similar.json.
"""

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from benchdb import ensure_database  # noqa: E402  (bench/ is the script's folder)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

PLACES = (
    "东区 西区 南区 北区 主楼 第一教学楼 第二教学楼 第三教学楼 实验楼 图书馆 体育馆 游泳馆 学生活动中心 行政楼 "
    "科研楼 信息中心 校医院 家属区 青年教师公寓 研究生公寓 东门 西门 北门 南门 附属小学 附属幼儿园 会议中心 "
    "校史馆 艺术楼 工程训练中心 分析测试中心 网球场 田径场 篮球场 地下车库 教工之家 老干部活动中心 档案馆 "
    "出版社 继续教育学院 国际交流中心 专家公寓 招待所 锅炉房 配电室 苗圃 后山 湖边 操场看台 校车站"
).split()
FACILITIES = (
    "照明设施 无障碍通道 自行车棚 饮水设备 无线网络 多媒体设备 会议室预约系统 快递收发点 垃圾分类设施 绿化带 "
    "电梯 卫生间 空调 暖气 门禁系统 监控设备 消防通道 防滑地面 休息座椅 储物柜 母婴室 打印复印点 自助借还机 "
    "报告厅音响 实验通风橱 危化品库房 洗手池 雨棚 路灯 减速带 指示标识 公告栏 充电插座 智能水表 窗帘 黑板 "
    "讲台 投影仪 话筒 网络接口 校园卡终端 体检预约 健身器材 乒乓球台 羽毛球场灯光 更衣室 淋浴设施 排水管道"
).split()
PROBLEMS = (
    "年久失修 经常损坏 数量不足 分布不合理 维修不及时 使用不方便 存在安全隐患 管理混乱 长期闲置 噪音较大 "
    "夜间无人值守 收费标准不明确 预约流程繁琐 开放时间过短 标识不清楚 设备老化 卫生状况较差 排队时间较长 "
    "信号不稳定 容量不够 布局不便 缺少维护记录 报修渠道不畅 说明不完整"
).split()
PEOPLE = (
    "一线教师 青年教师 退休教职工 行政人员 实验技术人员 后勤职工 博士后 外籍教师 辅导员 图书馆员 科研助理 "
    "残疾教职工 孕期女教职工 附属学校教师 合同制职工 新入职教师 班主任 研究生导师"
).split()
EFFECTS = (
    "工作受到影响 意见较大 多次反映未果 只能绕行 存在摔倒风险 需要排队等候 影响教学秩序 影响实验进度 "
    "影响身体健康 增加了通勤时间 影响正常休息 难以及时处理 增加了额外开支 影响工作效率 感到不便"
).split()
UNITS = (
    "后勤处 资产处 保卫处 信息中心 教务处 人事处 财务处 图书馆 基建处 校医院 工会 研究生院 科研处 "
    "国际处 体育部 离退休处 学生处 实验室处 采购中心 校办"
).split()
MEASURES = (
    "统一排查并制定整改计划 增设相应设施 安排专人定期维护 公开报修电话和处理时限 延长开放时间 简化办理流程 "
    "设置醒目标识 引入第三方专业维护 纳入年度预算 开展满意度调查 建立台账定期检查 增加巡查频次 听取使用者意见 "
    "分批次更新设备 优化布局 完善管理制度 定期公示处理结果 配备应急设备 与相关学院共同管理 制定使用规范"
).split()
KINDS = ["建议", "提案", "意见"]


def synthetic_proposals(size: int, seed: int = 19) -> list[tuple[str, str, str]]:
    """`size` distinct (title, grounds, suggestions), as a delegate might write them."""
    rng = random.Random(seed)
    seen: set[str] = set()
    texts = []
    while len(texts) < size:
        place, facility, problem = rng.choice(PLACES), rng.choice(FACILITIES), rng.choice(PROBLEMS)
        title = f"关于{rng.choice(MEASURES)[:4]}{place}{facility}的{rng.choice(KINDS)}"
        grounds = (
            f"{place}的{facility}{problem}，{rng.choice(PEOPLE)}{rng.choice(EFFECTS)}。"
            f"据不完全统计，每天约有{rng.randint(20, 900)}人次使用，已有{rng.randint(2, 15)}年未进行系统改造，"
            f"{rng.choice(PEOPLE)}也反映{rng.choice(FACILITIES)}{rng.choice(PROBLEMS)}。"
        )
        suggestions = (
            f"建议{rng.choice(UNITS)}{rng.choice(MEASURES)}，{rng.choice(MEASURES)}；"
            f"由{rng.choice(UNITS)}牵头，在{rng.randint(1, 12)}个月内完成。"
        )
        key = title + grounds + suggestions
        if key not in seen:
            seen.add(key)
            texts.append((title, grounds, suggestions))
    return texts


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def load_world(size: int):
    """Empty the proposals tables and load `size` synthetic proposals and the dev set's, all
    submitted, in one session. Returns (session, {dev-set key: pk})."""
    from django.db import connection
    from django.utils import timezone

    from gonghui.congress.models import Congress, CongressSession, CongressTerm
    from gonghui.proposals.models import Proposal
    from gonghui.proposals.tests.similar_devset import PROPOSALS

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE proposals_proposal, proposals_similarindexbuild, congress_congresssession, "
            "congress_congressterm, congress_congress RESTART IDENTITY CASCADE"
        )
    today = timezone.localdate()
    congress = Congress.objects.create(name="基准教代会")
    term = CongressTerm.objects.create(congress=congress, number=1, starts_on=today)
    session = CongressSession.objects.create(term=term, number=1, opens_on=today, closes_on=today)
    rows = [
        Proposal(session=session, status="submitted", title=t, grounds=g, suggestions=s)
        for t, g, s in synthetic_proposals(size)
    ]
    Proposal.objects.bulk_create(rows, batch_size=2000)
    keys = {}
    for key, title, grounds, suggestions in PROPOSALS:
        keys[key] = Proposal.objects.create(
            session=session, status="submitted", title=title, grounds=grounds, suggestions=suggestions
        ).pk
    return session, keys


def quality(session, keys: dict) -> dict:
    from gonghui.proposals.selectors.proposals import proposals_similar
    from gonghui.proposals.tests.similar_devset import DRAFTS

    found = first = hits = wrong = shown_total = 0
    for text, key in DRAFTS:
        top = [p.pk for p, _s in proposals_similar(text=text, session=session, k=5, min_score=0.0)]
        shown = [p.pk for p, _s in proposals_similar(text=text, session=session, k=5)]
        found += keys[key] in top
        first += bool(top) and top[0] == keys[key]
        hits += keys[key] in shown
        wrong += sum(1 for pk in shown if pk != keys[key])
        shown_total += len(shown)
    n = len(DRAFTS)
    return {
        "drafts": n,
        "found_at_5": round(found / n, 3),
        "first": round(first / n, 3),
        "shown": round(hits / n, 3),
        "wrong_per_draft": round(wrong / n, 3),
        "precision": round(hits / shown_total, 3) if shown_total else None,
    }


LUA = """
local paths = {PATHS}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("P50_MS %.2f\\nP95_MS %.2f\\nP99_MS %.2f\\nMAX_MS %.2f\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def under_load(session, connections: int, duration: int) -> dict:
    """The API under gunicorn (production settings) at `connections` concurrent requests."""
    import re

    from load import PROXY_HEADERS, VAR, keys, production_env, start_gunicorn, statuses, stop_gunicorn

    from gonghui.proposals.models import Proposal
    from gonghui.proposals.services.similar_index import similar_index_build
    from gonghui.proposals.tests.similar_devset import DRAFTS

    secrets_, _new = keys()
    port = 8791
    env = production_env(secrets_, port)
    # no recycling of workers during the runs: each worker's memory is followed from start to end
    env["GUNICORN_MAX_REQUESTS"] = "0"
    VAR.mkdir(parents=True, exist_ok=True)
    code = (
        "import django; django.setup()\n"
        "from gonghui.accounts.models import User\n"
        "from gonghui.accounts.tokens import api_token_issue\n"
        "user, _ = User.objects.get_or_create(username='bench-similar')\n"
        "print(api_token_issue(user=user, name='bench')[0])\n"
    )
    token = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    base = f"http://127.0.0.1:{port}"
    headers = {**PROXY_HEADERS, "Authorization": f"Token {token}"}
    paths = ["/api/proposals/similar/?" + urlencode({"text": text, "session": session.pk}) for text, _key in DRAFTS]
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(LUA.replace("{PATHS}", "{" + ", ".join(json.dumps(p) for p in paths) + "}"))

    floor_script = Path(tempfile.mkstemp(suffix=".lua")[1])
    empty = "/api/proposals/similar/?" + urlencode({"text": "", "session": session.pk})
    floor_script.write_text(LUA.replace("{PATHS}", "{" + json.dumps(empty) + "}"))

    def run_wrk(seconds: int, lua: Path = script) -> dict:
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(lua)]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        out = subprocess.run([*command, base], check=True, capture_output=True, text=True).stdout
        socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        figures = {
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "socket_errors": sum(int(n) for n in socket.groups()) if socket else 0,
        }
        for name in ("P50_MS", "P95_MS", "P99_MS", "MAX_MS"):
            found = re.search(rf"{name} ([\d.]+)", out)
            if found is None:
                raise SystemExit(f"wrk printed no {name}:\n{out}")
            figures[name.lower()] = float(found.group(1))
        return figures

    process = start_gunicorn(env, base)
    try:

        def workers_now() -> list[int]:
            listed = subprocess.run(["ps", "--ppid", str(process.pid), "-o", "pid="], capture_output=True, text=True)
            return [int(pid) for pid in listed.stdout.split()]

        workers = workers_now()
        # The floor: the same request with an empty text, which answers before the index (the
        # token, the session, the view and the JSON: what any API call costs here). It also
        # has every worker import the app before its memory is read.
        floor = run_wrk(duration, floor_script)
        workers = workers_now()
        before = {pid: rss_mb(pid) for pid in workers}
        baseline = statistics.mean(before.values())
        run_wrk(5)  # warm-up: each worker reads the index once
        after = {pid: rss_mb(pid) for pid in workers_now()}
        log = VAR / "access.log"
        start = log.stat().st_size if log.exists() else 0
        steady = run_wrk(duration)
        codes, start = statuses(log, start)
        steady["non_2xx"] = sum(n for code, n in codes.items() if not code.startswith("2"))

        # a submission during the run: the task worker's build here, every web worker then
        # reads the new build on its next request
        def submit_and_build():
            time.sleep(min(5, duration / 3))
            Proposal.objects.create(
                session=session,
                status="submitted",
                title="关于在东区增设教职工自行车棚的建议",
                grounds="东区没有自行车棚，雨天车辆淋湿。",
                suggestions="建议后勤处在东区增设自行车棚。",
            )
            began = time.perf_counter()
            similar_index_build()
            builder["build_s"] = time.perf_counter() - began
            builder["built_at"] = time.perf_counter()

        builder: dict = {}
        thread = threading.Thread(target=submit_and_build)
        thread.start()
        during = run_wrk(duration)
        thread.join()
        codes, start = statuses(log, start)
        during["non_2xx"] = sum(n for code, n in codes.items() if not code.startswith("2"))
        during["rebuild_in_worker_s"] = round(builder.get("build_s", 0.0), 2)
        # each worker read the new build during the run: its memory now
        # (gunicorn replaces a worker after max_requests: a new one has read only the new build)
        final = {pid: rss_mb(pid) for pid in workers_now()}
    finally:
        stop_gunicorn(process)
        script.unlink(missing_ok=True)
        floor_script.unlink(missing_ok=True)
    return {
        "connections": connections,
        "workers": len(workers),
        "floor_empty_text": floor,
        "steady": steady,
        "during_a_submission": during,
        "worker_rss_mb_before_index": round(statistics.mean(before.values()), 1),
        "worker_rss_mb_after_index": round(statistics.mean(after.values()), 1),
        "worker_rss_mb_after_new_build": round(statistics.mean(final.values()), 1),
        "worker_rss_mb_added_max": round(max(rss - before.get(pid, baseline) for pid, rss in final.items()), 1),
        "worker_rss_mb": {
            str(pid): [round(before.get(pid, 0), 1), round(after.get(pid, 0), 1), round(rss, 1)]
            for pid, rss in final.items()
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="synthetic proposals (default 10000)")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--duration", type=int, default=20, help="seconds of each loaded run (default 20)")
    parser.add_argument("--no-server", action="store_true", help="skip the gunicorn runs")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database of its own")
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gonghui.proposals.selectors.proposals import proposals_similar, similar_index_current, similar_index_forget
    from gonghui.proposals.services.similar_index import similar_index_build
    from gonghui.proposals.tests.similar_devset import DRAFTS

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    session, keys = load_world(args.size)
    load_s = time.perf_counter() - started

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT id, session_id, title, grounds, suggestions FROM proposals_proposal")
        total = len(cur.fetchall())
    read_floor_s = time.perf_counter() - started
    started = time.perf_counter()
    build = similar_index_build(force=True)
    build_s = time.perf_counter() - started

    gc.collect()
    similar_index_forget()
    rss_before = rss_mb()
    started = time.perf_counter()
    index = similar_index_current()
    worker_load_s = time.perf_counter() - started
    gc.collect()
    rss_after = rss_mb()

    texts = [text for text, _key in DRAFTS]
    for text in texts[:20]:  # warm
        proposals_similar(text=text, session=session)
    latencies = []
    for text in texts * 2:
        began = time.perf_counter()
        proposals_similar(text=text, session=session)
        latencies.append(time.perf_counter() - began)
    floor = []
    with connection.cursor() as cur:
        for text in texts * 2:
            keyword = text[:2]
            began = time.perf_counter()
            cur.execute(
                "SELECT id, title FROM proposals_proposal WHERE session_id = %s AND "
                "(title ILIKE %s OR grounds ILIKE %s) LIMIT 5",
                [session.pk, f"%{keyword}%", f"%{keyword}%"],
            )
            cur.fetchall()
            floor.append(time.perf_counter() - began)

    result = {
        "proposals": total,
        "load_s": round(load_s, 1),
        "build_in_task_worker_s": round(build_s, 2),
        "floor_read_texts_ms": ms(read_floor_s),
        "build_bytes": len(build.data),
        "index_arrays_mb": round(index.nbytes() / 2**20, 1),
        "worker_load_ms": ms(worker_load_s),
        "worker_rss_added_mb": round(rss_after - rss_before, 1),
        "query_p50_ms": ms(statistics.median(latencies)),
        "query_p95_ms": ms(p95(latencies)),
        "floor_sql_ilike_p50_ms": ms(statistics.median(floor)),
        "floor_sql_ilike_p95_ms": ms(p95(floor)),
        "quality": quality(session, keys),
    }
    if not args.no_server:
        result["under_load"] = under_load(session, args.connections, args.duration)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "proposals_similar.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

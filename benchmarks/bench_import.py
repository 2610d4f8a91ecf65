"""Import speed and memory: a generated 12345-style CSV export (about 150 characters of text a row)
imported by the CLI in a child process (its own peak RSS, from wait4), against a bare
``pandas.read_csv`` of the same file in this process. Target: 1,000,000 rows in <= 90 s with peak
RSS <= 2 GB.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
HEADERS = ["工单编号", "受理时间", "诉求类型", "所属区县", "被投诉人", "诉求内容", "办结时间", "来电号码"]
_COUNTIES = ["清城", "清新区", "英德市", "连州", "佛冈县", "阳山", "连南", "连山县"]
_KINDS = ["投诉", "投诉类", "咨询", "举报", "建议", "求助"]
_PHRASES = [
    "本人在超市购买的牛奶已经过期",
    "商家拒绝退款并态度恶劣",
    "培训机构收费后跑路无法联系",
    "物业公司乱收停车费",
    "网购的衣服严重掉色要求退货",
    "快递包裹丢件无人处理",
    "装修公司拖延工期还要增项费用",
    "手机套餐被擅自变更扣话费",
    "健身房突然关门会员卡无法使用",
    "餐厅收取包间费和开瓶费",
    "旅行社强制购物导游态度差",
    "4S店维修保养乱收费",
    "药店销售过期药品",
    "美容院推销护肤疗程诱导消费",
    "燃气公司上门检查收费不合理",
    "电动车电池续航严重不足",
    "直播间购买的商品与宣传不符",
    "驾校收费后迟迟不安排练车",
    "请相关部门尽快调查处理",
    "希望依法维护消费者合法权益",
]


def generate(path: Path, rows: int, seed: int = 1) -> None:
    """Write a GB18030-free UTF-8 CSV with ``rows`` rows; text ~150 characters from a phrase pool."""
    rng = np.random.default_rng(seed)
    pool = [
        "，".join(rng.choice(_PHRASES, size=8)) + ("，联系电话13812345678" if i % 10 == 0 else "") for i in range(4000)
    ]
    base = np.datetime64("2021-01-01T00:00:00")
    offsets = rng.integers(0, 4 * 365 * 86400, size=rows)
    received = (base + offsets.astype("timedelta64[s]")).astype(str)
    closed = (base + (offsets + rng.integers(3600, 30 * 86400, size=rows)).astype("timedelta64[s]")).astype(str)
    picks = rng.integers(0, len(pool), size=rows)
    counties = rng.integers(0, len(_COUNTIES), size=rows)
    kinds = rng.integers(0, len(_KINDS), size=rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for i in range(rows):
            writer.writerow(
                [
                    f"GD{2021000000 + i}",
                    received[i].replace("T", " "),
                    _KINDS[kinds[i]],
                    _COUNTIES[counties[i]],
                    f"清远某某商贸有限公司{i % 5000}",
                    pool[picks[i]],
                    closed[i].replace("T", " "),
                    f"139{i % 100000000:08d}",
                ]
            )


def run(quick: bool = False) -> dict:
    rows = 100_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        csv_path = Path(tmp) / "export_12345.csv"
        db_path = Path(tmp) / "bench.duckdb"
        generate(csv_path, rows)
        size_mb = csv_path.stat().st_size / 1e6

        t0 = time.perf_counter()
        frame = pd.read_csv(csv_path, dtype=str)
        pandas_s = time.perf_counter() - t0
        assert len(frame) == rows
        del frame

        t0 = time.perf_counter()
        out_path = Path(tmp) / "stdout.txt"
        with out_path.open("w") as out, (Path(tmp) / "stderr.txt").open("w") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "analytics", "import", str(csv_path), "--db", str(db_path), "--source", "12345"],
                cwd=ROOT,
                stdout=out,
                stderr=err,
            )
            # wait4 gives this child's own peak RSS (ru_maxrss, KiB on Linux).
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        import_s = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"import failed: {(Path(tmp) / 'stderr.txt').read_text().strip()}")
        peak_mb = usage.ru_maxrss / 1024
        stdout = out_path.read_text().strip()
    return {
        "rows": rows,
        "file_mb": round(size_mb, 1),
        "import_s": round(import_s, 2),
        # CPU seconds the import used (all threads): what the wall time would be near on an idle
        # core, and a number that other jobs on the machine do not inflate.
        "import_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "rows_per_s": round(rows / import_s),
        "pandas_read_csv_s": round(pandas_s, 2),
        "ratio_vs_pandas_read_csv": round(import_s / pandas_s, 2),
        "peak_rss_mb": round(peak_mb),
        "target": "1,000,000 rows <= 90 s, peak RSS <= 2048 MB",
        "meets_target": (import_s <= 90 and peak_mb <= 2048) if rows == 1_000_000 else None,
        "summary": stdout.splitlines()[-1] if stdout else "",
        # Other work on the machine slows both sides; the ratio is the steadier number.
        "load_avg_1m_at_end": round(os.getloadavg()[0], 1),
    }


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))

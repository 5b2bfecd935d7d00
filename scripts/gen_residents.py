#!/usr/bin/env python3
"""Writes N synthetic residents as JSON Lines for `yilian import`, with valid GB 11643 id
numbers (MOD 11-2 check character), all living in 天河区 (440106), plus the area file they
need. Deterministic (seeded), stdlib only.

usage: scripts/gen_residents.py N OUTDIR
       yilian import --db DB OUTDIR/areas.jsonl && yilian import --db DB OUTDIR/residents.jsonl
"""
import datetime
import json
import os
import random
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
AREAS = [
    {"code": "440000", "name": "广东省"},
    {"code": "440100", "name": "广州市"},
    {"code": "440106", "name": "天河区"},
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
STORED_TAGS = ["hypertension", "diabetes", "disabled", "low_income"]


def check_char(first17):
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "areas.jsonl"), "w", encoding="utf-8") as f:
        for a in AREAS:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    rng = random.Random(11643)
    first = datetime.date(1930, 1, 1)
    ndays = (datetime.date(2025, 12, 31) - first).days + 1
    # (day, seq) pairs are unique as long as n <= ndays * 1000; days cycle so the id
    # numbers do not arrive sorted (as in a real extract).
    if n > ndays * 1000:
        sys.exit("at most %d residents" % (ndays * 1000))
    with open(os.path.join(out, "residents.jsonl"), "w", encoding="utf-8") as f:
        for i in range(n):
            day = (i * 7919) % ndays
            seq = i // ndays
            birth = first + datetime.timedelta(days=day)
            first17 = "440106%s%03d" % (birth.strftime("%Y%m%d"), seq)
            female = seq % 2 == 0
            row = {
                "id_number": first17 + check_char(first17),
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                "home_area_code": "440106",
            }
            if i % 3 == 0:
                row["sex"] = "female" if female else "male"
                row["birth_date"] = birth.isoformat()
            if i % 2 == 0:
                row["phone"] = "13%09d" % rng.randrange(10 ** 9)
            if i % 5 == 0:
                row["insurance"] = "employee"
            tags = [t for t in STORED_TAGS if rng.random() < 0.08]
            if female and 1990 <= birth.year <= 2004 and rng.random() < 0.05:
                tags.append("pregnant")
            if tags:
                row["tags"] = tags
            f.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()

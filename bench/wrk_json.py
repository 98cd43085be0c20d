#!/usr/bin/env python3
"""Turns wrk --latency output into one JSON line: QPS, latency percentiles, errors."""
import json
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
concurrency = int(sys.argv[2])
label = sys.argv[3] if len(sys.argv) > 3 else "million"


def ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


out = {"step": "http", "index": label, "concurrency": concurrency}
for pct in ("50", "75", "90", "99"):
    m = re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M)
    if m:
        out[f"p{pct}_ms"] = ms(m.group(1))
m = re.search(r"Requests/sec:\s+([\d.]+)", text)
out["qps"] = float(m.group(1)) if m else 0.0
m = re.search(r"(\d+) requests in", text)
out["requests"] = int(m.group(1)) if m else 0
m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
out["non_2xx"] = int(m.group(1)) if m else 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
out["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
print(json.dumps(out))

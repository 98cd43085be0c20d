#!/usr/bin/env python3
"""Summarises target/bench/results.jsonl as Markdown tables with ratios and the targets."""
import json
import sys

# Peers may log to stdout (pyserini's JVM does): only the JSON lines are results.
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.lstrip().startswith("{")]
def first(step):
    return next((r for r in rows if r.get("step") == step), None)
def all_of(step):
    return [r for r in rows if r.get("step") == step]

targets = []
def target(name, ok, detail):
    targets.append((name, "met" if ok else "MISSED", detail))

machine = first("machine") or {}
print(f"Run {machine.get('date', '?')} on {machine.get('cores', '?')} cores (load average at start {machine.get('load', '?')}).\n")

floor = first("floor")
index = first("index")
if floor:
    print("### Segmentation floor and indexing (68,221 news articles)\n")
    print("| what | MB of text | seconds | MB/s | docs/s | ratio to floor |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| floor: jieba search mode, HMM off, {floor['threads']} threads | {floor['mb']:.1f} | {floor['jieba_seconds']:.1f} | {floor['jieba_mb_per_s']:.2f} | | 1.00 |")
    print(f"| analysis alone (normalize + jieba + tokens) | {floor['mb']:.1f} | {floor['analysis_seconds']:.1f} | {floor['analysis_mb_per_s']:.2f} | | {floor['analysis_mb_per_s']/floor['jieba_mb_per_s']:.2f} |")
    if index:
        ratio = index["mb_per_s"] / floor["jieba_mb_per_s"]
        print(f"| **jindu index** (read, tag, analyze, index, commit, merge) | {index['mb']:.1f} | {index['seconds']:.1f} | {index['mb_per_s']:.2f} | {index['docs_per_s']:.0f} | {ratio:.2f} |")
        target("indexing ≥ 70 % of the floor", ratio >= 0.7, f"{ratio:.2f}")
    print()
if index:
    print(f"jindu index: peak memory {index['peak_rss_mb']:.0f} MB, index size {index['index_mb']:.0f} MB ({index['index_mb']/index['mb']:.2f} × the text).\n")

peer_index = all_of("peer_index")
if peer_index and index:
    print("### Peers on the same articles (one indexing thread each, as ../shared/peers runs them)\n")
    print("| engine | seg | seconds | MB/s | index MB | jindu MB/s ÷ peer MB/s |")
    print("|---|---|---:|---:|---:|---:|")
    best = max(peer_index, key=lambda r: r.get("mb_per_s", 0))
    for r in peer_index:
        print(f"| {r['engine']} | {r.get('seg', '')} | {r['seconds']:.1f} | {r['mb_per_s']:.2f} | {r['index_bytes']/1e6:.0f} | {index['mb_per_s']/r['mb_per_s']:.1f} |")
    target("indexing ≥ 5 × the fastest peer", index["mb_per_s"] >= 5 * best["mb_per_s"], f"{index['mb_per_s']/best['mb_per_s']:.1f} × {best['engine']}")
    print()

s68 = first("search68k")
peer_search = all_of("peer_search")
if s68 or peer_search:
    print("### Queries on the 68k articles, in process, one thread (1-3 words, top 10)\n")
    print("| engine | mode | p50 ms | p99 ms | QPS |")
    print("|---|---|---:|---:|---:|")
    if s68:
        for l in s68["latency"]:
            print(f"| jindu | {l['mode']} | {l['p50_ms']:.2f} | {l['p99_ms']:.2f} | {l['qps']:.0f} |")
    for r in peer_search:
        print(f"| {r['engine']} | or | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['qps']:.0f} |")
    print()

search = first("search")
if search:
    docs = search["documents"]
    print(f"### Queries on {docs:,} documents, in process, one thread\n")
    print("| mode | p50 ms | p95 ms | p99 ms | mean ms | QPS | mean hits |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for l in search["latency"]:
        print(f"| {l['mode']} | {l['p50_ms']:.2f} | {l['p95_ms']:.2f} | {l['p99_ms']:.2f} | {l['mean_ms']:.2f} | {l['qps']:.0f} | {l['mean_total']:.0f} |")
    plain = next(l for l in search["latency"] if l["mode"] == "plain")
    facets = next(l for l in search["latency"] if l["mode"] == "facets")
    target("plain p50 ≤ 2 ms", plain["p50_ms"] <= 2, f"{plain['p50_ms']:.2f} ms")
    target("plain p99 ≤ 10 ms", plain["p99_ms"] <= 10, f"{plain['p99_ms']:.2f} ms")
    target("facets p50 ≤ 8 ms", facets["p50_ms"] <= 8, f"{facets['p50_ms']:.2f} ms")
    target("facets p99 ≤ 40 ms", facets["p99_ms"] <= 40, f"{facets['p99_ms']:.2f} ms")
    print(f"\nIndex opened in {search['open_seconds']:.2f} s; the benchmark process's RssAnon {search['rss_anon_mb']:.0f} MB.\n")
    im = first("index_million")
    if im:
        print(f"Indexing {im['documents']:,} documents: {im['seconds']:.0f} s, {im['mb_per_s']:.2f} MB/s, peak memory {im['peak_rss_mb']:.0f} MB, index {im['index_mb']/1e3:.1f} GB.\n")

http = all_of("http")
if http:
    print("### HTTP, loopback, wrk (GET /api/search with every facet count)\n")
    print("| index | concurrency | QPS | p50 ms | p90 ms | p99 ms | non-2xx | socket errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in http:
        print(f"| {r.get('index', 'million')} | {r['concurrency']} | {r['qps']:.0f} | {r.get('p50_ms', 0):.2f} | {r.get('p90_ms', 0):.2f} | {r.get('p99_ms', 0):.2f} | {r['non_2xx']} | {r['socket_errors']} |")
    c16 = next((r for r in http if r["concurrency"] == 16 and r.get("index", "million") == "million"), None)
    news16 = next((r for r in http if r["concurrency"] == 16 and r.get("index") == "news68k"), None)
    if c16:
        target("HTTP c16 p99 ≤ 50 ms (1 M docs)", c16.get("p99_ms", 1e9) <= 50, f"{c16.get('p99_ms', 0):.1f} ms")
    if peer_search:
        best = max(peer_search, key=lambda r: r["qps"])
        for name, r in (("1 M docs", c16), ("68k docs", news16)):
            if r:
                target(f"HTTP c16 QPS ≥ 2 × fastest peer's in-process QPS on 68k ({name} served)", r["qps"] >= 2 * best["qps"], f"{r['qps']:.0f} QPS = {r['qps']/best['qps']:.2f} × {best['engine']}")
    mem = all_of("serve_memory")
    if mem:
        peak = max(m["rss_anon_mb"] for m in mem)
        target("serve RssAnon ≤ 1 GB", peak <= 1000, f"{peak:.0f} MB")
    ready = next((r for r in all_of("ready") if r.get("index", "million") == "million"), None)
    if ready:
        target("ready ≤ 1 s with an existing index", ready["seconds"] <= 1.0, f"{ready['seconds']:.2f} s")
    print()

if targets:
    print("### Targets\n")
    print("| target | result | measured |")
    print("|---|---|---|")
    for name, result, detail in targets:
        print(f"| {name} | {result} | {detail} |")

#!/usr/bin/env python3
"""Search a running jindu server and print the hits as JSON lines (Python standard library only).

    python3 examples/search.py --url http://127.0.0.1:7730 湄公河 --country 缅甸 --year-from 2010

Each hit is printed as one JSON object per line; a summary (total, facet counts of the first
facet asked for) goes to stderr. Exit code 0 with hits, 1 with none, 2 on errors.
"""
import argparse
import json
import signal
import sys
import urllib.error
import urllib.parse
import urllib.request


def search(base_url, query, countries, coop_types, doc_types, year_from, year_to, limit):
    params = [("q", query), ("limit", str(limit))]
    params += [("country", c) for c in countries]
    params += [("coop_type", t) for t in coop_types]
    params += [("doc_type", d) for d in doc_types]
    if year_from is not None:
        params.append(("year_from", str(year_from)))
    if year_to is not None:
        params.append(("year_to", str(year_to)))
    url = base_url.rstrip("/") + "/api/search?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("query", nargs="?", default="")
    parser.add_argument("--url", default="http://127.0.0.1:7730")
    parser.add_argument("--country", action="append", default=[])
    parser.add_argument("--coop-type", action="append", default=[])
    parser.add_argument("--doc-type", action="append", default=[])
    parser.add_argument("--year-from", type=int)
    parser.add_argument("--year-to", type=int)
    parser.add_argument("--limit", type=int, default=10)
    args = parser.parse_args()
    try:
        result = search(args.url, args.query, args.country, args.coop_type, args.doc_type,
                        args.year_from, args.year_to, args.limit)
    except urllib.error.HTTPError as error:
        body = json.loads(error.read().decode("utf-8") or "{}")
        print(f"error {error.code}: {body.get('code')}: {body.get('message')}", file=sys.stderr)
        return 2
    except (urllib.error.URLError, OSError) as error:
        print(f"error: cannot reach {args.url}: {error}", file=sys.stderr)
        return 2
    for hit in result["hits"]:
        print(json.dumps({
            "id": hit["id"],
            "title": hit["title"],
            "year": hit["year"],
            "countries": hit["countries"],
            "coop_types": hit["coop_types"],
            "snippet": hit["snippet_text"],
        }, ensure_ascii=False))
    countries = ", ".join(f"{v['value']} {v['count']}" for v in result["facets"]["country"][:5])
    print(f"total {result['total']} in {result['took_ms']} ms; countries: {countries}", file=sys.stderr)
    return 0 if result["hits"] else 1


if __name__ == "__main__":
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into `head`
    sys.exit(main())

#!/usr/bin/python3
"""Runs every query of every panel of Grafana dashboards against a real Prometheus; a panel without data fails.

  dashboard_check.py --prometheus http://127.0.0.1:9090 [--rate-interval 1m] [--instance-regex '.+']
                     [--job-regex '.+'] [--targets 5] [--wait 30] [--results FILE] Dashboards/*.json

Every panel target, every label_values() template variable and every Prometheus annotation query is run.
Grafana variables are replaced before a query is sent: $__rate_interval / $__interval / $__range by
--rate-interval, $instance and $job (any form: $instance, ${instance}, ${instance:regex}) by --instance-regex
and --job-regex. A variable it does not know fails the query. A query passes when Prometheus answers `success`
with at least one series (or scalar) and at least one finite value; queries are retried for --wait seconds so
that rates have their two samples. --targets N first waits until N scrape targets are up.
Template variables defined with label_values(metric, label) are checked by querying `metric`.
With --require-nonzero a query must also show a value other than 0 (after traffic), except those matching
--allow-zero. --allow-empty REGEX lets the queries whose place (e.g. a panel title) matches it return nothing
(a lossy-links table on a network without loss). --results FILE writes every query, where it is, and
Prometheus' answer as JSON, for tests that check what a panel shows. Exit status 0 when every query has data.
Standard library only.
"""

import argparse
import json
import math
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def panels(items):
    for panel in items or []:
        yield panel
        yield from panels(panel.get("panels"))


def expressions(dashboard):
    """(where, expr) for every panel target, label_values() template variable and annotation query."""
    found = []
    for panel in panels(dashboard.get("panels")):
        for target in panel.get("targets") or []:
            expr = target.get("expr")
            if expr and not target.get("hide"):
                found.append((f"panel '{panel.get('title', '?')}' {target.get('refId', '')}".rstrip(), expr))
    for variable in (dashboard.get("templating") or {}).get("list") or []:
        query = variable.get("query")
        if isinstance(query, dict):
            query = query.get("query")
        if variable.get("type") == "query" and isinstance(query, str):
            match = re.match(r"\s*label_values\(\s*(.+?)\s*,\s*\w+\s*\)\s*$", query)
            if match:
                found.append((f"variable '{variable.get('name')}'", match.group(1)))
    for annotation in (dashboard.get("annotations") or {}).get("list") or []:
        if annotation.get("expr") and annotation.get("enable", True):
            found.append((f"annotation '{annotation.get('name', '?')}'", annotation["expr"]))
    return found


def substitute(expr, rate_interval, regexes):
    """expr with Grafana's interval variables and the `regexes` variables ({name: regex}) replaced."""
    for name in ("__rate_interval", "__interval", "__range"):
        expr = expr.replace("${" + name + "}", rate_interval).replace("$" + name, rate_interval)
    for name, regex in regexes.items():
        expr = re.sub(r"\$\{" + name + r"(:\w+)?\}|\$" + name + r"\b", lambda _: regex, expr)
    unknown = re.findall(r"\$\{?[A-Za-z_]\w*", expr)
    return expr, unknown


def query(base, expr, timeout=10):
    url = base.rstrip("/") + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        try:
            return json.load(error)
        except ValueError:
            return {"status": "error", "error": f"HTTP {error.code}"}
    except (urllib.error.URLError, OSError, ValueError) as error:
        return {"status": "error", "error": str(error)}


def verdict(answer, nonzero=False):
    """(ok, what) for one /api/v1/query answer; with nonzero, some value must also differ from 0."""
    if answer.get("status") != "success":
        return False, f"error: {answer.get('error', answer)}"
    data = answer.get("data", {})
    kind, result = data.get("resultType"), data.get("result")
    if kind == "scalar":
        values = [result[1]]
        count = 1
    elif kind in ("vector", "matrix"):
        count = len(result)
        values = [s["value"][1] for s in result if "value" in s]
        values += [v[1] for s in result for v in s.get("values", [])]
    else:
        return False, f"unexpected result type {kind}"
    if count == 0:
        return False, "no data (empty result)"
    finite = [v for v in values if math.isfinite(float(v))]
    if not finite:
        return False, f"{count} series but no finite value ({values[:3]})"
    if nonzero and not any(float(v) != 0 for v in finite):
        return False, f"{count} series, all 0 (traffic should have moved it)"
    return True, f"{count} series"


def wait_for_targets(base, want, deadline):
    seen = 0
    while time.monotonic() < deadline:
        answer = query(base, "sum(up)")
        result = answer.get("data", {}).get("result") or []
        seen = int(float(result[0]["value"][1])) if result else 0
        if seen >= want:
            return True, seen
        time.sleep(1)
    return False, seen


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dashboards", nargs="+")
    parser.add_argument("--prometheus", default="http://127.0.0.1:9090")
    parser.add_argument("--rate-interval", default="1m")
    parser.add_argument("--instance-regex", default=".+")
    parser.add_argument("--job-regex", default=".+")
    parser.add_argument("--allow-empty", default="",
                        help="a regex of places (panel titles) whose queries may return no series")
    parser.add_argument("--results", help="write every query and Prometheus' answer to this JSON file")
    parser.add_argument("--targets", type=int, default=0, help="wait until this many targets are up")
    parser.add_argument("--wait", type=float, default=30, help="seconds to keep retrying queries without data")
    parser.add_argument("--require-nonzero", action="store_true",
                        help="every query must also have a value other than 0 (run traffic first)")
    parser.add_argument("--allow-zero", default="",
                        help="with --require-nonzero: a regex of queries that may stay at 0 (e.g. write errors)")
    args = parser.parse_args()

    deadline = time.monotonic() + args.wait
    if args.targets:
        ok, seen = wait_for_targets(args.prometheus, args.targets, deadline)
        print(f"{'PASS' if ok else 'FAIL'} targets up: {seen} of {args.targets}")
        if not ok:
            print("dashboard check: 0 passed, 1 failed")
            return 1

    checks = []
    for path in args.dashboards:
        with open(path, encoding="utf-8") as f:
            dashboard = json.load(f)
        for where, expr in expressions(dashboard):
            checks.append((f"{path}: {where}", expr))
    if not checks:
        print("no queries found in the dashboards")
        return 1

    results = {}
    pending = list(range(len(checks)))
    while True:
        retry = []
        for index in pending:
            where, expr = checks[index]
            regexes = {"instance": args.instance_regex, "job": args.job_regex}
            concrete, unknown = substitute(expr, args.rate_interval, regexes)
            if unknown:
                results[index] = (False, f"unknown variables {unknown}", concrete, None)
                continue
            nonzero = args.require_nonzero and not (args.allow_zero and re.search(args.allow_zero, expr))
            answer = query(args.prometheus, concrete)
            ok, what = verdict(answer, nonzero)
            if not ok and what.startswith("no data") and args.allow_empty and re.search(args.allow_empty, where):
                ok, what = True, "no data (allowed)"
            results[index] = (ok, what, concrete, answer)
            if not ok and not what.startswith("error"):
                retry.append(index)
        if not retry or time.monotonic() >= deadline:
            break
        pending = retry
        time.sleep(1)

    failed = 0
    for index, (where, _) in enumerate(checks):
        ok, what, concrete, _ = results[index]
        failed += 0 if ok else 1
        print(f"{'PASS' if ok else 'FAIL'} {where}: {what}\n     {concrete}")
    if args.results:
        with open(args.results, "w", encoding="utf-8") as f:
            json.dump([{"where": where, "expr": expr, "query": results[i][2], "ok": results[i][0],
                        "answer": results[i][3]} for i, (where, expr) in enumerate(checks)], f, indent=1)
    print(f"dashboard check: {len(checks) - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

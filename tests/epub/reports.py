#!/usr/bin/env python3
"""The reports of tests/epub/run.sh's checkers, read:

  reports.py epubcheck REPORT.json BOOK   fails on any fatal error, error or warning
  reports.py ace REPORT.json BOOK         fails on any serious or critical violation
"""

import json
import os
import sys


def epubcheck(report, book):
    # EPUBCheck reports a missing file as "File not found" with no message at all.
    if not os.path.isfile(book):
        print(f"FAIL epubcheck: {book}: no such file")
        return False
    messages = json.load(open(report, encoding="utf-8"))["messages"]
    bad = [m for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    for m in bad:
        where = ", ".join(f"{l['path']}:{l.get('line', '?')}" for l in m.get("locations", []))
        print(f"     {m['severity']} {m['ID']} {where}: {m['message']}", file=sys.stderr)
    print(f"{'FAIL' if bad else 'ok  '} epubcheck: {book}: {len(bad)} errors and warnings")
    return not bad


def ace(report, book):
    data = json.load(open(report, encoding="utf-8"))
    bad = []
    for subject in data.get("assertions", []):
        for a in subject.get("assertions", []):
            test = a["earl:test"]
            if test.get("earl:impact") in ("serious", "critical"):
                bad.append((subject["earl:testSubject"]["url"], test["earl:impact"], test["dct:title"],
                            a["earl:result"].get("dct:description", "")))
    for url, impact, title, text in bad:
        print(f"     {impact} {title} in {url}: {text}", file=sys.stderr)
    print(f"{'FAIL' if bad else 'ok  '} ace: {book}: {len(bad)} serious or critical violations")
    return not bad


if __name__ == "__main__":
    kind, args = sys.argv[1], sys.argv[2:]
    ok = {"epubcheck": epubcheck, "ace": ace}[kind](*args)
    sys.exit(0 if ok else 1)

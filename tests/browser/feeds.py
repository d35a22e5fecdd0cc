#!/usr/bin/env python3
"""Reads what built glossa sites say to other programs, with the parsers those programs use.

    python3 tests/browser/feeds.py SITE_DIR...

For each site:
  1. JSON-LD: every <script type="application/ld+json"> of every page parses as JSON (Python's
     json); a document page's is a schema.org Article with its headline, language and the site it
     is part of, a glossary entry page's a DefinedTerm in a DefinedTermSet; annotations.jsonld,
     which every page links, parses too.
  2. The feed: when the home page links an Atom feed, feed.xml is read by feedparser (a real
     feed reader's parser, on PYTHONPATH) without complaint (bozo 0) as Atom 1.0; it has entries,
     newest first, each with a title, an author, its dates and a link to a page of the site; the
     feed's `updated` is its newest entry's. A site with a base URL and a dated document must link
     one (docs/site.md), a site without a base URL must not.

Prints one line per check, "ok - ..." or "FAIL - ..." with details on lines starting with "#",
ends with "N passed, M failed", and exits non-zero on any failure.
"""

import json
import os
import sys
from html.parser import HTMLParser
from urllib.parse import urlsplit

import feedparser

passed = 0
failed = 0


def report(name, problems):
    global passed, failed
    if problems:
        failed += 1
        print(f"FAIL - {name}")
        for p in problems[:25]:
            print(f"#   {p}")
        if len(problems) > 25:
            print(f"#   ... and {len(problems) - 25} more")
    else:
        passed += 1
        print(f"ok - {name}")


class Head(HTMLParser):
    """The parts of a page this check reads: meta tags, links and JSON-LD scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta = {}
        self.links = []
        self.json_ld = []
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a.get("name")] = a.get("content", "")
        elif tag == "link":
            self.links.append(a)
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_json = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_ld[-1] += data

    def link(self, rel, kind):
        for a in self.links:
            if a.get("rel") == rel and a.get("type") == kind:
                return a.get("href")
        return None


def pages_of(site):
    for folder, _, files in os.walk(site):
        for f in files:
            if f.endswith(".html"):
                yield os.path.relpath(os.path.join(folder, f), site).replace(os.sep, "/")


def read_head(site, rel):
    head = Head()
    with open(os.path.join(site, rel), encoding="utf-8") as f:
        head.feed(f.read())
    return head


def check_json_ld(site, heads):
    problems = []
    articles = terms = 0
    for rel, head in sorted(heads.items()):
        for text in head.json_ld:
            if "</" in text:
                problems.append(f"{rel}: `</` raw in a JSON-LD script")
            try:
                data = json.loads(text)
            except ValueError as e:
                problems.append(f"{rel}: JSON-LD does not parse: {e}")
                continue
            kind = data.get("@type")
            if data.get("@context") != "https://schema.org":
                problems.append(f"{rel}: @context is {data.get('@context')!r}")
            if kind == "Article":
                articles += 1
                for key in ("headline", "inLanguage"):
                    if not data.get(key):
                        problems.append(f"{rel}: the Article has no {key}")
                if (data.get("isPartOf") or {}).get("@type") != "WebSite":
                    problems.append(f"{rel}: the Article is part of no WebSite")
            elif kind == "DefinedTerm":
                terms += 1
                if not data.get("name"):
                    problems.append(f"{rel}: the DefinedTerm has no name")
                if (data.get("inDefinedTermSet") or {}).get("@type") != "DefinedTermSet":
                    problems.append(f"{rel}: the DefinedTerm is in no DefinedTermSet")
            else:
                problems.append(f"{rel}: JSON-LD of @type {kind!r}")
        is_doc = head.meta.get("og:type") == "article"
        is_entry = rel.startswith("glossary/") and rel != "glossary/index.html"
        if (is_doc or is_entry) and len(head.json_ld) != 1:
            problems.append(f"{rel}: {len(head.json_ld)} JSON-LD scripts, not one")
        annotations = head.link("alternate", "application/ld+json")
        if not annotations:
            problems.append(f"{rel}: no link to annotations.jsonld")
    if articles == 0:
        problems.append("no document page has an Article")
    try:
        with open(os.path.join(site, "annotations.jsonld"), encoding="utf-8") as f:
            json.load(f)
    except (OSError, ValueError) as e:
        problems.append(f"annotations.jsonld: {e}")
    report(f"{site}: JSON-LD parses ({articles} articles, {terms} defined terms, annotations.jsonld)", problems)


def local_file(site, base, url):
    """The file of the site a feed's link names, or None if it names none."""
    if not base or not url.startswith(base):
        return None
    path = os.path.join(site, urlsplit(url).path[len(urlsplit(base).path):])
    return path if os.path.isfile(path) else None


def check_feed(site, heads):
    home = heads["index.html"]
    canonical = home.link("canonical", None)
    feed_href = home.link("alternate", "application/atom+xml")
    dated = any(h.meta.get("article:published_time") for h in heads.values())
    if not feed_href:
        problems = []
        if canonical and dated:
            problems.append("a site with a base URL and a dated document links no feed")
        if os.path.exists(os.path.join(site, "feed.xml")) and not canonical:
            problems.append("feed.xml without a base URL")
        report(f"{site}: no feed, as expected" if not problems else f"{site}: feed", problems)
        return
    problems = []
    path = os.path.join(site, feed_href)
    parsed = feedparser.parse(path)
    if parsed.bozo:
        problems.append(f"feedparser: {parsed.bozo_exception}")
    if parsed.version != "atom10":
        problems.append(f"not Atom 1.0 but {parsed.version!r}")
    entries = parsed.entries
    if not entries:
        problems.append("no entries")
    for e in entries:
        name = e.get("title", "(no title)")
        for key in ("title", "id", "link", "published_parsed", "updated_parsed"):
            if not e.get(key):
                problems.append(f"{name}: no {key}")
        if not (e.get("author") or parsed.feed.get("author")):
            problems.append(f"{name}: no author")
        if e.get("link") and not local_file(site, canonical, e.link):
            problems.append(f"{name}: its link {e.link} is no page of the site")
    dates = [e.get("updated_parsed") for e in entries]
    if None not in dates and dates != sorted(dates, reverse=True):
        problems.append("entries are not newest first")
    if entries and parsed.feed.get("updated_parsed") != entries[0].get("updated_parsed"):
        problems.append(f"the feed's updated {parsed.feed.get('updated')} is not its newest entry's")
    if not parsed.feed.get("title"):
        problems.append("the feed has no title")
    report(f"{site}: feed.xml read by feedparser {feedparser.__version__} ({len(entries)} entries)", problems)


def main(sites):
    if not sites:
        print(f"usage: {sys.argv[0]} SITE_DIR...", file=sys.stderr)
        return 2
    for site in sites:
        heads = {rel: read_head(site, rel) for rel in pages_of(site)}
        for check in (check_json_ld, check_feed):
            try:
                check(site, heads)
            except Exception as e:  # a check that cannot finish fails, and the others still run
                report(f"{site}: {check.__name__}", [f"{type(e).__name__}: {e}"])
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

// Browser-side proof for built glossa sites.
//
//   node tests/browser/check.mjs SITE_DIR...
//
// For each built site: serves it from a static server on 127.0.0.1 (a random free port, under a
// base path, so that only relative links work), then checks
//   1. valid HTML on every page, valid CSS in every stylesheet (the Nu HTML checker, vnu.jar, run
//      with the machine's Java);
//   2. links: every href, src and srcset on every page resolves to a file of the site (never a
//      folder), every #fragment to an id of the page it names; and, as an independent second
//      opinion, lychee --offline --include-fragments on the folder ($LYCHEE, else `lychee`);
//   3. accessibility: axe-core (wcag2a, wcag2aa) in Chromium at 1280 and 390 px on the home page,
//      a document, the glossary index, an entry, the about page (and search, when there is one);
//      again at 1280 px in the dark colours, and on a document with a note open and a gloss
//      shown (light and dark); no sideways scrolling at 390 px;
//   4. behaviour in Chromium, at both widths: following a note reference shows the note and its
//      backlink returns (note 1, then every note of every document); at 390 px a note opens and
//      closes with the keyboard alone (endnotes, which come after the last paragraph of the text,
//      as a theme with `notes: end` puts them, are always shown: there they need only be reached
//      and left by keyboard); Tab to a gloss shows its text (the first one, then every
//      gloss in Tab order); a glossary link lands on its entry, an occurrence link there on
//      #t-ID-K; search from the header box lists a word's paragraph and its link lands there, and
//      search folds case, umlauts and ß; no console errors on any page nor any request outside the site; notes and
//      glosses again with JavaScript disabled;
//   5. screenshots of those pages at both widths (target/screenshots/, or $SCREENSHOT_DIR), and of
//      a document with a note open and with a gloss shown.
//   6. sidenotes, in every document whose notes stand beside the text (not endnotes), at 1280 and
//      1024 px: each note starts at its reference's line (within 8 px), or right below the note
//      before it and then within 100 px of its line; no two notes overlap, none covers the text
//      column or runs into the page's footer; a collapsed note's "more" button opens it with the
//      keyboard (aria-controls, aria-expanded) and closes it again; the notes follow text added
//      to the page and a resize. Without JavaScript the margin notes overlap nothing either; at
//      390 px notes stay closed in the text until their reference is followed.
//   7. outline and code blocks: on every page no heading is more than one level below the one
//      before it, and one h1 begins it; on a document with code blocks (the crawl fixture's
//      README), at both widths, Tab reaches a code block wider than its column, which is named
//      and shows its focus, and the arrow keys scroll it.
//   8. translations, in every document with one: at 1280 px each translation block of the text
//      (and of a quotation) starts level with the block it translates (tops within 2 px), beside it
//      (a list's or table's blocks have theirs under or inside them), between the text and the
//      notes, overlapping neither; at 390 px each stands under its block, inside the text
//      column; with JavaScript disabled too; `data-translation="under"` and `"hidden"` on <html>
//      put it under its block and hide it; screenshots at 1280, 1024 and 390 px, light and dark.
//   9. and 10. reading settings and print: see reader.mjs.
//   11. glossary previews (focus, Escape, hover, touch, every glossary link, 390 px, axe with a
//      preview open): see previews.mjs.
// The pages are chosen by the HTML hooks of the contract: the document with notes, glosses and
// glossary links; the entry of its first glossary link; about/ (else the first extra page); the
// document with the most code blocks, when that is another one.
// Prints one line per check, "ok - …" or "FAIL - …" (details follow on lines starting with "#"),
// ends with "N passed, M failed", and exits non-zero on any failure.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { readerChecks } from './reader.mjs';
import { previewChecks } from './previews.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const VNU_JAR = path.join(HERE, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const SHOTS = path.resolve(process.env.SCREENSHOT_DIR || path.join(REPO, 'target', 'screenshots'));
const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];
/** The width from which the default theme sets notes in the margin (docs/themes.md). */
const SIDENOTES_FROM = 1024;
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

// ---------------------------------------------------------------- reporting

let passed = 0;
let failed = 0;

function report(ok, name, details = []) {
  if (ok) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`FAIL - ${name}`);
    const shown = details.slice(0, 25);
    for (const d of shown) console.log(`#   ${String(d).replace(/\n/g, '\n#   ')}`);
    if (details.length > shown.length) console.log(`#   … and ${details.length - shown.length} more`);
  }
}

/** Runs one check: `fn` returns a list of problems (empty: passed) or throws. */
async function check(name, fn) {
  let problems;
  try {
    problems = (await fn()) || [];
  } catch (e) {
    // eslint-disable-next-line no-control-regex
    const text = String(e && e.message ? e.message : e).replace(/\x1b\[[0-9;]*m/g, '');
    problems = [`error: ${text.split('\n').slice(0, 4).join('\n')}`];
  }
  report(problems.length === 0, name, problems);
  return problems.length === 0;
}

// ---------------------------------------------------------------- the site on disk

function walk(dir, base = dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, base, out);
    else if (entry.isFile()) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

/** The base path the site is meant to be served from: the path of base_url, seen in the home
 *  page's canonical link; a made-up one when there is none, so that root-absolute links break. */
function basePath(siteDir) {
  const home = fs.readFileSync(path.join(siteDir, 'index.html'), 'utf8');
  const m = home.match(/<link\s+rel="canonical"\s+href="([^"]+)"/);
  if (m) {
    const u = new URL(m[1]);
    return { prefix: u.pathname.replace(/[^/]*$/, ''), baseUrl: u.origin + u.pathname.replace(/[^/]*$/, '') };
  }
  return { prefix: '/served-under/a/base-path/', baseUrl: null };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.jsonld': 'application/ld+json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** A static server for one site on 127.0.0.1, on a free port, under `prefix`. Folders are not
 *  served (no index.html fallback): links must name the file, as the contract asks. */
function serve(siteDir, prefix) {
  const root = fs.realpathSync(siteDir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel = null;
    if (url.pathname.startsWith(prefix)) {
      try {
        rel = decodeURIComponent(url.pathname.slice(prefix.length));
      } catch {
        rel = null;
      }
    }
    const file = rel === null ? null : path.join(root, rel);
    if (file && (file === root || file.startsWith(root + path.sep)) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'cache-control': 'no-store',
      });
      fs.createReadStream(file).pipe(res);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------- 1. valid HTML

function validate(siteDir, pages) {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    return { fatal: 'java is not installed (the Nu HTML checker needs it)' };
  }
  const files = pages.map((p) => path.join(siteDir, p));
  const run = spawnSync(
    'java',
    ['-Xss8m', '-jar', VNU_JAR, '--also-check-css', '--format', 'json', '--exit-zero-always', ...files],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.error) return { fatal: String(run.error) };
  let messages;
  try {
    messages = JSON.parse(run.stderr || run.stdout).messages;
  } catch {
    return { fatal: `could not read the checker's output: ${(run.stderr || run.stdout).slice(0, 500)}` };
  }
  const byPage = new Map(pages.map((p) => [p, []]));
  const realSite = fs.realpathSync(siteDir);
  for (const m of messages) {
    // errors and fatal errors fail; warnings and info are not counted
    if (m.type !== 'error' && !(m.type === 'non-document-error')) continue;
    let rel = null;
    if (m.url) {
      const file = fileURLToPath(m.url);
      rel = path.relative(realSite, fs.existsSync(file) ? fs.realpathSync(file) : file).split(path.sep).join('/');
    }
    const where = m.lastLine ? `line ${m.lastLine}${m.firstColumn ? `:${m.firstColumn}` : ''}` : '';
    const extract = m.extract ? `  «${m.extract.replace(/\s+/g, ' ').trim()}»` : '';
    const text = `${where} ${m.message}${extract}`.trim();
    if (rel && byPage.has(rel)) byPage.get(rel).push(text);
    else byPage.set(rel || '(checker)', [...(byPage.get(rel || '(checker)') || []), text]);
  }
  return { byPage };
}

// ---------------------------------------------------------------- 2. crawl and links

/** Loads every page in Chromium and collects its ids, its links, console errors and requests
 *  that leave the site. */
async function crawl(browser, origin, prefix, baseUrl, pages) {
  const context = await browser.newContext({ viewport: WIDTHS[0] });
  await guard(context, origin, prefix, baseUrl);
  const result = new Map();
  const page = await context.newPage();
  const errors = watch(page);
  for (const rel of pages) {
    errors.length = 0;
    let status = 0;
    try {
      const resp = await page.goto(origin + prefix + rel, { waitUntil: 'load' });
      status = resp ? resp.status() : 0;
    } catch (e) {
      errors.push(`could not load: ${e.message.split('\n')[0]}`);
    }
    const dom = await page
      .evaluate(() => {
        const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
        const names = [...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name'));
        const links = [];
        for (const el of document.querySelectorAll('[href], [src], [srcset], [xlink\\:href]')) {
          for (const attr of ['href', 'src', 'xlink:href']) {
            const raw = el.getAttribute(attr);
            if (raw === null) continue;
            links.push({ tag: el.tagName.toLowerCase(), attr, raw, abs: new URL(raw, document.baseURI).href });
          }
          const srcset = el.getAttribute('srcset');
          if (srcset) {
            for (const part of srcset.split(',')) {
              const raw = part.trim().split(/\s+/)[0];
              if (raw) links.push({ tag: el.tagName.toLowerCase(), attr: 'srcset', raw, abs: new URL(raw, document.baseURI).href });
            }
          }
        }
        const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => ({
          level: Number(h.tagName[1]),
          text: h.textContent.replace(/\s+/g, ' ').trim().slice(0, 60),
        }));
        return { ids: [...ids, ...names], links, headings };
      })
      .catch(() => ({ ids: [], links: [], headings: [] }));
    await page.waitForTimeout(50); // late console messages
    result.set(rel, { status, ids: new Set(dom.ids), links: dom.links, headings: dom.headings, errors: [...errors] });
  }
  await page.close();
  await context.close();
  return result;
}

function checkLinks(rel, info, crawled, files, origin, prefix, baseUrl) {
  const problems = [];
  const fileSet = new Set(files);
  const dirs = new Set(files.flatMap((f) => f.split('/').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/'))));
  if (info.status !== 200) problems.push(`the page itself answered ${info.status}`);
  let count = 0;
  for (const link of info.links) {
    const { raw, abs, tag, attr } = link;
    const what = `<${tag} ${attr}="${raw}">`;
    let url;
    try {
      url = new URL(abs);
    } catch {
      problems.push(`${what}: not a URL`);
      continue;
    }
    if (url.protocol === 'javascript:') {
      problems.push(`${what}: a javascript: URL`);
      continue;
    }
    if (['mailto:', 'tel:', 'data:', 'blob:', 'about:'].includes(url.protocol)) continue;
    if (raw.trim() === '' || raw.trim() === '#') {
      problems.push(`${what}: empty link`);
      continue;
    }
    let local = null; // path inside the site
    if (url.origin === origin) {
      if (!url.pathname.startsWith(prefix)) {
        problems.push(`${what}: leaves the site's base path (root-absolute or too many ../)`);
        continue;
      }
      local = decodeURIComponent(url.pathname.slice(prefix.length));
      if (raw.startsWith('/') && rel !== '404.html') {
        problems.push(`${what}: root-absolute; links inside pages must be relative`);
      }
    } else if (baseUrl && abs.startsWith(baseUrl)) {
      local = decodeURIComponent(new URL(abs).pathname.slice(new URL(baseUrl).pathname.length));
    } else {
      continue; // an external link: not checked offline
    }
    count++;
    if (local === '' || local.endsWith('/') || dirs.has(local)) {
      if (tag === 'link' && url.origin !== origin) continue; // <link rel=canonical> to base_url itself
      problems.push(`${what}: names a folder, not a file`);
      continue;
    }
    if (!fileSet.has(local)) {
      problems.push(`${what}: no such file: ${local}`);
      continue;
    }
    if (url.hash) {
      const frag = decodeURIComponent(url.hash.slice(1));
      const target = crawled.get(local);
      if (!target) {
        if (local.endsWith('.html')) problems.push(`${what}: #${frag} in a page that was not crawled`);
      } else if (!target.ids.has(frag)) {
        problems.push(`${what}: no element with id "${frag}" in ${local}`);
      }
    }
  }
  return { problems, count };
}

/** Where a page's headings break its outline: a heading more than one level below the one
 *  before it (as a screen reader's list of headings and the Nu checker read it), an h1 that
 *  does not begin the page. */
function outlineProblems(headings) {
  const problems = [];
  let last = 0;
  headings.forEach(({ level, text }, i) => {
    if (level > last + 1) problems.push(`h${level} "${text}" follows ${last ? `h${last}` : 'the start of the page'}`);
    if (level === 1 && i > 0) problems.push(`a second h1: "${text}"`);
    last = level;
  });
  return problems;
}

/** Routes for a browser context: the site's own base_url is answered by the local server (the
 *  404 page uses absolute URLs); every other request off 127.0.0.1 is refused and recorded. */
async function guard(context, origin, prefix, baseUrl) {
  context.setDefaultTimeout(10000);
  context.offsite = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    if (baseUrl && url.startsWith(baseUrl)) {
      const local = url.slice(baseUrl.length);
      const resp = await route.fetch({ url: origin + prefix + local });
      return route.fulfill({ response: resp });
    }
    context.offsite.push(url);
    return route.abort('blockedbyclient');
  });
}

/** Collects console errors, page errors and failed requests of a page. */
function watch(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    // Chromium asks for the page's icon after the page has loaded, and drops the request when
    // the page is left at once (as these checks do): that is no fault of the site, whose icon
    // the link checks find.
    const iconLeft = req.failure()?.errorText === 'net::ERR_ABORTED' && /\/favicon\.[a-z]+$/.test(new URL(req.url()).pathname);
    if (!iconLeft) errors.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (resp) => {
    if (resp.status() >= 400) errors.push(`HTTP ${resp.status()}: ${resp.url()}`);
  });
  return errors;
}

// ---------------------------------------------------------------- choosing the pages

/** The pages the axe, behaviour and screenshot checks look at, chosen by the HTML hooks of the
 *  contract (not by theme classes). */
function choosePages(siteDir, pages) {
  const read = (p) => fs.readFileSync(path.join(siteDir, p), 'utf8');
  const top = pages.filter((p) => /^[^/]+\/index\.html$/.test(p) && !p.startsWith('glossary/') && !p.startsWith('search/'));
  // the extra pages (content/pages/) are the ones the home page's navigation links to; the
  // documents are the other top-level pages
  const home = read('index.html');
  const navPages = new Set();
  for (const nav of home.match(/<nav[\s>][\s\S]*?<\/nav>/g) || []) {
    for (const m of nav.matchAll(/href="([^"#]+)/g)) navPages.add(m[1].replace(/^\.\//, ''));
  }
  const docs = [];
  const others = [];
  for (const p of top) {
    const html = read(p);
    if (!navPages.has(p) && /<p id="p-\d+"/.test(html)) {
      const paragraphs = [...html.matchAll(/<p id="p-\d+"/g)];
      const lastParagraph = paragraphs.length ? paragraphs[paragraphs.length - 1].index : -1;
      docs.push({
        page: p,
        notes: (html.match(/role="doc-noteref"/g) || []).length,
        // notes at the end of the text (a theme's `notes: end`) are always shown
        endnotes: html.indexOf('id="note-1"') > lastParagraph,
        glosses: (html.match(/class="gloss-text"/g) || []).length,
        terms: (html.match(/<a class="term"/g) || []).length,
        code: (html.match(/<pre[\s>]/g) || []).length,
        translations: (html.match(/ data-translates="/g) || []).length,
      });
    } else others.push(p);
  }
  const score = (d) => (d.notes > 0) + (d.glosses > 0) + (d.terms > 0) + (d.notes + d.glosses + d.terms) / 1e4;
  docs.sort((a, b) => score(b) - score(a));
  const chosen = [{ label: 'home', page: 'index.html' }];
  if (docs[0]) chosen.push({ label: 'document', page: docs[0].page });
  if (pages.includes('glossary/index.html')) chosen.push({ label: 'glossary', page: 'glossary/index.html' });
  // the entry of the document's first linked term, else the first entry
  let entry = null;
  if (docs[0]) {
    const m = read(docs[0].page).match(/<a class="term" id="t-([a-z0-9-]+)-\d+"/);
    if (m && pages.includes(`glossary/${m[1]}/index.html`)) entry = `glossary/${m[1]}/index.html`;
  }
  entry ||= pages.find((p) => /^glossary\/[^/]+\/index\.html$/.test(p));
  if (entry) chosen.push({ label: 'entry', page: entry });
  const about = others.includes('about/index.html') ? 'about/index.html' : others[0];
  if (about) chosen.push({ label: 'about', page: about });
  // the document with the most code blocks (the crawl fixture's README), when it is another one
  const code = [...docs].sort((a, b) => b.code - a.code)[0];
  if (code && code.code > 0 && code !== docs[0]) chosen.push({ label: 'code', page: code.page });
  if (pages.includes('search/index.html')) chosen.push({ label: 'search', page: 'search/index.html' });
  return { chosen, docs };
}

// ---------------------------------------------------------------- helpers in the page

/** Whether an element is really seen: displayed, not transparent, with a size, inside the
 *  viewport, and on top at its centre. */
async function seen(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const why = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none') why.push(`display:none on ${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}`);
      if (s.visibility !== 'visible' && e === el) why.push(`visibility:${s.visibility}`);
      if (parseFloat(s.opacity) < 0.99) why.push(`opacity ${s.opacity} on ${e.tagName.toLowerCase()}.${e.className}`);
    }
    if (why.length) return why; // not rendered: where it would be says nothing more
    if (r.width < 1 || r.height < 1) why.push(`size ${r.width}x${r.height}`);
    const vw = document.documentElement.clientWidth;
    const vh = window.innerHeight;
    if (r.bottom <= 0 || r.top >= vh || r.right <= 0 || r.left >= vw) {
      why.push(`outside the viewport (top ${Math.round(r.top)}, left ${Math.round(r.left)}, viewport ${vw}x${vh})`);
    } else if (r.left < -1 || r.right > vw + 1) {
      why.push(`cut off at the side (left ${Math.round(r.left)}, right ${Math.round(r.right)}, viewport width ${vw})`);
    } else {
      // the first line box: an inline element that wraps has a bounding box wider than its words
      const box = el.getClientRects()[0] || r;
      const x = Math.min(Math.max(box.left + box.width / 2, 0), vw - 1);
      const y = Math.min(Math.max(box.top + Math.min(box.height / 2, 10), 0), vh - 1);
      // a popover may have pointer-events: none, which hides it from hit testing
      const saved = el.style.pointerEvents;
      el.style.pointerEvents = 'auto';
      const hit = document.elementFromPoint(x, y);
      el.style.pointerEvents = saved;
      if (hit && !el.contains(hit) && !hit.contains(el)) {
        why.push(`covered by ${hit.tagName.toLowerCase()}${hit.className ? '.' + hit.className : ''}`);
      }
    }
    return why;
  });
}

/** Waits until `seen` has nothing to say (animations, smooth scrolling), or returns why not. */
async function waitSeen(locator, timeout = 3000) {
  const end = Date.now() + timeout;
  let why = ['never checked'];
  while (Date.now() < end) {
    why = await seen(locator);
    if (why.length === 0) return [];
    await locator.page().waitForTimeout(60);
  }
  return why;
}

async function inViewport(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
  });
}

async function waitInViewport(locator, timeout = 3000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await inViewport(locator)) return true;
    await locator.page().waitForTimeout(60);
  }
  return false;
}

/** Waits until the page stops scrolling (a focus move or a followed link may scroll smoothly), as
 *  a person would before pressing the next key. */
async function settle(page) {
  // polled from here: with JavaScript disabled, requestAnimationFrame callbacks never run
  let last = null;
  let still = 0;
  const end = Date.now() + 3000;
  while (Date.now() < end) {
    const now = await page.evaluate(() => `${scrollX},${scrollY}`);
    still = now === last ? still + 1 : 0;
    if (still >= 1) return;
    last = now;
    await page.waitForTimeout(40);
  }
}

/** Presses Tab until `predicate(document.activeElement)` holds; returns the number of presses. */
async function tabTo(page, predicateSource, arg, limit = 600) {
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press('Tab');
    await settle(page);
    const hit = await page.evaluate(
      ([src, a]) => {
        const el = document.activeElement;
        return !!el && el !== document.body && new Function('el', 'arg', src)(el, a);
      },
      [predicateSource, arg],
    );
    if (hit) return i;
  }
  throw new Error(`Tab never reached the element (${limit} presses)`);
}

const hash = (page) => page.evaluate(() => location.hash);

/** axe-core with the WCAG 2 A and AA rules; returns the violations, one line each. */
async function axe(page) {
  const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return res.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}; ${v.nodes.length} element(s): ` +
      v.nodes
        .slice(0, 4)
        .map((n) => `${n.target.join(' ')}${n.failureSummary ? ' — ' + n.failureSummary.split('\n')[1].trim() : ''}`)
        .join(' | '),
  );
}

// ---------------------------------------------------------------- lychee

/** lychee's verdict on the site folder, offline (files only) and with #fragments: its error
 *  lines, or the whole output when it fails without any. A site with a base_url has
 *  root-relative links in 404.html (`/REPO/static/glossa.css`): lychee resolves them in a root
 *  folder where the base path leads to the site. */
function lychee(siteDir, baseUrl, prefix) {
  const bin = process.env.LYCHEE || 'lychee';
  const args = ['--offline', '--include-fragments', '--no-progress'];
  let rootDir = null;
  if (baseUrl) {
    const segments = prefix.split('/').filter(Boolean);
    if (segments.length === 0) {
      args.push('--root-dir', fs.realpathSync(siteDir));
    } else {
      rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glossa-lychee-'));
      const parent = path.join(rootDir, ...segments.slice(0, -1));
      fs.mkdirSync(parent, { recursive: true });
      fs.symlinkSync(fs.realpathSync(siteDir), path.join(parent, segments[segments.length - 1]));
      args.push('--root-dir', rootDir);
    }
  }
  const run = spawnSync(bin, [...args, siteDir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (rootDir) fs.rmSync(rootDir, { recursive: true, force: true });
  if (run.error) return { problems: [`cannot run ${bin}: ${run.error.message} (tests/browser/run.sh installs it)`] };
  const output = `${run.stdout}\n${run.stderr}`;
  const summary = output.split('\n').find((l) => l.includes('Total')) || '';
  const errors = output.split('\n').filter((l) => /^\s*\[(ERROR|TIMEOUT|\d{3})\]/.test(l));
  // The summary without its emoji: "511 Total (in 39ms) 184 Unique 511 OK 0 Errors".
  const plain = summary.replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (run.status === 0 && errors.length === 0) return { problems: [], summary: plain };
  return { problems: errors.length > 0 ? errors : [`exit code ${run.status}`, ...output.trim().split('\n')] };
}

// ---------------------------------------------------------------- one site

async function checkSite(browser, siteDir) {
  const name = path.basename(path.resolve(siteDir));
  if (!fs.existsSync(path.join(siteDir, 'index.html'))) {
    report(false, `${name}: a built site`, [`no index.html in ${siteDir}`]);
    return;
  }
  const files = walk(siteDir);
  const pages = files.filter((f) => f.endsWith('.html'));
  const { prefix, baseUrl } = basePath(siteDir);
  const server = await serve(siteDir, prefix);
  const origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`# site ${name}: ${pages.length} pages from ${siteDir}, served at ${origin}${prefix}`);

  try {
    // 1. valid HTML
    const started = Date.now();
    const v = validate(siteDir, [...pages, ...files.filter((f) => f.endsWith('.css'))]);
    if (v.fatal) report(false, `${name}: valid HTML (Nu HTML checker)`, [v.fatal]);
    else {
      for (const [p, errs] of v.byPage) {
        const what = p.endsWith('.css') ? 'valid CSS' : 'valid HTML';
        report(errs.length === 0, `${name}: ${what} (Nu HTML checker): ${p}`, errs);
      }
    }
    console.log(`# validated ${pages.length} pages in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // 2. links, and 4. console errors, on every page
    let t = Date.now();
    const crawled = await crawl(browser, origin, prefix, baseUrl, pages);
    console.log(`# crawled ${pages.length} pages in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    for (const p of pages) {
      const info = crawled.get(p);
      const { problems, count } = checkLinks(p, info, crawled, files, origin, prefix, baseUrl);
      report(problems.length === 0, `${name}: links and fragments resolve: ${p} (${count} internal)`, problems);
    }
    const outlines = pages.flatMap((p) => outlineProblems(crawled.get(p).headings || []).map((w) => `${p}: ${w}`));
    report(outlines.length === 0, `${name}: headings never skip a level, one h1 begins each page (${pages.length} pages)`, outlines);
    const ly = lychee(siteDir, baseUrl, prefix);
    const lySummary = ly.summary ? ` (${ly.summary})` : '';
    report(ly.problems.length === 0, `${name}: lychee --offline --include-fragments: no broken link${lySummary}`, ly.problems);
    for (const p of pages) {
      const errs = crawled.get(p).errors;
      report(errs.length === 0, `${name}: no console errors: ${p}`, errs);
    }

    const { chosen, docs } = choosePages(siteDir, pages);
    console.log(`# pages looked at: ${chosen.map((c) => `${c.label}=${c.page}`).join(', ')}`);

    // 3. axe, and 5. screenshots: each page at both widths in the light colours; then the dark
    // colours (prefers-color-scheme: dark) at 1280 px, and a document with a note open and a
    // gloss shown, where the colours of the open note and the popover count too
    t = Date.now();
    fs.mkdirSync(SHOTS, { recursive: true });
    const runs = [
      ...WIDTHS.map((vp) => ({ vp, scheme: 'light', shots: true })),
      { vp: WIDTHS[0], scheme: 'dark', shots: false },
    ];
    for (const { vp, scheme, shots } of runs) {
      const context = await browser.newContext({ viewport: vp, reducedMotion: 'reduce', colorScheme: scheme });
      await guard(context, origin, prefix, baseUrl);
      const at = `${vp.width}px${scheme === 'dark' ? ', dark' : ''}`;
      for (const { label, page: p } of chosen) {
        const page = await context.newPage();
        await page.goto(origin + prefix + p, { waitUntil: 'load' });
        await check(`${name}: axe wcag2a+wcag2aa, ${at}: ${label} (${p})`, () => axe(page));
        if (shots && vp.width < 1100) {
          await check(`${name}: no sideways scrolling, ${vp.width}px: ${label}`, () =>
            page.evaluate(() => {
              const doc = document.documentElement;
              if (doc.scrollWidth <= doc.clientWidth) return [];
              const wide = [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 1)
                .filter((e) => !e.closest('pre, table')) // these scroll inside themselves
                .slice(0, 5)
                .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).replace(/ /g, '.') : ''}`);
              return [`the page is ${doc.scrollWidth}px wide in a ${doc.clientWidth}px viewport: ${wide.join(', ')}`];
            }),
          );
        }
        if (shots) {
          await check(`${name}: screenshot, ${vp.width}px: ${label}`, async () => {
            const file = path.join(SHOTS, `${name}-${label}-${vp.width}.png`);
            await page.screenshot({ path: file, fullPage: true });
            return fs.statSync(file).size > 0 ? [] : ['empty screenshot'];
          });
        }
        await page.close();
      }
      await context.close();
    }
    const stateDoc = docs.find((d) => d.notes > 0 && d.glosses > 0) || docs.find((d) => d.notes > 0 || d.glosses > 0);
    if (stateDoc) {
      for (const scheme of ['light', 'dark']) {
        const context = await browser.newContext({ viewport: WIDTHS[1], reducedMotion: 'reduce', colorScheme: scheme });
        await guard(context, origin, prefix, baseUrl);
        const page = await context.newPage();
        const states = [];
        if (stateDoc.notes > 0) states.push('note 1 open');
        if (stateDoc.glosses > 0) states.push('a gloss shown');
        await page.goto(origin + prefix + stateDoc.page + (stateDoc.notes > 0 ? '#note-1' : ''), { waitUntil: 'load' });
        if (stateDoc.glosses > 0) await page.locator('.gloss').first().focus();
        await page.waitForTimeout(200);
        await check(`${name}: axe wcag2a+wcag2aa, ${WIDTHS[1].width}px, ${scheme}: document with ${states.join(' and ')} (${stateDoc.page})`, () => axe(page));
        await context.close();
      }
    }
    console.log(`# axe and screenshots in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    t = Date.now();

    // 4. behaviour
    await behaviour(browser, name, origin, prefix, baseUrl, docs, chosen);
    await sidenotes(browser, name, origin, prefix, baseUrl, docs);
    await readerChecks({ browser, name, origin, prefix, baseUrl, docs, check, guard, watch, axe, laidOut, noteGeometry, marginProblems, shots: SHOTS });
    await translations(browser, name, origin, prefix, baseUrl, docs);
    await previewChecks({ browser, name, origin, prefix, baseUrl, docs, chosen, check, guard, watch, axe, waitSeen, tabTo, shots: SHOTS });
    console.log(`# behaviour in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  } finally {
    server.close();
  }
}

async function behaviour(browser, name, origin, prefix, baseUrl, docs, chosen) {
  const url = (p) => origin + prefix + p;
  const noteDoc = docs.find((d) => d.notes > 0);
  const glossDoc = docs.find((d) => d.glosses > 0);
  const termDoc = docs.find((d) => d.terms > 0);
  const skip = (what) => console.log(`# skipped: ${name}: ${what} (the site has none)`);

  for (const js of [true, false]) {
    const jsLabel = js ? '' : ', JavaScript disabled';
    for (const vp of WIDTHS) {
      const context = await browser.newContext({ viewport: vp, javaScriptEnabled: js });
      await guard(context, origin, prefix, baseUrl);
      const page = await context.newPage();
      const errors = watch(page);
      const at = `${vp.width}px${jsLabel}`;

      if (noteDoc) {
        // following a note reference shows the note; its backlink returns to the reference
        await check(`${name}: ${at}: following note reference 1 shows note 1, its backlink returns (${noteDoc.page})`, async () => {
          const problems = [];
          await page.goto(url(noteDoc.page), { waitUntil: 'load' });
          const ref = page.locator('a[role="doc-noteref"]#noteref-1');
          const note = page.locator('#note-1[role="doc-footnote"]');
          await ref.click();
          if ((await hash(page)) !== '#note-1') problems.push(`after the click the address ends in "${await hash(page)}", not #note-1`);
          for (const w of await waitSeen(note)) problems.push(`note 1 is not seen: ${w}`);
          if (problems.length) return problems;
          const back = note.locator('a[role="doc-backlink"][href="#noteref-1"]');
          if ((await back.count()) !== 1) return [...problems, 'note 1 has no backlink to #noteref-1'];
          await back.click();
          if ((await hash(page)) !== '#noteref-1') problems.push(`after the backlink the address ends in "${await hash(page)}", not #noteref-1`);
          if (!(await waitInViewport(ref))) problems.push('the reference is not in view after the backlink');
          if (vp.width < SIDENOTES_FROM && !noteDoc.endnotes && (await note.isVisible())) problems.push('at this width the note should close again after the backlink');
          return problems;
        });
      } else skip('notes');

      if (js) {
        // every note of every document: its reference opens it, its backlink returns
        for (const d of docs.filter((x) => x.notes > 0)) {
          await check(`${name}: ${at}: every note (${d.notes}) opens from its reference, its backlink returns (${d.page})`, async () => {
            const problems = [];
            await page.goto(url(d.page), { waitUntil: 'load' });
            for (let n = 1; n <= d.notes; n++) {
              const ref = page.locator(`#noteref-${n}`);
              const note = page.locator(`#note-${n}`);
              await ref.click();
              const why = await waitSeen(note, 1500);
              if (why.length) {
                problems.push(`note ${n} is not seen after its reference: ${why.join('; ')}`);
                continue;
              }
              await note.locator(`a[role="doc-backlink"][href="#noteref-${n}"]`).click();
              if (!(await waitInViewport(ref, 1500))) problems.push(`the backlink of note ${n} does not bring its reference into view`);
            }
            return problems;
          });
        }
      }

      if (js) {
        // every gloss of every document, reached with Tab through the whole page, shows its text
        for (const d of docs.filter((x) => x.glosses > 0)) {
          await check(`${name}: ${at}: every gloss shows its text when Tab reaches it (${d.page})`, async () => {
            const problems = [];
            await page.goto(url(d.page), { waitUntil: 'load' });
            // the glosses on show: one inside a closed note is reached once the note is open
            const shown = await page.evaluate(() =>
              [...document.querySelectorAll('.gloss')].filter((g) => g.checkVisibility()).map((g) => g.id),
            );
            const done = new Set(); // shown its text at some focus
            const why = new Map(); // gloss id -> why its text was not seen, the last time
            let first = null;
            for (let i = 0; i < 3000 && done.size < shown.length; i++) {
              await page.keyboard.press('Tab');
              await settle(page);
              // a gloss is reached when focus is on it, inside it (a gloss that holds a link is
              // reached through the link) or on a link around it
              const cur = await page.evaluate(() => {
                const el = document.activeElement;
                if (!el || el === document.body) return { key: null, glosses: [] };
                if (!el.dataset.tabWalk) el.dataset.tabWalk = String(Math.random());
                const around = el.closest('.gloss');
                const glosses = around ? [around] : [...el.querySelectorAll('.gloss')];
                return { key: el.dataset.tabWalk, glosses: glosses.map((g) => g.id) };
              });
              if (cur.key === null || cur.key === first) break; // Tab left the page or came round
              first ??= cur.key;
              for (const id of cur.glosses) {
                if (done.has(id)) continue;
                const w = await waitSeen(page.locator(`[id="${id}"] > .gloss-text`), 1500);
                if (w.length === 0) {
                  done.add(id);
                  why.delete(id);
                } else why.set(id, w.join('; '));
              }
            }
            for (const id of shown) {
              if (done.has(id)) continue;
              problems.push(why.has(id) ? `gloss #${id}: its text is not seen on focus: ${why.get(id)}` : `gloss #${id}: Tab never reaches it`);
            }
            return problems;
          });
        }
      }

      if (noteDoc && vp.width === 390) {
        const opens = noteDoc.endnotes ? 'reaches and leaves endnote' : 'opens and closes note';
        await check(`${name}: ${at}: keyboard alone ${opens} 1 (Tab, Enter, Tab, Enter)`, async () => {
          const problems = [];
          await page.goto(url(noteDoc.page), { waitUntil: 'load' });
          const note = page.locator('#note-1');
          if (!noteDoc.endnotes && (await note.isVisible())) problems.push('note 1 is shown before its reference is followed');
          const n1 = await tabTo(page, 'return el.id === "noteref-1"');
          await page.keyboard.press('Enter');
          if ((await hash(page)) !== '#note-1') problems.push(`Enter on the reference: address ends in "${await hash(page)}"`);
          for (const w of await waitSeen(note)) problems.push(`note 1 is not seen after Enter: ${w}`);
          if (problems.length) return problems;
          const n2 = await tabTo(page, 'return el.getAttribute("role") === "doc-backlink" && el.closest("#note-1") !== null', null, 20);
          await page.keyboard.press('Enter');
          if ((await hash(page)) !== '#noteref-1') problems.push(`Enter on the backlink: address ends in "${await hash(page)}"`);
          await page.waitForTimeout(100);
          if (!noteDoc.endnotes && (await note.isVisible())) problems.push('note 1 is still shown after Enter on its backlink');
          if (!(await waitInViewport(page.locator('#noteref-1')))) problems.push('the reference is not in view after the backlink');
          await page.keyboard.press('Tab');
          const after = await page.evaluate(() => {
            const ref = document.getElementById('noteref-1');
            const el = document.activeElement;
            return !!el && !!(ref.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
          });
          if (!after) problems.push('the next Tab does not continue after the reference');
          if (problems.length === 0) console.log(`#   (${n1} Tabs to the reference, ${n2} to the backlink)`);
          return problems;
        });
        if (js) {
          await page.goto(url(noteDoc.page) + '#note-1', { waitUntil: 'load' });
          await page.waitForTimeout(150);
          await page.screenshot({ path: path.join(SHOTS, `${name}-document-note-open-${vp.width}.png`) });
        }
      }

      if (glossDoc) {
        await check(`${name}: ${at}: focusing a gloss with Tab shows its .gloss-text (${glossDoc.page})`, async () => {
          const problems = [];
          await page.goto(url(glossDoc.page), { waitUntil: 'load' });
          const first = page.locator('.gloss').first();
          const text = first.locator('.gloss-text');
          const before = await text.evaluate((el) => getComputedStyle(el).opacity);
          if (before !== '0') problems.push(`the gloss text shows before focus (opacity ${before})`);
          await tabTo(page, 'return el.classList.contains("gloss")');
          const isFirst = await first.evaluate((el) => el === document.activeElement);
          if (!isFirst) problems.push('Tab reached another .gloss before the first one');
          for (const w of await waitSeen(text)) problems.push(`the gloss text is not seen on focus: ${w}`);
          if (js && vp.width === 390) await page.screenshot({ path: path.join(SHOTS, `${name}-document-gloss-focus-${vp.width}.png`) });
          if (js && vp.width === 1280) await page.screenshot({ path: path.join(SHOTS, `${name}-document-gloss-focus-${vp.width}.png`) });
          return problems;
        });
      } else skip('glosses');

      const codeDoc = [...docs].sort((a, b) => b.code - a.code).find((d) => d.code > 0);
      if (codeDoc) {
        await check(`${name}: ${at}: Tab reaches a code block wider than its column; it is named, shows its focus and scrolls by arrow key (${codeDoc.page})`, async () => {
          await page.goto(url(codeDoc.page), { waitUntil: 'load' });
          const wide = await page.evaluate(() => [...document.querySelectorAll('pre')].findIndex((p) => p.scrollWidth > p.clientWidth + 1 && p.offsetParent));
          if (wide < 0) return ['no code block on the page is wider than its column'];
          await tabTo(page, 'return el === document.querySelectorAll("pre")[arg]', wide);
          const pre = page.locator('pre').nth(wide);
          const problems = [];
          const label = await pre.evaluate((el) => el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'));
          if (!label) problems.push('the focused code block has no accessible name');
          const role = await pre.getAttribute('role');
          if (!role) problems.push('the named code block has no role (a name on a pre of no role is not allowed)');
          const ring = await pre.evaluate((el) => {
            const s = getComputedStyle(el);
            return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
          });
          if (ring.style === 'none' || ring.width < 1) problems.push(`no focus ring (outline ${ring.style} ${ring.width}px)`);
          for (const w of await waitSeen(pre)) problems.push(`the focused code block is not seen: ${w}`);
          await page.keyboard.press('ArrowRight');
          await page.keyboard.press('ArrowRight');
          await page.waitForTimeout(100);
          const left = await pre.evaluate((el) => el.scrollLeft);
          if (!(left > 0)) problems.push('the arrow keys do not scroll the focused code block');
          if (js) await page.screenshot({ path: path.join(SHOTS, `${name}-code-focus-${vp.width}.png`) });
          return problems;
        });
      } else skip('code blocks');

      if (js) {
        if (termDoc) {
          // a glossary link lands on its entry; an occurrence link there lands on #t-ID-K
          let entryPage = null;
          let termId = null;
          await check(`${name}: ${at}: a glossary link (a.term) lands on its entry page (${termDoc.page})`, async () => {
            await page.goto(url(termDoc.page), { waitUntil: 'load' });
            const term = page.locator('a.term').first();
            const id = await term.getAttribute('id');
            const m = id && id.match(/^t-([a-z0-9-]+)-(\d+)$/);
            if (!m) return [`the first a.term has id "${id}", not t-ID-K`];
            termId = m[1];
            await Promise.all([page.waitForURL((u) => !u.href.startsWith(url(termDoc.page))), term.click()]);
            const got = new URL(page.url()).pathname;
            const want = `${prefix}glossary/${termId}/index.html`;
            entryPage = `glossary/${termId}/index.html`;
            const problems = [];
            if (got !== want) problems.push(`landed on ${got}, not ${want}`);
            if ((await page.locator('h1').count()) !== 1) problems.push('the entry page has no single h1');
            return problems;
          });
          if (entryPage) {
            await check(`${name}: ${at}: an occurrence link on ${entryPage} lands on #t-${termId}-K in the document`, async () => {
              const problems = [];
              await page.goto(url(entryPage), { waitUntil: 'load' });
              const links = page.locator(`a[href*="#t-${termId}-"]`);
              const n = await links.count();
              if (n === 0) return [`no link to #t-${termId}-K on the entry page`];
              for (let i = 0; i < Math.min(n, 4); i++) {
                if (i > 0) await page.goto(url(entryPage), { waitUntil: 'load' });
                const link = links.nth(i);
                const href = await link.getAttribute('href');
                const frag = href.slice(href.indexOf('#'));
                await Promise.all([page.waitForURL((u) => u.hash === frag), link.click()]);
                const target = page.locator(`[id="${frag.slice(1)}"]`);
                if ((await target.count()) !== 1) {
                  problems.push(`${href}: no single element ${frag}`);
                  continue;
                }
                const ok = await target.evaluate((el) => el.matches(':target') && el.classList.contains('term'));
                if (!ok) problems.push(`${href}: ${frag} is not the :target .term`);
                for (const w of await waitSeen(target)) problems.push(`${href}: ${frag} is not seen: ${w}`);
              }
              return problems;
            });
          }
        } else skip('glossary links');

        if (chosen.some((c) => c.label === 'search') && docs.length) {
          // search: type a word into the header's box, see results, follow one to its paragraph
          await check(`${name}: ${at}: search from the header box finds a word's paragraph and the result link lands on it`, async () => {
            const d = docs[0];
            await page.goto(url(d.page), { waitUntil: 'load' });
            const found = await page.evaluate(() => {
              for (const p of document.querySelectorAll('p[id^="p-"]')) {
                const w = (p.textContent.match(/\p{L}{8,}/gu) || [])[0];
                if (w) return w;
              }
              return null;
            });
            if (!found) return [`no paragraph of ${d.page} has a word of 8 letters`];
            const prefix = found.slice(0, 6).toLowerCase();
            const box = page.locator('header form[role="search"] input[name="q"]');
            await box.fill(prefix);
            await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/search/index.html')), box.press('Enter')]);
            const links = page.locator(`.search-results a[href*="${d.page}#p-"]`);
            try {
              await links.first().waitFor({ timeout: 5000 });
            } catch {
              return [`searching "${prefix}" lists no paragraph of ${d.page}: ${await page.locator('.search-status').textContent()}`];
            }
            const href = await links.first().getAttribute('href');
            const frag = href.slice(href.indexOf('#'));
            await Promise.all([page.waitForURL((u) => u.hash === frag), links.first().click()]);
            const target = page.locator(`[id="${frag.slice(1)}"]`);
            const problems = [];
            const ok = await target.evaluate(
              (el, pre) => el.matches(':target') && (el.textContent.toLowerCase().match(/\p{L}+/gu) || []).some((w) => w.startsWith(pre)),
              prefix,
            );
            if (!ok) problems.push(`${href}: ${frag} is not the :target holding a word starting "${prefix}"`);
            for (const w of await waitSeen(target)) problems.push(`${href}: ${frag} is not seen: ${w}`);
            return problems;
          });
          await check(`${name}: ${at}: search folds case, umlauts and ß (typed on the search page)`, async () => {
            const d = docs[0];
            await page.goto(url(d.page), { waitUntil: 'load' });
            const word = await page.evaluate(() => {
              const text = document.querySelector('main').textContent;
              return (text.match(/\p{L}*[äöüÄÖÜß]\p{L}*/gu) || []).find((w) => w.length >= 6) || null;
            });
            if (!word) return [];
            const ascii = word.replace(/ß/g, 'ss').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
            await page.goto(url('search/index.html'), { waitUntil: 'load' });
            await page.locator('#search-q').pressSequentially(ascii, { delay: 10 });
            try {
              await page.locator(`.search-results a[href*="${d.page}"]`).first().waitFor({ timeout: 5000 });
            } catch {
              return [`typing "${ascii}" (for "${word}") lists nothing of ${d.page}: ${await page.locator('.search-status').textContent()}`];
            }
            const marks = await page.locator('.search-results mark').allTextContents();
            if (!marks.some((m) => m.toLowerCase() === word.toLowerCase())) return [`"${word}" is not highlighted: ${marks.slice(0, 5).join(', ')}`];
            return [];
          });
        } else skip('search');

        // no console errors while doing all this
        await check(`${name}: ${at}: no console errors during the behaviour checks`, async () => [
          ...errors,
          ...context.offsite.map((u) => `a request outside the site: ${u}`),
        ]);
      }
      await context.close();
    }
  }
}

// ---------------------------------------------------------------- sidenotes

/** Where every note of the page stands against its reference's line, the text column and the
 *  other notes (run in the page). A reference's line top is the top of the glyphs of the text
 *  just before it (a gloss's popover and earlier notes not counted), else the reference's own
 *  box. Notes in table cells open in their cell and are left out. */
function noteGeometry() {
  function lineTop(ref) {
    const root = ref.closest('p, li, h2, h3, h4, h5, h6, blockquote, dd, dt') || ref.parentElement;
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let last = null;
    for (let t = walk.nextNode(); t; t = walk.nextNode()) {
      if (ref.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) break;
      if (/\S/.test(t.data) && !t.parentElement.closest('.gloss-text, aside.notes')) last = t;
    }
    if (last) {
      const end = last.data.replace(/\s+$/, '').length;
      const range = document.createRange();
      range.setStart(last, end - 1);
      range.setEnd(last, end);
      const rects = range.getClientRects();
      const box = rects[rects.length - 1];
      if (box && box.height > 0) return box.top + scrollY;
    }
    return ref.getBoundingClientRect().top + scrollY;
  }
  const body = document.querySelector('.doc-body');
  const b = body.getBoundingClientRect();
  const column = { left: b.left + parseFloat(getComputedStyle(body).paddingLeft), right: b.right - parseFloat(getComputedStyle(body).paddingRight) };
  // With a translation beside it, the text's column ends where the translation's does: the
  // notes have a column of their own inside the body.
  const beside = [...body.querySelectorAll(':scope > .translation')].filter((t) => !t.hidden && t.getBoundingClientRect().width > 0);
  if (beside.length && beside[0].getBoundingClientRect().top < beside[0].previousElementSibling.getBoundingClientRect().bottom) {
    column.right = Math.max(...beside.map((t) => t.getBoundingClientRect().right));
  }
  const footer = document.querySelector('body > footer');
  const notes = [];
  for (const el of document.querySelectorAll('.doc-body aside.notes > .note[id^="note-"]')) {
    if (el.closest('td, th')) continue;
    const n = el.id.slice('note-'.length);
    const ref = document.getElementById(`noteref-${n}`);
    const r = el.getBoundingClientRect();
    const button = el.querySelector('button.note-more');
    notes.push({
      n,
      line: ref ? lineTop(ref) : null,
      top: r.top + scrollY,
      bottom: r.bottom + scrollY,
      left: r.left,
      right: r.right,
      shown: el.checkVisibility(),
      collapsed: !!button && button.checkVisibility() && button.getAttribute('aria-expanded') === 'false',
    });
  }
  return { column, footerTop: footer ? footer.getBoundingClientRect().top + scrollY : Infinity, notes };
}

/** What is wrong with the margin notes of a page, given `noteGeometry`'s answer: a note off its
 *  reference's line (unless right below the note before it, and then not too far), notes that
 *  overlap, a note over the text column or below the document. `placed`: held to the lines. */
function marginProblems(g, placed) {
  const problems = [];
  const LINE = 8; // a note's top may be this far from its line
  const STACK = 16; // "right below the note before": at most this far below it
  const FAR = 100; // and never this far below its line
  let prev = null;
  for (const note of g.notes) {
    if (!note.shown) {
      problems.push(`note ${note.n} is not shown`);
      continue;
    }
    if (note.left < g.column.right - 1) problems.push(`note ${note.n} overlaps the text column (its left ${Math.round(note.left)}, the column's right ${Math.round(g.column.right)})`);
    if (note.bottom > g.footerTop + 1) problems.push(`note ${note.n} runs into the page's footer`);
    if (prev && note.top < prev.bottom - 1 && note.left < prev.right && prev.left < note.right) {
      problems.push(`notes ${prev.n} and ${note.n} overlap (${Math.round(prev.bottom - note.top)} px)`);
    }
    if (placed && note.line !== null) {
      const off = note.top - note.line;
      const stacked = prev && note.top >= prev.bottom - 1 && note.top - prev.bottom <= STACK;
      if (Math.abs(off) > LINE && !(stacked && off > 0 && off <= FAR)) {
        problems.push(`note ${note.n} starts ${Math.round(off)} px ${off < 0 ? 'above' : 'below'} its reference's line${stacked ? ' (below the note before it)' : ''}`);
      }
    }
    prev = note;
  }
  return problems;
}

/** Lets the page finish its layout: fonts loaded, two frames drawn (a script lays out notes in
 *  the frame after a change). */
async function laidOut(page) {
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
  await page.waitForTimeout(50);
}

/** Sidenotes of a theme with notes beside the text (not endnotes): from SIDENOTES_FROM px each
 *  note stands at its reference's line, or right below the note before it and then within
 *  100 px of its line; no two notes overlap, none covers the text; a collapsed note's "more"
 *  button opens it; the layout follows a resize and a change of the text. Without JavaScript the
 *  margin notes still overlap nothing. At 390 px notes stay closed in the text until followed. */
async function sidenotes(browser, name, origin, prefix, baseUrl, docs) {
  const url = (p) => origin + prefix + p;
  const sideDocs = docs.filter((d) => d.notes > 0 && !d.endnotes);
  if (sideDocs.length === 0) {
    console.log(`# skipped: ${name}: sidenotes (no document has notes beside its text)`);
    return;
  }
  for (const js of [true, false]) {
    for (const width of [1280, SIDENOTES_FROM, 390]) {
      if (!js && width === 390) continue; // the behaviour checks cover notes without JavaScript there
      const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 800 }, javaScriptEnabled: js });
      await guard(context, origin, prefix, baseUrl);
      const page = await context.newPage();
      const errors = watch(page);
      const at = `${width}px${js ? '' : ', JavaScript disabled'}`;
      for (const d of sideDocs) {
        await page.goto(url(d.page), { waitUntil: 'load' });
        if (js) await laidOut(page);
        if (width < SIDENOTES_FROM) {
          await check(`${name}: ${at}: notes stay closed in the text until followed, then open inside the text column (${d.page})`, async () => {
            const g = await page.evaluate(noteGeometry);
            const problems = g.notes.filter((n) => n.shown).map((n) => `note ${n.n} is shown before its reference is followed`);
            await page.locator('#noteref-1').click();
            const after = await page.evaluate(noteGeometry);
            const one = after.notes.find((n) => n.n === '1');
            if (one && !one.shown) problems.push('note 1 is not shown after its reference is followed');
            if (one && one.shown && (one.left < after.column.left - 1 || one.right > after.column.right + 1)) {
              problems.push(`note 1 opens outside the text column (${Math.round(one.left)}–${Math.round(one.right)}, the column ${Math.round(after.column.left)}–${Math.round(after.column.right)})`);
            }
            return problems;
          });
          continue;
        }
        const what = js ? "every note starts at its reference's line (or right below the note before, within 100 px)" : 'notes in the margin after their block';
        await check(`${name}: ${at}: ${what}; no two notes overlap, none covers the text (${d.page})`, async () => {
          const g = await page.evaluate(noteGeometry);
          if (js) {
            const far = Math.max(0, ...g.notes.filter((n) => n.shown).map((n) => n.top - n.line));
            console.log(`#   the farthest note starts ${Math.round(far)} px below its reference's line; ${g.notes.filter((n) => n.collapsed).length} of ${g.notes.length} notes collapsed`);
          }
          return marginProblems(g, js);
        });
        if (!js) continue;
        await check(`${name}: ${at}: a collapsed note's "more" button (keyboard) opens it in place, aria-expanded flips, the notes after it make room (${d.page})`, async () => {
          const before = await page.evaluate(noteGeometry);
          const c = before.notes.find((n) => n.collapsed);
          if (!c) {
            console.log('#   no note is collapsed here: every one fits beside its text');
            return [];
          }
          const note = page.locator(`[id="note-${c.n}"]`);
          const button = note.locator('button.note-more');
          const problems = [];
          const a = await button.evaluate((b) => ({
            controls: b.getAttribute('aria-controls'),
            name: b.textContent.trim(),
            tab: b.tabIndex,
            lang: b.closest('[lang]').getAttribute('lang'),
            html: document.documentElement.lang,
          }));
          if (a.controls !== `note-${c.n}`) problems.push(`aria-controls is "${a.controls}", not "note-${c.n}"`);
          if (!a.name) problems.push('the button has no label');
          if (a.tab < 0) problems.push('the button is not in the Tab order');
          await button.focus();
          await page.keyboard.press('Enter');
          await laidOut(page);
          if ((await button.getAttribute('aria-expanded')) !== 'true') problems.push('aria-expanded is not "true" after Enter');
          const open = await page.evaluate(noteGeometry);
          const o = open.notes.find((n) => n.n === c.n);
          const whole = await note.locator('.note-body').evaluate((el) => el.scrollHeight <= el.clientHeight + 1);
          if (!whole) problems.push(`note ${c.n} is still cut after Enter`);
          if (!(o.bottom > before.notes.find((n) => n.n === c.n).bottom + 1)) problems.push(`note ${c.n} did not grow`);
          for (const p of marginProblems(open, false)) problems.push(`once note ${c.n} is open: ${p}`);
          await page.keyboard.press('Enter');
          await laidOut(page);
          if ((await button.getAttribute('aria-expanded')) !== 'false') problems.push('aria-expanded is not "false" after a second Enter');
          for (const p of marginProblems(await page.evaluate(noteGeometry), true)) problems.push(`once note ${c.n} is closed again: ${p}`);
          if (problems.length === 0) console.log(`#   note ${c.n}: "${a.name}" (${a.lang}) opens and closes it`);
          return problems;
        });
        await check(`${name}: ${at}: the notes follow a change of the text and of the width (${d.page})`, async () => {
          const problems = [];
          await page.evaluate(() => {
            const p = document.querySelector('.doc-body p');
            p.append(document.createTextNode(' ' + p.textContent.repeat(3)));
          });
          await laidOut(page);
          for (const p of marginProblems(await page.evaluate(noteGeometry), true)) problems.push(`after text was added: ${p}`);
          await page.setViewportSize({ width: width === 1280 ? SIDENOTES_FROM : 1280, height: 800 });
          await laidOut(page);
          for (const p of marginProblems(await page.evaluate(noteGeometry), true)) problems.push(`after a resize: ${p}`);
          await page.setViewportSize({ width: 390, height: 844 });
          await laidOut(page);
          const shown = (await page.evaluate(noteGeometry)).notes.filter((n) => n.shown);
          if (shown.length) problems.push(`after a resize to 390 px, notes ${shown.map((n) => n.n).join(', ')} are still shown in the margin`);
          await page.setViewportSize({ width, height: 800 });
          return problems;
        });
      }
      if (js) await check(`${name}: ${at}: no console errors during the sidenote checks`, async () => errors);
      await context.close();
    }
  }
}

// ---------------------------------------------------------------- main

// ---------------------------------------------------------------- translations

/** Where each shown translation block stands against the block it translates, and against the
 *  notes: run in the page. */
function translationGeometry() {
  const out = [];
  for (const t of document.querySelectorAll('.doc-body .translation[data-translates]')) {
    if (t.hidden || getComputedStyle(t).display === 'none') continue;
    const o = document.getElementById(t.dataset.translates);
    const a = o ? o.getBoundingClientRect() : null;
    const b = t.getBoundingClientRect();
    // A list item's or table cell's translation stands inside it, under its text; a block in
    // a list (or a table) has its translation under it in every layout.
    const inside = !!o && o.contains(t);
    const top = t.parentElement.matches('.doc-body, .doc-body > blockquote');
    out.push({
      id: t.dataset.translates,
      lang: t.lang,
      found: !!o,
      inside,
      topGap: a && top ? Math.abs(a.top - b.top) : 0,
      beside: a ? (top ? b.left >= a.right - 1 : b.top >= a.top) : false,
      under: a ? (inside ? b.top > a.top && b.bottom <= a.bottom + 1 : b.top >= a.bottom - 1 && b.left >= a.left - 1 && b.left < a.right) : false,
      rect: { top: b.top, bottom: b.bottom, left: b.left, right: b.right },
    });
  }
  const notes = [...document.querySelectorAll('.doc-body .note.sidenote')].map((n) => n.getBoundingClientRect());
  const overlapsNote = out.filter((t) => notes.some((n) => n.left < t.rect.right - 1 && n.right > t.rect.left + 1
    && n.top < t.rect.bottom - 1 && n.bottom > t.rect.top + 1)).map((t) => t.id);
  return { blocks: out, overlapsNote, shown: out.length };
}

async function translations(browser, name, origin, prefix, baseUrl, docs) {
  const url = (p) => origin + prefix + p;
  const translated = docs.filter((d) => d.translations > 0);
  if (translated.length === 0) {
    console.log(`# skipped: ${name}: translations (no document has one)`);
    return;
  }
  for (const js of [true, false]) {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 800 }, javaScriptEnabled: js });
      await guard(context, origin, prefix, baseUrl);
      const page = await context.newPage();
      const at = `${width}px${js ? '' : ', JavaScript disabled'}`;
      for (const d of translated) {
        await page.goto(url(d.page), { waitUntil: 'load' });
        if (js) await laidOut(page);
        if (width === 1280) {
          await check(`${name}: ${at}: every translation block starts level with its original, beside it, clear of the notes (${d.page})`, async () => {
            const g = await page.evaluate(translationGeometry);
            const problems = [];
            if (g.shown === 0) problems.push('no translation block is shown');
            for (const b of g.blocks) {
              if (!b.found) problems.push(`${b.id}: no element with this id`);
              else if (b.topGap > 2) problems.push(`${b.id}: starts ${b.topGap.toFixed(1)} px off its original`);
              if (b.found && !b.beside) problems.push(`${b.id}: not beside its original`);
            }
            if (g.overlapsNote.length) problems.push(`covered by a note: ${g.overlapsNote.join(', ')}`);
            return problems;
          });
        } else {
          await check(`${name}: ${at}: every translation block stands under its original (${d.page})`, async () => {
            const g = await page.evaluate(translationGeometry);
            const problems = g.shown === 0 ? ['no translation block is shown'] : [];
            for (const b of g.blocks) if (!b.under) problems.push(`${b.id}: not under its original`);
            return problems;
          });
        }
        if (js && width === 1280) {
          for (const mode of ['under', 'hidden']) {
            await check(`${name}: ${at}: data-translation="${mode}" on <html> puts the translation ${mode === 'under' ? 'under each block' : 'away'} (${d.page})`, async () => {
              await page.evaluate((m) => document.documentElement.setAttribute('data-translation', m), mode);
              await page.waitForTimeout(100);
              const g = await page.evaluate(translationGeometry);
              await page.evaluate(() => document.documentElement.removeAttribute('data-translation'));
              if (mode === 'hidden') return g.shown === 0 ? [] : [`${g.shown} blocks still shown`];
              return g.blocks.filter((b) => !b.under).map((b) => `${b.id}: not under its original`);
            });
          }
        }
      }
      await context.close();
    }
  }
  // Screenshots of the first translated document at 1280, 1024 and 390 px, light and dark.
  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 1024, 390]) {
      const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 800 }, colorScheme: scheme, reducedMotion: 'reduce' });
      await guard(context, origin, prefix, baseUrl);
      const page = await context.newPage();
      await page.goto(url(translated[0].page), { waitUntil: 'load' });
      await laidOut(page);
      await check(`${name}: screenshot, ${width}px, ${scheme}: document with its translation`, async () => {
        const file = path.join(SHOTS, `${name}-translation-${width}-${scheme}.png`);
        await page.screenshot({ path: file });
        return fs.statSync(file).size > 0 ? [] : ['empty screenshot'];
      });
      await context.close();
    }
  }
}

async function main() {
  const sites = process.argv.slice(2);
  if (sites.length === 0) {
    console.error('usage: node check.mjs SITE_DIR...');
    process.exit(2);
  }
  const started = Date.now();
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  } catch (e) {
    report(false, 'Chromium starts', [e.message.split('\n')[0]]);
  }
  if (browser) {
    for (const site of sites) await checkSite(browser, site);
    await browser.close();
  }
  console.log(`# screenshots in ${path.relative(process.cwd(), SHOTS) || '.'}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL - the checker itself: ${e.stack}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});

// A glossa book opened in a reading system: foliate-js (the library of the Foliate e-book
// reader), in headless Chromium, from a local HTTP server, offline.
//
//   node tests/epub/reader.mjs BOOK.epub SITE_ROOT
//
// SITE_ROOT is the site the book was made from: its glossary (content/glossary.yaml and
// content/glossary/**/*.yaml) says which terms the book's glossary must show. At 1280x800 and
// at 390x844, in reader-page.html (foliate's paginator, contents and note pop-ups):
//
//   - the reading system starts the text (the bodymatter landmark) at the book's first
//     chapter, and its first page shows the chapter's title and text;
//   - every note reference of that chapter resolves, in the reading system, to a footnote
//     (`aside epub:type="footnote"`) in the rendered chapter, with text; clicking the first
//     one opens the reading system's pop-up with that note's text;
//   - the contents (from the nav document) list every chapter of the spine, by its title, and
//     the glossary back matter;
//   - the glossary, displayed from the contents, lays out every term of the site's glossary;
//     clicking its first entry's first occurrence lands on that occurrence, in a chapter.
//
// foliate-js rather than epub.js: it is kept up (Foliate's releases are built on it), its ES
// modules are served as they are, offline, and it opens note references as pop-ups, as
// e-readers do; epub.js's `latest` is 0.3.93, and its 0.4 releases pull in the retired
// `xmldom` 0.1.
//
// Screenshots of the chapter, the note pop-up and the glossary go to target/ci-artifacts/ (or
// $ARTIFACT_DIR) as epub-NAME-reader-WHAT-WIDTH.png. Prints `ok - …` or `not ok - …` per check;
// exits 1 on any miss.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = process.env.ARTIFACT_DIR || path.join(REPO, 'target/ci-artifacts');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];
/** What foliate asks of a page that shows books: no script but its own (README, Security). */
const CSP =
  "default-src 'self' blob:; script-src 'self'; style-src 'self' blob: 'unsafe-inline'; " +
  "img-src 'self' blob: data:; connect-src 'self' blob: data:; frame-src blob: data:; " +
  "object-src 'none'; form-action 'none'";
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.epub': 'application/epub+zip',
};

let failures = 0;
function check(ok, what, detail) {
  if (!ok) failures += 1;
  console.log(`${ok ? 'ok' : 'not ok'} - ${what}${!ok && detail ? `: ${detail}` : ''}`);
  return ok;
}

/** Every entry term of the site's glossary files. */
function glossaryTerms(root) {
  const files = [];
  const main = path.join(root, 'content/glossary.yaml');
  if (fs.existsSync(main)) files.push(main);
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.yaml')) files.push(file);
    }
  };
  walk(path.join(root, 'content/glossary'));
  return files.flatMap((file) => (yaml.load(fs.readFileSync(file, 'utf8')) ?? []).map((e) => e.term));
}

/** Serves the reading system (reader-page.*), foliate-js and the book, on 127.0.0.1. */
function serve(book) {
  const files = {
    '/': path.join(HERE, 'reader-page.html'),
    '/reader-page.js': path.join(HERE, 'reader-page.js'),
    '/book.epub': book,
  };
  const foliate = path.join(HERE, 'node_modules/foliate-js');
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    let file = files[pathname];
    if (!file && pathname.startsWith('/foliate-js/')) {
      const candidate = path.join(foliate, decodeURIComponent(pathname.slice('/foliate-js/'.length)));
      if (candidate.startsWith(foliate + path.sep)) file = candidate;
    }
    if (file && fs.existsSync(file) && fs.statSync(file).isFile()) {
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
        'content-security-policy': CSP,
        'cache-control': 'no-store',
      });
      fs.createReadStream(file).pipe(res);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ------------------------------------------------------------------ in the page

/** The book's spine as the reading system has it: per section, whether it is a chapter or the
 *  glossary, its title (the first h1), and the sections the contents point to. */
async function spine() {
  const OPS = 'http://www.idpf.org/2007/ops';
  // the type of the body or of a sectioning element (a landmark link to the glossary is none)
  const hasType = (doc, type) =>
    [...doc.querySelectorAll('body, section, article, div')]
      .some((el) => (el.getAttributeNS(OPS, 'type') ?? '').split(/\s+/).includes(type));
  const { book } = window.reading;
  const sections = await Promise.all(
    book.sections.map(async (section, index) => {
      const doc = await section.createDocument();
      return {
        index,
        chapter: hasType(doc, 'chapter'),
        glossary: hasType(doc, 'glossary'),
        title: doc.querySelector('h1')?.textContent.replace(/\s+/g, ' ').trim() ?? '',
      };
    }),
  );
  const flat = (items) => items.flatMap((item) => [item, ...flat(item.subitems ?? [])]);
  const toc = flat(book.toc ?? []).map((item) => ({
    label: item.label.replace(/\s+/g, ' ').trim(),
    href: item.href,
    index: book.resolveHref(item.href)?.index ?? null,
  }));
  return { sections, toc };
}

/** Goes to `target` (an href, or null for the start of the text) as the reading system's
 *  contents do, and waits until it is laid out and reported as the location. */
async function display(target) {
  const { view } = window.reading;
  const resolved = target === null ? await view.goToTextStart() : await view.goTo(target);
  await document.fonts.ready;
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  for (let i = 0; i < 100 && window.reading.location?.index !== resolved?.index; i++) await frame();
  await frame();
  await frame();
  const { index, range } = window.reading.location ?? {};
  const content = view.renderer.getContents().find((c) => c.index === index);
  return { index, url: content?.doc.URL ?? null, visible: range?.toString().replace(/\s+/g, ' ').trim() ?? '' };
}

/** Each note reference of the displayed section `index`, resolved as the reading system
 *  resolves a link: what it points to in the rendered document. */
function noteReferences(index) {
  const OPS = 'http://www.idpf.org/2007/ops';
  const types = (el) => (el?.getAttributeNS?.(OPS, 'type') ?? '').split(/\s+/);
  const { book, view } = window.reading;
  const { doc } = view.renderer.getContents().find((c) => c.index === index);
  const section = book.sections[index];
  return [...doc.getElementsByTagName('a')]
    .filter((a) => types(a).includes('noteref'))
    .map((a) => {
      const href = section.resolveHref?.(a.getAttribute('href')) ?? a.getAttribute('href');
      const target = book.resolveHref(href);
      const note = target && target.index === index ? target.anchor(doc) : null;
      return {
        id: a.id,
        label: a.textContent,
        href: a.getAttribute('href'),
        footnote: note?.localName === 'aside' && types(note).includes('footnote'),
        text: (note?.querySelector('.note-body') ?? note)?.textContent.replace(/\s+/g, ' ').trim() ?? '',
      };
    });
}

/** The note pop-up, when open: its kind, its text, and whether it lies inside the window. */
function popup() {
  const { popup } = window.reading;
  const dialog = document.getElementById('note');
  const doc = popup?.view.renderer.getContents()[0]?.doc;
  if (!dialog.open || !doc) return null;
  const box = dialog.getBoundingClientRect();
  return {
    type: popup.type,
    text: doc.body.textContent.replace(/\s+/g, ' ').trim(),
    inside: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0 &&
      box.right <= innerWidth && box.bottom <= innerHeight,
  };
}

/** In the displayed glossary: which `terms` are missing or not laid out, and the first entry's
 *  first occurrence link. */
function glossaryShown({ index, terms }) {
  const { view } = window.reading;
  const { doc } = view.renderer.getContents().find((c) => c.index === index);
  const text = (el) => el.textContent.replace(/\s+/g, ' ').trim();
  const entries = [...doc.querySelectorAll('dt')];
  const missing = terms.filter((term) => {
    const dt = entries.find((el) => text(el) === term);
    return !dt || dt.getClientRects().length === 0 || dt.getBoundingClientRect().width === 0;
  });
  const link = doc.querySelector('dd .occurrences a[href]');
  return { entries: entries.length, missing, link: link && { text: text(link), href: link.getAttribute('href') } };
}

/** Whether the element with `id` in the displayed section is on the visible page. */
function onScreen(id) {
  const { view, location } = window.reading;
  const { doc } = view.renderer.getContents().find((c) => c.index === location.index);
  const el = doc.getElementById(id);
  return { found: !!el, visible: !!el && !!location.range && location.range.intersectsNode(el) };
}

// ------------------------------------------------------------------ in node

function frameOf(page, url) {
  return page.frames().find((f) => f.url() === url);
}

/** Whether the first `selector` of `frame` is laid out wholly inside the window. */
async function insideWindow(frame, selector, size) {
  const box = frame && (await frame.locator(selector).first().boundingBox());
  return !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height;
}

/** The checks at one window size. */
async function read(browser, origin, name, size, terms) {
  const t = {
    size,
    tag: `${name} ${size.width}x${size.height}`,
    shot: (what) => path.join(ARTIFACTS, `epub-${name}-reader-${what}-${size.width}.png`),
  };
  const context = await browser.newContext({ viewport: size });
  const offline = [];
  await context.route('**/*', (route) => {
    if (route.request().url().startsWith(origin)) return route.continue();
    offline.push(route.request().url());
    return route.abort();
  });
  t.page = await context.newPage();
  const errors = [];
  t.page.on('pageerror', (e) => errors.push(e.stack));
  await t.page.goto(`${origin}/?book=/book.epub`);
  await t.page.waitForFunction(() => window.reading.ready || window.reading.error, null, { timeout: 20000 });
  const opened = await t.page.evaluate(() => window.reading.error);
  if (!check(!opened, `${t.tag}: the reading system opens the book`, opened)) return context.close();

  const { sections, toc } = await t.page.evaluate(spine);
  const chapters = sections.filter((s) => s.chapter);
  const glossary = sections.find((s) => s.glossary);

  // The start of the text: the first chapter, its title and text on the first page.
  const start = await t.page.evaluate(display, null);
  const first = chapters[0];
  check(first && start.index === first.index, `${t.tag}: the text starts at the first chapter`,
    `at section ${start.index}, first chapter ${first?.index}`);
  const frame = frameOf(t.page, start.url);
  const heading = await insideWindow(frame, 'h1', size);
  check(heading && start.visible.startsWith(first?.title ?? '\0') && start.visible.length > first.title.length + 200,
    `${t.tag}: the chapter's first page shows its title, in the window, and its text`, start.visible.slice(0, 160));
  await t.page.screenshot({ path: t.shot('chapter') });
  await notes(t, frame, start.index);

  // The contents: every chapter by its title, and the glossary.
  const missing = chapters.filter((c) => !toc.some((item) => item.index === c.index && item.label === c.title));
  check(chapters.length > 0 && missing.length === 0,
    `${t.tag}: the contents list each of the ${chapters.length} chapters by its title`,
    missing.map((c) => c.title || `section ${c.index}`).join('; ') || 'no chapter');
  const glossaryItem = glossary && toc.find((item) => item.index === glossary.index);
  check(!!glossaryItem, `${t.tag}: the contents list the glossary`, glossary ? 'not listed' : 'no glossary section');
  // from the contents, or from the spine when they miss it
  if (glossary) await glossaryChecks(t, glossaryItem?.href ?? glossary.index, glossary.index, chapters, terms);

  check(offline.length === 0, `${t.tag}: the reading system works offline`, offline.join(' '));
  check(errors.length === 0, `${t.tag}: no script error`, errors.join(' | '));
  await context.close();
}

/** Notes of the displayed chapter `index` (in `frame`): every reference has its footnote; the
 *  first opens as a pop-up with the note's text. */
async function notes(t, frame, index) {
  const refs = await t.page.evaluate(noteReferences, index);
  const lost = refs.filter((r) => !r.footnote || !r.text);
  check(refs.length > 0 && lost.length === 0,
    `${t.tag}: each of the chapter's ${refs.length} note references has its footnote in the rendered chapter`,
    lost.map((r) => r.href).join(' ') || 'no note reference');
  if (refs.length === 0 || !frame) return;
  await frame.locator(`[id="${refs[0].id}"]`).click();
  await t.page.waitForFunction(popup, null, { timeout: 5000 }).catch(() => {});
  const shown = await t.page.evaluate(popup);
  check(shown?.type === 'footnote' && shown.inside && shown.text.includes(refs[0].text),
    `${t.tag}: following note reference ${refs[0].label} shows its note in a pop-up`,
    JSON.stringify(shown));
  await t.page.screenshot({ path: t.shot('note') });
  await t.page.keyboard.press('Escape');
}

/** The glossary (section `index`, reached by `target`): every term of the site laid out; its
 *  first entry's first occurrence leads back to that occurrence, in one of `chapters`. */
async function glossaryChecks(t, target, index, chapters, terms) {
  const at = await t.page.evaluate(display, target);
  const shown = await t.page.evaluate(glossaryShown, { index: at.index, terms });
  const frame = frameOf(t.page, at.url);
  check(await insideWindow(frame, 'h1', t.size), `${t.tag}: the glossary's first page shows its title in the window`);
  check(at.index === index && terms.length > 0 && shown.missing.length === 0,
    `${t.tag}: the glossary shows each of the site's ${terms.length} terms (${shown.entries} entries)`,
    shown.missing.join('; ') || `at section ${at.index}`);
  await t.page.screenshot({ path: t.shot('glossary') });
  if (!check(!!shown.link, `${t.tag}: the glossary links its entries' occurrences`)) return;
  await frame.locator('dd .occurrences a[href]').first().click();
  await t.page.waitForFunction((i) => window.reading.location?.index !== i, at.index, { timeout: 5000 })
    .catch(() => {});
  await t.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const landedAt = await t.page.evaluate(() => window.reading.location.index);
  const landed = await t.page.evaluate(onScreen, shown.link.href.split('#')[1] ?? '');
  check(chapters.some((c) => c.index === landedAt) && landed.visible,
    `${t.tag}: following an occurrence (${shown.link.href}) lands on it in a chapter`,
    `at section ${landedAt}, ${JSON.stringify(landed)}`);
}

async function main() {
  const [book, root] = process.argv.slice(2);
  if (!book || !root) {
    console.error('usage: node tests/epub/reader.mjs BOOK.epub SITE_ROOT');
    process.exit(2);
  }
  const name = path.basename(book, '.epub');
  const terms = glossaryTerms(root);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const server = await serve(path.resolve(book));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    for (const size of SIZES) await read(browser, origin, name, size, terms);
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`${failures === 0 ? 'ok' : 'not ok'} - ${name}: the book in the reading system (foliate-js)` +
    `${failures ? `: ${failures} checks failed` : ''}; screenshots epub-${name}-reader-*.png in ${ARTIFACTS}`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

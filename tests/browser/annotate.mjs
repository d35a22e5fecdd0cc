// Annotating in `glossa serve`, in Chromium (docs/authoring.md, "Annotating in the browser").
//
//   node tests/browser/annotate.mjs [GLOSSA_BINARY]     (default target/release/glossa)
//
// Serves a copy of the demo (seeds/, content/, themes/) with `glossa serve`, then: selects a
// passage of the document by script; a toolbar offers "Annotate"; its form takes the focus and
// passes axe (wcag2a, wcag2aa) open, in light and dark; Escape closes it and gives the focus
// back to the text, writing nothing; "Gloss", a text, "Save" append exactly the expected lines
// to the sidecar and change no other file; the page reloads showing the gloss, which has the
// focus; a request without the run's token is refused with 403 and writes nothing. Then the
// new gloss's "Edit" opens the form filled in (axe passes), and saving a new text rewrites
// only that value; the term search lists entries by form and passes axe; "Delete" asks once
// and gives back the original sidecar byte for byte. A selection inside a gloss or across
// blocks gets its message in the form and writes nothing. Edit and Delete are hidden until
// their annotation is pointed at or focused, and reached with Tab; Ctrl+Enter saves. "New
// entry…" in the term search (nothing found for the word) appends exactly the minimal entry to
// content/glossary.yaml and the term item to the sidecar, the page links the occurrence, and
// Delete of the item gives back the sidecar. With `lang: de` the form is German. The 404 page
// at depth is styled. Each Save prints its timings: the server's answer, the reload serve asks
// for after rebuilding, and the browser's reload (docs/serve.md, "Speed").
// Screenshots of the toolbar, the form (new, edit, term search, delete), Edit and Delete
// (hidden, on hover, focused) and the 404 page at 1280 and 390 px,
// light and dark, go to target/screenshots/ (or $SCREENSHOT_DIR).
// Prints "ok - …" or "FAIL - …" per check and exits non-zero on any failure.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const GLOSSA = path.resolve(process.argv[2] || path.join(REPO, 'target', 'release', 'glossa'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.resolve(process.env.SCREENSHOT_DIR || path.join(REPO, 'target', 'screenshots'));
const SIDECAR = 'seeds/000_5caf988d37491509.yaml';
const PAGE = '/lawrow-gespraeche/';
const GLOSS = 'fellows, members of a learned society';
const EXPECTED = `\n  - quote: Fellows\n    gloss: ${GLOSS}\n`;
const GLOSSARY = 'content/glossary.yaml';
const NEW_ENTRY = '\n- id: fellows\n  term: Fellows\n  kind: term\n  definition: ""\n';
const TERM_ITEM = '\n  - quote: Fellows\n    term: fellows\n';

let failed = 0, passed = 0;
const check = (ok, what, detail = '') => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok' : 'FAIL'} - ${what}`);
  if (!ok && detail) console.log(String(detail).split('\n').map((l) => `# ${l}`).join('\n'));
};

/// Every file under the site's folders, by path, as bytes.
const snapshot = (root) => {
  const files = new Map();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(path.relative(root, p), fs.readFileSync(p));
    }
  };
  for (const d of ['seeds', 'content', 'themes']) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d));
  return files;
};
const changed = (a, b) => [...new Set([...a.keys(), ...b.keys()])].filter((k) => !(a.get(k) && b.get(k) && a.get(k).equals(b.get(k))));

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glossa-annotate-'));
for (const d of ['seeds', 'content', 'themes']) {
  if (fs.existsSync(path.join(REPO, d))) fs.cpSync(path.join(REPO, d), path.join(root, d), { recursive: true });
}
const server = spawn(GLOSSA, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const lines = readline.createInterface({ input: server.stdout });
const rebuilt = [];
const base = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('glossa serve did not start')), 60000);
  lines.on('line', (line) => {
    const m = line.match(/^serving (http:\/\/\S+)\//);
    if (m) { clearTimeout(timer); resolve(m[1]); }
    if (line.startsWith('rebuilt')) rebuilt.push(line);
  });
});

const browser = await chromium.launch({ executablePath: CHROMIUM });
try {
  const before = snapshot(root);
  const original = fs.readFileSync(path.join(root, SIDECAR), 'utf8');

  // Without the run's token (as a page of another origin would send), nothing is written.
  const refused = await fetch(`${base}/__glossa/annotate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ document: SIDECAR.replace('.yaml', '.txt'), quote: 'Fellows', before: '', after: '', kind: 'gloss', text: 'x' }),
  });
  check(refused.status === 403, 'a request without the token is refused with 403', refused.status);
  check(changed(before, snapshot(root)).length === 0, 'and writes nothing');

  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + PAGE);
  const select = () => page.evaluate(() => {
    const body = document.querySelector('.doc-body');
    const walk = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const i = n.data.indexOf('Fellows');
      if (i >= 0) {
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + 'Fellows'.length);
        const sel = document.getSelection();
        sel.removeAllRanges();
        sel.addRange(r);
        return true;
      }
    }
    return false;
  });
  check(await select(), 'the passage is selected by script');
  const annotate = page.getByRole('button', { name: 'Annotate', exact: true });
  await annotate.waitFor({ timeout: 5000 });
  check(await annotate.isVisible(), 'selecting text shows a toolbar with "Annotate"');
  fs.mkdirSync(SHOTS, { recursive: true });
  await annotate.scrollIntoViewIfNeeded();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: path.join(SHOTS, `annotate-toolbar-1280-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // Escape closes the form, gives the focus back to the text, and writes nothing.
  await annotate.click();
  const dialog = page.getByRole('dialog');
  check(await dialog.isVisible(), 'the form opens');
  check(await page.evaluate(() => !!document.activeElement.closest('.glossa-editor')), 'the focus goes into the form');
  for (const name of ['Note', 'Gloss', 'Glossary term']) {
    check(await page.getByRole('radio', { name, exact: true }).count() === 1, `the form has a radio button "${name}"`);
  }
  for (const name of ['Save', 'Cancel']) {
    check(await dialog.getByRole('button', { name, exact: true }).count() === 1, `the form has a button "${name}"`);
  }
  check(await dialog.getByLabel('Text', { exact: true }).isVisible(), 'the form has a field "Text"');
  check(await dialog.getByLabel('Id').isVisible(), 'the form has a field "Id"');
  fs.mkdirSync(SHOTS, { recursive: true });
  // The page as a reader sees it, settled: its stylesheets loaded, its fonts ready, and no
  // transition or animation under way (a gloss fading out as the pointer leaves it, say) —
  // axe judges the colours of that moment, and a faster page reaches it sooner.
  const settled = (p) => p.evaluate(async () => {
    const sheets = [...document.querySelectorAll('link[rel=stylesheet]')].filter((l) => !l.sheet);
    await Promise.all(sheets.map((l) => new Promise((done) => {
      l.addEventListener('load', done, { once: true });
      l.addEventListener('error', done, { once: true });
    })));
    await document.fonts.ready;
    const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
    // A transition with a delay (Edit and Delete hide 0.3 s after the pointer leaves) starts
    // a frame after the change that made it: two frames, then whatever runs, to its end.
    await frame();
    await frame();
    const running = document.getAnimations().filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
    await Promise.all(running.map((a) => a.finished.catch(() => {})));
    await frame();
  });
  const axeAndShots = async (p, what, name, width) => {
    for (const scheme of ['light', 'dark']) {
      await p.emulateMedia({ colorScheme: scheme });
      await settled(p);
      const axe = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa']).analyze();
      check(axe.violations.length === 0, `axe passes ${what} (${scheme}, ${width} px)`,
        axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target} ${n.html.slice(0, 120)}\n${n.failureSummary}`).join('\n')}`).join('\n'));
      await p.screenshot({ path: path.join(SHOTS, `annotate-${name}-${width}-${scheme}.png`) });
    }
    await p.emulateMedia({ colorScheme: 'light' });
  };
  await axeAndShots(page, 'with the form open', 'form', 1280);
  await page.emulateMedia({ colorScheme: 'light' });

  // Presses `button` (a Save of the form) and times its parts: the server's answer to the
  // post (placing, checking, writing), the reload serve asks for once it has rebuilt the
  // page, and the browser's loading of the new page until `shown()` holds.
  // Save → shown is timed from the moment the page gets the press (its pointerdown or
  // keydown, kept in sessionStorage across the reload), as a reader presses; the time from
  // Playwright's call, which first waits until the button can take the click, is printed too.
  // It ends at the first frame of the new page in which its stylesheets are applied, its text
  // is parsed to the end (the site's footer is there) and `seen` holds: the page's own clock, in a frame callback, just
  // before that frame is painted. (Playwright's own look at the page, `shown`, comes later.)
  await page.addInitScript(() => {
    const seen = sessionStorage.getItem('glossa-test-seen');
    if (!seen) return;
    const look = () => {
      let ok = false;
      const styled = [...document.querySelectorAll('link[rel=stylesheet]')].every((l) => l.sheet);
      try { ok = styled && !!document.querySelector('footer.site-footer') && (0, eval)(seen); } catch { ok = false; }
      if (!ok) { requestAnimationFrame(look); return; }
      sessionStorage.setItem('glossa-test-seen-at', String(Date.now()));
      sessionStorage.removeItem('glossa-test-seen');
    };
    requestAnimationFrame(look);
  });
  const timings = [];
  const timedSave = async (what, press, shown, seen) => {
    rebuilt.length = 0;
    await page.evaluate((seen) => {
      sessionStorage.setItem('glossa-test-seen', seen);
      sessionStorage.removeItem('glossa-test-seen-at');
      sessionStorage.removeItem('glossa-test-pressed');
      const mark = () => {
        if (!sessionStorage.getItem('glossa-test-pressed')) sessionStorage.setItem('glossa-test-pressed', String(Date.now()));
      };
      addEventListener('pointerdown', mark, { capture: true, once: true });
      addEventListener('keydown', mark, { capture: true, once: true });
    }, `(${seen})()`);
    const started = Date.now();
    const answered = page.waitForResponse((r) => r.url().endsWith('/__glossa/annotate'), { timeout: 15000 }).then(() => Date.now());
    const reloading = page.waitForRequest((r) => r.url() === base + PAGE && r.isNavigationRequest(), { timeout: 15000 }).then(() => Date.now());
    const loaded = page.waitForEvent('load', { timeout: 15000 });
    await (typeof press === 'function' ? press() : press.click());
    const [answer, reload] = await Promise.all([answered, reloading]);
    await loaded;
    await shown();
    const done = Date.now();
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return n ? { html: Math.round(n.responseEnd), dom: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd) } : {};
    });
    const [pressed, seenAt] = (await page.evaluate(() => ['glossa-test-pressed', 'glossa-test-seen-at']
      .map((k) => sessionStorage.getItem(k)))).map(Number);
    check(seenAt > 0, `the page timed when it showed the save (${what})`);
    const shownAt = seenAt || done;
    const t = { what, answer: answer - pressed, reload: reload - pressed, browser: shownAt - reload, total: shownAt - pressed, call: done - started };
    timings.push(t);
    console.log(`#   serve: ${rebuilt.join(' | ').slice(0, 300)}`);
    console.log(`# ${what}: from the press, the server answered in ${t.answer} ms and the reload was asked at ${t.reload} ms; the browser's reload took ${t.browser} ms (page received at ${nav.html} ms, parsed at ${nav.dom} ms, loaded at ${nav.load} ms); Save → shown ${t.total} ms (Playwright saw it ${done - shownAt} ms later; ${t.call} ms from its call, which came ${pressed - started} ms before the press)`);
    return t;
  };
  await page.keyboard.press('Escape');
  check(await dialog.count() === 0, 'Escape closes the form');
  check(await page.evaluate(() => document.activeElement.closest('.doc-body') !== null), 'and the focus returns to the text');
  check(changed(before, snapshot(root)).length === 0, 'cancelling writes nothing');

  // A selection inside a gloss, or across two blocks, gets its message in the form; nothing
  // is written.
  for (const [what, says, pick] of [
    ['inside a gloss', 'inside a note or gloss', () => {
      const t = document.querySelector('.doc-body .gloss-text').firstChild;
      const r = document.createRange();
      r.setStart(t, 0);
      r.setEnd(t, Math.min(4, t.data.length));
      return r;
    }],
    ['across two blocks', 'crosses blocks', () => {
      const ps = document.querySelectorAll('.doc-body p[id^="p-"]');
      const r = document.createRange();
      r.setStart(ps[1].firstChild, 0);
      r.setEnd(ps[2].firstChild, 3);
      return r;
    }],
  ]) {
    await page.evaluate(`(() => { const r = (${pick})(); const sel = document.getSelection(); sel.removeAllRanges(); sel.addRange(r); })()`);
    await annotate.waitFor({ timeout: 5000 });
    await annotate.click();
    await dialog.getByRole('radio', { name: 'Gloss', exact: true }).check();
    await dialog.getByLabel('Text', { exact: true }).fill('x');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    const said = await dialog.getByRole('alert').textContent();
    check(said.includes(says), `a selection ${what} gets a clear message in the form`, said);
    await page.keyboard.press('Escape');
    check(changed(before, snapshot(root)).length === 0, `and writes nothing (${what})`);
  }

  // Gloss, a text, Save: the sidecar gains exactly the item; the page shows it.
  await select();
  await annotate.waitFor({ timeout: 5000 });
  await annotate.click();
  await page.getByRole('radio', { name: 'Gloss', exact: true }).check();
  await dialog.getByLabel('Text', { exact: true }).fill(GLOSS);
  const gloss = page.locator('.doc-body .annotation.gloss', { hasText: 'Fellows' });
  const took = await timedSave('add a gloss', dialog.getByRole('button', { name: 'Save', exact: true }),
    () => gloss.first().waitFor({ state: 'attached', timeout: 10000 }),
    () => [...document.querySelectorAll('.doc-body .annotation.gloss')].some((e) => e.textContent.includes('Fellows')));
  check(took.total < 3000, `Save → the page shows the gloss, reloaded by serve (${took.total} ms)`);
  const now = fs.readFileSync(path.join(root, SIDECAR), 'utf8');
  check(now === original + EXPECTED, 'the sidecar gained exactly the expected lines',
    `gained: ${JSON.stringify(now.startsWith(original) ? now.slice(original.length) : now)}`);
  check(JSON.stringify(changed(before, snapshot(root))) === JSON.stringify([SIDECAR]), 'no other file changed',
    changed(before, snapshot(root)).join('\n'));
  check((await gloss.locator('.gloss-text').textContent()) === GLOSS, 'the page shows the gloss');
  check(await page.evaluate(() => document.activeElement.classList.contains('annotation')), 'the new gloss has the focus');
  // Its popover, shown while it has the focus, settled, light and dark: the text on its
  // background has at least WCAG AA's contrast (4.5:1) at full opacity.
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await settled(page);
    const tip = gloss.first().locator('.gloss-text');
    const c = await tip.evaluate((el) => {
      const rgb = (v) => v.match(/[\d.]+/g).slice(0, 3).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map((x) => x / 255)
        .map((x) => (x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4))
        .reduce((sum, x, i) => sum + x * [0.2126, 0.7152, 0.0722][i], 0);
      const style = getComputedStyle(el);
      const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))].sort((x, y) => y - x);
      return { color: style.color, background: style.backgroundColor, opacity: style.opacity, ratio: (a + 0.05) / (b + 0.05) };
    });
    check(c.opacity === '1' && c.ratio >= 4.5, `the shown gloss's text has a contrast of ${c.ratio.toFixed(1)}:1 (${scheme})`, JSON.stringify(c));
    await tip.screenshot({ path: path.join(SHOTS, `annotate-gloss-1280-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // Edit: the form opens filled in; a new text rewrites only that value.
  const EDITED = 'fellows (of a learned society)';
  const edit = page.getByRole('button', { name: 'Edit of “Fellows”' });
  check(await edit.count() === 1, 'the new gloss has a named "Edit" button');
  check(await page.getByRole('button', { name: 'Delete of “Fellows”' }).count() === 1, 'and a named "Delete" button');
  // Edit and Delete are hidden until the annotation is pointed at or they have the focus,
  // and reachable with Tab all along.
  const clip = () => edit.evaluate((b) => getComputedStyle(b.parentElement).clipPath);
  check(await clip() !== 'inset(50%)', 'Edit and Delete show while the new gloss has the focus', await clip());
  await page.evaluate(() => document.activeElement.blur());
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  check(await clip() === 'inset(50%)', 'Edit and Delete are hidden while the annotation is neither pointed at nor focused', await clip());
  await axeAndShots(page, 'with Edit and Delete hidden', 'tools-hidden', 1280);
  await gloss.first().hover();
  await page.waitForFunction((el) => getComputedStyle(el.parentElement).clipPath !== 'inset(50%)', await edit.elementHandle());
  check(await clip() !== 'inset(50%)', 'pointing at the annotation shows them', await clip());
  await axeAndShots(page, 'with Edit and Delete shown on hover', 'tools-hover', 1280);
  await page.mouse.move(0, 0);
  await page.waitForFunction((el) => getComputedStyle(el.parentElement).clipPath === 'inset(50%)', await edit.elementHandle());
  await gloss.first().focus();
  await page.keyboard.press('Tab');
  check(await edit.evaluate((b) => b === document.activeElement), 'Tab from the annotation reaches its "Edit"');
  check(await clip() !== 'inset(50%)', 'and the focus shows Edit and Delete', await clip());
  await axeAndShots(page, 'with Edit focused', 'tools-focus', 1280);
  await page.keyboard.press('Enter');
  check(await dialog.isVisible(), 'Edit opens the form from the keyboard');
  check(await page.getByRole('radio', { name: 'Gloss', exact: true }).isChecked(), 'with the item\'s kind');
  check(await dialog.getByLabel('Text', { exact: true }).inputValue() === GLOSS, 'and its text');
  await axeAndShots(page, 'with the form open to edit', 'edit', 1280);
  // The term search: entries found by a form, as a listbox.
  await page.getByRole('radio', { name: 'Glossary term', exact: true }).check();
  const combo = dialog.getByRole('combobox');
  await combo.fill('Lawrow');
  check(await dialog.getByRole('option', { name: /Sergej Lawrow/ }).count() === 1, 'the term search finds an entry by its form');
  await axeAndShots(page, 'with the term search open', 'term', 1280);
  await page.getByRole('radio', { name: 'Gloss', exact: true }).check();
  await dialog.getByLabel('Text', { exact: true }).fill(EDITED);
  // Ctrl+Enter saves.
  await timedSave('edit the gloss', () => page.keyboard.press('Control+Enter'),
    () => page.locator('.doc-body .gloss-text', { hasText: EDITED }).waitFor({ state: 'attached', timeout: 10000 }),
    () => [...document.querySelectorAll('.doc-body .gloss-text')].some((e) => e.textContent.includes('fellows (of a learned society)')));
  const edited = fs.readFileSync(path.join(root, SIDECAR), 'utf8');
  check(edited === original + EXPECTED.replace(GLOSS, EDITED), 'Edit rewrote only the gloss\'s value',
    JSON.stringify(edited.slice(original.length)));
  check((await gloss.locator('.gloss-text').textContent()) === EDITED, 'the page shows the edited gloss');

  // Delete: asks once in the form, then the sidecar is the original, byte for byte.
  await gloss.first().hover();
  await page.getByRole('button', { name: 'Delete of “Fellows”' }).click();
  check(await dialog.getByText('Delete the annotation of “Fellows”').count() === 1, 'Delete asks once, in the form');
  await axeAndShots(page, 'with the deletion asked', 'delete', 1280);
  await timedSave('delete the gloss', dialog.getByRole('button', { name: 'Delete', exact: true }),
    () => gloss.waitFor({ state: 'detached', timeout: 10000 }),
    () => ![...document.querySelectorAll('.doc-body .annotation.gloss')].some((e) => e.textContent.includes('Fellows')));
  check(fs.readFileSync(path.join(root, SIDECAR), 'utf8') === original, 'add, edit, delete: the sidecar is the original byte for byte');
  check(changed(before, snapshot(root)).length === 0, 'and no file differs from before');

  // "New entry…": a word the glossary does not know gets a minimal entry and a term item.
  const glossaryBefore = fs.readFileSync(path.join(root, GLOSSARY), 'utf8');
  await select();
  await annotate.waitFor({ timeout: 5000 });
  await annotate.click();
  await page.getByRole('radio', { name: 'Glossary term', exact: true }).check();
  await combo.fill('Fellows');
  const options = dialog.getByRole('option');
  check(await options.count() === 1 && (await options.first().textContent()).startsWith('New entry…'),
    'the term search finds nothing for "Fellows" and offers "New entry…"', await options.allTextContents());
  await axeAndShots(page, 'with the term search open on "New entry…"', 'term-new', 1280);
  await options.first().click();
  const entryKind = dialog.getByLabel('Kind of the new entry');
  check(await entryKind.isVisible(), '"New entry…" asks for the kind of the entry');
  await entryKind.selectOption('term');
  await axeAndShots(page, 'with a new entry chosen', 'term-kind', 1280);
  const term = page.locator('.doc-body .annotation a.term[href*="glossary/fellows/"]');
  await timedSave('add a term with a new glossary entry', dialog.getByRole('button', { name: 'Save', exact: true }),
    () => term.first().waitFor({ state: 'attached', timeout: 10000 }),
    () => !!document.querySelector('.doc-body .annotation a.term[href*="glossary/fellows/"]'));
  const glossaryNow = fs.readFileSync(path.join(root, GLOSSARY), 'utf8');
  check(glossaryNow === glossaryBefore + NEW_ENTRY, 'the glossary gained exactly the minimal entry',
    JSON.stringify(glossaryNow.startsWith(glossaryBefore) ? glossaryNow.slice(glossaryBefore.length) : glossaryNow));
  check(fs.readFileSync(path.join(root, SIDECAR), 'utf8') === original + TERM_ITEM, 'the sidecar gained the term item',
    JSON.stringify(fs.readFileSync(path.join(root, SIDECAR), 'utf8').slice(original.length)));
  check(JSON.stringify(changed(before, snapshot(root)).sort()) === JSON.stringify([GLOSSARY, SIDECAR].sort()),
    'no other file changed', changed(before, snapshot(root)).join('\n'));
  check(await term.count() === 1, 'the page links the occurrence to the new entry');
  await page.getByRole('button', { name: 'Delete of “Fellows”' }).focus();
  await page.keyboard.press('Enter');
  await timedSave('delete the term', dialog.getByRole('button', { name: 'Delete', exact: true }),
    () => page.waitForFunction(() => !document.querySelector('[data-annotation] + .glossa-item-tools [aria-label="Delete of “Fellows”"]')),
    () => !document.querySelector('.doc-body .annotation a.term[href*="glossary/fellows/"]'));
  check(fs.readFileSync(path.join(root, SIDECAR), 'utf8') === original, 'deleting the term item gives back the sidecar byte for byte');
  check(JSON.stringify(changed(before, snapshot(root))) === JSON.stringify([GLOSSARY]), 'and only the glossary differs from before (its new entry)');
  check(errors.length === 0, 'no script errors', errors.join('\n'));
  const server = timings.map((t) => t.answer), browserPart = timings.map((t) => t.browser), total = timings.map((t) => t.total);
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  console.log(`# medians of ${timings.length} saves: server answer ${median(server)} ms, reload asked at ${median(timings.map((t) => t.reload))} ms, browser reload ${median(browserPart)} ms, Save → shown ${median(total)} ms (${median(timings.map((t) => t.call))} ms from Playwright's call)`);

  // At 390 px the form fits the screen.
  const small = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage();
  await small.goto(base + PAGE);
  await small.evaluate(() => document.querySelector('.doc-body p').scrollIntoView());
  await small.evaluate(() => {
    const p = document.querySelector('.doc-body p');
    const r = document.createRange();
    r.selectNodeContents(p.firstChild);
    document.getSelection().addRange(r);
  });
  await small.waitForTimeout(100);
  for (const scheme of ['light', 'dark']) {
    await small.emulateMedia({ colorScheme: scheme });
    await small.screenshot({ path: path.join(SHOTS, `annotate-toolbar-390-${scheme}.png`) });
  }
  await small.getByRole('button', { name: 'Annotate', exact: true }).click();
  const box = await small.getByRole('dialog').boundingBox();
  check(box && box.x >= 0 && box.x + box.width <= 390, 'at 390 px the form fits the width', JSON.stringify(box));
  await axeAndShots(small, 'with the form open', 'form', 390);
  await small.keyboard.press('Escape');
  await small.getByRole('button', { name: /^Edit of/ }).first().focus();
  await axeAndShots(small, 'with Edit focused', 'tools-focus', 390);
  await small.keyboard.press('Enter');
  await axeAndShots(small, 'with the form open to edit', 'edit', 390);

  // The 404 page at depth: served with status 404, its stylesheet and links working there.
  for (const [p, width] of [[page, 1280], [small, 390]]) {
    const response = await p.goto(`${base}/a/b/c/missing`);
    check(response.status() === 404, `a missing address at depth gets 404 (${width} px)`, response.status());
    const styled = await p.evaluate(() => {
      const links = [...document.querySelectorAll('link[rel=stylesheet]')];
      return links.length > 0 && links.every((l) => l.sheet && l.sheet.cssRules.length > 0);
    });
    check(styled, `and is styled there (${width} px)`);
    const home = await p.evaluate(() => new URL(document.querySelector('a[href]').href).pathname);
    check(!home.startsWith('/a/b/c/'), `and its links lead out of the missing folder (${width} px)`, home);
    await axeAndShots(p, 'on the 404 page at depth', '404', width);
  }

  // The editor speaks the site's interface language: German with `lang: de`.
  const siteYaml = path.join(root, 'content', 'site.yaml');
  const siteText = fs.readFileSync(siteYaml, 'utf8');
  // A new site.yaml builds the whole site; its reload goes to the pages open then. The page
  // waits on a blank page and is loaded once that build is done (serve says "rebuilt"), so
  // that no reload comes during the checks.
  await page.goto('about:blank');
  rebuilt.length = 0;
  fs.writeFileSync(siteYaml, siteText.replace(/^lang: en$/m, 'lang: de'));
  for (let tries = 0; tries < 60 && !rebuilt.includes('rebuilt'); tries++) await page.waitForTimeout(250);
  await page.goto(base + PAGE);
  check(await page.evaluate(() => window.glossaEditor && window.glossaEditor.lang) === 'de', 'the page is built again in German');
  check(await select(), 'the passage is selected by script (de)');
  const annotieren = page.getByRole('button', { name: 'Annotieren', exact: true });
  await annotieren.waitFor({ timeout: 5000 });
  await annotieren.click();
  for (const name of ['Anmerkung', 'Glosse', 'Glossarbegriff']) {
    check(await page.getByRole('radio', { name, exact: true }).count() === 1, `the German form has a radio button "${name}"`);
  }
  for (const name of ['Speichern', 'Abbrechen']) {
    check(await dialog.getByRole('button', { name, exact: true }).count() === 1, `the German form has a button "${name}"`);
  }
  await axeAndShots(page, 'with the German form open', 'form-de', 1280);
  await page.keyboard.press('Escape');
  fs.writeFileSync(siteYaml, siteText);
} catch (e) {
  check(false, 'the checks ran to the end', e.stack);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  fs.rmSync(root, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

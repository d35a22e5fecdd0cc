// Reading settings and print, checked in Chromium for check.mjs (one site at a time).
//
//   7. reading settings, on the document with the most notes, glosses and glossary links: without
//      JavaScript the settings button is not shown; the button is reached with Tab, Enter opens
//      its panel, Tab goes into it, an arrow key changes a choice (glosses hidden: their text
//      goes, their words leave the Tab order), Escape closes it and focus is back on the button;
//      choices are remembered across a reload and are on <html>, with the page's styles computed
//      from them, before the first element of <body> is parsed (a probe script put there by the
//      test server), so the first paint already has them (and nothing changes after load); in a
//      theme with sidenotes the notes keep to their lines (check.mjs's own measure) after a
//      larger text size and after the notes are hidden and shown again; axe (wcag2a, wcag2aa)
//      with the panel open at 1280, 1024 and 390 px, light and dark, with a screenshot of each.
//   8. print: page.pdf() of that document, its text read with pdftotext (poppler-utils): it
//      holds every note of the page, each after its number, a gloss in square brackets, the
//      address of an external link, and not the settings button; in print the colours are
//      light even when the reader chose dark; the PDF's first page as a PNG (pdftoppm).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The key the theme keeps the reader's choices under (settings.js, base.html). */
const KEY = 'glossa-reader';
const PANEL_SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 800 },
  { width: 390, height: 844 },
];

/** Runs both groups of checks. `t` carries check.mjs's site and helpers: browser, name, origin,
 *  prefix, baseUrl, docs, check, guard, watch, axe, laidOut, noteGeometry, marginProblems,
 *  shots (the screenshot folder). */
export async function readerChecks(t) {
  const doc = t.docs[0];
  if (!doc) {
    console.log(`# skipped: ${t.name}: reading settings and print (the site has no document)`);
    return;
  }
  await settings(t, doc);
  await print(t, doc);
}

/** A browser context with check.mjs's guard, and a page on the document. */
async function open(t, doc, options = {}) {
  const context = await t.browser.newContext({ viewport: PANEL_SIZES[0], ...options });
  await t.guard(context, t.origin, t.prefix, t.baseUrl);
  const page = await context.newPage();
  const errors = t.watch(page);
  await page.goto(t.origin + t.prefix + doc.page, { waitUntil: 'load' });
  return { context, page, errors };
}

/** What <html> and the page's styles are when the first element of <body> is parsed (a probe
 *  script the route puts there), and the same after load. */
async function probeBeforePaint(page, url) {
  await page.route(url, async (route) => {
    const resp = await route.fetch();
    const html = (await resp.text()).replace(
      /(<body[^>]*>)/,
      '$1<script>window.__atBodyStart = (' + snapshot.toString() + ')();</script>',
    );
    await route.fulfill({ response: resp, body: html });
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.unroute(url);
  return page.evaluate((src) => ({ start: window.__atBodyStart, loaded: new Function(`return (${src})()`)() }), snapshot.toString());
}

/** The reading settings as the page shows them (run in the page). */
function snapshot() {
  const h = document.documentElement;
  const attrs = {};
  for (const a of h.attributes) if (a.name.startsWith('data-')) attrs[a.name] = a.value;
  const cs = getComputedStyle(h);
  const bs = getComputedStyle(document.body);
  return {
    attrs,
    fontSize: cs.fontSize,
    colorScheme: cs.colorScheme,
    background: bs.backgroundColor,
    color: bs.color,
    settingsScriptRan: !!document.querySelector('.reader-settings-toggle[aria-expanded]') && document.readyState !== 'loading',
  };
}

async function tabToToggle(page) {
  for (let i = 1; i <= 60; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.classList.contains('reader-settings-toggle'))) return i;
  }
  throw new Error('Tab never reached the reading settings button (60 presses)');
}

async function settings(t, doc) {
  const { name, check } = t;
  const side = doc.notes > 0 && !doc.endnotes;

  await check(`${name}: reading settings: without JavaScript the button is not shown (${doc.page})`, async () => {
    const { context, page } = await open(t, doc, { javaScriptEnabled: false });
    const problems = [];
    if ((await page.locator('.reader-settings-toggle').count()) !== 1) problems.push('the page has no settings button');
    else if (await page.locator('.reader-settings-toggle').isVisible()) problems.push('the settings button is shown');
    if (await page.locator('.reader-settings-panel').isVisible()) problems.push('the settings panel is shown');
    await context.close();
    return problems;
  });

  const { context, page, errors } = await open(t, doc, { colorScheme: 'light' });
  const toggle = page.locator('.reader-settings-toggle');
  const panel = page.locator('.reader-settings-panel');
  const url = t.origin + t.prefix + doc.page;

  await check(`${name}: reading settings: Tab reaches the button, Enter opens the panel, an arrow key hides the glosses, Escape closes it and focus returns (${doc.page})`, async () => {
    const problems = [];
    const label = (await toggle.textContent()).trim();
    if (!label) problems.push('the button has no name');
    if ((await toggle.getAttribute('aria-expanded')) !== 'false') problems.push('aria-expanded is not "false" before it is opened');
    const tabs = await tabToToggle(page);
    await page.keyboard.press('Enter');
    if (!(await panel.isVisible())) return [...problems, 'Enter on the button does not show the panel'];
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') problems.push('aria-expanded is not "true" once it is open');
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => ({ inPanel: !!document.activeElement.closest('.reader-settings-panel'), name: document.activeElement.name, value: document.activeElement.value }));
    if (!at.inPanel || at.name !== 'glosses' || at.value !== 'shown') problems.push(`Tab from the button goes to ${JSON.stringify(at)}, not the glosses' checked choice`);
    await page.keyboard.press('ArrowRight');
    const after = await page.evaluate(() => {
      const g = document.querySelector('.gloss');
      return {
        attr: document.documentElement.getAttribute('data-glosses'),
        glossShown: g ? g.querySelector('.gloss-text').checkVisibility() : null,
        glossTab: g ? g.tabIndex : null,
        wordShown: g ? g.checkVisibility() : null,
      };
    });
    if (after.attr !== 'hidden') problems.push(`after the arrow key <html data-glosses> is "${after.attr}", not "hidden"`);
    if (doc.glosses > 0) {
      if (after.glossShown) problems.push('a gloss text is still shown once glosses are hidden');
      if (!after.wordShown) problems.push('the glossed word itself is gone');
      if (after.glossTab >= 0) problems.push('a hidden gloss is still in the Tab order');
    }
    await page.keyboard.press('Escape');
    if (await panel.isVisible()) problems.push('Escape does not close the panel');
    if (!(await toggle.evaluate((el) => el === document.activeElement))) problems.push('focus is not on the button after Escape');
    if ((await toggle.getAttribute('aria-expanded')) !== 'false') problems.push('aria-expanded is not "false" after Escape');
    if (problems.length === 0) console.log(`#   "${label}": ${tabs} Tabs from the top of the page`);
    return problems;
  });

  await check(`${name}: reading settings: choices are remembered across a reload and on <html>, with their styles, before <body> is parsed (${doc.page})`, async () => {
    const problems = [];
    await toggle.click();
    await panel.locator('input[name="size"][value="larger"]').check();
    await panel.locator('input[name="scheme"][value="dark"]').check();
    await toggle.click();
    const before = await page.evaluate(snapshot);
    const stored = await page.evaluate((k) => localStorage.getItem(k), KEY);
    if (!stored) problems.push(`nothing was stored under localStorage "${KEY}"`);
    const { start, loaded } = await probeBeforePaint(page, url);
    const want = { 'data-glosses': 'hidden', 'data-size': 'larger', 'data-scheme': 'dark' };
    for (const [attr, value] of Object.entries(want)) {
      if (start.attrs[attr] !== value) problems.push(`at the start of <body> ${attr} is "${start.attrs[attr]}", not "${value}"`);
    }
    if (start.settingsScriptRan) problems.push('the probe ran after settings.js: it proves nothing');
    for (const k of ['fontSize', 'colorScheme', 'background', 'color']) {
      if (start[k] !== loaded[k]) problems.push(`${k} changes after the first paint: ${start[k]} at the start of <body>, ${loaded[k]} once loaded`);
      if (start[k] !== before[k]) problems.push(`${k} is ${start[k]} after the reload, ${before[k]} before`);
    }
    if (start.colorScheme !== 'dark') problems.push(`the page's color-scheme is "${start.colorScheme}" with dark chosen in a light system`);
    const checked = await page.evaluate(() => [...document.querySelectorAll('.reader-settings-panel input:checked')].map((r) => `${r.name}=${r.value}`));
    for (const c of ['glosses=hidden', 'size=larger', 'scheme=dark']) if (!checked.includes(c)) problems.push(`after the reload the panel does not show ${c} (it shows ${checked.join(', ')})`);
    if (problems.length === 0) console.log(`#   at the start of <body>: ${JSON.stringify(start.attrs)}, font-size ${start.fontSize}, background ${start.background}`);
    return problems;
  });

  if (side) {
    await check(`${name}: reading settings: the sidenotes keep to their lines at 1280 px after a larger text and after the notes are hidden and shown (${doc.page})`, async () => {
      const problems = [];
      await t.laidOut(page);
      for (const p of t.marginProblems(await page.evaluate(t.noteGeometry), true)) problems.push(`with the larger text: ${p}`);
      await toggle.click();
      await panel.locator('input[name="notes"][value="hidden"]').check();
      await t.laidOut(page);
      const hidden = await page.evaluate(t.noteGeometry);
      const shown = hidden.notes.filter((n) => n.shown).map((n) => n.n);
      if (shown.length) problems.push(`notes ${shown.join(', ')} are still shown once notes are hidden`);
      if (await page.locator('a.noteref').first().isVisible()) problems.push('note references are still shown once notes are hidden');
      await panel.locator('input[name="notes"][value="shown"]').check();
      await panel.locator('input[name="size"][value="small"]').check();
      await t.laidOut(page);
      for (const p of t.marginProblems(await page.evaluate(t.noteGeometry), true)) problems.push(`shown again, in the small text: ${p}`);
      await toggle.click();
      return problems;
    });
  }
  await check(`${name}: reading settings: no console errors`, async () => errors);
  await context.close();

  for (const scheme of ['light', 'dark']) {
    for (const vp of PANEL_SIZES) {
      const at = `${vp.width}px, ${scheme}`;
      await check(`${name}: axe wcag2a+wcag2aa, ${at}: the reading settings panel open (${doc.page})`, async () => {
        const { context: c, page: p } = await open(t, doc, { viewport: vp, colorScheme: scheme, reducedMotion: 'reduce' });
        await p.locator('.reader-settings-toggle').click();
        if (!(await p.locator('.reader-settings-panel').isVisible())) {
          await c.close();
          return ['the panel does not open'];
        }
        const problems = await t.axe(p);
        const fits = await p.locator('.reader-settings-panel').evaluate((el) => {
          const r = el.getBoundingClientRect();
          return r.left >= 0 && r.right <= document.documentElement.clientWidth;
        });
        if (!fits) problems.push('the panel reaches past the side of the viewport');
        await p.screenshot({ path: path.join(t.shots, `${t.name}-settings-open-${vp.width}-${scheme}.png`) });
        await c.close();
        return problems;
      });
    }
  }
}

/** Letters and digits only, case and ligatures folded: text as pdftotext and the DOM both
 *  have it, whatever the line breaks, hyphenation and punctuation between. */
function letters(s) {
  return (s.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).join('');
}

function pdfText(file) {
  const run = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`cannot run pdftotext: ${run.error.message} (apt-get install poppler-utils; .ci/run does)`);
  if (run.status !== 0) throw new Error(`pdftotext failed: ${run.stderr}`);
  return run.stdout;
}

async function print(t, doc) {
  const { name, check } = t;
  await check(`${name}: print: the PDF holds every note after its number, a gloss in [brackets], the external links' addresses, no settings or navigation (${doc.page})`, async () => {
    const { context, page } = await open(t, doc, { colorScheme: 'light' });
    const file = path.join(t.shots, `${name}-print.pdf`);
    await page.pdf({ path: file, format: 'A4', printBackground: true });
    const pdftoppm = spawnSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, file.replace(/\.pdf$/, '-page1')]);
    if (pdftoppm.error || pdftoppm.status !== 0) console.log('#   (pdftoppm could not render the first page)');
    const expect = await page.evaluate(() => ({
      notes: [...document.querySelectorAll('[role="doc-footnote"]')].map((n) => ({
        n: n.id.replace('note-', ''),
        text: n.querySelector('.note-body').textContent,
      })),
      gloss: document.querySelector('.doc-body .gloss-text:not(aside .gloss-text)')?.textContent ?? null,
      external: [...document.querySelectorAll('main a[href^="http"]:not(.noteref)')].map((a) => a.getAttribute('href')),
      hidden: [document.querySelector('.reader-settings-label')?.textContent, document.querySelector('.site-footer')?.textContent]
        .filter(Boolean)
        .map((s) => s.trim()),
    }));
    await context.close();
    const raw = pdfText(file);
    // the addresses printed after external links, then letters only
    const text = letters(raw.replace(/<[^<>]*>/g, ' '));
    const squeezed = raw.replace(/\s+/g, '');
    const problems = [];
    for (const note of expect.notes) {
      const body = letters(note.text);
      if (!text.includes(body)) problems.push(`note ${note.n} is not in the PDF's text: "${note.text.trim().slice(0, 80)}…"`);
      else if (!text.includes(letters(note.n) + body)) problems.push(`note ${note.n} is in the PDF, but not after its number`);
    }
    if (doc.glosses > 0) {
      if (!expect.gloss) problems.push('no gloss in the text to look for');
      else if (!squeezed.includes(`[${expect.gloss.replace(/\s+/g, '')}]`)) problems.push(`the gloss "${expect.gloss}" is not in [brackets] in the PDF`);
    }
    for (const href of expect.external.slice(0, 5)) {
      if (!squeezed.includes(`<${href.replace(/\s+/g, '')}>`)) problems.push(`the address ${href} is not printed after its link`);
    }
    for (const s of expect.hidden) if (raw.replace(/\s+/g, ' ').includes(s)) problems.push(`the PDF holds "${s}" (the settings button or the footer)`);
    console.log(`#   ${expect.notes.length} notes, ${expect.external.length} external links; the PDF (${fs.statSync(file).size} bytes) and its first page in ${path.relative(process.cwd(), t.shots)}`);
    return problems;
  });

  await check(`${name}: print: the colours are light even when the reader chose dark (${doc.page})`, async () => {
    const { context, page } = await open(t, doc, { colorScheme: 'dark' });
    await page.evaluate((k) => localStorage.setItem(k, JSON.stringify({ scheme: 'dark' })), KEY);
    await page.reload({ waitUntil: 'load' });
    const screen = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => {
      const b = getComputedStyle(document.body);
      const p = document.querySelector('.doc-body p');
      return { background: b.backgroundColor, color: p ? getComputedStyle(p).color : b.color };
    });
    await context.close();
    const problems = [];
    if (screen === printed.background) problems.push(`the screen is not dark to begin with (${screen})`);
    if (printed.background !== 'rgb(255, 255, 255)') problems.push(`the printed background is ${printed.background}`);
    if (printed.color !== 'rgb(0, 0, 0)') problems.push(`the printed text is ${printed.color}`);
    return problems;
  });
}

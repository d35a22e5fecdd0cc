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
// blocks gets its message in the form and writes nothing.
// Screenshots of the toolbar and the form (new, edit, term search, delete) at 1280 and 390 px,
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
  const axeAndShots = async (p, what, name, width) => {
    for (const scheme of ['light', 'dark']) {
      await p.emulateMedia({ colorScheme: scheme });
      const axe = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa']).analyze();
      check(axe.violations.length === 0, `axe passes ${what} (${scheme}, ${width} px)`,
        axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`).join('\n'));
      await p.screenshot({ path: path.join(SHOTS, `annotate-${name}-${width}-${scheme}.png`) });
    }
    await p.emulateMedia({ colorScheme: 'light' });
  };
  await axeAndShots(page, 'with the form open', 'form', 1280);
  await page.emulateMedia({ colorScheme: 'light' });
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
  const started = Date.now();
  await Promise.all([
    page.waitForEvent('load', { timeout: 15000 }),
    dialog.getByRole('button', { name: 'Save', exact: true }).click(),
  ]);
  const gloss = page.locator('.doc-body .annotation.gloss', { hasText: 'Fellows' });
  await gloss.first().waitFor({ state: 'attached', timeout: 10000 });
  const took = Date.now() - started;
  check(took < 3000, `Save → the page shows the gloss, reloaded by serve (${took} ms)`);
  const now = fs.readFileSync(path.join(root, SIDECAR), 'utf8');
  check(now === original + EXPECTED, 'the sidecar gained exactly the expected lines',
    `gained: ${JSON.stringify(now.startsWith(original) ? now.slice(original.length) : now)}`);
  check(JSON.stringify(changed(before, snapshot(root))) === JSON.stringify([SIDECAR]), 'no other file changed',
    changed(before, snapshot(root)).join('\n'));
  check((await gloss.locator('.gloss-text').textContent()) === GLOSS, 'the page shows the gloss');
  check(await page.evaluate(() => document.activeElement.classList.contains('annotation')), 'the new gloss has the focus');

  // Edit: the form opens filled in; a new text rewrites only that value.
  const EDITED = 'fellows (of a learned society)';
  const edit = page.getByRole('button', { name: 'Edit of “Fellows”' });
  check(await edit.count() === 1, 'the new gloss has a named "Edit" button');
  check(await page.getByRole('button', { name: 'Delete of “Fellows”' }).count() === 1, 'and a named "Delete" button');
  await edit.focus();
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
  await Promise.all([
    page.waitForEvent('load', { timeout: 15000 }),
    dialog.getByRole('button', { name: 'Save', exact: true }).click(),
  ]);
  const edited = fs.readFileSync(path.join(root, SIDECAR), 'utf8');
  check(edited === original + EXPECTED.replace(GLOSS, EDITED), 'Edit rewrote only the gloss\'s value',
    JSON.stringify(edited.slice(original.length)));
  await gloss.first().waitFor({ state: 'attached', timeout: 10000 });
  check((await gloss.locator('.gloss-text').textContent()) === EDITED, 'the page shows the edited gloss');

  // Delete: asks once in the form, then the sidecar is the original, byte for byte.
  await page.getByRole('button', { name: 'Delete of “Fellows”' }).click();
  check(await dialog.getByText('Delete the annotation of “Fellows”').count() === 1, 'Delete asks once, in the form');
  await axeAndShots(page, 'with the deletion asked', 'delete', 1280);
  await Promise.all([
    page.waitForEvent('load', { timeout: 15000 }),
    dialog.getByRole('button', { name: 'Delete', exact: true }).click(),
  ]);
  check(fs.readFileSync(path.join(root, SIDECAR), 'utf8') === original, 'add, edit, delete: the sidecar is the original byte for byte');
  check(changed(before, snapshot(root)).length === 0, 'and no file differs from before');
  check(errors.length === 0, 'no script errors', errors.join('\n'));

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
  await small.getByRole('button', { name: /^Edit of/ }).first().click();
  await axeAndShots(small, 'with the form open to edit', 'edit', 390);
} catch (e) {
  check(false, 'the checks ran to the end', e.stack);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  fs.rmSync(root, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

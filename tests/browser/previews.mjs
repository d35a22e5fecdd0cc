// Glossary previews, checked in Chromium for check.mjs (one site at a time).
//
//  11. previews, on the document with the most notes, glosses and glossary links, an entry page
//      that links other entries and the extra page (when they link entries): Tab to the first
//      glossary link shows a preview with role="tooltip", which the link's aria-describedby
//      names, holding the entry's term and the first paragraph of its definition as the
//      entry's own page shows them; Escape closes it (focus stays); every link to an entry that
//      is shown (occurrences, term: and see: links, links in notes, the list of terms) previews
//      its own entry on focus; pointer hover shows it and the text does not move; at 390 px the
//      preview lies inside the viewport for every such link; on touch the first tap previews
//      (the address stays) and a tap on the preview's link opens the entry; glossary links
//      "plain" keep previews, hidden glosses (the self-test) hide them; without JavaScript a
//      glossary link still opens its entry; axe (wcag2a, wcag2aa) with a preview open at 1280,
//      1024 and 390 px, light and dark, with a screenshot of each.

import path from 'node:path';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 800 },
  { width: 390, height: 844 },
];

/** Runs the preview checks. `t` carries check.mjs's site and helpers: browser, name, origin,
 *  prefix, baseUrl, docs, chosen, check, guard, watch, axe, waitSeen, tabTo, shots. */
export async function previewChecks(t) {
  const doc = t.docs.find((d) => d.terms > 0);
  if (!doc) {
    console.log(`# skipped: ${t.name}: glossary previews (no document links the glossary)`);
    return;
  }
  const pages = [doc.page];
  const entry = await linkingEntry(t, doc.page);
  if (entry) pages.push(entry);
  for (const { label, page } of t.chosen) if (label === 'about' && !pages.includes(page)) pages.push(page);
  await onFocus(t, doc.page);
  for (const p of pages) await everyLink(t, p);
  await hover(t, doc.page);
  await touch(t, doc.page);
  await settings(t, doc.page);
  await withoutJs(t, doc.page);
  await axeOpen(t, doc.page);
}

/** A context and a page on `p` (the page loaded), with check.mjs's guard. */
async function open(t, p, options = {}) {
  const context = await t.browser.newContext({ viewport: SIZES[0], reducedMotion: 'reduce', ...options });
  await t.guard(context, t.origin, t.prefix, t.baseUrl);
  const page = await context.newPage();
  const errors = t.watch(page);
  await page.goto(t.origin + t.prefix + p, { waitUntil: 'load' });
  return { context, page, errors };
}

/** The page of an entry the document links that links other entries itself (its related
 *  entries, its definition's links), as a path in the site; null when none does. */
async function linkingEntry(t, p) {
  const { context, page } = await open(t, p);
  const found = await page.evaluate(async () => {
    const seen = new Set();
    for (const a of document.querySelectorAll('a[href]')) {
      const u = new URL(a.href);
      if (!/\/glossary\/[^/]+\/index\.html$/.test(u.pathname) || u.pathname === location.pathname || seen.has(u.pathname)) continue;
      seen.add(u.pathname);
      const html = await (await fetch(u.href)).text();
      if (html.includes('<template class="glossary-previews">')) return u.pathname;
    }
    return null;
  });
  await context.close();
  return found && found.startsWith(t.prefix) ? found.slice(t.prefix.length) : null;
}

/** The links of the page to glossary entries that are shown, as indexes into
 *  document.querySelectorAll('a[href]'), with the entry's id (run in the page). */
function entryLinks() {
  const all = [...document.querySelectorAll('a[href]')];
  return all
    .map((a, i) => {
      const m = new URL(a.href).pathname.match(/\/glossary\/([^/]+)\/index\.html$/);
      const self = new URL(a.href).pathname === location.pathname; // the skip link, a fragment
      return { i, id: m && !self ? m[1] : null, shown: a.checkVisibility(), inTip: !!a.closest('[role="tooltip"]'), cls: a.className };
    })
    .filter((l) => l.id && l.shown && !l.inTip);
}

/** The preview that shows and what it says: its element, whether the focused (or `link`) link
 *  names it, its text, where it stands (run in the page). */
function tooltipState(index) {
  const link = index === undefined ? document.activeElement : document.querySelectorAll('a[href]')[index];
  const tips = [...document.querySelectorAll('[role="tooltip"]')].filter((e) => e.checkVisibility());
  const tip = tips[0] || null;
  const described = (link?.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  const r = tip ? tip.getBoundingClientRect() : null;
  // the preview's own link, to its entry, comes last (its definition may link elsewhere)
  const links = tip ? tip.querySelectorAll('a[href]') : [];
  const open = links[links.length - 1] || null;
  return {
    count: tips.length,
    id: tip ? tip.id : null,
    describedBy: described,
    text: tip ? tip.textContent.replace(/\s+/g, ' ').trim() : '',
    position: tip ? getComputedStyle(tip).position : null,
    rect: r ? { left: r.left, right: r.right, top: r.top, bottom: r.bottom } : null,
    viewport: { width: document.documentElement.clientWidth, height: window.innerHeight },
    entry: open ? (new URL(open.href).pathname.match(/\/glossary\/([^/]+)\/index\.html$/) || [])[1] : null,
  };
}

/** What the entry's own page shows: its term (h1) and the first paragraph of its definition. */
async function entryText(page, id) {
  return page.evaluate(async (entryId) => {
    const here = [...document.querySelectorAll('a[href]')].find((a) => new URL(a.href).pathname.endsWith(`/glossary/${entryId}/index.html`));
    const html = await (await fetch(here.href)).text();
    const d = new DOMParser().parseFromString(html, 'text/html');
    const squeeze = (s) => (s || '').replace(/\s+/g, ' ').trim();
    return { term: squeeze(d.querySelector('h1')?.textContent), first: squeeze(d.querySelector('.definition p')?.textContent) };
  }, id);
}

async function onFocus(t, p) {
  await t.check(`${t.name}: previews: Tab to a glossary link shows its entry's preview (role tooltip, aria-describedby, term and first paragraph); Escape closes it (${p})`, async () => {
    const { context, page, errors } = await open(t, p);
    const problems = [];
    await t.tabTo(page, 'return el.matches("a.term")');
    const id = await page.evaluate(() => new URL(document.activeElement.href).pathname.match(/\/glossary\/([^/]+)\//)[1]);
    const tip = page.locator('[role="tooltip"]:visible');
    for (const w of await t.waitSeen(tip.first())) problems.push(`the preview is not seen: ${w}`);
    const s = await page.evaluate(tooltipState);
    if (s.count !== 1) problems.push(`${s.count} tooltips shown, not 1`);
    if (!s.id || !s.describedBy.includes(s.id)) problems.push(`the link's aria-describedby is "${s.describedBy.join(' ')}", not the preview's id "${s.id}"`);
    const want = await entryText(page, id);
    if (!want.term || !s.text.includes(want.term)) problems.push(`the preview does not hold the term "${want.term}": "${s.text.slice(0, 120)}"`);
    if (!want.first || !s.text.includes(want.first)) problems.push(`the preview does not hold the definition's first paragraph "${want.first.slice(0, 80)}…"`);
    if (!['absolute', 'fixed'].includes(s.position)) problems.push(`the preview is position: ${s.position}, so it moves the text`);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(50);
    const after = await page.evaluate(tooltipState);
    if (after.count !== 0) problems.push('Escape does not close the preview');
    if (after.describedBy.includes(s.id)) problems.push('aria-describedby still names the closed preview');
    if (!(await page.evaluate(() => document.activeElement?.matches('a.term')))) problems.push('focus left the link on Escape');
    problems.push(...errors);
    if (problems.length === 0) console.log(`#   "${s.text.slice(0, 90)}…"`);
    await context.close();
    return problems;
  });
}

async function everyLink(t, p) {
  for (const vp of [SIZES[0], SIZES[2]]) {
    await t.check(`${t.name}: previews, ${vp.width}px: every glossary link shown previews its own entry on focus${vp.width < 500 ? ', inside the viewport' : ''} (${p})`, async () => {
      const { context, page, errors } = await open(t, p, { viewport: vp });
      const links = await page.evaluate(entryLinks);
      const problems = [];
      if (links.length === 0) problems.push('the page shows no link to a glossary entry');
      const kinds = new Set();
      for (const l of links) {
        await page.evaluate((i) => document.querySelectorAll('a[href]')[i].focus(), l.i);
        await page.waitForTimeout(30);
        const s = await page.evaluate(tooltipState, l.i);
        const what = `link ${l.i} to ${l.id}${l.cls ? ` (.${l.cls})` : ''}`;
        if (s.count !== 1) {
          problems.push(`${what}: ${s.count} previews shown`);
          continue;
        }
        if (s.entry !== l.id) problems.push(`${what}: the preview is of ${s.entry}`);
        if (!s.describedBy.includes(s.id)) problems.push(`${what}: aria-describedby does not name the preview`);
        const r = s.rect;
        if (r.left < 0 || r.right > s.viewport.width || r.top < 0 || r.bottom > s.viewport.height) {
          problems.push(`${what}: the preview reaches out of the viewport (${Math.round(r.left)}–${Math.round(r.right)} × ${Math.round(r.top)}–${Math.round(r.bottom)} in ${s.viewport.width}×${s.viewport.height})`);
        }
        kinds.add(l.cls || 'a');
      }
      problems.push(...errors);
      if (problems.length === 0) console.log(`#   ${links.length} links (${[...kinds].join(', ')})`);
      await context.close();
      return problems;
    });
  }
}

async function hover(t, p) {
  await t.check(`${t.name}: previews: pointer hover on a glossary link shows its preview, the text does not move, leaving hides it (${p})`, async () => {
    const { context, page, errors } = await open(t, p);
    const problems = [];
    const link = page.locator('.doc-body a.term').first();
    await link.scrollIntoViewIfNeeded();
    const para = link.locator('xpath=ancestor::p[1]');
    const before = await para.boundingBox();
    await link.hover();
    const tip = page.locator('[role="tooltip"]:visible').first();
    for (const w of await t.waitSeen(tip)) problems.push(`the preview is not seen on hover: ${w}`);
    const after = await para.boundingBox();
    if (before && after && (Math.abs(before.y - after.y) > 0.5 || Math.abs(before.height - after.height) > 0.5)) problems.push('the paragraph moved when the preview showed');
    const s = await page.evaluate(tooltipState, await link.evaluate((a) => [...document.querySelectorAll('a[href]')].indexOf(a)));
    if (!s.describedBy.includes(s.id)) problems.push('the hovered link\'s aria-describedby does not name the preview');
    // the pointer may move into the preview (to follow its link) without closing it
    const box = await tip.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
      await page.waitForTimeout(400);
      if ((await page.evaluate(tooltipState)).count !== 1) problems.push('the preview closes when the pointer moves into it');
    }
    await page.mouse.move(2, 2);
    await page.waitForTimeout(500);
    if ((await page.evaluate(tooltipState)).count !== 0) problems.push('the preview stays once the pointer has left');
    problems.push(...errors);
    await context.close();
    return problems;
  });
}

async function touch(t, p) {
  await t.check(`${t.name}: previews, 390px, touch: the first tap on a glossary link previews it (the page stays), a tap on the preview's link opens the entry (${p})`, async () => {
    const { context, page, errors } = await open(t, p, { viewport: SIZES[2], hasTouch: true, isMobile: true });
    const problems = [];
    const link = page.locator('.doc-body a.term').first();
    await link.scrollIntoViewIfNeeded();
    const start = page.url();
    await link.tap();
    await page.waitForTimeout(300);
    if (page.url() !== start) return [`the first tap followed the link to ${page.url()}`];
    const s = await page.evaluate(tooltipState);
    if (s.count !== 1) return [`${s.count} previews after the first tap`];
    const r = s.rect;
    if (r.left < 0 || r.right > s.viewport.width) problems.push(`the preview reaches past the side (${Math.round(r.left)}–${Math.round(r.right)})`);
    await page.screenshot({ path: path.join(t.shots, `${t.name}-preview-touch-390.png`) });
    const entryLink = page.locator('[role="tooltip"] a[href]').last();
    await Promise.all([page.waitForURL((u) => u.href !== start), entryLink.tap()]);
    const landed = new URL(page.url()).pathname;
    if (!/\/glossary\/[^/]+\/index\.html$/.test(landed)) problems.push(`the preview's link led to ${landed}`);
    problems.push(...errors);
    await context.close();
    return problems;
  });
}

async function settings(t, p) {
  await t.check(`${t.name}: previews: glossary links "plain" keep them; hidden glosses (the self-test) hide them (${p})`, async () => {
    const { context, page } = await open(t, p);
    const problems = [];
    const focusFirst = async () => {
      await page.evaluate(() => document.activeElement?.blur());
      await page.waitForTimeout(300);
      await page.locator('.doc-body a.term').first().focus();
      await page.waitForTimeout(30);
      return (await page.evaluate(tooltipState)).count;
    };
    await page.evaluate(() => document.documentElement.setAttribute('data-terms', 'plain'));
    if ((await focusFirst()) !== 1) problems.push('no preview with glossary links plain');
    await page.evaluate(() => document.documentElement.setAttribute('data-glosses', 'hidden'));
    if ((await focusFirst()) !== 0) problems.push('a preview shows while glosses are hidden');
    await context.close();
    return problems;
  });
}

async function withoutJs(t, p) {
  await t.check(`${t.name}: previews, JavaScript disabled: a glossary link opens its entry, no preview (${p})`, async () => {
    const { context, page } = await open(t, p, { javaScriptEnabled: false });
    const link = page.locator('.doc-body a.term').first();
    const href = await link.evaluate((a) => new URL(a.href).pathname);
    await link.focus();
    const problems = [];
    if ((await page.locator('[role="tooltip"]').count()) !== 0) problems.push('a tooltip is on the page');
    await Promise.all([page.waitForURL((u) => u.pathname === href), link.click()]);
    await context.close();
    return problems;
  });
}

async function axeOpen(t, p) {
  for (const scheme of ['light', 'dark']) {
    for (const vp of SIZES) {
      await t.check(`${t.name}: axe wcag2a+wcag2aa, ${vp.width}px, ${scheme}: a glossary preview open (${p})`, async () => {
        const { context, page } = await open(t, p, { viewport: vp, colorScheme: scheme });
        const link = page.locator('.doc-body a.term').first();
        await link.focus();
        const tip = page.locator('[role="tooltip"]:visible');
        const why = await t.waitSeen(tip.first());
        const problems = why.map((w) => `the preview is not seen: ${w}`);
        problems.push(...(await t.axe(page)));
        await page.screenshot({ path: path.join(t.shots, `${t.name}-preview-open-${vp.width}-${scheme}.png`) });
        await context.close();
        return problems;
      });
    }
  }
}

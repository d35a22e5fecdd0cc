// glossa serve's editor: select a passage of a document's text, press "Annotate", and the new
// note, gloss or glossary term is written to the document's sidecar (src/serve/annotate.rs).
// Each annotation of the sidecar gets "Edit" and "Delete" after it, which change or remove
// that one item. Only in pages that serve sends: `build` never writes this script.
(() => {
  const cfg = window.glossaEditor;
  const body = document.querySelector('.doc-body');
  if (!cfg || !body) return;
  const T = {
    en: {
      toolbar: 'Annotation', annotate: 'Annotate', title: 'Annotate the selection', kind: 'Kind',
      note: 'Note', gloss: 'Gloss', term: 'Glossary term', text: 'Text', termText: 'Entry id',
      id: 'Id', optional: '(optional)', save: 'Save', cancel: 'Cancel', saving: 'Saving…',
      saved: 'Saved; the page reloads.', keys: 'Ctrl+Enter saves, Escape cancels.',
      blocks: 'This selection crosses blocks: select within one paragraph, heading or list item.',
      inside: 'This selection lies inside a note or gloss: select in the text itself.',
      crosses: 'This selection cuts through another annotation: select all of it, or a part inside it.',
      empty: 'The field “Text” is empty.', failed: 'The server did not answer: is glossa serve still running?',
      edit: 'Edit', del: 'Delete', editTitle: 'Edit the annotation', deleteTitle: 'Delete the annotation',
      deleteAsk: (q) => `Delete the annotation of “${q}” from the sidecar?`, deleted: 'Deleted; the page reloads.',
      of: (q) => `of “${q}”`, search: 'Search the glossary (term or form)', entries: 'Glossary entries',
      newEntry: 'New entry…', entryKind: 'Kind of the new entry',
      noEntry: 'Choose an entry of the glossary, or “New entry…”.',
    },
    de: {
      toolbar: 'Anmerkung', annotate: 'Annotieren', title: 'Die Auswahl annotieren', kind: 'Art',
      note: 'Anmerkung', gloss: 'Glosse', term: 'Glossarbegriff', text: 'Text', termText: 'Id des Eintrags',
      id: 'Id', optional: '(optional)', save: 'Speichern', cancel: 'Abbrechen', saving: 'Wird gespeichert …',
      saved: 'Gespeichert; die Seite wird neu geladen.', keys: 'Strg+Enter speichert, Escape bricht ab.',
      blocks: 'Diese Auswahl reicht über einen Absatz hinaus: wählen Sie innerhalb eines Absatzes, einer Überschrift oder eines Listenpunkts.',
      inside: 'Diese Auswahl liegt in einer Anmerkung oder Glosse: wählen Sie im Text selbst.',
      crosses: 'Diese Auswahl schneidet eine andere Annotation: wählen Sie sie ganz oder einen Teil in ihr.',
      empty: 'Das Feld „Text“ ist leer.', failed: 'Der Server antwortet nicht: läuft glossa serve noch?',
      edit: 'Bearbeiten', del: 'Löschen', editTitle: 'Die Annotation bearbeiten', deleteTitle: 'Die Annotation löschen',
      deleteAsk: (q) => `Die Annotation zu „${q}“ aus der Sidecar-Datei löschen?`, deleted: 'Gelöscht; die Seite wird neu geladen.',
      of: (q) => `zu „${q}“`, search: 'Im Glossar suchen (Begriff oder Form)', entries: 'Glossareinträge',
      newEntry: 'Neuer Eintrag …', entryKind: 'Art des neuen Eintrags',
      noEntry: 'Wählen Sie einen Glossareintrag oder „Neuer Eintrag …“.',
    },
  };
  const s = T[String(cfg.lang || 'en').toLowerCase().split('-')[0]] || T.en;
  const BLOCKS = 'p, li, h1, h2, h3, h4, h5, h6, td, th';
  // What a page shows that is not reading text: glosses' texts, note references, notes,
  // nested lists (their items are blocks of their own).
  const SKIP = '.gloss-text, .noteref, aside, .notes, ul, ol, sup, script, style, .glossa-editor, .glossa-editor-bar, .glossa-item-tools';
  const host = document.querySelector('main') || document.body;

  const style = document.createElement('style');
  style.textContent = `
.glossa-editor-bar, .glossa-editor { position: absolute; z-index: 9999; background: Canvas; color: CanvasText;
  border: 1px solid CanvasText; border-radius: 6px; box-shadow: 0 2px 10px rgb(0 0 0 / .25);
  font: 15px/1.4 system-ui, sans-serif; }
.glossa-editor-bar { padding: 2px; }
.glossa-editor-bar button, .glossa-editor button { font: inherit; padding: .3em .8em; border-radius: 4px;
  border: 1px solid CanvasText; background: Canvas; color: CanvasText; cursor: pointer; }
.glossa-editor { padding: .8rem 1rem; width: min(26rem, calc(100vw - 2rem)); box-sizing: border-box; }
.glossa-editor fieldset { border: 0; margin: 0 0 .6rem; padding: 0; display: flex; flex-wrap: wrap; gap: .2rem 1rem; }
.glossa-editor legend, .glossa-editor .glossa-title { font-weight: 600; padding: 0; margin: 0 0 .3rem; }
.glossa-editor label { display: block; margin: .4rem 0 .15rem; }
.glossa-editor fieldset label { display: inline; margin: 0; }
.glossa-editor textarea, .glossa-editor input[type=text] { width: 100%; box-sizing: border-box; font: inherit;
  background: Canvas; color: CanvasText; border: 1px solid CanvasText; border-radius: 4px; padding: .3em; }
.glossa-editor .glossa-actions { display: flex; gap: .5rem; margin-top: .6rem; align-items: center; }
.glossa-editor .glossa-message { margin: .5rem 0 0; white-space: pre-wrap; font-size: 14px; }
.glossa-editor .glossa-message:empty { display: none; }
.glossa-editor .glossa-keys { font-size: 13px; margin: .4rem 0 0; }
/* Edit and Delete stay out of the text's way: out of the flow (where they would stand, just
   under the line), visually hidden, but in the tab order and the accessibility tree; shown
   while the annotation, its note's number or the tools are pointed at or have the focus. A
   short delay before hiding lets the pointer travel from the word to the buttons. */
.glossa-item-tools { position: absolute; z-index: 30; display: inline-flex; gap: 3px; margin: 1.45em 0 0 -.4em;
  padding: 2px; border-radius: 5px; background: Canvas; box-shadow: 0 1px 6px rgb(0 0 0 / .3);
  font: 12px/1.2 system-ui, sans-serif; text-indent: 0; white-space: nowrap;
  clip-path: inset(50%); transition: clip-path 0s linear .3s; }
.annotation:is(:hover, :focus-within) + .glossa-item-tools,
.annotation:is(:hover, :focus-within) + a.noteref + .glossa-item-tools,
a.noteref:is(:hover, :focus, :target) + .glossa-item-tools,
.glossa-item-tools:is(:hover, :focus-within) { clip-path: inset(-12px); transition-delay: 0s; }
.glossa-item-tools button { font: inherit; padding: 2px 6px; border-radius: 3px; cursor: pointer;
  border: 1px solid CanvasText; background: Canvas; color: CanvasText; }
.glossa-item-tools button:hover, .glossa-item-tools button:focus-visible { outline: 2px solid Highlight; outline-offset: 1px; }
.glossa-editor .glossa-combo { position: relative; }
.glossa-editor [role=listbox] { list-style: none; margin: 2px 0 0; padding: 2px; max-height: 12rem; overflow: auto;
  border: 1px solid CanvasText; border-radius: 4px; background: Canvas; }
.glossa-editor [role=option] { padding: .2em .4em; border-radius: 3px; cursor: pointer; }
.glossa-editor [role=option] small { opacity: .8; }
.glossa-editor [role=option][aria-selected=true] { background: Highlight; color: HighlightText; }
.glossa-editor select { font: inherit; background: Canvas; color: CanvasText; border: 1px solid CanvasText; border-radius: 4px; }
.glossa-editor button:focus-visible, .glossa-editor-bar button:focus-visible,
.glossa-editor input:focus-visible, .glossa-editor textarea:focus-visible { outline: 2px solid Highlight; outline-offset: 2px; }
`;
  document.head.appendChild(style);

  // serve asks open pages to reload after each build, numbering its reloads (the event's id).
  // A Save's own build is done before serve answers it, and the answer names that reload
  // (`update`): the page reloads once, when the answer comes, and only a reload of another
  // build, come meanwhile, is one more. Other builds reload the page as always.
  const own = new Set();
  let heard = null; // the reloads asked for while a Save waits for its answer
  window.glossaReload = (e) => {
    if (heard) heard.push(e.lastEventId);
    else if (!own.has(e.lastEventId)) location.reload();
  };
  // After a Save's answer: `wrote` whether it wrote, `update` the number of its build's reload.
  const afterSave = (wrote, update) => {
    const others = heard || [];
    heard = null;
    if (wrote && update != null) {
      own.add(String(update));
      location.reload();
    } else if (others.length) {
      location.reload();
    } else if (wrote) {
      // No build of its own (serve is stopping, or the build failed): the reload comes as
      // for any other build; this is only in case it does not.
      setTimeout(() => location.reload(), 4000);
    }
  };

  // After saving, the page reloads: the new annotation takes the focus.
  const focusId = sessionStorage.getItem('glossa-editor-focus');
  if (focusId) {
    sessionStorage.removeItem('glossa-editor-focus');
    const el = document.getElementById(focusId);
    if (el) {
      if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
      el.focus();
    }
  }

  const skipped = (node, block) => {
    for (let el = node.parentElement; el && el !== block; el = el.parentElement) {
      if (el.matches(SKIP)) return true;
    }
    return false;
  };
  // The reading text of `block` within `range` (all of it without one).
  const textOf = (block, range) => {
    const walk = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let out = '';
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (skipped(n, block) || (range && !range.intersectsNode(n))) continue;
      let a = 0, b = n.data.length;
      if (range && n === range.startContainer) a = range.startOffset;
      if (range && n === range.endContainer) b = range.endOffset;
      out += n.data.slice(a, b);
    }
    return out;
  };
  const blockOf = (node) => {
    const el = node.nodeType === 1 ? node : node.parentElement;
    const block = el && el.closest(BLOCKS);
    return block && body.contains(block) && !block.closest('aside, .notes') ? block : null;
  };
  const squeeze = (t) => t.replace(/\s+/g, '');
  const annotationsAround = (node, block) => {
    const found = [];
    for (let el = node.nodeType === 1 ? node : node.parentElement; el && el !== block; el = el.parentElement) {
      if (el.classList.contains('annotation')) found.push(el);
    }
    return found;
  };

  // The selection as the server places it, or the message why it cannot be annotated.
  const describe = (range) => {
    const inside = (n) => {
      const el = n.nodeType === 1 ? n : n.parentElement;
      return el && el.closest('.gloss-text, aside, .notes, .note');
    };
    if (inside(range.startContainer) || inside(range.endContainer)) return { error: s.inside };
    const block = blockOf(range.startContainer);
    if (!block || block !== blockOf(range.endContainer)) return { error: s.blocks };
    const a = annotationsAround(range.startContainer, block);
    const b = annotationsAround(range.endContainer, block);
    if (a.length !== b.length || a.some((el, i) => el !== b[i])) return { error: s.crosses };
    const before = document.createRange();
    before.setStart(block, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const after = document.createRange();
    after.setStart(range.endContainer, range.endOffset);
    after.setEnd(block, block.childNodes.length);
    const whole = squeeze(textOf(block));
    let nth = 0;
    for (const other of body.querySelectorAll(BLOCKS)) {
      if (other === block) break;
      if (blockOf(other) === other && squeeze(textOf(other)) === whole) nth++;
    }
    return { block, quote: textOf(block, range), before: textOf(block, before), after: textOf(block, after), nth };
  };

  let bar = null, form = null, saved = null;
  const place = (el, rect) => {
    const top = window.scrollY + rect.bottom + 6;
    const left = Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - el.offsetWidth - 8));
    el.style.top = `${top}px`;
    el.style.left = `${left}px`;
  };
  const hideBar = () => { if (bar) { bar.remove(); bar = null; } };

  document.addEventListener('selectionchange', () => {
    if (form) return;
    const sel = document.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0 || !body.contains(sel.getRangeAt(0).commonAncestorContainer)) {
      hideBar();
      return;
    }
    saved = sel.getRangeAt(0).cloneRange();
    if (!bar) {
      bar = document.createElement('div');
      bar.className = 'glossa-editor-bar';
      bar.setAttribute('role', 'toolbar');
      bar.setAttribute('aria-label', s.toolbar);
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = s.annotate;
      button.addEventListener('mousedown', (e) => e.preventDefault());
      button.addEventListener('click', () => openForm(saved));
      bar.appendChild(button);
      host.appendChild(bar);
    }
    place(bar, saved.getBoundingClientRect());
  });

  const element = (tag, props = {}, ...children) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k.startsWith('aria-') || k === 'role' || k === 'for' || k === 'list') el.setAttribute(k, v);
      else el[k] = v;
    }
    el.append(...children);
    return el;
  };

  // The glossary search: a combobox over the entries (by id, term and form), and, for a new
  // annotation, "New entry…", which adds an entry for the selected words.
  function termSearch(quote, allowNew) {
    const input = element('input', {
      type: 'text', id: 'glossa-editor-term', role: 'combobox', autocomplete: 'off',
      'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'glossa-editor-entries',
    });
    const list = element('ul', { id: 'glossa-editor-entries', role: 'listbox', 'aria-label': s.entries, hidden: true });
    const kinds = cfg.kinds && cfg.kinds.length ? cfg.kinds : ['term'];
    const kindSelect = element('select', { id: 'glossa-editor-entry-kind' },
      ...kinds.map((k) => element('option', { value: k, textContent: k })));
    const kindRow = element('p', { hidden: true }, element('label', { for: 'glossa-editor-entry-kind', textContent: s.entryKind }), kindSelect);
    const state = { newEntry: false, active: -1, options: [] };
    const fold = (t) => String(t || '').toLocaleLowerCase();
    const show = (open) => { list.hidden = !open; input.setAttribute('aria-expanded', String(open)); };
    const mark = (i) => {
      state.active = i;
      state.options.forEach((o, j) => o.setAttribute('aria-selected', String(j === i)));
      if (i >= 0) { input.setAttribute('aria-activedescendant', state.options[i].id); state.options[i].scrollIntoView({ block: 'nearest' }); }
      else input.removeAttribute('aria-activedescendant');
    };
    const pick = (o) => {
      state.newEntry = o.dataset.new === '1';
      input.value = state.newEntry ? quote : o.dataset.id;
      kindRow.hidden = !state.newEntry;
      show(false);
      mark(-1);
      input.focus();
    };
    const fill = () => {
      const q = fold(input.value.trim());
      const hits = (cfg.entries || []).filter((e) => !q || [e.id, e.term, ...(e.forms || [])].some((t) => fold(t).includes(q))).slice(0, 30);
      list.replaceChildren(...hits.map((e, i) => element('li', { role: 'option', id: `glossa-entry-${i}` },
        e.term, ' ', element('small', { textContent: `(${e.id})` }))));
      hits.forEach((e, i) => { list.children[i].dataset.id = e.id; });
      if (allowNew && quote) {
        const o = element('li', { role: 'option', id: 'glossa-entry-new', textContent: `${s.newEntry} (${quote})` });
        o.dataset.new = '1';
        list.appendChild(o);
      }
      state.options = [...list.children];
      state.options.forEach((o) => {
        o.setAttribute('aria-selected', 'false');
        o.addEventListener('mousedown', (e) => e.preventDefault());
        o.addEventListener('click', () => pick(o));
      });
      mark(-1);
    };
    input.addEventListener('input', () => { state.newEntry = false; kindRow.hidden = true; fill(); show(true); });
    input.addEventListener('focus', () => { fill(); show(true); });
    input.addEventListener('blur', () => show(false));
    input.addEventListener('keydown', (e) => {
      const n = state.options.length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (list.hidden) { fill(); show(true); }
        if (n) mark(e.key === 'ArrowDown' ? (state.active + 1) % n : (state.active - 1 + n) % n);
      } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !list.hidden && state.active >= 0) {
        e.preventDefault();
        pick(state.options[state.active]);
      } else if (e.key === 'Escape' && !list.hidden) {
        e.preventDefault();
        e.stopPropagation();
        show(false);
      }
    });
    return { input, box: element('div', { className: 'glossa-combo' }, input, list, kindRow), state, kindSelect };
  }

  // The form: a new annotation of `range`, or (with `existing`: { item, key, remove }) an edit
  // or the deletion of an item that is there.
  function openForm(range, existing) {
    hideBar();
    if (form) form.remove();
    const selection = existing ? { quote: existing.item.quote } : describe(range);
    const returnTo = existing ? existing.from : null;
    const message = element('p', { className: 'glossa-message', role: 'alert' });
    const save = element('button', { type: 'submit', textContent: existing && existing.remove ? s.del : s.save });
    const cancel = element('button', { type: 'button', textContent: s.cancel });
    const title = existing ? (existing.remove ? s.deleteTitle : s.editTitle) : s.title;
    const parts = [element('p', { className: 'glossa-title', id: 'glossa-editor-title', textContent: title })];
    const startKind = existing ? existing.key : 'note';
    const radio = (value, label) => element('label', {},
      element('input', { type: 'radio', name: 'glossa-kind', value, checked: value === startKind }), ' ', label);
    const kinds = element('fieldset', {}, element('legend', { textContent: s.kind }),
      radio('note', s.note), radio('gloss', s.gloss), radio('term', s.term));
    const textArea = element('textarea', { id: 'glossa-editor-text', rows: 3 });
    const search = termSearch(existing ? '' : selection.quote, !existing);
    const textLabel = element('label', { for: 'glossa-editor-text', textContent: s.text });
    const idInput = element('input', { type: 'text', id: 'glossa-editor-id', autocomplete: 'off' });
    if (existing && existing.remove) {
      parts.push(element('p', { textContent: s.deleteAsk(existing.item.quote) }));
    } else {
      parts.push(kinds, textLabel, textArea, search.box,
        element('label', { for: 'glossa-editor-id' }, s.id, ' ', element('span', { textContent: s.optional })), idInput);
    }
    parts.push(element('div', { className: 'glossa-actions' }, save, cancel),
      element('p', { className: 'glossa-keys', textContent: s.keys }), message);
    form = element('form', { className: 'glossa-editor', role: 'dialog', 'aria-labelledby': 'glossa-editor-title' }, ...parts);
    const kind = () => { const k = form.querySelector('input[name=glossa-kind]:checked'); return k ? k.value : ''; };
    const field = () => (kind() === 'term' ? search.input : textArea);
    const showKind = () => {
      const term = kind() === 'term';
      search.box.hidden = !term;
      textArea.hidden = term;
      textLabel.setAttribute('for', field().id);
      textLabel.textContent = term ? `${s.text} (${s.termText})` : s.text;
    };
    kinds.addEventListener('change', showKind);
    if (existing && !existing.remove) {
      const value = String(existing.item[existing.key] || '').trim();
      if (existing.key === 'term') search.input.value = value; else textArea.value = value;
      idInput.value = existing.item.ownId || '';
    }
    showKind();
    const close = () => {
      form.remove();
      form = null;
      if (returnTo) { returnTo.focus(); return; }
      const block = selection.block || blockOf(range.startContainer);
      if (block) {
        if (!block.hasAttribute('tabindex')) block.setAttribute('tabindex', '-1');
        block.focus({ preventScroll: true });
      }
      const sel = document.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    };
    const submit = async () => {
      if (selection.error) { message.textContent = selection.error; return; }
      const removing = existing && existing.remove;
      const text = removing ? '' : field().value.trim();
      if (!removing && !text) { message.textContent = s.empty; field().focus(); return; }
      const request = { document: cfg.document, kind: kind(), text, id: idInput.value.trim() };
      if (existing) {
        Object.assign(request, { action: removing ? 'delete' : 'edit', quote: existing.item.quote,
          index: existing.item.index, version: cfg.version, key: existing.key });
      } else {
        Object.assign(request, { quote: selection.quote, before: selection.before, after: selection.after, nth: selection.nth });
        if (kind() === 'term' && search.state.newEntry) Object.assign(request, { new_entry: true, entry_kind: search.kindSelect.value });
        else if (kind() === 'term' && !(cfg.entries || []).some((e) => e.id === text)) { message.textContent = s.noEntry; field().focus(); return; }
      }
      save.disabled = true;
      message.textContent = s.saving;
      heard = [];
      try {
        const response = await fetch(cfg.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-glossa-token': cfg.token },
          body: JSON.stringify(request),
        });
        const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
        if (!response.ok) {
          message.textContent = answer.error || `HTTP ${response.status}`;
          save.disabled = false;
          afterSave(false);
          return;
        }
        message.textContent = removing ? s.deleted : s.saved;
        if (answer.id) sessionStorage.setItem('glossa-editor-focus', answer.id);
        afterSave(true, answer.update);
      } catch {
        message.textContent = s.failed;
        save.disabled = false;
        afterSave(false);
      }
    };
    form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
    cancel.addEventListener('click', close);
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); close(); }
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(); }
    });
    host.appendChild(form);
    place(form, (existing ? existing.from : range).getBoundingClientRect());
    if (selection.error) message.textContent = selection.error;
    (existing && existing.remove ? save : form.querySelector('input[name=glossa-kind]:checked')).focus();
  }

  // "Edit" and "Delete" after each annotation of the sidecar that the page shows (after its
  // note's reference, when it has one). Edit edits the item's note, else its gloss, else its
  // term; an item that only links (`see`) can be deleted.
  for (const item of cfg.annotations || []) {
    const el = body.querySelector(`[data-annotation="${CSS.escape(item.id)}"]`);
    if (!el) continue;
    const key = ['note', 'gloss', 'term'].find((k) => item[k] != null);
    const tools = element('span', { className: 'glossa-item-tools' });
    const button = (label, action) => {
      const b = element('button', { type: 'button', textContent: label, 'aria-label': `${label} ${s.of(item.quote)}` });
      b.addEventListener('click', () => openForm(null, { item, key, remove: action === 'delete', from: b }));
      tools.appendChild(b);
    };
    if (key) button(s.edit, 'edit');
    button(s.del, 'delete');
    const after = el.nextElementSibling && el.nextElementSibling.matches('.noteref') ? el.nextElementSibling : el;
    after.after(tools);
  }
})();

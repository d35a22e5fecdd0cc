// glossa serve's editor: select a passage of a document's text, press "Annotate", and the new
// note, gloss or glossary term is written to the document's sidecar (src/serve/annotate.rs).
// Only in pages that serve sends: `build` never writes this script.
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
    },
  };
  const s = T[String(cfg.lang || 'en').toLowerCase().split('-')[0]] || T.en;
  const BLOCKS = 'p, li, h1, h2, h3, h4, h5, h6, td, th';
  // What a page shows that is not reading text: glosses' texts, note references, notes,
  // nested lists (their items are blocks of their own).
  const SKIP = '.gloss-text, .noteref, aside, .notes, ul, ol, sup, script, style, .glossa-editor, .glossa-editor-bar';
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
.glossa-editor button:focus-visible, .glossa-editor-bar button:focus-visible,
.glossa-editor input:focus-visible, .glossa-editor textarea:focus-visible { outline: 2px solid Highlight; outline-offset: 2px; }
`;
  document.head.appendChild(style);

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

  function openForm(range) {
    hideBar();
    const selection = describe(range);
    const message = element('p', { className: 'glossa-message', role: 'alert' });
    const radio = (value, label, checked) => element('label', {},
      element('input', { type: 'radio', name: 'glossa-kind', value, checked }), ' ', label);
    const kinds = element('fieldset', {}, element('legend', { textContent: s.kind }),
      radio('note', s.note, true), radio('gloss', s.gloss, false), radio('term', s.term, false));
    const textArea = element('textarea', { id: 'glossa-editor-text', rows: 3 });
    const datalist = element('datalist', { id: 'glossa-editor-entries' },
      ...(cfg.entries || []).map(([id, term]) => element('option', { value: id, label: term })));
    const termInput = element('input', { type: 'text', id: 'glossa-editor-term', list: 'glossa-editor-entries', hidden: true, autocomplete: 'off' });
    const textLabel = element('label', { for: 'glossa-editor-text', textContent: s.text });
    const idInput = element('input', { type: 'text', id: 'glossa-editor-id', autocomplete: 'off' });
    const save = element('button', { type: 'submit', textContent: s.save });
    const cancel = element('button', { type: 'button', textContent: s.cancel });
    form = element('form', { className: 'glossa-editor', role: 'dialog', 'aria-labelledby': 'glossa-editor-title' },
      element('p', { className: 'glossa-title', id: 'glossa-editor-title', textContent: s.title }),
      kinds, textLabel, textArea, termInput, datalist,
      element('label', { for: 'glossa-editor-id' }, s.id, ' ', element('span', { textContent: s.optional })), idInput,
      element('div', { className: 'glossa-actions' }, save, cancel),
      element('p', { className: 'glossa-keys', textContent: s.keys }),
      message);
    const kind = () => form.querySelector('input[name=glossa-kind]:checked').value;
    const field = () => (kind() === 'term' ? termInput : textArea);
    kinds.addEventListener('change', () => {
      const term = kind() === 'term';
      termInput.hidden = !term;
      textArea.hidden = term;
      textLabel.setAttribute('for', field().id);
      textLabel.textContent = term ? `${s.text} (${s.termText})` : s.text;
    });
    const close = () => {
      form.remove();
      form = null;
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
      const text = field().value.trim();
      if (!text) { message.textContent = s.empty; field().focus(); return; }
      save.disabled = true;
      message.textContent = s.saving;
      try {
        const response = await fetch(cfg.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-glossa-token': cfg.token },
          body: JSON.stringify({
            document: cfg.document, quote: selection.quote, before: selection.before,
            after: selection.after, nth: selection.nth, kind: kind(), text, id: idInput.value.trim(),
          }),
        });
        const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
        if (!response.ok) {
          message.textContent = answer.error || `HTTP ${response.status}`;
          save.disabled = false;
          return;
        }
        message.textContent = s.saved;
        sessionStorage.setItem('glossa-editor-focus', answer.id);
        // serve's watcher rebuilds the page and tells it to reload; this is only in case it
        // does not.
        setTimeout(() => location.reload(), 4000);
      } catch {
        message.textContent = s.failed;
        save.disabled = false;
      }
    };
    form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
    cancel.addEventListener('click', close);
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); close(); }
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(); }
    });
    host.appendChild(form);
    place(form, range.getBoundingClientRect());
    if (selection.error) message.textContent = selection.error;
    form.querySelector('input[name=glossa-kind]:checked').focus();
  }
})();

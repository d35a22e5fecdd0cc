/* glossa sidenotes: on wide screens, each note of the default theme stands beside the line of its
 * reference, in the margin column.
 *
 * Without this script the stylesheet floats each block's notes into the margin after the block
 * (section 9 of glossa.css); long notes then stack and drift far below their lines. This script
 * places every note absolutely, its first line level with its reference's line, unless the note
 * before it is still in the way: then it starts right below that one. A note is shown whole when
 * it ends before the lines of the notes after it; else it is cut after the last of its lines
 * that leaves them at their lines (one line at least), with a "more" button (aria-expanded,
 * aria-controls) that shows it whole and lays out the notes after it again. So a note is pushed
 * below its line only where references crowd one line, and then by a line of a note or two. A
 * note whose reference was followed (the link target), or into which keyboard focus moves, is
 * shown whole. Layout runs again when fonts load, when the text or a note changes size
 * (ResizeObserver), on load, on every resize of the window and when a reading setting changes
 * (settings.js). Below the breakpoint, and while the reader hides the notes, the notes are left
 * to the stylesheet (they open under their block when their reference is followed).
 *
 * The button's words come from the theme's interface strings, in data-more and data-less on this
 * script's own <script> element (document.html).
 */
(function () {
  'use strict';

  /* The width from which notes stand in the margin: the same as section 9 of glossa.css. */
  var WIDE = '(min-width: 1024px)';
  /* How far a line may reach into the space before the next note and still be shown. */
  var FIT_PX = 3;
  /* The space between two notes, in lines of a note. */
  var GAP_LINES = 0.45;
  /* Where a line's baseline lies in the box of its glyphs, as a share of the box's height;
   * near enough for every serif, and the same for the text and its note. */
  var BASELINE = 0.8;

  var script = document.currentScript;
  var body = document.querySelector('.doc-body');
  if (!body || !window.ResizeObserver || !window.matchMedia) return;
  /* The document's box: the last note may reach beside what follows the text (the margin
   * column is free there), but never below the document. */
  var frame = body.closest('.doc') || body;
  var words = {
    more: (script && script.dataset.more) || 'more',
    less: (script && script.dataset.less) || 'less',
  };
  var wide = window.matchMedia(WIDE);

  /* Every note the script places, in number order: notes in table cells stay in their cell. */
  var notes = [];
  body.querySelectorAll('aside.notes > .note[id^="note-"]').forEach(function (el) {
    if (el.closest('td, th')) return;
    var ref = document.getElementById('noteref-' + el.id.slice('note-'.length));
    var text = el.querySelector('.note-body');
    if (!ref || !text) return;
    notes.push({ el: el, ref: ref, text: text, button: null, expanded: false });
  });
  if (notes.length === 0) return;

  function makeButton(note) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'note-more';
    b.setAttribute('aria-controls', note.el.id);
    b.setAttribute('aria-expanded', 'false');
    b.textContent = words.more;
    b.hidden = true;
    b.addEventListener('click', function () {
      setExpanded(note, !note.expanded);
    });
    note.el.appendChild(b);
    note.button = b;
  }

  function setExpanded(note, expanded) {
    if (note.expanded === expanded) return;
    note.expanded = expanded;
    schedule();
  }

  /* The box of the glyph of the first letter of `root`'s text: where its first line stands. */
  function firstGlyphs(root) {
    var walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var t = walk.nextNode(); t; t = walk.nextNode()) {
      var i = t.data.search(/\S/);
      if (i < 0 || t.parentElement.closest('.gloss-text')) continue;
      var r = document.createRange();
      r.setStart(t, i);
      r.setEnd(t, i + 1);
      var box = r.getClientRects()[0];
      if (box && box.height > 0) return box;
    }
    return null;
  }

  /* The box of the glyph just before a reference (a gloss's popover and the notes of earlier
   * blocks not counted): the line the reference stands on. */
  function lineGlyphs(ref) {
    var block = ref.closest('p, li, h2, h3, h4, h5, h6, blockquote, dd, dt') || body;
    var walk = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    var last = null;
    for (var t = walk.nextNode(); t; t = walk.nextNode()) {
      if (ref.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) break;
      if (/\S/.test(t.data) && !t.parentElement.closest('.gloss-text, aside.notes')) last = t;
    }
    if (last) {
      var end = last.data.replace(/\s+$/, '').length;
      var r = document.createRange();
      r.setStart(last, end - 1);
      r.setEnd(last, end);
      var rects = r.getClientRects();
      var box = rects[rects.length - 1];
      if (box && box.height > 0) return box;
    }
    return ref.getBoundingClientRect();
  }

  var placed = false;

  /* Back to the stylesheet's own layout (narrow screens). */
  function release() {
    if (!placed) return;
    placed = false;
    body.classList.remove('sidenotes');
    frame.style.paddingBottom = '';
    notes.forEach(function (n) {
      n.el.classList.remove('sidenote', 'is-collapsed');
      n.el.style.top = n.el.style.left = '';
      n.text.style.maxHeight = '';
      if (n.button) n.button.hidden = true;
    });
  }

  /* The bottoms of the lines of a note's text, from its top: where it may be cut. */
  function lineBottoms(text, half) {
    var top = text.getBoundingClientRect().top;
    var bottoms = [];
    var walk = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    var range = document.createRange();
    for (var t = walk.nextNode(); t; t = walk.nextNode()) {
      if (!/\S/.test(t.data) || t.parentElement.closest('.gloss-text')) continue;
      range.selectNodeContents(t);
      var rects = range.getClientRects();
      for (var i = 0; i < rects.length; i++) {
        if (rects[i].height > 0) bottoms.push(rects[i].bottom - top + half);
      }
    }
    bottoms.sort(function (a, b) { return a - b; });
    var cuts = [];
    bottoms.forEach(function (b) {
      if (!cuts.length || b > cuts[cuts.length - 1] + 2) cuts.push(b);
      else cuts[cuts.length - 1] = Math.max(cuts[cuts.length - 1], b);
    });
    return cuts.length ? cuts : [text.offsetHeight];
  }

  function layout() {
    // Narrow screens, or notes the reader hid (reading settings): nothing to place.
    var rendered = notes.some(function (n) { return n.el.getClientRects().length > 0; });
    if (!wide.matches || !rendered) {
      release();
      return;
    }
    placed = true;
    body.classList.add('sidenotes');

    // Measure every note whole (with its button where the reader opened it).
    notes.forEach(function (n) {
      if (!n.button) makeButton(n);
      n.el.classList.add('sidenote');
      n.el.classList.remove('is-collapsed');
      n.text.style.maxHeight = '';
      n.button.hidden = !n.expanded;
    });
    var bodyBox = body.getBoundingClientRect();
    var frameBox = frame.getBoundingClientRect();
    var framePad = parseFloat(frame.style.paddingBottom) || 0;
    var textStyle = getComputedStyle(notes[0].text);
    var lineH = parseFloat(textStyle.lineHeight) || 1.45 * parseFloat(textStyle.fontSize);
    var gap = GAP_LINES * lineH;
    var m = notes.map(function (n) {
      var box = n.el.getBoundingClientRect();
      var parent = n.el.offsetParent || body;
      var pBox = parent.getBoundingClientRect();
      var line = lineGlyphs(n.ref);
      var own = firstGlyphs(n.text);
      var ownBaseline = own ? own.top - box.top + BASELINE * own.height : 0.75 * lineH;
      var textTop = n.text.offsetTop;
      var cuts = lineBottoms(n.text, own ? (lineH - own.height) / 2 : 0);
      return {
        want: line.top + BASELINE * line.height - ownBaseline,
        whole: box.height,
        textTop: textTop,
        cuts: cuts,
        origin: { x: pBox.left + parent.clientLeft, y: pBox.top + parent.clientTop },
        x: bodyBox.right - box.width,
      };
    });

    // Place them in order: each at its line or right below the one before; a note that would
    // push the next ones too far is cut after the last line that fits.
    var bottom = -Infinity;
    var plan = m.map(function (g, i) {
      var top = Math.max(g.want, bottom + gap);
      var p = { top: top, height: g.whole, cut: 0 };
      // The room before the next note's line: a longer note would push that one off it (and
      // the notes after it only through that one).
      var fits = i + 1 < m.length ? m[i + 1].want - gap - top : Infinity;
      if (!notes[i].expanded && g.whole > fits) {
        var k = 0;
        while (k + 1 < g.cuts.length && g.textTop + g.cuts[k + 1] <= fits + FIT_PX) k++;
        if (k + 1 < g.cuts.length) p = { top: top, height: g.textTop + g.cuts[k], cut: g.cuts[k] };
      }
      bottom = top + p.height;
      return p;
    });

    // Write.
    plan.forEach(function (p, i) {
      var n = notes[i];
      var g = m[i];
      n.el.style.top = (p.top - g.origin.y).toFixed(2) + 'px';
      n.el.style.left = (g.x - g.origin.x).toFixed(2) + 'px';
      n.el.classList.toggle('is-collapsed', p.cut > 0);
      n.text.style.maxHeight = p.cut > 0 ? p.cut.toFixed(2) + 'px' : '';
      n.button.hidden = !(p.cut > 0 || n.expanded);
      n.button.setAttribute('aria-expanded', String(n.expanded));
      n.button.textContent = n.expanded ? words.less : words.more;
    });
    // The document grows to hold the last note, so that it never runs into the page's footer.
    var need = Math.max(0, Math.ceil(bottom - (frameBox.bottom - framePad)));
    frame.style.paddingBottom = need ? need + 'px' : '';
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      layout();
    });
  }

  /* The note the address points to, if any. */
  function target() {
    var id;
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (e) {
      return null;
    }
    for (var i = 0; i < notes.length; i++) if (notes[i].el.id === id) return notes[i];
    return null;
  }

  /* A followed reference, or keyboard focus inside a note, shows the note whole. */
  function showTarget() {
    var n = target();
    if (n) setExpanded(n, true);
  }
  body.addEventListener('focusin', function (e) {
    notes.forEach(function (n) {
      var cut = n.el.classList.contains('is-collapsed');
      if (cut && n.text.contains(e.target)) setExpanded(n, true);
    });
  });
  window.addEventListener('hashchange', showTarget);

  var watch = new ResizeObserver(schedule);
  watch.observe(body);
  notes.forEach(function (n) {
    watch.observe(n.el);
  });
  if (wide.addEventListener) wide.addEventListener('change', schedule);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(schedule);
  window.addEventListener('load', schedule);
  window.addEventListener('resize', schedule); // the text may move without changing its size
  document.addEventListener('glossa:settings', schedule); // a reading setting changed (settings.js)
  showTarget();
  layout();
  // The browser may have scrolled to a note in the address before it was moved.
  var first = target();
  if (first && placed) first.el.scrollIntoView();
})();

/* glossa glossary previews: a look at a glossary entry without leaving the text.
 *
 * A reading page that links glossary entries carries their previews, made by glossa, in a
 * <template class="glossary-previews">: one .preview element an entry (its term, kind, the first
 * paragraph of its definition, a link to its page), found by its data-href, the address the page
 * links it by. Every link on the page to one of those addresses (occurrences, term: and see:
 * links, links in notes, lists of terms) shows its entry's preview:
 *
 *   - on pointer hover (after a short pause), staying while the pointer moves into it;
 *   - on keyboard focus, at once;
 *   - on touch, the first tap shows it and a tap on its link (or a second tap on the same
 *     link) follows;
 *   - Escape closes it; so do a tap elsewhere, the pointer leaving, and focus leaving the link.
 *
 * The preview is one element with role="tooltip", placed under the link (above it when there is
 * no room below), absolutely positioned so that the text does not move, and kept inside the
 * viewport; while it shows, the link's aria-describedby points at it. Without JavaScript the
 * links go to the entry's page, as they always do.
 *
 * "Glossary links plain" in the reading settings leaves previews as they are (help on demand);
 * "glosses hidden", the reader's self-test, hides them too: the words stay, the help goes.
 */
(function () {
  'use strict';

  var data = document.querySelector('template.glossary-previews');
  if (!data || !('content' in data)) return;

  var SHOW_AFTER = 150; /* ms of hover before a preview shows */
  var HIDE_AFTER = 250; /* ms after the pointer leaves, time to reach the preview */
  var MARGIN = 8; /* px kept between the preview and the viewport's edges, and the link */

  var root = document.documentElement;
  var byAddress = Object.create(null);
  Array.prototype.forEach.call(data.content.querySelectorAll('.preview[data-href]'), function (p) {
    byAddress[address(p.getAttribute('data-href'))] = p;
  });

  var tip = document.createElement('div');
  tip.className = 'glossary-preview';
  tip.id = freeId('glossary-preview');
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  document.body.appendChild(tip);

  var current = null; /* the link whose preview shows */
  var describedBefore = null; /* its own aria-describedby, given back when the preview goes */
  var showTimer = 0;
  var hideTimer = 0;
  var lastPointer = { type: '', time: 0, shownFor: null };

  /* An address without its fragment, absolute. */
  function address(href) {
    try {
      var u = new URL(href, document.baseURI);
      u.hash = '';
      return u.href;
    } catch (e) {
      return '';
    }
  }

  function freeId(base) {
    var id = base;
    for (var n = 2; document.getElementById(id); n++) id = base + '-' + n;
    return id;
  }

  /* The link at or around `el` that has a preview, or null. */
  function previewLink(el) {
    var a = el && el.closest ? el.closest('a[href]') : null;
    if (!a || tip.contains(a)) return null;
    return byAddress[address(a.getAttribute('href'))] ? a : null;
  }

  function selfTest() {
    return root.getAttribute('data-glosses') === 'hidden';
  }

  function show(link) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (selfTest()) return;
    if (current === link && !tip.hidden) return;
    hide();
    var preview = byAddress[address(link.getAttribute('href'))];
    tip.replaceChildren(document.importNode(preview, true));
    tip.hidden = false;
    current = link;
    describedBefore = link.getAttribute('aria-describedby');
    link.setAttribute('aria-describedby', describedBefore ? describedBefore + ' ' + tip.id : tip.id);
    place();
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current) {
      if (describedBefore) current.setAttribute('aria-describedby', describedBefore);
      else current.removeAttribute('aria-describedby');
    }
    current = null;
    describedBefore = null;
    tip.hidden = true;
    tip.replaceChildren();
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_AFTER);
  }

  /* Under the link's line (the line the pointer is on, else its first), or above it when there
   * is more room there; its left edge at the link's, moved in to stay inside the viewport. */
  function place() {
    if (!current) return;
    var lines = current.getClientRects();
    var line = lines[0] || current.getBoundingClientRect();
    for (var i = 0; i < lines.length; i++) {
      if (lastPointer.y >= lines[i].top && lastPointer.y <= lines[i].bottom) line = lines[i];
    }
    /* A gloss in or around the link shows its text above the word: the preview keeps clear of
     * it too. */
    var around = current.closest('.gloss');
    var glosses = Array.prototype.slice.call(current.querySelectorAll('.gloss-text'));
    if (around) glosses.push(around.querySelector('.gloss-text'));
    var top0 = line.top;
    var bottom0 = line.bottom;
    glosses.forEach(function (g) {
      var r = g && g.getBoundingClientRect();
      if (!r || !r.height || r.bottom < line.top - 2 * line.height || r.top > line.bottom) return;
      top0 = Math.min(top0, r.top);
      bottom0 = Math.max(bottom0, r.bottom);
    });
    line = { left: line.left, top: top0, bottom: bottom0 };
    var vw = root.clientWidth;
    var vh = window.innerHeight;
    tip.style.left = '0px';
    tip.style.top = '0px';
    var w = tip.offsetWidth;
    var h = tip.offsetHeight;
    /* the box absolute positions are measured from: <html>, unless the theme positions <body> */
    var base = (getComputedStyle(document.body).position === 'static' ? root : document.body).getBoundingClientRect();
    var left = Math.min(Math.max(line.left, MARGIN), vw - w - MARGIN);
    var below = vh - line.bottom - MARGIN;
    var above = line.top - MARGIN;
    var top = h + MARGIN <= below || below >= above ? line.bottom + MARGIN : line.top - MARGIN - h;
    tip.classList.toggle('is-above', top < line.top);
    tip.style.left = Math.max(left, MARGIN) - base.left + 'px';
    tip.style.top = top - base.top + 'px';
  }

  document.addEventListener('pointerover', function (e) {
    if (e.pointerType === 'touch') return;
    lastPointer.y = e.clientY;
    if (tip.contains(e.target)) {
      clearTimeout(hideTimer);
      return;
    }
    var link = previewLink(e.target);
    if (!link) return;
    clearTimeout(hideTimer);
    if (link === current) return;
    clearTimeout(showTimer);
    showTimer = setTimeout(function () {
      show(link);
    }, SHOW_AFTER);
  });

  document.addEventListener('pointerout', function (e) {
    if (e.pointerType === 'touch') return;
    var to = e.relatedTarget;
    var from = previewLink(e.target) || (tip.contains(e.target) ? tip : null);
    if (!from) return;
    if (to && (from.contains(to) || tip.contains(to) || (current && current.contains(to)))) return;
    clearTimeout(showTimer);
    if (current && document.activeElement !== current) hideSoon();
  });

  document.addEventListener('focusin', function (e) {
    if (Date.now() - lastPointer.time > 500) lastPointer.y = undefined; /* focus from the keyboard */
    var link = previewLink(e.target);
    if (link) show(link);
    else if (!tip.contains(e.target)) hide();
  });

  document.addEventListener('focusout', function (e) {
    if (e.target !== current) return;
    if (e.relatedTarget && tip.contains(e.relatedTarget)) return;
    hideSoon();
  });

  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && current) {
      hide();
      e.stopPropagation();
    }
  });

  /* Touch: the first tap on a link previews its entry; a tap on the preview's link, or on the
   * same link again, follows. A tap anywhere else closes the preview. */
  document.addEventListener('pointerdown', function (e) {
    lastPointer = { type: e.pointerType, time: Date.now(), shownFor: tip.hidden ? null : current, y: e.clientY };
    if (current && !tip.contains(e.target) && !current.contains(e.target)) hide();
  });

  document.addEventListener('click', function (e) {
    var link = previewLink(e.target);
    if (!link || lastPointer.type !== 'touch' || Date.now() - lastPointer.time > 1500) return;
    if (lastPointer.shownFor === link) return;
    e.preventDefault();
    show(link);
  });

  window.addEventListener('resize', place);
  /* The reader changed a setting: a larger text moves the link; hidden glosses hide previews. */
  document.addEventListener('glossa:settings', function () {
    if (selfTest()) hide();
    else place();
  });
})();

/* glossa search: runs on search/index.html over the index that `glossa build` writes to search/.
 *
 * The index files are scripts that call glossaSearch.meta / .chunk / .fragments, so they load
 * from file:// as well as from any static host. A query loads meta.js once, the chunks whose
 * word range can hold each query word as a prefix (at most MAX_CHUNKS per word; meta.chunks
 * lists each chunk's first word, meta.chunk_files its file's name), and the fragment files
 * holding the results it shows, PAGE_SIZE results at a time (a fragment file holds the
 * fragments of meta.group pages in a row, 0 in place of a page listed in meta.alone, which is a
 * file of its own). Folding and word splitting are the same as in src/render/search/: keep
 * the two in step.
 */
(function () {
  'use strict';

  var PAGE_SIZE = 10;
  var MAX_CHUNKS = 3;
  var SECTIONS_SHOWN = 3;
  var SNIPPET = 180;

  var box = document.getElementById('search');
  if (!box) return;
  var form = document.querySelector('.search-form');
  var input = document.getElementById('search-q');
  var status = box.querySelector('.search-status');
  var list = box.querySelector('.search-results');
  var base = box.dataset.index;
  var root = box.dataset.root;

  /* Loading the index: one <script> per file, resolved by the call it makes. */
  var waiting = {};
  function load(key, src) {
    if (!waiting[key]) {
      var w = {};
      w.promise = new Promise(function (resolve, reject) {
        w.resolve = resolve;
        var s = document.createElement('script');
        s.src = base + src;
        s.async = true;
        s.onerror = function () { reject(new Error('cannot load ' + src)); };
        document.head.appendChild(s);
      });
      waiting[key] = w;
    }
    return waiting[key].promise;
  }
  function arrived(key, data) {
    var w = waiting[key];
    if (w) w.resolve(data);
  }
  window.glossaSearch = {
    meta: function (m) { arrived('meta', m); },
    chunk: function (name, c) { arrived('c' + name, c); },
    fragments: function (name, first, list) { arrived('f' + name, { first: first, list: list }); }
  };

  /* Folding, as in src/render/search/words.rs. */
  var SPECIAL = { 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'đ': 'd', 'ł': 'l', 'þ': 'th', 'ı': 'i', 'ς': 'σ' };
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  function fold(s, digraphs) {
    s = s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
    s = s.replace(/[ßæœøđłþıς]/g, function (c) { return SPECIAL[c]; });
    if (digraphs) s = s.replace(/ae|oe|ue/g, function (d) { return d[0]; });
    return s;
  }
  /* Words are cut to WORD_CHARS characters, as the index's are (words.rs). */
  var WORD_CHARS = 64;
  function words(folded) {
    return (folded.match(WORD) || []).map(function (w) {
      var chars = Array.from(w);
      return chars.length > WORD_CHARS ? chars.slice(0, WORD_CHARS).join('') : w;
    });
  }
  /* Code point order, as Rust sorts the words. */
  function cmp(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return (a.length - i) - (b.length - j);
  }

  /* The fragment of page `page`: from its own file if it has one, else from its group's. */
  function fragment(meta, page) {
    var name = meta.alone.indexOf(page) >= 0 ? 'p' + page : String(Math.floor(page / meta.group));
    return load('f' + name, 'f/' + name + '.js').then(function (file) { return file.list[page - file.first]; });
  }

  /* The chunks that can hold words starting with `term`: chunk i holds [first_i, first_i+1). */
  function chunksFor(meta, term) {
    var firsts = meta.chunks, out = [];
    for (var i = 0; i < firsts.length; i++) {
      var next = firsts[i + 1];
      if (next !== undefined && cmp(next, term) <= 0) continue;
      if (cmp(firsts[i], term) > 0 && !firsts[i].startsWith(term)) break;
      out.push(i);
      if (out.length === MAX_CHUNKS) break;
    }
    return out;
  }

  /* Pages holding every term (as a word or a word's prefix), best first. */
  function rank(meta, terms, chunks) {
    var scores = null;
    terms.forEach(function (term) {
      var found = {};
      chunks[term].forEach(function (chunk) {
        Object.keys(chunk).forEach(function (word) {
          if (!word.startsWith(term)) return;
          var postings = chunk[word];
          var df = postings.length / 2;
          var weight = Math.log(1 + meta.pages / df) * (word === term ? 2 : 1);
          var page = 0;
          for (var k = 0; k < postings.length; k += 2) {
            page += postings[k];
            found[page] = (found[page] || 0) + weight * (1 + Math.log(postings[k + 1]));
          }
        });
      });
      if (scores === null) {
        scores = found;
      } else {
        var both = {};
        Object.keys(scores).forEach(function (p) {
          if (found[p] !== undefined) both[p] = scores[p] + found[p];
        });
        scores = both;
      }
    });
    return Object.keys(scores || {})
      .map(function (p) { return { page: +p, score: scores[p] }; })
      .sort(function (a, b) { return b.score - a.score || a.page - b.page; });
  }

  /* The parts of `text` as [string, isMatch] pairs, and whether any word matched. */
  function highlight(text, terms, digraphs) {
    var parts = [], last = 0, hits = {}, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      var w = fold(m[0], digraphs);
      var term = terms.find(function (t) { return w.startsWith(t); });
      if (term === undefined) continue;
      hits[term] = true;
      if (m.index > last) parts.push([text.slice(last, m.index), false]);
      parts.push([m[0], true]);
      last = m.index + m[0].length;
    }
    if (last < text.length) parts.push([text.slice(last), false]);
    return { parts: parts, hits: Object.keys(hits).length };
  }

  /* A window of about SNIPPET characters around the first match. */
  function snippet(parts) {
    var at = 0, first = -1, total = 0;
    parts.forEach(function (p) {
      if (p[1] && first < 0) first = at;
      at += p[0].length;
    });
    total = at;
    var start = Math.max(0, first - SNIPPET / 3), end = Math.min(total, start + SNIPPET);
    var out = [], pos = 0;
    parts.forEach(function (p) {
      var a = pos, b = pos + p[0].length;
      pos = b;
      if (b <= start || a >= end) return;
      var s = p[0].slice(Math.max(0, start - a), Math.min(p[0].length, end - a));
      if (p[1]) s = p[0]; /* never cut a match */
      out.push([s, p[1]]);
    });
    if (start > 0) out.unshift(['…', false]);
    if (end < total) out.push(['…', false]);
    return out;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function sectionLabel(kind, anchor) {
    if (kind === 'note') return box.dataset.kindNote + ' ' + anchor.replace('note-', '');
    if (kind === 'gloss') return box.dataset.kindGloss;
    if (kind === 'translation') return box.dataset.kindTranslation || '';
    return '';
  }

  function showResult(fragment, terms, digraphs) {
    var li = el('li', 'search-result');
    var head = el('p', 'search-result-title');
    var a = el('a', null, fragment.t);
    a.href = root + fragment.u;
    head.appendChild(a);
    var kind = box.dataset['kind' + fragment.k.charAt(0).toUpperCase() + fragment.k.slice(1)];
    if (kind) head.appendChild(el('span', 'search-result-kind', kind));
    li.appendChild(head);
    var matches = fragment.s
      .map(function (s, i) { var h = highlight(s[2], terms, digraphs); return { s: s, h: h, i: i }; })
      .filter(function (x) { return x.h.hits > 0; })
      .sort(function (x, y) { return y.h.hits - x.h.hits || x.i - y.i; })
      .slice(0, SECTIONS_SHOWN);
    if (matches.length) {
      var ul = el('ul', 'search-sections');
      matches.forEach(function (x) {
        var item = el('li', 'search-section search-section-' + x.s[1]);
        var link = el('a');
        link.href = root + fragment.u + (x.s[0] ? '#' + x.s[0] : '');
        var label = sectionLabel(x.s[1], x.s[0]);
        if (label) link.appendChild(el('span', 'search-section-kind', label));
        snippet(x.h.parts).forEach(function (p) {
          link.appendChild(p[1] ? el('mark', null, p[0]) : document.createTextNode(p[0]));
        });
        item.appendChild(link);
        ul.appendChild(item);
      });
      li.appendChild(ul);
    }
    return li;
  }

  var current = 0;
  function search(query) {
    var run = ++current;
    list.textContent = '';
    var more = box.querySelector('.search-more');
    if (more) more.remove();
    if (!query.trim()) {
      status.textContent = '';
      return Promise.resolve();
    }
    status.textContent = box.dataset.loading;
    return load('meta', 'meta.js').then(function (meta) {
      var terms = words(fold(query, meta.digraphs)).filter(function (t, i, all) {
        return all.indexOf(t) === i;
      });
      if (!terms.length) {
        status.textContent = box.dataset.none.replace('{query}', query);
        return;
      }
      var chunks = {};
      return Promise.all(terms.map(function (t) {
        return Promise.all(chunksFor(meta, t).map(function (n) {
          var name = meta.chunk_files[n];
          return load('c' + name, 'c/' + name + '.js');
        }))
          .then(function (cs) { chunks[t] = cs; });
      })).then(function () {
        if (run !== current) return;
        var results = rank(meta, terms, chunks);
        if (!results.length) {
          status.textContent = box.dataset.none.replace('{query}', query);
          return;
        }
        status.textContent = (results.length === 1 ? box.dataset.one : box.dataset.many)
          .replace('{count}', results.length).replace('{query}', query);
        var shown = 0;
        function page() {
          var slice = results.slice(shown, shown + PAGE_SIZE);
          shown += slice.length;
          return Promise.all(slice.map(function (r) { return fragment(meta, r.page); }))
            .then(function (fragments) {
              if (run !== current) return;
              fragments.forEach(function (f) { list.appendChild(showResult(f, terms, meta.digraphs)); });
              var button = box.querySelector('.search-more');
              if (shown < results.length) {
                if (!button) {
                  button = el('button', 'search-more', box.dataset.more);
                  button.type = 'button';
                  button.addEventListener('click', function () {
                    var next = list.children.length;
                    page().then(function () {
                      var a = list.children[next] && list.children[next].querySelector('a');
                      if (a) a.focus();
                    });
                  });
                  box.appendChild(button);
                }
              } else if (button) {
                button.remove();
              }
            });
        }
        return page();
      });
    }).catch(function () {
      if (run === current) status.textContent = box.dataset.failed;
    });
  }

  var timer = null;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value;
      var url = new URL(window.location.href);
      if (q) url.searchParams.set('q', q); else url.searchParams.delete('q');
      try { history.replaceState(null, '', url); } catch (e) { /* file:// may refuse */ }
      search(q);
    }, 150);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    search(input.value);
  });
  var q = new URLSearchParams(window.location.search).get('q');
  if (q) {
    input.value = q;
    search(q);
  }
})();

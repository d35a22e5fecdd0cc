// The reading system of reader-page.html: foliate-js's <foliate-view> on the book named by
// `?book=`, wired as Foliate (the GNOME e-book reader built on it) wires it: the contents from
// the nav document, a click on a note reference opens the note in a pop-up (foliate's
// FootnoteHandler), any other link is followed in the book. reader.mjs drives it through
// `window.reading`.

import './foliate-js/view.js';
import { FootnoteHandler } from './foliate-js/footnotes.js';

/** What the reading system puts over the book's own stylesheet: Foliate's choices (justified,
 *  hyphenated text; footnotes hidden in the flow, since they open as pop-ups). */
const READER_CSS = `
  @namespace epub "http://www.idpf.org/2007/ops";
  html { color-scheme: light; }
  p, li, blockquote, dd { line-height: 1.4; text-align: justify; hyphens: auto; }
  aside[epub|type~="footnote"], aside[epub|type~="endnote"] { display: none; }
`;

const $ = (selector) => document.querySelector(selector);
const label = (x) => (typeof x === 'string' ? x : x ? Object.values(x)[0] : '');

/** State for reader.mjs: the view, the book, the latest location (with the index of its
 *  section in the spine), and the note pop-up. */
const reading = { view: null, book: null, location: null, popup: null, error: null };
window.reading = reading;

async function open(url) {
  const view = document.createElement('foliate-view');
  $('main').append(view);
  await view.open(url);
  reading.view = view;
  reading.book = view.book;
  view.renderer.setAttribute('flow', 'paginated');
  view.renderer.setAttribute('max-column-count', '2');
  view.renderer.setStyles(READER_CSS);
  document.title = $('#book-title').textContent = label(view.book.metadata?.title);
  contents(view);
  notes(view);
  view.addEventListener('relocate', ({ detail }) => {
    reading.location = { ...detail, index: detail.section?.current };
    $('#where').textContent = detail.tocItem?.label ?? '';
    for (const a of document.querySelectorAll('#contents a')) {
      a.toggleAttribute('aria-current', a.dataset.href === detail.tocItem?.href);
    }
  });
}

/** The book's table of contents (its nav document), each entry going where it points. */
function contents(view) {
  const list = (items) => {
    const ol = document.createElement('ol');
    for (const item of items) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = '#';
      a.dataset.href = item.href;
      a.textContent = item.label;
      a.addEventListener('click', (e) => {
        e.preventDefault();
        view.goTo(item.href);
      });
      li.append(a);
      if (item.subitems?.length) li.append(list(item.subitems));
      ol.append(li);
    }
    return ol;
  };
  $('#contents').append(list(view.book.toc ?? []));
}

/** Note references open their note in a pop-up; the note's own links are followed in the book. */
function notes(view) {
  const handler = new FootnoteHandler();
  const dialog = $('#note');
  // As Foliate does: the note's view goes into the dialog before it renders (its frame loads
  // only once attached), and the dialog opens when the note is in it.
  handler.addEventListener('before-render', ({ detail }) => {
    dialog.querySelector('foliate-view')?.remove();
    dialog.append(detail.view);
    detail.view.addEventListener('link', (e) => {
      e.preventDefault();
      dialog.close();
      view.goTo(e.detail.href);
    });
    detail.view.renderer.setAttribute('flow', 'scrolled');
    detail.view.renderer.setAttribute('margin', '0px');
    detail.view.renderer.setStyles(READER_CSS);
  });
  handler.addEventListener('render', ({ detail }) => {
    $('#note-kind').textContent = detail.type ?? 'note';
    reading.popup = { type: detail.type, href: detail.href, view: detail.view };
    dialog.showModal();
  });
  dialog.addEventListener('close', () => {
    reading.popup = null;
    const note = dialog.querySelector('foliate-view');
    note?.close();
    note?.remove();
  });
  view.addEventListener('link', (e) => {
    handler.handle(view.book, e)?.catch((error) => {
      reading.error = String(error);
    });
  });
}

const url = new URLSearchParams(location.search).get('book');
open(url).then(
  () => {
    reading.ready = true;
  },
  (error) => {
    reading.error = String(error);
  },
);

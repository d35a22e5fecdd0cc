/* glossa translations: the reader picks which of a document's translations is shown.
 *
 * Every translation block (class "translation", with `lang` and `data-translates`) is in the
 * page; the blocks of every language but the first carry `hidden`, so that without this script
 * the first translation is shown by the stylesheet alone. This script shows the picker
 * (#translation-lang, hidden in the HTML), shows the language chosen, and remembers it
 * (localStorage "glossa.translation-lang") for every page that has a translation into it.
 *
 * Whether the translation stands beside the text, under each block or not at all is the
 * stylesheet's, by the attribute data-translation="beside|under|hidden" on <html> (absent:
 * beside); see docs/themes.md.
 */
(function () {
  'use strict';

  var KEY = 'glossa.translation-lang';
  var picker = document.getElementById('translation-lang');
  if (!picker) return;
  var blocks = document.querySelectorAll('.doc .translation[lang]');
  var langs = Array.prototype.map.call(picker.options, function (o) { return o.value; });

  function show(lang) {
    blocks.forEach(function (el) {
      el.hidden = el.getAttribute('lang') !== lang;
    });
    picker.value = lang;
  }

  var saved = null;
  try {
    saved = window.localStorage.getItem(KEY);
  } catch (e) {
    /* storage refused (private mode, file://): the choice lasts for the page */
  }
  if (saved && langs.indexOf(saved) >= 0) show(saved);
  picker.addEventListener('change', function () {
    show(picker.value);
    try {
      window.localStorage.setItem(KEY, picker.value);
    } catch (e) {
      /* as above */
    }
  });
  var holder = picker.closest('.translation-picker');
  if (holder) holder.hidden = false;
})();

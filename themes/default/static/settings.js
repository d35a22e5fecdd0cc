/* glossa reading settings: the panel behind the "Reading settings" button in the header.
 *
 * A setting is a fieldset in base.html (data-setting="NAME", one radio a value, the default
 * checked) and an entry in SETTINGS below. The reader's choice becomes data-NAME="VALUE" on
 * <html>, which the stylesheet reads (section 11 of glossa.css), and is remembered in
 * localStorage under KEY. The small script in base.html's <head> puts the remembered choices on
 * <html> before the page is drawn, so nothing flashes; this script (defer) opens and closes the
 * panel, shows the current choices, stores new ones and follows choices made in another tab.
 * After a change it sends `glossa:settings` on document, for scripts that lay out the page
 * (sidenotes.js places its notes again).
 *
 * The panel is a disclosure: the button's aria-expanded says whether it is open; Tab goes on
 * into it; Escape closes it and gives focus back to the button, and so do a click outside it and
 * focus leaving it.
 */
(function () {
  'use strict';

  /* Where the choices are kept; base.html's <head> script reads the same key. */
  var KEY = 'glossa-reader';

  /* Every setting, by NAME: what it does beyond its attribute on <html> (null: nothing). */
  var SETTINGS = {
    glosses: glossesInTabOrder,
    notes: null,
    terms: null,
    size: null,
    scheme: null,
  };

  var root = document.documentElement;
  var box = document.querySelector('.reader-settings');
  var button = box && box.querySelector('.reader-settings-toggle');
  var panel = box && box.querySelector('.reader-settings-panel');
  if (!button || !panel) return;

  /* Hidden glosses have nothing to show: their words leave the Tab order. */
  function glossesInTabOrder(value) {
    document.querySelectorAll('.gloss').forEach(function (g) {
      g.tabIndex = value === 'hidden' ? -1 : 0;
    });
  }

  function stored() {
    try {
      var s = JSON.parse(window.localStorage.getItem(KEY));
      return s && typeof s === 'object' ? s : {};
    } catch (e) {
      return {};
    }
  }

  function store(name, value) {
    var s = stored();
    s[name] = value;
    try {
      window.localStorage.setItem(KEY, JSON.stringify(s));
    } catch (e) {
      /* storage refused (private mode, a full disk): the choice holds for this page */
    }
  }

  /* The settings of the panel: its fieldsets that SETTINGS knows, with their radios. */
  var settings = [];
  panel.querySelectorAll('fieldset[data-setting]').forEach(function (fieldset) {
    var name = fieldset.getAttribute('data-setting');
    if (!Object.prototype.hasOwnProperty.call(SETTINGS, name)) return;
    var radios = Array.prototype.slice.call(fieldset.querySelectorAll('input[type="radio"]'));
    var fallback = radios.filter(function (r) { return r.defaultChecked; })[0] || radios[0];
    if (fallback) settings.push({ name: name, radios: radios, fallback: fallback.value });
  });

  /* A setting's value on <html>, when it is one of its radios', else its default. */
  function currentValue(setting) {
    var value = root.getAttribute('data-' + setting.name);
    var known = setting.radios.some(function (r) { return r.value === value; });
    return known ? value : setting.fallback;
  }

  function apply(setting, value) {
    root.setAttribute('data-' + setting.name, value);
    setting.radios.forEach(function (r) {
      r.checked = r.value === value;
    });
    var effect = SETTINGS[setting.name];
    if (effect) effect(value);
  }

  function changed() {
    document.dispatchEvent(new CustomEvent('glossa:settings'));
  }

  settings.forEach(function (s) {
    apply(s, currentValue(s));
  });

  panel.addEventListener('change', function (e) {
    var setting = settings.filter(function (s) { return s.radios.indexOf(e.target) >= 0; })[0];
    if (!setting) return;
    apply(setting, e.target.value);
    store(setting.name, e.target.value);
    changed();
  });

  /* Choices made in another tab of the same site. */
  window.addEventListener('storage', function (e) {
    if (e.key !== KEY) return;
    var s = stored();
    settings.forEach(function (setting) {
      var value = s[setting.name];
      var known = setting.radios.some(function (r) { return r.value === value; });
      apply(setting, known ? value : setting.fallback);
    });
    changed();
  });

  function setOpen(open, focusButton) {
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (!open && focusButton) button.focus();
  }

  button.addEventListener('click', function () {
    setOpen(panel.hidden, false);
  });
  box.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape' || panel.hidden) return;
    e.preventDefault();
    setOpen(false, true);
  });
  document.addEventListener('click', function (e) {
    if (!panel.hidden && !box.contains(e.target)) setOpen(false, false);
  });
  box.addEventListener('focusout', function (e) {
    if (!panel.hidden && e.relatedTarget && !box.contains(e.relatedTarget)) setOpen(false, false);
  });
})();

/* glossa reading settings: the panel behind the "Reading settings" button in the header.
 *
 * A setting is a fieldset in base.html (data-setting="NAME", one radio a value, the default
 * checked) and an entry in SETTINGS below. The reader's choice becomes data-NAME="VALUE" on
 * <html>, which the stylesheet reads (section 11 of glossa.css), and is remembered in
 * localStorage under KEY.
 *
 * base.html loads this script in <head>, before the stylesheets and without `defer`, so that it
 * runs before anything is drawn: it puts the remembered choices on <html> at once (nothing
 * flashes) and sets data-reader, which shows the button. Once the page is parsed it runs the
 * panel: shows the current choices, stores new ones and follows choices made in another tab.
 * After a change it sends `glossa:settings` on document, for scripts that lay out the page
 * (sidenotes.js places its notes again).
 *
 * The panel is a disclosure: the button's aria-expanded says whether it is open; Tab goes on
 * into it; Escape closes it and gives focus back to the button, and so do a click outside it and
 * focus leaving it.
 */
(function () {
  'use strict';

  /* Where the choices are kept: one JSON object, NAME to VALUE. */
  var KEY = 'glossa-reader';

  /* Every setting, by NAME: what it does beyond its attribute on <html> (null: nothing). */
  var SETTINGS = {
    glosses: glossesInTabOrder,
    notes: null,
    terms: null,
    size: null,
    scheme: null,
    translation: null,
  };

  var root = document.documentElement;

  /* Now, before the page is drawn: the remembered choices, as they were stored. */
  root.setAttribute('data-reader', '');
  var remembered = stored();
  Object.keys(SETTINGS).forEach(function (name) {
    var value = remembered[name];
    if (typeof value === 'string' && /^[a-z-]+$/.test(value)) root.setAttribute('data-' + name, value);
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', runPanel);
  else runPanel();

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

  /* Once the page is parsed: the panel. */
  function runPanel() {
    var box = document.querySelector('.reader-settings');
    var button = box && box.querySelector('.reader-settings-toggle');
    var panel = box && box.querySelector('.reader-settings-panel');
    if (!button || !panel) return;

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
  }
})();

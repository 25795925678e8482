/* Consulta embed loader (docs/widgets.md). One line on any page:
 *   <script src="https://HOST/embed.js" data-form="utilidad-pagina" data-lang="es" async></script>
 * data-mode: "inline" (default, the form in place) or "button" (a tab opening a
 * dialog); data-label: the tab's text; data-target: a CSS selector of where an
 * inline form goes; data-session: a focus-group code. Each script tag is one
 * widget. One global (window.Consulta); styles go through the CSSOM only, so a
 * host with a strict Content-Security-Policy needs only this script's origin
 * in script-src and frame-src. Messages are exchanged with the frame only,
 * and only with this script's origin. */
(function (w, d) {
  'use strict';
  var s = d.currentScript, ds = s && s.dataset;
  if (!ds || !ds.form) return;
  // The server fills L in: {lang: [tab text, close button, frame title]}.
  var L = {/*LABELS*/};
  var o = new URL(s.src).origin;
  var lang = ds.lang || d.documentElement.lang || 'es';
  var t = L[lang] || L[lang.split('-')[0].toLowerCase()] || L.es;
  var C = w.Consulta = w.Consulta || {};
  var all = C.widgets = C.widgets || [];
  var font = '600 1rem/1.25 system-ui,sans-serif;';
  var button = ds.mode === 'button' && !!w.HTMLDialogElement;
  var f, g, tab, x, ready, want;

  function el(tag, css, parent) {
    var e = d.createElement(tag);
    e.style.cssText = css || '';
    if (parent) parent.appendChild(e);
    return e;
  }
  // A clearly visible focus ring, set through the CSSOM as inline CSS is not allowed.
  function ring(e) {
    e.addEventListener('focus', function () { e.style.outline = '3px solid #ffbf47'; e.style.outlineOffset = '2px'; });
    e.addEventListener('blur', function () { e.style.outline = ''; });
  }
  function post(m) { if (f.contentWindow) f.contentWindow.postMessage(m, o); }
  // Moves focus into the form (its title, or its last control) once it has loaded.
  function focusIn(at) {
    want = at;
    if (ready) { f.focus(); post({ consulta: 'focus', at: at }); want = 0; }
  }

  var src = o + '/f/' + encodeURIComponent(ds.form) + '?embed=1&lang=' + encodeURIComponent(lang) +
    '&page=' + encodeURIComponent(location.href.split('#')[0]) +
    (ds.session ? '&session=' + encodeURIComponent(ds.session) : '');
  f = el('iframe', 'display:block;width:100%;border:0;height:' + (button ? '70vh' : '20rem'));
  f.title = t[2];

  all.push({ frame: f, origin: o, on: function (m) {
    if (m.consulta === 'height' && m.h > 0) f.style.height = Math.ceil(m.h) + 'px';
    if (m.consulta === 'ready') {
      ready = 1;
      if (m.title) { f.title = m.title; if (g) g.setAttribute('aria-label', m.title); }
      if (want && (!g || d.activeElement === x)) focusIn(want);
    }
    if (m.consulta === 'close' && g && g.open) g.close();
  } });
  if (!C.listening) {
    C.listening = 1;
    w.addEventListener('message', function (e) {
      for (var i = 0; i < all.length; i++) {
        if (e.source === all[i].frame.contentWindow && e.origin === all[i].origin && e.data) all[i].on(e.data);
      }
    });
  }

  if (!button) {
    f.src = src;
    f.loading = 'lazy';
    var target = ds.target && d.querySelector(ds.target);
    if (target) target.appendChild(f);
    else if (s.parentNode && s.parentNode !== d.head) s.parentNode.insertBefore(f, s.nextSibling);
    else d.body.appendChild(f);
    return;
  }

  // Button mode: a tab fixed to the corner opens a modal dialog with the form.
  var n = C.tabs = (C.tabs || 0) + 1;
  tab = el('button', 'position:fixed;right:1rem;bottom:' + (1 + (n - 1) * 3.75) + 'rem;z-index:2147483000;' +
    'font:' + font + 'min-height:44px;padding:.625rem 1.25rem;border:2px solid #fff;border-radius:6px;' +
    'background:#0b4f8a;color:#fff;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.35)', d.body);
  tab.type = 'button';
  tab.lang = lang;
  tab.textContent = ds.label || t[0];
  tab.setAttribute('aria-haspopup', 'dialog');
  ring(tab);
  g = el('dialog', 'padding:0;border:0;border-radius:8px;width:min(42rem,calc(100vw - 1rem));max-width:none;' +
    'max-height:calc(100vh - 1rem);overflow:auto;background:#fff;color:#1a1a1a;box-shadow:0 8px 32px rgba(0,0,0,.45)', d.body);
  g.lang = lang;
  g.setAttribute('aria-label', tab.textContent);
  // Focus guards: Tab past the form's last control comes back to the close
  // button, Shift+Tab before the close button goes to the form's last control.
  var first = el('span', '', g);
  var bar = el('div', 'display:flex;justify-content:flex-end;padding:.25rem;position:sticky;top:0;background:#fff', g);
  x = el('button', 'font:' + font + 'min-height:44px;min-width:44px;padding:.5rem 1rem;border:2px solid #0b4f8a;' +
    'border-radius:4px;background:#fff;color:#0b4f8a;cursor:pointer', bar);
  x.type = 'button';
  x.autofocus = true;
  x.textContent = t[1];
  ring(x);
  g.appendChild(f);
  var last = el('span', '', g);
  first.tabIndex = last.tabIndex = 0;
  first.addEventListener('focus', function () { focusIn('last'); });
  last.addEventListener('focus', function () { x.focus(); });
  x.addEventListener('click', function () { g.close(); });
  g.addEventListener('close', function () { want = 0; tab.focus(); });
  tab.addEventListener('click', function () {
    if (!f.getAttribute('src')) f.src = src;
    g.showModal();
    if (g.animate && !(w.matchMedia && w.matchMedia('(prefers-reduced-motion: reduce)').matches)) {
      g.animate([{ opacity: 0, transform: 'translateY(1rem)' }, { opacity: 1, transform: 'none' }], 200);
    }
    focusIn('first');
  });
})(window, document);

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
  var s = d.currentScript, ds = s && s.dataset;
  if (!ds || !ds.form) return;
  // The server fills L in: {lang: [tab text, close button, frame title]}.
  var L = {/*LABELS*/};
  var o = new URL(s.src).origin;
  var lang = ds.lang || d.documentElement.lang || 'es';
  var t = L[lang] || L[lang.split('-')[0].toLowerCase()] || L.es;
  var C = w.Consulta = w.Consulta || {};
  var all = C.frames = C.frames || [];
  var font = '600 1rem/1.25 system-ui,sans-serif;';
  var button = ds.mode === 'button' && !!w.HTMLDialogElement;
  var f, g, tab, x, ready, want;

  function on(e, type, fn) { e.addEventListener(type, fn); }
  function el(tag, css, parent) {
    var e = d.createElement(tag);
    e.style.cssText = css || '';
    if (parent) parent.appendChild(e);
    return e;
  }
  // A clearly visible focus ring, set through the CSSOM as inline CSS is not allowed.
  function ring(e) {
    on(e, 'focus', function () { e.style.outline = '3px solid #ffbf47'; });
    on(e, 'blur', function () { e.style.outline = ''; });
  }
  function post(m) { if (f.contentWindow) f.contentWindow.postMessage(m, o); }
  // Moves focus into the form (its title, or its last control) once it has loaded.
  function focusIn(at) {
    want = at;
    if (ready) { f.focus(); post({ consulta: 'focus', at: at }); want = 0; }
  }

  var E = encodeURIComponent;
  var src = o + '/f/' + E(ds.form) + '?embed=1&lang=' + E(lang) + '&page=' + E(location.href.split('#')[0]) +
    (ds.session ? '&session=' + E(ds.session) : '');
  f = el('iframe', 'display:block;width:100%;border:0;height:' + (button ? '70vh' : '20rem'));
  f.title = t[2];

  // Submissions a frame could not keep (storage blocked in third-party
  // frames) are kept here, in the host page's storage, until a frame sends them.
  var Q = 'consulta.queue@' + o;
  function load() { try { return JSON.parse(localStorage.getItem(Q)) || []; } catch (e) { return []; } }
  function save(key, entry) {
    var l = load().filter(function (x) { return x.key !== key; });
    if (entry) l.push(entry);
    try { localStorage.setItem(Q, JSON.stringify(l)); } catch (e) { }
  }
  all.push({ f: f, o: o, on: function (m) {
    var c = m.consulta;
    if (c === 'height' && m.h > 0) f.style.height = Math.ceil(m.h) + 'px';
    if (c === 'keep' && m.entry) save(m.entry.key, m.entry);
    if (c === 'drop') save(m.key);
    if (c === 'ready') {
      ready = 1;
      if (m.title) { f.title = m.title; if (g) g.setAttribute('aria-label', m.title); }
      if (want && (!g || d.activeElement === x)) focusIn(want);
      if (!C[Q] && load().length) { C[Q] = 1; post({ consulta: 'queue', list: load() }); }
    }
    if (c === 'close' && g && g.open) g.close();
  } });
  if (!C.listening) {
    C.listening = 1;
    on(w, 'message', function (e) {
      all.forEach(function (a) { if (e.source === a.f.contentWindow && e.origin === a.o && e.data) a.on(e.data); });
    });
  }

  if (!button) {
    f.src = src;
    f.loading = 'lazy';
    var p = ds.target ? d.querySelector(ds.target) : s.parentNode, at = null;
    if (!p || p === d.head) p = d.body;
    else if (p === s.parentNode) at = s.nextSibling;
    p.insertBefore(f, at);
    return;
  }

  // Button mode: a tab fixed to the corner opens a modal dialog with the form.
  var n = C.tabs = (C.tabs || 0) + 1;
  tab = el('button', 'position:fixed;right:1rem;bottom:' + (1 + (n - 1) * 3.75) + 'rem;z-index:2147483000;' +
    'font:' + font + 'min-height:44px;padding:.625rem 1.25rem;border:2px solid #fff;border-radius:6px;' +
    'background:#0b4f8a;color:#fff;box-shadow:0 2px 8px #0007', d.body);
  tab.type = 'button';
  tab.lang = lang;
  tab.textContent = ds.label || t[0];
  tab.setAttribute('aria-haspopup', 'dialog');
  ring(tab);
  g = el('dialog', 'padding:0;border:0;border-radius:8px;width:min(42rem,calc(100vw - 1rem));max-width:none;' +
    'max-height:calc(100vh - 1rem);overflow:auto;background:#fff;color:#1a1a1a', d.body);
  g.lang = lang;
  g.setAttribute('aria-label', tab.textContent);
  // Focus guards: Tab past the form's last control comes back to the close
  // button, Shift+Tab before the close button goes to the form's last control.
  var first = el('span', '', g);
  var bar = el('div', 'display:flex;justify-content:flex-end;padding:.25rem;position:sticky;top:0;background:#fff', g);
  x = el('button', 'font:' + font + 'min-height:44px;min-width:44px;padding:.5rem 1rem;border:2px solid #0b4f8a;' +
    'border-radius:4px;background:#fff;color:#0b4f8a', bar);
  x.type = 'button';
  x.autofocus = true;
  x.textContent = t[1];
  ring(x);
  g.appendChild(f);
  var last = el('span', '', g);
  first.tabIndex = last.tabIndex = 0;
  on(first, 'focus', function () { focusIn('last'); });
  on(last, 'focus', function () { x.focus(); });
  on(x, 'click', function () { g.close(); });
  on(g, 'close', function () { want = 0; tab.focus(); });
  on(tab, 'click', function () {
    if (!f.getAttribute('src')) f.src = src;
    g.showModal();
    if (g.animate && !w.matchMedia('(prefers-reduced-motion: reduce)').matches) {
      g.animate([{ opacity: 0, transform: 'translateY(1rem)' }, { opacity: 1, transform: 'none' }], 200);
    }
    focusIn('first');
  });
})(window, document);

/* Consulta embed loader (docs/widgets.md). One line on any page:
 *   <script src="https://HOST/embed.js" data-form="utilidad-pagina" data-lang="es" async></script>
 * data-mode: "inline" (default, the form in place) or "button" (a tab opening a
 * dialog); data-label: the tab's text; data-target: a CSS selector of where an
 * inline form goes; data-session: a focus-group code. Each script tag is one
 * widget. One global (window.Consulta); styles go through the CSSOM only, so a
 * host with a strict Content-Security-Policy needs only this script's origin
 * in script-src and frame-src. Messages are exchanged with the frame only,
 * and only with this script's origin.
 *
 * The server minifies this file at start-up (internal/server/embed.go), which
 * shortens the local names: write it to be read. Property names are not
 * shortened, and the ones in messages and in window.Consulta are shared with
 * form.js and with other copies of this loader, so they stay short and fixed. */
(function (window, document) {
  var script = document.currentScript;
  var options = script && script.dataset;
  if (!options || !options.form) return;

  // The server puts the texts here once at start-up, as
  // {lang: [tab text, close button, frame title]}; a language whose texts are
  // Spanish's is left out.
  var labels = {/*LABELS*/};
  var origin = new URL(script.src).origin;
  var lang = options.lang || document.documentElement.lang || 'es';
  var texts = labels[lang] || labels[lang.split('-')[0].toLowerCase()] || labels.es;

  // window.Consulta is shared by every loader on the page (one per script
  // tag, perhaps from other Consulta servers): "frames" lists each widget as
  // {f: its frame, o: its origin, on: its message handler}; "listening" says
  // the one message listener is installed; "tabs" counts the button tabs, to
  // stack them; a true "consulta.queue@ORIGIN" says that origin's queue was
  // handed to a frame already.
  var shared = window.Consulta = window.Consulta || {};
  var widgets = shared.frames = shared.frames || [];

  var font = '600 1rem/1.25 system-ui,sans-serif;';
  var buttonMode = options.mode === 'button' && !!window.HTMLDialogElement;
  var frame, dialog, tab, closeButton;
  var frameReady; // the form in the frame said "ready": it takes focus requests
  var focusWanted; // "first" or "last": where focus goes once the form is ready

  function listen(target, type, handler) { target.addEventListener(type, handler); }

  // createElement styled through the CSSOM (a strict CSP forbids inline
  // styles, not these), appended to parent if given.
  function element(tag, css, parent) {
    var created = document.createElement(tag);
    created.style.cssText = css || '';
    if (parent) parent.appendChild(created);
    return created;
  }

  // A clearly visible focus ring, set through the CSSOM as inline CSS is not allowed.
  function focusRing(target) {
    listen(target, 'focus', function () { target.style.outline = '3px solid #ffbf47'; });
    listen(target, 'blur', function () { target.style.outline = ''; });
  }

  // Sends a message to the form, and to no other origin than this script's.
  function tellFrame(message) {
    if (frame.contentWindow) frame.contentWindow.postMessage(message, origin);
  }

  // Moves focus into the form (its title, or its last control) once it has loaded.
  function focusForm(at) {
    focusWanted = at;
    if (frameReady) {
      frame.focus();
      tellFrame({ consulta: 'focus', at: at });
      focusWanted = 0;
    }
  }

  var encode = encodeURIComponent;
  var formURL = origin + '/f/' + encode(options.form) + '?embed=1&lang=' + encode(lang) +
    '&page=' + encode(location.href.split('#')[0]) +
    (options.session ? '&session=' + encode(options.session) : '');
  frame = element('iframe', 'display:block;width:100%;border:0;height:' + (buttonMode ? '70vh' : '20rem'));
  frame.title = texts[2];

  // Submissions a frame could not keep (storage blocked in third-party
  // frames) are kept here, in the host page's storage, until a frame sends
  // them. Each is an object with its idempotency key in "key".
  var queueKey = 'consulta.queue@' + origin;
  function readQueue() {
    try { return JSON.parse(localStorage.getItem(queueKey)) || []; } catch (e) { return []; }
  }
  // Removes the submission with key from the queue and, if entry is given,
  // puts entry in its place. A host page without storage keeps nothing.
  function storeInQueue(key, entry) {
    var queue = readQueue().filter(function (kept) { return kept.key !== key; });
    if (entry) queue.push(entry);
    try { localStorage.setItem(queueKey, JSON.stringify(queue)); } catch (e) { }
  }

  // What the form says (docs/widgets.md, "Messages between the loader and a frame").
  function receive(message) {
    var kind = message.consulta;
    if (kind === 'height' && message.h > 0) frame.style.height = Math.ceil(message.h) + 'px';
    if (kind === 'keep' && message.entry) storeInQueue(message.entry.key, message.entry);
    if (kind === 'drop') storeInQueue(message.key);
    if (kind === 'ready') {
      frameReady = 1;
      if (message.title) {
        frame.title = message.title;
        if (dialog) dialog.setAttribute('aria-label', message.title);
      }
      if (focusWanted && (!dialog || document.activeElement === closeButton)) focusForm(focusWanted);
      if (!shared[queueKey] && readQueue().length) {
        shared[queueKey] = 1;
        tellFrame({ consulta: 'queue', list: readQueue() });
      }
    }
    if (kind === 'close' && dialog && dialog.open) dialog.close();
  }
  widgets.push({ f: frame, o: origin, on: receive });

  // One listener for every widget on the page: a message counts only when it
  // comes from a widget's own frame, with that widget's origin.
  if (!shared.listening) {
    shared.listening = 1;
    listen(window, 'message', function (event) {
      widgets.forEach(function (widget) {
        if (event.source === widget.f.contentWindow && event.origin === widget.o && event.data) widget.on(event.data);
      });
    });
  }

  // Inline mode: the form in data-target, or right after the script tag (at
  // the end of the body when the tag is in the head), loaded when near view.
  if (!buttonMode) {
    frame.src = formURL;
    frame.loading = 'lazy';
    var parent = options.target ? document.querySelector(options.target) : script.parentNode;
    var before = null;
    if (!parent || parent === document.head) parent = document.body;
    else if (parent === script.parentNode) before = script.nextSibling;
    parent.insertBefore(frame, before);
    return;
  }

  // Button mode: a tab fixed to the corner opens a modal dialog with the form.
  var tabNumber = shared.tabs = (shared.tabs || 0) + 1;
  tab = element('button', 'position:fixed;right:1rem;bottom:' + (1 + (tabNumber - 1) * 3.75) + 'rem;z-index:2147483000;' +
    'font:' + font + 'min-height:44px;padding:.625rem 1.25rem;border:2px solid #fff;border-radius:6px;' +
    'background:#0b4f8a;color:#fff;box-shadow:0 2px 8px #0007', document.body);
  tab.type = 'button';
  tab.lang = lang;
  tab.textContent = options.label || texts[0];
  tab.setAttribute('aria-haspopup', 'dialog');
  focusRing(tab);

  dialog = element('dialog', 'padding:0;border:0;border-radius:8px;width:min(42rem,calc(100vw - 1rem));max-width:none;' +
    'max-height:calc(100vh - 1rem);overflow:auto;background:#fff;color:#1a1a1a', document.body);
  dialog.lang = lang;
  dialog.setAttribute('aria-label', tab.textContent);
  // Focus guards: Tab past the form's last control comes back to the close
  // button, Shift+Tab before the close button goes to the form's last control.
  var guardBefore = element('span', '', dialog);
  var bar = element('div', 'display:flex;justify-content:flex-end;padding:.25rem;position:sticky;top:0;background:#fff', dialog);
  closeButton = element('button', 'font:' + font + 'min-height:44px;min-width:44px;padding:.5rem 1rem;border:2px solid #0b4f8a;' +
    'border-radius:4px;background:#fff;color:#0b4f8a', bar);
  closeButton.type = 'button';
  closeButton.autofocus = true;
  closeButton.textContent = texts[1];
  focusRing(closeButton);
  dialog.appendChild(frame);
  var guardAfter = element('span', '', dialog);
  guardBefore.tabIndex = guardAfter.tabIndex = 0;
  listen(guardBefore, 'focus', function () { focusForm('last'); });
  listen(guardAfter, 'focus', function () { closeButton.focus(); });
  listen(closeButton, 'click', function () { dialog.close(); });
  listen(dialog, 'close', function () { focusWanted = 0; stepAside(); tab.focus(); });

  // The tab steps aside (transparent, not clickable) while its dialog is
  // open and while it would cover a form on the page: on a phone it sat on an
  // inline form's title. It stays in the tab order, and shows when focused.
  function stepAside() {
    var box = tab.getBoundingClientRect();
    var hide = dialog.open || document.activeElement !== tab && widgets.some(function (widget) {
      var other = widget.f.getBoundingClientRect();
      return other.bottom > box.top && other.top < box.bottom && other.right > box.left && other.left < box.right;
    });
    tab.style.opacity = hide ? 0 : '';
    tab.style.pointerEvents = hide ? 'none' : '';
  }
  ['scroll', 'resize', 'message'].forEach(function (type) { listen(window, type, stepAside); });
  listen(tab, 'focus', stepAside);
  listen(tab, 'blur', stepAside);
  stepAside();

  listen(tab, 'click', function () {
    if (!frame.getAttribute('src')) frame.src = formURL; // the form loads on first opening only
    dialog.showModal();
    stepAside();
    if (dialog.animate && !window.matchMedia('(prefers-reduced-motion: reduce)').matches) {
      dialog.animate([{ opacity: 0, transform: 'translateY(1rem)' }, { opacity: 1, transform: 'none' }], 200);
    }
    focusForm('first');
  });
})(window, document);

// Progressive enhancement of Consulta's form pages. The page works completely
// without this file; with it:
//   - show_if conditions hide and show questions as the person answers, with
//     the rules of internal/forms (Form.Visible), read from data-show-if;
//     required_if (data-required-if) makes a question required on the same
//     rules;
//   - answers are checked before sending with the rules of forms.Validate and
//     the limits the server rendered into data-* attributes; messages come from
//     the page (#cf-i18n), so this file holds no text of its own;
//   - the form is sent as JSON with its idempotency key; when the server cannot
//     be reached (offline, 5xx, timeout) the submission is kept in
//     localStorage with its key and sent again when the connection returns or
//     a form page is next opened: the key makes it count once;
//   - in a frame (embed=1) it tells the embedding page its height and title
//     and takes focus requests, only with the origin the server validated.
// window.ConsultaForm exposes the pure rules for the agreement tests.
(function (w, d) {
  'use strict';

  // ---- The rules of internal/forms, on answers as JSON values ----

  // Go's strings.TrimSpace: Unicode White_Space (JavaScript's trim also
  // removes U+FEFF and keeps U+0085).
  var WS = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+';
  var TRIM = new RegExp('^' + WS + '|' + WS + '$', 'g');
  var EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
  var DECIMAL = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

  function trim(s) { return s.replace(TRIM, ''); }
  function isList(v) { return Array.isArray(v); }
  function isMap(v) { return v !== null && typeof v === 'object' && !isList(v); }
  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function chars(s) { return Array.from(s).length; }

  function answered(v) {
    if (v === undefined || v === null) return false;
    if (typeof v === 'string') return trim(v) !== '';
    if (isList(v)) return v.length > 0;
    if (isMap(v)) return typeof v.department === 'string' && v.department !== '';
    return true;
  }
  function equals(a, want) {
    if (want === undefined || want === null) return false;
    if (isList(a)) return a.indexOf(want) >= 0;
    if (typeof a === 'string' || typeof a === 'boolean') return a === want;
    return typeof a === 'number' && typeof want === 'number' && a === want;
  }
  function isIn(a, values) {
    var list = typeof a === 'string' ? [a] : isList(a) ? a : [];
    return list.some(function (item) { return values.indexOf(item) >= 0 && typeof item === 'string'; });
  }
  function holds(c, ans) {
    if (!c) return true;
    if (c.all) return c.all.every(function (x) { return holds(x, ans); });
    if (c.any) return c.any.some(function (x) { return holds(x, ans); });
    if (has(c, 'answered')) return answered(ans[c.question]) === c.answered;
    if (c['in']) return isIn(ans[c.question], c['in']);
    return equals(ans[c.question], c.equals);
  }

  // visible returns the ids of the questions shown for raw answers: a hidden
  // question's answer counts as unanswered for later conditions.
  function visible(qs, raw) {
    var kept = {}, shown = {};
    qs.forEach(function (q) {
      shown[q.id] = holds(q.showIf, kept);
      if (shown[q.id] && has(raw, q.id)) kept[q.id] = raw[q.id];
    });
    return shown;
  }

  // forms.CleanText: the controls and bidirectional marks it drops, then tabs
  // and line breaks as spaces outside a textarea.
  var DROP = /[\0-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
  function clean(s, multiline) {
    s = s.replace(/\r\n?/g, '\n').replace(DROP, '');
    if (!multiline) s = s.replace(/[\t\n]/g, ' ');
    return trim(s.normalize('NFC'));
  }
  function offers(q, v) { return q.options.indexOf(v) >= 0 || (q.type === 'multiple' && q.other && v === 'other'); }
  function fail(code, params) { return { code: code, params: params }; }

  function phone(s) {
    var digits = '', plus = false;
    for (var i = 0; i < s.length; i++) {
      var ch = s[i];
      if (ch >= '0' && ch <= '9') digits += ch;
      else if (ch === '+' && i === 0) plus = true;
      else if (' -.()'.indexOf(ch) < 0) return null;
    }
    if (!plus && digits.slice(0, 2) === '00') { plus = true; digits = digits.slice(2); }
    var local = !plus && digits.length === 8 ? digits :
      digits.slice(0, 3) === '502' && digits.length === 11 ? digits.slice(3) : null;
    if (local !== null) return local[0] >= '2' && local[0] <= '7' ? '+502 ' + local.slice(0, 4) + ' ' + local.slice(4) : null;
    if (plus && digits.slice(0, 3) !== '502' && digits.length >= 8 && digits.length <= 15 && digits[0] !== '0') return '+' + digits;
    return null;
  }

  function checkValue(q, v) {
    var s;
    switch (q.type) {
      case 'single':
        if (typeof v !== 'string') return fail('wrong_type');
        s = clean(v);
        if (s === '') return {};
        return offers(q, s) ? { value: s } : fail('not_an_option');
      case 'multiple':
        if (!isList(v)) return fail('wrong_type');
        var chosen = [];
        for (var i = 0; i < v.length; i++) {
          if (typeof v[i] !== 'string') return fail('wrong_type');
          s = clean(v[i]);
          if (s === '') continue;
          if (!offers(q, s)) return fail('not_an_option');
          if (chosen.indexOf(s) >= 0) return fail('duplicate_choice');
          chosen.push(s);
        }
        if (!chosen.length) return {};
        if (q.min !== undefined && chosen.length < q.min) return fail('too_few_choices', { Min: q.min });
        if (q.max !== undefined && chosen.length > q.max) return fail('too_many_choices', { Max: q.max });
        return { value: chosen };
      case 'text': case 'textarea': case 'email': case 'phone':
        if (typeof v !== 'string') return fail('wrong_type');
        s = clean(v, q.type === 'textarea');
        if (s === '') return {};
        if (chars(s) > q.maxLength) return fail('too_long', { Max: q.maxLength });
        if (q.type === 'email' && !EMAIL.test(s)) return fail('invalid_email');
        if (q.type === 'phone' && (s = phone(s)) === null) return fail('invalid_phone');
        return { value: s };
      case 'scale': case 'rating': case 'number':
        if (typeof v !== 'number' || !isFinite(v)) return fail('wrong_type');
        var lo = q.min, hi = q.max; // a scale's or rating's range is always on the page (ScaleRange)
        if (q.type !== 'number' && v !== Math.trunc(v)) return fail('not_integer');
        if ((lo !== undefined && v < lo) || (hi !== undefined && v > hi)) {
          if (lo !== undefined && hi !== undefined) return fail('out_of_range', { Min: lo, Max: hi });
          return lo !== undefined ? fail('below_min', { Min: lo }) : fail('above_max', { Max: hi });
        }
        return { value: v };
      case 'yesno': case 'consent':
        return typeof v === 'boolean' ? { value: v } : fail('wrong_type');
      case 'geo':
        if (!isMap(v)) return fail('wrong_type');
        var g = { department: '', municipality: '' };
        for (var k in v) {
          if (!has(v, k)) continue;
          if (typeof v[k] !== 'string' || (k !== 'department' && k !== 'municipality')) return fail('wrong_type');
          g[k] = trim(v[k]);
        }
        if (!g.department && !g.municipality) return {};
        var munis = q.geo[g.department];
        if (!munis || (g.municipality && munis.indexOf(g.municipality) < 0)) return fail('invalid_geo');
        return { value: g };
    }
    return fail('wrong_type');
  }

  // check validates one shown question's answer; required is q.required or
  // a required_if that holds (forms.Validate's check).
  function check(q, v, present, required) {
    var r = present && v !== null && v !== undefined ? checkValue(q, v) : {};
    if (r.code) return r;
    if (q.type === 'consent' && required && r.value !== true) return fail('must_consent');
    if ((r.value === undefined || r.value === null) && required) return fail('required');
    return r;
  }

  function checkOther(q, raw, choices, choicesOK) {
    var v = raw[q.id + '_other'];
    if (v === undefined || v === null) return {};
    if (typeof v !== 'string') return fail('wrong_type');
    var s = clean(v);
    if (s === '') return {};
    if (chars(s) > 200) return fail('too_long', { Max: 200 });
    if (choicesOK && !(choices || []).some(function (c) { return c === 'other'; })) return fail('other_without_choice');
    return { value: s };
  }

  // validate returns the problems of raw answers, in form order, as
  // forms.Validate does for answers to known questions.
  function validate(qs, raw) {
    var kept = {}, errors = [];
    qs.forEach(function (q) {
      if (!holds(q.showIf, kept)) return;
      var r = check(q, raw[q.id], has(raw, q.id), q.required || (!!q.requiredIf && holds(q.requiredIf, kept)));
      if (r.code) errors.push({ question: q.id, code: r.code, params: r.params || {} });
      else if (r.value !== undefined) kept[q.id] = r.value;
      if (q.type !== 'multiple' || !q.other) return;
      var o = checkOther(q, raw, r.value, !r.code);
      if (o.code) errors.push({ question: q.id + '_other', code: o.code, params: o.params || {} });
    });
    return errors;
  }

  var qs = [], wraps = {};
  w.ConsultaForm = { visible: visible, validate: validate, questions: qs };

  // ---- The page ----

  var form = d.querySelector('form.cf');
  var body = d.body;
  var parent = body.getAttribute('data-parent');
  var framed = parent && w.parent !== w;
  var live = d.getElementById('live');
  var texts = {};
  try { texts = JSON.parse(d.getElementById('cf-i18n').textContent); } catch (e) { /* no texts: server messages only */ }

  function say(id) { if (live && texts[id]) live.textContent = texts[id]; }
  function message(code, params) {
    return (texts[code] || '').replace(/\{(\w+)\}/g, function (m, k) { return params && has(params, k) ? String(params[k]) : m; });
  }
  function toParent(m) { if (framed) w.parent.postMessage(m, parent); }

  function $(sel, root) { return (root || d).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || d).querySelectorAll(sel)); }

  if (form) {
    $$('[data-q]', form).forEach(function (wrap) {
      var a = wrap.dataset, q = { id: a.q, type: a.type, required: has(a, 'required'), options: [], wrap: wrap };
      if (a.maxLength) q.maxLength = +a.maxLength;
      if (a.min !== undefined) q.min = parseFloat(a.min);
      if (a.max !== undefined) q.max = parseFloat(a.max);
      if (a.showIf) q.showIf = JSON.parse(a.showIf);
      if (a.requiredIf) q.requiredIf = JSON.parse(a.requiredIf);
      $$('input[name="' + q.id + '"], select[name="' + q.id + '"] option', wrap).forEach(function (i) {
        if (i.value && i.value !== 'other') q.options.push(i.value);
      });
      q.other = !!$('[name="' + q.id + '_other"]', wrap);
      if (q.type === 'geo') q.geo = geoCatalog(wrap);
      qs.push(q);
      wraps[q.id] = wrap;
    });
  }

  // geoCatalog reads the departments and their municipalities from the
  // selects, then shows only the chosen department's municipalities.
  function geoCatalog(wrap) {
    var dep = $('.geo-dep', wrap), mun = $('.geo-mun', wrap), cat = {};
    var first = mun.options[0], groups = $$('optgroup', mun);
    $$('option', dep).forEach(function (o) { if (o.value) cat[o.value] = []; });
    groups.forEach(function (g) {
      cat[g.dataset.dep] = $$('option', g).map(function (o) { return o.value; });
    });
    function filter() {
      var keep = mun.value;
      mun.textContent = '';
      mun.appendChild(first);
      groups.forEach(function (g) { if (g.dataset.dep === dep.value) mun.appendChild(g); });
      mun.value = keep;
      if (mun.value !== keep) mun.value = '';
    }
    dep.addEventListener('change', filter);
    filter();
    return cat;
  }

  // collect reads the answers as the JSON API takes them (the same values
  // forms.DecodeValues makes of the no-JavaScript post).
  function collect() {
    var out = {};
    function text(name) {
      var v = $$('[name="' + name + '"]', form).filter(function (i) {
        return (i.type !== 'radio' && i.type !== 'checkbox') || i.checked;
      }).map(function (i) { return i.value; }).filter(function (s) { return trim(s) !== ''; });
      return v;
    }
    qs.forEach(function (q) {
      var v = text(q.id);
      if (q.type === 'multiple') {
        if (v.length) out[q.id] = v;
        var other = text(q.id + '_other');
        if (q.other && other.length) out[q.id + '_other'] = other[0];
      } else if (q.type === 'geo') {
        var dep = trim(text(q.id + '[department]')[0] || ''), mun = trim(text(q.id + '[municipality]')[0] || '');
        if (dep || mun) out[q.id] = { department: dep, municipality: mun };
      } else if (v.length) {
        var s = v[0];
        if (q.type === 'yesno' || q.type === 'consent') {
          s = trim(s);
          out[q.id] = s === 'true' || s === 'on' ? true : s === 'false' ? false : v[0];
        } else if (/^(scale|rating|number)$/.test(q.type) && DECIMAL.test(trim(s)) && isFinite(+trim(s))) {
          out[q.id] = +trim(s);
        } else {
          out[q.id] = s;
        }
      }
    });
    return out;
  }

  // showConditions hides the questions whose show_if does not hold.
  function showConditions() {
    var shown = visible(qs, collect());
    qs.forEach(function (q) { q.wrap.hidden = !shown[q.id]; });
    toHeight();
  }

  // ---- Errors ----

  // labelOf names a question in the error summary as the server does: its
  // label without the "(required)" mark, and a consent (a long sentence) by
  // a short word.
  function labelOf(id) {
    var wrap = wraps[id], l = wrap ? $('legend, label', wrap) : $('label[for="q-' + id + '"]');
    if (wrap && wrap.dataset.type === 'consent' && texts['form.consent_short']) return texts['form.consent_short'];
    if (!l) return id;
    l = l.cloneNode(true);
    $$('.req', l).forEach(function (r) { r.remove(); });
    return trim(l.textContent);
  }

  function clearErrors() {
    qs.forEach(function (q) {
      q.wrap.classList.remove('has-error');
      var e = $('#q-' + q.id + '-error');
      if (e) { e.textContent = ''; e.hidden = true; }
      $$('[aria-invalid]', q.wrap).forEach(function (i) { i.removeAttribute('aria-invalid'); });
    });
    ['error-summary', 'notice'].forEach(function (id) { var e = d.getElementById(id); if (e) e.remove(); });
  }

  // showErrors puts each message under its question and a summary with links
  // to the fields above the form, then focuses the summary.
  function showErrors(errors) {
    clearErrors();
    var box = d.createElement('div'), list = d.createElement('ul'), h = d.createElement('h2');
    errors.forEach(function (err) {
      var id = err.question.replace(/_other$/, ''), wrap = wraps[err.question] || wraps[id];
      var msg = err.message || message(err.code, err.params);
      if (wrap) {
        wrap.classList.add('has-error');
        var e = $('#q-' + wrap.dataset.q + '-error');
        if (e && !e.textContent) { e.textContent = msg; e.hidden = false; }
        $$('input, select, textarea', wrap).forEach(function (i) { if (i.type !== 'hidden') i.setAttribute('aria-invalid', 'true'); });
      }
      var li = d.createElement('li'), a = d.createElement('a');
      a.href = '#q-' + err.question;
      a.textContent = labelOf(err.question) + ' — ' + msg; // "?: " read badly after a question
      li.appendChild(a);
      list.appendChild(li);
    });
    box.className = 'error-summary';
    box.id = 'error-summary';
    box.tabIndex = -1;
    box.setAttribute('role', 'alert');
    box.setAttribute('aria-labelledby', 'error-summary-title');
    h.id = 'error-summary-title';
    h.textContent = message(errors.length === 1 ? 'summary.one' : 'summary.other', { Count: errors.length });
    box.appendChild(h);
    box.appendChild(list);
    live.parentNode.insertBefore(box, live);
    toHeight();
    box.focus();
  }

  // notice shows a problem not tied to a question.
  function notice(text) {
    clearErrors();
    var box = d.createElement('div'), p = d.createElement('p');
    box.className = 'notice';
    box.id = 'notice';
    box.tabIndex = -1;
    box.setAttribute('role', 'alert');
    p.textContent = text;
    box.appendChild(p);
    live.parentNode.insertBefore(box, live);
    toHeight();
    box.focus();
  }

  // Links of the error summary move focus to their field, not only the view.
  d.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('.error-summary a[href^="#q-"]');
    var field = a && d.getElementById(a.getAttribute('href').slice(1));
    if (!field) return;
    e.preventDefault();
    field.focus();
    var wrap = field.closest('[data-q]');
    if (wrap) wrap.scrollIntoView({ block: 'start' });
  });

  // ---- Sending, and the queue of submissions kept on this device ----

  // The queue lives in this origin's localStorage. A frame that may not use
  // it (browsers that block storage in third-party frames) hands its entries
  // to the embedding page's loader, which keeps them in the host page's
  // storage and gives them back to the next frame that loads (remote).
  var QUEUE = 'consulta.queue', remote = [];
  var local = (function () { try { return !!localStorage; } catch (e) { return false; } })();
  function without(list, key) { return list.filter(function (x) { return x.key !== key; }); }
  function stored() { try { return JSON.parse(localStorage.getItem(QUEUE)) || []; } catch (e) { return []; } }
  function queue() {
    var list = local ? stored() : [];
    remote.forEach(function (x) { if (!list.some(function (y) { return y.key === x.key; })) list.push(x); });
    return list;
  }
  function store(list) {
    try { list.length ? localStorage.setItem(QUEUE, JSON.stringify(list)) : localStorage.removeItem(QUEUE); return true; } catch (e) { return false; }
  }
  function keep(entry) {
    if (local && store(without(stored(), entry.key).concat([entry]))) return true;
    if (!framed) return false;
    remote = without(remote, entry.key).concat([entry]);
    toParent({ consulta: 'keep', entry: entry });
    return true;
  }
  function drop(key) {
    if (local) store(without(stored(), key));
    if (remote.some(function (x) { return x.key === key; })) toParent({ consulta: 'drop', key: key });
    remote = without(remote, key);
  }

  // send posts one submission; it resolves to {status, body, wait} with status
  // 0 when the server could not be reached in time.
  function send(entry) {
    var ctl = w.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctl) ctl.abort(); }, 20000);
    var headers = { 'Content-Type': 'application/json', 'Idempotency-Key': entry.key };
    if (entry.token) headers['Consulta-Token'] = entry.token;
    return fetch('/api/v1/forms/' + encodeURIComponent(entry.form) + '/responses', {
      method: 'POST', headers: headers, body: entry.body, credentials: 'omit', signal: ctl && ctl.signal
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) {
        return { status: r.status, body: b, wait: +r.headers.get('Retry-After') || 0 };
      });
    }, function () { return { status: 0, body: {} }; }).then(function (r) {
      clearTimeout(timer);
      // A page (or a kept submission) older than its token's life: sent
      // again without the token, under the same key (the page's, which the
      // token named), limited as any API client is (docs/widgets.md).
      if (r.status === 403 && entry.token && code(r) === 'page_expired') { delete entry.token; return send(entry); }
      return r;
    });
  }
  function code(r) { return r.body.errors && r.body.errors[0] && r.body.errors[0].code; }
  function unreachable(r) { return r.status === 0 || r.status >= 500; }
  function first(r) { return (r.body.errors && r.body.errors[0] && r.body.errors[0].message) || texts['error.internal'] || ''; }

  var flushing = false, current = null;

  // flush sends every kept submission, oldest first, until one cannot reach
  // the server. A submission refused for good (4xx) is dropped: sending it
  // again would not help.
  function flush() {
    var list = queue();
    if (flushing || !list.length || (navigator.onLine === false)) return;
    flushing = true;
    var sent = 0;
    (function next(i) {
      if (i >= list.length) {
        flushing = false;
        if (sent) say('offline.sent');
        return;
      }
      var entry = list[i];
      send(entry).then(function (r) {
        if (unreachable(r) || r.status === 429) { flushing = false; return; }
        drop(entry.key);
        if (r.status === 201) {
          if (current && entry.key === current.key) { flushing = false; return done(entry, r); }
          sent++;
        }
        next(i + 1);
      });
    })(0);
  }

  // done goes to the thank-you page with the response's reference and
  // whether a contact to reply to was left (as the no-JavaScript post does);
  // "#sent" asks it to take focus (the button that had it is gone), without
  // storage that frames may not have.
  function done(entry, r) {
    var ref = r && r.body && r.body.reference;
    w.location.assign(entry.thanks + (ref ? '&ref=' + encodeURIComponent(ref) : '') + (entry.reply ? '&reply=1' : '') + '#sent');
  }

  // submit sends the page's answers; a fill time or rate limit shorter than
  // ten seconds is waited out without bothering the person.
  function submit(entry, retried) {
    say('form.sending');
    send(entry).then(function (r) {
      if (r.status === 201) { drop(entry.key); return done(entry, r); }
      if (unreachable(r)) {
        if (!keep(entry)) { live.textContent = ''; return notice(texts['error.unavailable'] || first(r)); }
        return say('offline.queued');
      }
      // A short wait is waited out with "Sending…" still showing.
      if (r.status === 429 && !retried && r.wait <= 10) return setTimeout(function () { submit(entry, true); }, r.wait * 1000);
      live.textContent = '';
      current = null;
      if (r.status === 422 && r.body.errors && r.body.errors.some(function (e) { return e.question; })) return showErrors(r.body.errors);
      notice(first(r));
    });
  }

  function val(name) { var i = form.elements[name]; return i ? i.value : ''; }

  // leavesContact is forms.LeavesContact: a shown e-mail or phone answered.
  function leavesContact(answers) {
    return qs.some(function (q) { return (q.type === 'email' || q.type === 'phone') && answered(answers[q.id]); });
  }

  if (form) {
    form.addEventListener('input', showConditions);
    form.addEventListener('change', showConditions);
    form.addEventListener('submit', function (e) {
      if (val('website') || !w.fetch || !w.JSON) return; // robots and old browsers: the plain post
      e.preventDefault();
      if (current && !queue().some(function (x) { return x.key === current.key; })) return; // already on its way
      var raw = collect(), shown = visible(qs, raw), answers = {};
      Object.keys(raw).forEach(function (k) {
        if (has(shown, k) ? shown[k] : shown[k.replace(/_other$/, '')] !== false) answers[k] = raw[k];
      });
      var errors = validate(qs, raw);
      if (errors.length) return showErrors(errors);
      clearErrors();
      current = {
        form: form.dataset.form, key: val('_key'), token: val('_t'), thanks: form.dataset.thanks, reply: leavesContact(answers),
        body: JSON.stringify({ answers: answers, lang: form.dataset.lang, page: val('_page'), session: val('_session') })
      };
      submit(current);
    });
    $$('.cond-hint', form).forEach(function (h) {
      h.hidden = true;
      $$('[aria-describedby]', form).forEach(function (el) {
        el.setAttribute('aria-describedby', el.getAttribute('aria-describedby').split(' ').filter(function (x) { return x !== h.id; }).join(' '));
      });
    });
    showConditions();
  }

  // ---- Focus, height and messages in a frame ----

  function toHeight() { toParent({ consulta: 'height', h: body.getBoundingClientRect().height }); }

  function focusTarget(at) {
    if (at === 'last') {
      var all = $$('a[href], button, input:not([type=hidden]), select, textarea').filter(function (el) {
        return !el.disabled && el.tabIndex >= 0 && el.getClientRects().length;
      });
      return all[all.length - 1];
    }
    return $('#form-title, #thanks-title');
  }

  w.addEventListener('message', function (e) {
    if (!framed || e.source !== w.parent || e.origin !== parent || !e.data) return;
    if (e.data.consulta === 'focus') {
      var el = focusTarget(e.data.at);
      if (el) el.focus();
    }
    if (e.data.consulta === 'queue' && Array.isArray(e.data.list)) {
      e.data.list.forEach(function (x) { if (x && x.key && x.form && x.body) remote = without(remote, x.key).concat([x]); });
      flush();
    }
  });
  d.addEventListener('keydown', function (e) { if (e.key === 'Escape') toParent({ consulta: 'close' }); });
  if (framed && w.ResizeObserver) new ResizeObserver(toHeight).observe(body);
  toParent({ consulta: 'ready', title: d.title });
  toHeight();

  // A page shown again with problems: focus the summary (or the notice).
  var problem = d.getElementById('error-summary') || d.getElementById('notice');
  if (problem) problem.focus();
  else if (location.hash === '#sent' && focusTarget('first')) focusTarget('first').focus();

  w.addEventListener('online', flush);
  setInterval(flush, 30000);
  flush();
  if (w.performance && performance.mark) performance.mark('consulta-ready'); // for docs/performance.md
})(window, document);

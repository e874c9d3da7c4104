// StreamKit Restreamer dashboard.
//
// Plain ES2020, no build step and no external resources. The server sends a strict
// Content-Security-Policy (scripts and styles from this origin only), so nothing here writes inline
// styles or parses HTML strings: every element is built with the DOM API, and looks come from
// classes in style.css.
//
// Data flow: the REST API (/api/v1) is the source of truth for definitions (inputs, outputs, users);
// the event WebSocket (/api/v1/events) pushes live figures every second ("stats"), tells us when
// something changed ("change": we reload the definitions) and raises alerts (shown as toasts).

const API = '/api/v1';
const SESSION_KEY = 'streamkit.session';
const HISTORY = 60; // bitrate samples kept per input for the sparkline (one per second)
const REFRESH_MARGIN_MS = 60_000; // refresh the access token this long before it expires

const PERMISSIONS = {
  ADMIN: ['READ', 'MANAGE_STREAMS', 'MANAGE_USERS', 'READ_AUDIT'],
  TECHNICIAN: ['READ', 'MANAGE_STREAMS'],
  VIEWER: ['READ'],
};
const PERMISSION_TEXT = {
  MANAGE_STREAMS: 'change inputs and outputs',
  MANAGE_USERS: 'manage users',
  READ_AUDIT: 'read the audit log',
};
const ROLES = ['ADMIN', 'TECHNICIAN', 'VIEWER'];
const ROLE_TEXT = {
  ADMIN: 'Everything, including users and the audit log',
  TECHNICIAN: 'Inputs and outputs: create, change, start and stop',
  VIEWER: 'Read-only',
};

// ------------------------------------------------------------------------------------------ DOM

/**
 * Creates an element. Props: `class`, `testid`, `dataset`, `on<event>` listeners, DOM properties
 * for value/checked/disabled/hidden/selected, anything else as an attribute. Children may be
 * nodes, strings, arrays, or null/false (skipped).
 */
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, children);
  return el;
}

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'open', 'indeterminate']);

function setProps(el, props) {
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k === 'class') {
      el.setAttribute('class', v);
    } else if (k === 'testid') {
      el.dataset.testid = v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (PROPERTIES.has(k)) {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children; like h(), skips null/false. */
function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    el.setAttribute(k, String(v));
  }
  for (const c of children) {
    el.append(c);
  }
  return el;
}

const ICONS = {
  plus: 'M12 5v14M5 12h14',
  edit: 'M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6',
  play: 'M8 5l11 7-11 7z',
  stop: 'M7 7h10v10H7z',
  key: 'M20 12a8 8 0 1 1-2.34-5.66M20 4v4h-4',
  copy: 'M9 9h10v10H9zM5 15V5h10',
  eye: 'M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12zM12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
  eyeOff: 'M3 3l18 18M10.6 6.1A10 10 0 0 1 12 6c6.4 0 10 6 10 6a17 17 0 0 1-3 3.7M6.6 6.6C3.8 8.4 2 12 2 12s3.6 6 10 6a9.6 9.6 0 0 0 4.4-1M9.9 9.9a3 3 0 0 0 4.2 4.2',
  close: 'M6 6l12 12M18 6L6 18',
  plug: 'M9 3v5M15 3v5M6 8h12v3a6 6 0 0 1-12 0zM12 17v4',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
};

const FILLED = new Set(['play', 'stop']);

function icon(name) {
  return svg('svg', { class: FILLED.has(name) ? 'icon icon-filled' : 'icon', viewBox: '0 0 24 24',
    'aria-hidden': 'true', focusable: 'false' },
    svg('path', { d: ICONS[name] }));
}

function $(selector, root = document) {
  return root.querySelector(selector);
}

// ------------------------------------------------------------------------------------ formatting

function formatBitrate(bps) {
  if (!bps || bps < 0) {
    return '0 b/s';
  }
  const units = ['b/s', 'kb/s', 'Mb/s', 'Gb/s'];
  let v = bps;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || i === 0 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[i]}`;
}

function formatBytes(n) {
  if (!n) {
    return '0 B';
  }
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

function formatDuration(ms) {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const pad = (x) => String(x).padStart(2, '0');
  if (d > 0) {
    return `${d}d ${hh}h`;
  }
  if (hh > 0) {
    return `${hh}h ${pad(mm)}m`;
  }
  if (mm > 0) {
    return `${mm}m ${pad(ss)}s`;
  }
  return `${ss}s`;
}

function formatTime(iso) {
  if (!iso) {
    return '—';
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

const SECRET_QUERY = /((?:passphrase|password|pass|token|key|secret|streamid)=)[^&]*/gi;

/** Hides user info, secret query values and the last path segment (a stream key), like the server. */
function redactUrl(raw) {
  if (!raw) {
    return '';
  }
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?/i.exec(raw);
  if (!m) {
    return '(invalid URL)';
  }
  let [, scheme, authority, path, query] = m;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    authority = '***@' + authority.slice(at + 1);
  }
  const slash = path.lastIndexOf('/');
  if (slash > 0) {
    const last = path.slice(slash + 1);
    path = path.slice(0, slash + 1) + (last.length > 2 ? last.slice(0, 2) + '***' : last);
  }
  return `${scheme}://${authority}${path}${query ? query.replace(SECRET_QUERY, '$1***') : ''}`;
}

const enc = encodeURIComponent;

// ---------------------------------------------------------------------------------- session/API

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.detail = this.message;
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
  }
}

const session = {
  data: null, // {accessToken, refreshToken, expiresAt, user}
  refreshTimer: 0,
  refreshing: null,

  load() {
    try {
      this.data = JSON.parse(sessionStorage.getItem(SESSION_KEY));
    } catch {
      this.data = null;
    }
    return this.data;
  },

  /** Stores the tokens of a login or refresh and plans the next refresh. */
  save(tokens) {
    this.data = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: Date.now() + (tokens.expiresIn ?? 900) * 1000,
      user: tokens.user ?? this.data?.user ?? null,
    };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(this.data));
    this.schedule();
  },

  setUser(user) {
    if (this.data) {
      this.data.user = user;
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(this.data));
    }
  },

  clear() {
    clearTimeout(this.refreshTimer);
    this.data = null;
    sessionStorage.removeItem(SESSION_KEY);
  },

  schedule() {
    clearTimeout(this.refreshTimer);
    if (!this.data) {
      return;
    }
    const left = this.data.expiresAt - Date.now();
    const margin = Math.min(REFRESH_MARGIN_MS, left / 4);
    this.refreshTimer = setTimeout(() => this.refresh(), Math.max(1000, left - margin));
  },

  /** Gets a new access token with the refresh token; one refresh at a time. */
  refresh() {
    if (!this.data?.refreshToken) {
      return Promise.resolve(false);
    }
    if (!this.refreshing) {
      const refreshToken = this.data.refreshToken;
      this.refreshing = request('POST', '/auth/refresh', { refreshToken }, { auth: false })
        .then((tokens) => {
          this.save(tokens);
          events.reconnect();
          return true;
        })
        .catch((e) => {
          if (e.status === 401) {
            endSession('Your session has ended. Please sign in again.');
          }
          return false;
        })
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  },
};

/** One call to the REST API; throws ApiError with the problem's detail and field errors. */
async function request(method, path, body, { auth = true, retry = true } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (auth && session.data) {
    headers.Authorization = `Bearer ${session.data.accessToken}`;
  }
  let res;
  try {
    res = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, { detail: `The server cannot be reached (${e.message}).` });
  }
  if (res.status === 401 && auth && retry && session.data?.refreshToken) {
    if (await session.refresh()) {
      return request(method, path, body, { auth, retry: false });
    }
  }
  if (res.status === 204) {
    return null;
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    if (res.status === 401 && auth) {
      endSession('Your session has ended. Please sign in again.');
    }
    throw new ApiError(res.status, json ?? { detail: text || res.statusText });
  }
  return json;
}

const api = {
  get: (p) => request('GET', p),
  post: (p, b) => request('POST', p, b ?? {}),
  patch: (p, b) => request('PATCH', p, b),
  del: (p) => request('DELETE', p),
};

// ---------------------------------------------------------------------------------------- state

const state = {
  user: null,
  server: null,
  route: 'inputs',
  inputs: [],
  outputs: new Map(), // input id -> OutputDef[]
  stats: new Map(), // input id -> InputStatus
  history: new Map(), // input id -> bitrate samples
  connections: [],
  revealed: new Set(), // input ids whose secrets are shown
  loaded: false,
};

/** Updaters of what is on screen, called on each stats tick. */
const live = {
  inputs: new Map(), // input id -> update(status)
  connections: null, // update(list)
};

function can(permission) {
  return (PERMISSIONS[state.user?.role] ?? []).includes(permission);
}

function deniedText(permission) {
  return `Your role (${state.user?.role ?? 'none'}) may not ${PERMISSION_TEXT[permission] ?? permission}.`
    + ' Ask an administrator.';
}

// --------------------------------------------------------------------------------------- toasts

const recentToasts = new Map(); // key -> {el, at}: repeated alerts update one toast instead of piling up

function toast(message, level = 'info', { timeout = level === 'error' ? 9000 : 5000, title, key } = {}) {
  const box = $('#toasts');
  if (key) {
    const prev = recentToasts.get(key);
    if (prev?.el.isConnected) {
      const count = Number(prev.el.dataset.count ?? 1) + 1;
      prev.el.dataset.count = String(count);
      $('.toast-message', prev.el).textContent = `${message} (×${count})`;
      return;
    }
    if (prev && Date.now() - prev.at < 30_000) {
      return; // dismissed a moment ago: do not nag
    }
  }
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss' }, icon('close'));
  const t = h('div', {
    class: `toast toast-${level}`,
    role: level === 'error' || level === 'warning' ? 'alert' : 'status',
    testid: 'toast',
    dataset: { level },
  }, h('div', { class: 'toast-body' }, title ? h('strong', { class: 'toast-title' }, title) : null,
    h('span', { class: 'toast-message' }, message)), close);
  const remove = () => t.remove();
  close.addEventListener('click', remove);
  box.append(t);
  if (key) {
    recentToasts.set(key, { el: t, at: Date.now() });
  }
  while (box.children.length > 5) {
    box.firstElementChild.remove();
  }
  if (timeout > 0) {
    setTimeout(remove, timeout);
  }
}

function toastError(e, what) {
  const msg = e instanceof ApiError ? e.detail : String(e?.message ?? e);
  toast(what ? `${what}: ${msg}` : msg, 'error');
}

// -------------------------------------------------------------------------------------- dialogs

const modal = {
  el: null,
  onClose: null,

  open({ title, content, testid, wide = false, onClose }) {
    const el = this.el;
    el.replaceChildren(
      h('div', { class: 'modal-head' },
        h('h2', { id: 'modal-title', class: 'modal-title' }, title),
        h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': 'Close', testid: 'modal-close',
          onclick: () => this.close() }, icon('close'))),
      h('div', { class: 'modal-body' }, content));
    el.dataset.testid = testid ?? 'modal';
    el.classList.toggle('modal-wide', wide);
    this.onClose = onClose ?? null;
    if (!el.open) {
      el.showModal();
    }
    const first = el.querySelector('.modal-body input:not([type=hidden]):not([disabled]), .modal-body select, '
      + '.modal-body textarea, .modal-body [data-autofocus]');
    (first ?? el.querySelector('.modal-body button'))?.focus();
  },

  close() {
    if (this.el.open) {
      this.el.close();
    }
  },
};

/** Asks for confirmation; resolves true when confirmed. */
function confirmDialog({ title, message, confirmLabel = 'Confirm', danger = false }) {
  return new Promise((resolve) => {
    let answered = false;
    const done = (v) => {
      if (!answered) {
        answered = true;
        resolve(v);
      }
      modal.close();
    };
    const ok = h('button', { type: 'button', class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`,
      testid: 'confirm-ok', onclick: () => done(true) }, confirmLabel);
    const cancel = h('button', { type: 'button', class: 'btn', testid: 'confirm-cancel', 'data-autofocus': true,
      onclick: () => done(false) }, 'Cancel');
    modal.open({
      title,
      testid: 'confirm-dialog',
      content: [h('p', { class: 'confirm-message' }, message), h('div', { class: 'form-actions' }, cancel, ok)],
      onClose: () => done(false),
    });
  });
}

let fieldSeq = 0;

/**
 * A labelled form control with a hint and a slot for the server's message about it.
 * `name` is the JSON field name the server uses in `errors[].field`.
 */
function field({ name, label, type = 'text', value, hint, options, attrs = {}, testid }) {
  const id = `f${++fieldSeq}-${name}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  let control;
  if (type === 'select') {
    control = h('select', { id, name, ...attrs },
      options.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value) }, o.label)));
  } else if (type === 'checkbox') {
    control = h('input', { id, name, type: 'checkbox', checked: Boolean(value), ...attrs });
  } else {
    control = h('input', { id, name, type, value: value ?? '', ...attrs });
  }
  control.dataset.testid = testid ?? `field-${name}`;
  control.setAttribute('aria-describedby', [hint ? hintId : null, errorId].filter(Boolean).join(' '));
  const error = h('p', { id: errorId, class: 'field-error', hidden: true, testid: `error-${name}`,
    dataset: { errorFor: name } });
  const hintEl = hint ? h('p', { id: hintId, class: 'field-hint' }, hint) : null;
  const wrap = type === 'checkbox'
    ? h('div', { class: 'field field-check' }, h('label', { for: id }, control, h('span', {}, label)), hintEl, error)
    : h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl, error);
  return { wrap, control };
}

function clearErrors(form) {
  for (const e of form.querySelectorAll('.field-error')) {
    e.hidden = true;
    e.textContent = '';
  }
  for (const c of form.querySelectorAll('[aria-invalid]')) {
    c.removeAttribute('aria-invalid');
  }
  const fe = $('.form-error', form);
  if (fe) {
    fe.hidden = true;
    fe.textContent = '';
  }
}

/** Shows a refused request's field errors next to their fields, the rest above the buttons. */
function showErrors(form, e) {
  const rest = [];
  let firstInvalid = null;
  const errors = e instanceof ApiError ? e.errors : [];
  for (const { field: name, message } of errors) {
    const slot = [...form.querySelectorAll('.field-error')].find((x) => x.dataset.errorFor === name);
    if (slot && !slot.parentElement.closest('[hidden]')) {
      slot.textContent = slot.textContent ? `${slot.textContent}; ${message}` : message;
      slot.hidden = false;
      const control = form.querySelector(`[aria-describedby~="${slot.id}"]`);
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        firstInvalid ??= control;
      }
    } else {
      rest.push(`${name}: ${message}`);
    }
  }
  const fe = $('.form-error', form);
  const text = errors.length === 0 ? (e instanceof ApiError ? e.detail : String(e?.message ?? e)) : rest.join('\n');
  if (fe && text) {
    fe.textContent = text;
    fe.hidden = false;
  }
  (firstInvalid ?? fe)?.focus?.();
}

/** A dialog with a form; `submit(form)` returns a promise, the dialog closes when it resolves. */
function formDialog({ title, testid, fields, submitLabel, submit, intro, after }) {
  const formError = h('div', { class: 'form-error', role: 'alert', testid: 'form-error', hidden: true,
    tabindex: '-1' });
  const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'form-submit' }, submitLabel);
  const form = h('form', { class: 'form', novalidate: true, testid },
    intro ? h('p', { class: 'form-intro' }, intro) : null,
    fields,
    formError,
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', testid: 'form-cancel', onclick: () => modal.close() }, 'Cancel'),
      submitBtn));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    submitBtn.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const result = await submit(form);
      if (after) {
        after(result);
      } else {
        modal.close();
      }
    } catch (e) {
      showErrors(form, e);
    } finally {
      submitBtn.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
  modal.open({ title, content: form, testid: `${testid}-dialog` });
  return form;
}

/**
 * A button that needs a permission: hidden (`hide`) or shown disabled with a tooltip saying why
 * when the role lacks it.
 */
function actionButton({ label, iconName, perm, onClick, testid, variant = 'btn-ghost', hide = false, title,
  iconOnly = false }) {
  const allowed = !perm || can(perm);
  if (!allowed && hide) {
    return null;
  }
  const b = h('button', { type: 'button', class: `btn ${variant}${iconOnly ? ' btn-icon' : ''}`, testid,
    title: allowed ? (title ?? (iconOnly ? label : null)) : deniedText(perm),
    'aria-label': iconOnly ? label : null },
  iconName ? icon(iconName) : null, iconOnly ? null : h('span', {}, label));
  if (allowed) {
    b.addEventListener('click', async () => {
      if (b.getAttribute('aria-busy') === 'true') {
        return;
      }
      b.setAttribute('aria-busy', 'true');
      try {
        await onClick(b);
      } catch (e) {
        toastError(e, label);
      } finally {
        b.removeAttribute('aria-busy');
      }
    });
  } else {
    b.setAttribute('aria-disabled', 'true');
    b.classList.add('is-disabled');
    b.append(h('span', { class: 'sr-only' }, ` (${deniedText(perm)})`));
  }
  return b;
}

function badge(testid) {
  return h('span', { class: 'badge', testid });
}

const BADGE_TONES = {
  LIVE: 'live',
  IDLE: 'idle',
  GRACE: 'warn',
  WAITING: 'idle',
  CONNECTING: 'warn',
  RETRYING: 'error',
  STOPPED: 'off',
  DISABLED: 'off',
  CLOSED: 'off',
};

function setBadge(el, value) {
  if (el.textContent !== value) {
    el.textContent = value;
    el.className = `badge badge-${BADGE_TONES[value] ?? 'idle'}`;
  }
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard API needs a secure context; fall back to a selected, off-screen text area.
    const ta = h('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    if (!ok) {
      throw new Error('the browser refused to copy');
    }
  }
}

// ------------------------------------------------------------------------------------ sparkline

/** A small SVG chart of the last minute's bitrate, built with the DOM API (no inline styles). */
function sparkline(label) {
  const W = 120;
  const H = 32;
  const area = svg('path', { class: 'spark-area', d: '' });
  const line = svg('polyline', { class: 'spark-line', points: '' });
  const el = svg('svg', { class: 'sparkline', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img',
    'aria-label': label }, area, line);
  el.dataset.testid = 'sparkline';
  return {
    el,
    update(samples) {
      if (!samples.length) {
        line.setAttribute('points', '');
        area.setAttribute('d', '');
        return;
      }
      const max = Math.max(...samples, 1);
      const step = W / (HISTORY - 1);
      const x0 = W - (samples.length - 1) * step;
      const pts = samples.map((v, i) => [x0 + i * step, H - 2 - (v / max) * (H - 4)]);
      const p = pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
      line.setAttribute('points', p);
      area.setAttribute('d', `M${pts[0][0].toFixed(1)},${H} L${p.replaceAll(' ', ' L')} L${W},${H} Z`);
      el.dataset.samples = String(samples.length);
      el.dataset.nonzero = String(samples.filter((v) => v > 0).length);
    },
  };
}

// ---------------------------------------------------------------------------------------- login

function showLogin(message, level = 'info') {
  events.stop();
  $('#toasts').replaceChildren();
  recentToasts.clear();
  $('#shell').hidden = true;
  $('#login-view').hidden = false;
  const form = $('#login-form');
  clearErrors(form);
  form.reset();
  setSecondFactor(null);
  if (message) {
    const fe = $('#login-error');
    fe.textContent = message;
    fe.hidden = false;
    fe.dataset.level = level;
  }
  document.title = 'Sign in · StreamKit Restreamer';
  $('#login-email').focus();
}

/** Shows the TOTP field ('totp'), the recovery code field ('recovery') or neither (null). */
function setSecondFactor(mode) {
  $('#login-totp').hidden = mode !== 'totp';
  $('#login-recovery').hidden = mode !== 'recovery';
  if (mode !== 'totp') {
    $('#login-totp-input').value = '';
  }
  if (mode !== 'recovery') {
    $('#login-recovery-input').value = '';
  }
  if (mode) {
    $(mode === 'totp' ? '#login-totp-input' : '#login-recovery-input').focus();
  }
}

/** The one-time token of the first-start link (#setup=TOKEN), when the admin is still to be created. */
let setupToken = null;

async function onLogin(ev) {
  ev.preventDefault();
  if (setupToken) {
    await onSetup(ev.currentTarget);
    return;
  }
  const form = ev.currentTarget;
  const submit = $('[type=submit]', form);
  clearErrors(form);
  const body = { email: $('#login-email').value.trim(), password: $('#login-password').value };
  const totp = $('#login-totp').hidden ? '' : $('#login-totp-input').value.replace(/\s+/g, '');
  const recovery = $('#login-recovery').hidden ? '' : $('#login-recovery-input').value.trim();
  if (totp) {
    body.totp = totp;
  }
  if (recovery) {
    body.recoveryCode = recovery;
  }
  submit.disabled = true;
  try {
    const tokens = await request('POST', '/auth/login', body, { auth: false });
    session.save(tokens);
    $('#login-password').value = '';
    await enterDashboard();
  } catch (e) {
    const needsCode = e instanceof ApiError && e.status === 401
      && (/TOTP code is required/i.test(e.detail) || e.errors.some((f) => f.field === 'totp' && /required/.test(
        f.message)));
    if (needsCode) {
      if ($('#login-totp').hidden && $('#login-recovery').hidden) {
        setSecondFactor('totp');
      }
      const fe = $('#login-error');
      fe.textContent = 'This account uses two-factor authentication: enter the code from your authenticator app.';
      fe.dataset.level = 'info';
      fe.hidden = false;
    } else {
      showErrors(form, e);
      $('#login-error').dataset.level = 'error';
    }
  } finally {
    submit.disabled = false;
  }
}

/** Creates the first admin through the one-time setup link, then signs in as that admin. */
async function onSetup(form) {
  const submit = $('[type=submit]', form);
  clearErrors(form);
  submit.disabled = true;
  try {
    const tokens = await request('POST', '/auth/setup', {
      token: setupToken, email: $('#login-email').value.trim(), password: $('#login-password').value,
    }, { auth: false });
    setupToken = null;
    history.replaceState(null, '', location.pathname);
    $('.login-title').textContent = 'Sign in';
    session.save(tokens);
    $('#login-password').value = '';
    await enterDashboard();
  } catch (e) {
    showErrors(form, e);
    $('#login-error').dataset.level = 'error';
  } finally {
    submit.disabled = false;
  }
}

function endSession(message) {
  if (!session.data) {
    return;
  }
  session.clear();
  state.user = null;
  modal.close();
  showLogin(message, 'error');
}

async function logout() {
  const token = session.data?.accessToken;
  events.stop();
  if (token) {
    // best effort: the session ends on the server; locally it ends whatever the answer
    fetch(`${API}/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } }).catch(() => {});
  }
  session.clear();
  state.user = null;
  location.hash = '';
  showLogin('You are signed out.');
}

// ------------------------------------------------------------------------------------ the shell

async function enterDashboard() {
  state.user = session.data.user;
  try {
    const [me, server] = await Promise.all([api.get('/auth/me'), api.get('/server')]);
    state.user = me;
    session.setUser(me);
    state.server = server;
  } catch (e) {
    if (!session.data) {
      return; // the session ended; the login form is showing
    }
    toastError(e, 'Loading the server settings failed');
  }
  $('#login-view').hidden = true;
  $('#shell').hidden = false;
  $('#user-email').textContent = state.user?.email ?? '';
  const role = $('#user-role');
  role.textContent = state.user?.role ?? '';
  role.title = ROLE_TEXT[state.user?.role] ?? '';
  for (const a of document.querySelectorAll('.nav a[data-perm]')) {
    a.hidden = !can(a.dataset.perm);
  }
  document.body.dataset.role = state.user?.role ?? '';
  events.start();
  await route();
}

const ROUTES = {
  inputs: { title: 'Inputs', render: renderInputs },
  connections: { title: 'Connections', render: renderConnections },
  audit: { title: 'Audit log', render: renderAudit, perm: 'READ_AUDIT' },
  users: { title: 'Users', render: renderUsers, perm: 'MANAGE_USERS' },
  account: { title: 'Account', render: renderAccount },
};

async function route() {
  if (!session.data) {
    return;
  }
  let name = (location.hash.match(/^#\/([a-z]+)/) ?? [])[1] ?? 'inputs';
  if (!ROUTES[name] || (ROUTES[name].perm && !can(ROUTES[name].perm))) {
    name = 'inputs';
  }
  state.route = name;
  for (const a of document.querySelectorAll('.nav a')) {
    if (a.dataset.route === name) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
  document.title = `${ROUTES[name].title} · StreamKit Restreamer`;
  live.inputs.clear();
  live.connections = null;
  const main = $('#main');
  main.dataset.page = name;
  fill(main, h('p', { class: 'loading' }, 'Loading…'));
  await ROUTES[name].render(main);
}

function pageHead(title, subtitle, ...actions) {
  return h('div', { class: 'page-head' },
    h('div', {}, h('h1', { tabindex: '-1' }, title), subtitle ? h('p', { class: 'page-sub' }, subtitle) : null),
    h('div', { class: 'page-actions' }, actions));
}

function readOnlyNote() {
  return can('MANAGE_STREAMS') ? null : h('p', { class: 'note', testid: 'read-only-note' },
    `You have read-only access (${state.user?.role}). Changes need the TECHNICIAN or ADMIN role.`);
}

/** Re-renders the current page, keeping the focus on the same control when it still exists. */
async function rerender() {
  const active = document.activeElement;
  const key = active?.closest?.('[data-focus-key]')?.dataset.focusKey;
  const testid = active?.dataset?.testid;
  await ROUTES[state.route].render($('#main'));
  if (key) {
    const scope = document.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
    const target = testid && scope ? scope.querySelector(`[data-testid="${CSS.escape(testid)}"]`) : scope;
    target?.focus?.();
  }
}

// --------------------------------------------------------------------------------------- inputs

async function loadInputs() {
  const inputs = await api.get('/inputs');
  const outputs = await Promise.all(inputs.map((i) => api.get(`/inputs/${enc(i.id)}/outputs`).catch(() => [])));
  state.inputs = inputs;
  state.outputs = new Map(inputs.map((i, k) => [i.id, outputs[k]]));
  state.loaded = true;
}

async function renderInputs(main) {
  try {
    await loadInputs();
    if (state.stats.size === 0) {
      applyStats(await api.get('/status'));
    }
  } catch (e) {
    fill(main, pageHead('Inputs'), h('p', { class: 'form-error' }, e.detail ?? String(e)));
    return;
  }
  if (state.route !== 'inputs') {
    return;
  }
  live.inputs.clear();
  const add = actionButton({ label: 'Add input', iconName: 'plus', perm: 'MANAGE_STREAMS', hide: true,
    variant: 'btn-primary', testid: 'add-input', onClick: () => inputDialog() });
  const list = state.inputs.length === 0
    ? h('div', { class: 'empty', testid: 'inputs-empty' },
      h('p', {}, 'No inputs yet.'),
      h('p', { class: 'muted' }, can('MANAGE_STREAMS')
        ? 'Add an RTMP or SRT input for your encoder to publish to, or a PULL input to fetch a stream.'
        : 'An administrator or technician can add inputs.'))
    : h('ul', { class: 'input-list', testid: 'input-list' }, state.inputs.map(inputCard));
  fill(main, 
    pageHead('Inputs', 'Streams coming in, and the destinations each one is sent to.', add),
    readOnlyNote(),
    list);
}

function inputCard(def) {
  const outs = state.outputs.get(def.id) ?? [];
  const stateBadge = badge('input-state');
  const rate = h('span', { class: 'metric-value', testid: 'input-bitrate' }, '—');
  const spark = sparkline(`Bitrate of ${def.name} over the last minute`);
  const sub = h('span', { class: 'metric-sub', testid: 'input-uptime' });
  const pullInfo = h('p', { class: 'pull-error', testid: 'input-pull-error', hidden: true });
  const outputRows = outs.map((o) => outputRow(def, o));

  const actions = h('div', { class: 'card-actions' },
    actionButton({
      label: def.enabled ? 'Stop' : 'Start',
      iconName: def.enabled ? 'stop' : 'play',
      perm: 'MANAGE_STREAMS',
      testid: def.enabled ? 'input-stop' : 'input-start',
      title: def.enabled ? 'Stop: refuse publishers and stop every output' : 'Start: accept publishers again',
      onClick: async () => {
        if (def.enabled && !await confirmDialog({ title: `Stop ${def.name}?`, confirmLabel: 'Stop input',
          danger: true,
          message: 'The current publisher is disconnected, new ones are refused and every output stops until '
            + 'you start the input again.' })) {
          return;
        }
        await api.post(`/inputs/${enc(def.id)}/${def.enabled ? 'stop' : 'start'}`);
        toast(`Input ${def.name} ${def.enabled ? 'stopped' : 'started'}.`, 'success');
        await reloadSoon(0);
      },
    }),
    def.kind === 'PULL' ? null : actionButton({
      label: 'New key', iconName: 'key', perm: 'MANAGE_STREAMS', hide: true, testid: 'input-regenerate-key',
      title: 'Generate a new stream key',
      onClick: async () => {
        if (!await confirmDialog({ title: `New stream key for ${def.name}?`, confirmLabel: 'Generate new key',
          danger: true,
          message: 'The current key stops working at once and its publisher is disconnected. Encoders need the '
            + 'new key.' })) {
          return;
        }
        await api.post(`/inputs/${enc(def.id)}/regenerate-key`);
        state.revealed.add(def.id);
        toast(`Input ${def.name} has a new stream key.`, 'success');
        await reloadSoon(0);
      },
    }),
    actionButton({ label: 'Edit', iconName: 'edit', perm: 'MANAGE_STREAMS', hide: true, testid: 'input-edit',
      onClick: () => inputDialog(def) }),
    actionButton({
      label: 'Delete', iconName: 'trash', perm: 'MANAGE_STREAMS', hide: true, testid: 'input-delete',
      variant: 'btn-ghost btn-danger-text',
      onClick: async () => {
        if (!await confirmDialog({ title: `Delete ${def.name}?`, confirmLabel: 'Delete input', danger: true,
          message: `The input and its ${outs.length} output${outs.length === 1 ? '' : 's'} are removed and its `
            + 'publisher is disconnected. This cannot be undone.' })) {
          return;
        }
        await api.del(`/inputs/${enc(def.id)}`);
        toast(`Input ${def.name} deleted.`, 'success');
        await reloadSoon(0);
      },
    }));

  const card = h('li', { class: 'card input-card', testid: 'input-card',
    dataset: { inputId: def.id, inputName: def.name, kind: def.kind, focusKey: `input-${def.id}` } },
  h('div', { class: 'card-head' },
    h('div', { class: 'card-title' },
      h('h2', {}, def.name),
      h('span', { class: 'chip', testid: 'input-kind' }, def.kind),
      stateBadge),
    h('div', { class: 'card-metrics' },
      h('div', { class: 'metric' }, rate, sub),
      spark.el),
    actions),
  pullInfo,
  ingestSection(def),
  h('section', { class: 'outputs', 'aria-label': `Outputs of ${def.name}` },
    h('div', { class: 'section-head' },
      h('h3', {}, 'Outputs ', h('span', { class: 'count' }, String(outs.length))),
      actionButton({ label: 'Add output', iconName: 'plus', perm: 'MANAGE_STREAMS', hide: true,
        testid: 'add-output', variant: 'btn-secondary btn-small', onClick: () => outputDialog(def) })),
    outs.length === 0
      ? h('p', { class: 'muted small', testid: 'outputs-empty' }, 'No outputs: the stream goes nowhere yet.')
      : h('div', { class: 'table-wrap' }, h('table', { class: 'table outputs-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Name'),
          h('th', { scope: 'col' }, 'Destination'),
          h('th', { scope: 'col' }, 'State'),
          h('th', { scope: 'col', class: 'num' }, 'Bitrate'),
          h('th', { scope: 'col' }, 'Enabled'),
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
        h('tbody', {}, outputRows.map((r) => r.el))))));

  function update(st) {
    let s = !def.enabled ? 'DISABLED' : (st?.state ?? 'IDLE');
    if (def.enabled && def.kind === 'PULL' && s !== 'LIVE' && st?.pullState) {
      s = st.pullState === 'STOPPED' ? s : st.pullState;
    }
    setBadge(stateBadge, s);
    card.dataset.state = s;
    const bps = st && s === 'LIVE' ? st.bitrate1s : 0;
    rate.textContent = formatBitrate(bps);
    rate.dataset.bps = String(bps);
    spark.update(state.history.get(def.id) ?? []);
    const bits = [];
    if (st?.uptimeMs && s === 'LIVE') {
      bits.push(`live for ${formatDuration(st.uptimeMs)}`);
    }
    if (st?.readers) {
      bits.push(`${st.readers} reader${st.readers === 1 ? '' : 's'}`);
    }
    sub.textContent = bits.join(' · ') || (def.enabled ? 'no publisher' : 'stopped');
    pullInfo.hidden = !(def.kind === 'PULL' && st?.pullError && s !== 'LIVE');
    pullInfo.textContent = st?.pullError ? `Pull failing: ${st.pullError}` : '';
    for (const r of outputRows) {
      r.update(st?.outputs?.find((o) => o.id === r.id), s);
    }
  }
  update(state.stats.get(def.id));
  live.inputs.set(def.id, update);
  return card;
}

/** Where encoders publish (RTMP/SRT) or where the input pulls from (PULL). */
function ingestSection(def) {
  if (def.kind === 'PULL') {
    return h('section', { class: 'ingest' },
      h('div', { class: 'ingest-row' },
        h('span', { class: 'ingest-label' }, 'Pulls from'),
        h('code', { class: 'ingest-value', testid: 'pull-url' }, redactUrl(def.url))),
      def.latencyMs ? h('p', { class: 'field-hint' }, `SRT latency ${def.latencyMs} ms`) : null);
  }
  const key = def.streamKey ?? '';
  // the key lets anyone publish: only those who may change the input see it
  const secretsAllowed = can('MANAGE_STREAMS');
  const revealed = secretsAllowed && state.revealed.has(def.id);
  const template = def.kind === 'RTMP' ? state.server?.rtmpUrl : state.server?.srtUrl;
  const url = fillHost(template ?? '', key);
  const masked = '•'.repeat(Math.min(24, Math.max(8, key.length)));
  const shown = revealed ? url : fillHost(template ?? '', masked);
  const rows = [];
  const reveal = h('button', { type: 'button', class: 'btn btn-ghost btn-small', testid: 'reveal-key',
    'aria-pressed': String(revealed), title: revealed ? 'Hide the stream key' : 'Show the stream key' },
  icon(revealed ? 'eyeOff' : 'eye'), h('span', {}, revealed ? 'Hide' : 'Show'));
  reveal.addEventListener('click', () => {
    if (state.revealed.has(def.id)) {
      state.revealed.delete(def.id);
    } else {
      state.revealed.add(def.id);
    }
    rerender();
  });
  const copy = (what, text) => h('button', { type: 'button', class: 'btn btn-ghost btn-small',
    testid: `copy-${what}`, title: `Copy the ${what === 'url' ? 'ingest URL' : 'stream key'}`,
    onclick: async () => {
      try {
        await copyText(text);
        toast(what === 'url' ? 'Ingest URL copied.' : 'Stream key copied.', 'success', { timeout: 2500 });
      } catch (e) {
        toastError(e, 'Copy');
      }
    } }, icon('copy'), h('span', {}, 'Copy'));
  const urlId = `ingest-${def.id}`;
  rows.push(h('div', { class: 'ingest-row' },
    h('label', { class: 'ingest-label', for: urlId }, def.kind === 'RTMP' ? 'RTMP URL' : 'SRT URL'),
    h('input', { id: urlId, class: 'ingest-value mono', readonly: true, value: shown, spellcheck: 'false',
      testid: `ingest-url-${def.kind.toLowerCase()}`, dataset: { revealed: String(revealed) } }),
    secretsAllowed ? copy('url', url) : null));
  rows.push(h('div', { class: 'ingest-row' },
    h('span', { class: 'ingest-label' }, 'Stream key'),
    h('code', { class: 'ingest-value', testid: 'stream-key', dataset: { revealed: String(revealed) },
      title: secretsAllowed ? null : deniedText('MANAGE_STREAMS') }, revealed ? key : masked),
    secretsAllowed ? copy('key', key) : null, secretsAllowed ? reveal : null));
  const hints = [];
  if (!secretsAllowed) {
    hints.push('The stream key is shown only to technicians and administrators.');
  } else if (def.kind === 'RTMP') {
    hints.push('In OBS: Service “Custom…”, Server = the URL without the key, Stream Key = the key.');
  } else {
    if (def.passphrase || def.pbKeyLen) {
      const bits = def.pbKeyLen ? def.pbKeyLen * 8 : 128;
      hints.push(h('span', { testid: 'srt-passphrase-hint' }, `Encrypted (AES-${bits}): encoders must add `,
        h('code', {}, `&passphrase=${revealed && def.passphrase ? def.passphrase : '…'}&pbkeylen=${def.pbKeyLen
          ?? 16}`), ' to the URL.'));
    } else {
      hints.push(h('span', { testid: 'srt-passphrase-hint' }, 'Not encrypted: anyone with the stream id can publish.'));
    }
    hints.push(`Latency ${def.latencyMs ?? 120} ms (FFmpeg takes it in microseconds: latency=${(def.latencyMs
      ?? 120) * 1000}).`);
    if (state.server?.srtReadUrl && revealed) {
      hints.push(h('span', {}, 'Play back: ', h('code', {}, fillHost(state.server.srtReadUrl, key))));
    }
  }
  return h('section', { class: 'ingest', 'aria-label': `Ingest of ${def.name}` }, rows,
    h('ul', { class: 'ingest-hints' }, hints.map((x) => h('li', {}, x))));
}

/**
 * Fills {key} into a URL template of /server. A loopback host there means the server did not know
 * its public name; the name this page was loaded from is the better guess then.
 */
function fillHost(template, key) {
  let url = template.replace('{key}', key);
  const loopback = /^(\w+:\/\/)(127\.0\.0\.1|localhost|\[::1\])(:\d+)/;
  if (loopback.test(url) && !/^(127\.0\.0\.1|localhost|\[::1\])$/.test(location.hostname)) {
    url = url.replace(loopback, `$1${location.hostname}$3`);
  }
  return url;
}

function outputRow(input, def) {
  const stateBadge = badge('output-state');
  const rate = h('span', { testid: 'output-bitrate' }, '—');
  const error = h('span', { class: 'output-error', testid: 'output-error', hidden: true });
  const allowed = can('MANAGE_STREAMS');
  const toggle = h('input', { type: 'checkbox', role: 'switch', class: 'switch', checked: def.enabled,
    disabled: !allowed, testid: 'output-toggle', 'aria-label': `${def.name} enabled` });
  toggle.addEventListener('change', async () => {
    const on = toggle.checked;
    toggle.disabled = true;
    try {
      await api.post(`/inputs/${enc(input.id)}/outputs/${enc(def.id)}/${on ? 'enable' : 'disable'}`);
      def.enabled = on;
      toast(`Output ${def.name} ${on ? 'enabled' : 'disabled'}.`, 'success', { timeout: 2500 });
      update(state.stats.get(input.id)?.outputs?.find((o) => o.id === def.id));
    } catch (e) {
      toggle.checked = !on;
      toastError(e, `Output ${def.name}`);
    } finally {
      toggle.disabled = false;
    }
  });
  const el = h('tr', { testid: 'output-row',
    dataset: { outputId: def.id, outputName: def.name, focusKey: `output-${def.id}` } },
  h('th', { scope: 'row', class: 'output-name' }, def.name),
  h('td', {}, h('code', { class: 'url', testid: 'output-url', title: redactUrl(def.url) }, redactUrl(def.url))),
  h('td', {}, h('div', { class: 'state-cell' }, stateBadge, error)),
  h('td', { class: 'num' }, rate),
  h('td', {}, h('label', { class: 'switch-label', title: allowed ? (def.enabled ? 'Disable' : 'Enable')
    : deniedText('MANAGE_STREAMS') }, toggle, h('span', { class: 'sr-only' }, `Enable ${def.name}`))),
  h('td', { class: 'row-actions' },
    actionButton({ label: `Edit ${def.name}`, iconName: 'edit', perm: 'MANAGE_STREAMS', hide: true, iconOnly: true,
      testid: 'output-edit', onClick: () => outputDialog(input, def) }),
    actionButton({ label: `Delete ${def.name}`, iconName: 'trash', perm: 'MANAGE_STREAMS', hide: true,
      iconOnly: true, testid: 'output-delete', variant: 'btn-ghost btn-danger-text',
      onClick: async () => {
        if (!await confirmDialog({ title: `Delete output ${def.name}?`, confirmLabel: 'Delete output', danger: true,
          message: `The stream stops going to ${redactUrl(def.url)}. This cannot be undone.` })) {
          return;
        }
        await api.del(`/inputs/${enc(input.id)}/outputs/${enc(def.id)}`);
        toast(`Output ${def.name} deleted.`, 'success');
        await reloadSoon(0);
      } })));

  function update(st) {
    const s = st?.state ?? (def.enabled ? 'WAITING' : 'STOPPED');
    setBadge(stateBadge, s);
    el.dataset.state = s;
    const bps = st?.bitrate1s ?? 0;
    rate.textContent = s === 'LIVE' || bps ? formatBitrate(bps) : '—';
    rate.dataset.bps = String(bps);
    const err = st?.lastError && s !== 'LIVE' && s !== 'STOPPED' ? st.lastError : '';
    error.hidden = !err;
    error.textContent = err;
    error.title = err && st?.lastErrorAt ? `at ${formatTime(st.lastErrorAt)}` : '';
    if (toggle.checked !== def.enabled && !toggle.disabled) {
      toggle.checked = def.enabled;
    }
  }
  return { id: def.id, el, update };
}

function inputDialog(def) {
  const editing = Boolean(def);
  const kind = field({ name: 'kind', label: 'Kind', type: 'select', value: def?.kind ?? 'RTMP',
    options: [
      { value: 'RTMP', label: 'RTMP — an encoder publishes with a stream key' },
      { value: 'SRT', label: 'SRT — an encoder calls in with a stream id' },
      { value: 'PULL', label: 'PULL — the server fetches an RTMP or SRT URL' },
    ],
    hint: editing ? 'The kind cannot change; create another input instead.' : null,
    attrs: { disabled: editing } });
  const name = field({ name: 'name', label: 'Name', value: def?.name, attrs: { maxlength: 64, required: true,
    autocomplete: 'off' }, hint: 'Unique, up to 64 characters.' });
  const url = field({ name: 'url', label: 'Source URL', value: editing ? '' : '', attrs: {
    placeholder: editing ? redactUrl(def.url) : 'rtmp://origin.example.com/live/stream or srt://host:port',
    spellcheck: 'false', autocomplete: 'off' },
  hint: editing ? 'Leave empty to keep the current URL.' : 'rtmp://, rtmps:// or srt:// (passphrase=… in the query).' });
  const latency = field({ name: 'latencyMs', label: 'SRT latency (ms)', type: 'number', value: def?.latencyMs ?? '',
    attrs: { min: 80, max: 1000, step: 10, placeholder: '120', inputmode: 'numeric' },
    hint: '80–1000 ms. Higher survives worse networks, at the cost of delay.' });
  const passphrase = field({ name: 'passphrase', label: 'Passphrase', type: 'password', attrs: {
    autocomplete: 'new-password', placeholder: editing && def.passphrase ? 'unchanged' : 'none (not encrypted)' },
  hint: '10–79 characters. Encoders must use the same passphrase.' });
  const removePass = editing && def.passphrase
    ? field({ name: 'removePassphrase', label: 'Remove the passphrase (no encryption)', type: 'checkbox' })
    : null;
  const keyLen = field({ name: 'pbKeyLen', label: 'Key length', type: 'select', value: def?.pbKeyLen ?? 16,
    options: [{ value: 16, label: 'AES-128 (16)' }, { value: 24, label: 'AES-192 (24)' },
      { value: 32, label: 'AES-256 (32)' }] });
  const enabled = editing ? null : field({ name: 'enabled', label: 'Start right away', type: 'checkbox',
    value: true, hint: 'A stopped input refuses publishers.' });

  const sync = () => {
    const k = kind.control.value;
    url.wrap.hidden = k !== 'PULL';
    latency.wrap.hidden = k === 'RTMP';
    passphrase.wrap.hidden = k !== 'SRT';
    keyLen.wrap.hidden = k !== 'SRT';
    if (removePass) {
      removePass.wrap.hidden = k !== 'SRT';
    }
    $('.field-hint', latency.wrap).textContent = k === 'PULL'
      ? 'For srt:// sources only: 80–1000 ms.'
      : '80–1000 ms. Higher survives worse networks, at the cost of delay.';
  };
  kind.control.addEventListener('change', sync);
  removePass?.control.addEventListener('change', () => {
    passphrase.control.disabled = removePass.control.checked;
  });
  sync();

  formDialog({
    title: editing ? `Edit input ${def.name}` : 'Add input',
    testid: 'input-form',
    submitLabel: editing ? 'Save' : 'Add input',
    fields: [name.wrap, kind.wrap, url.wrap, latency.wrap, passphrase.wrap, removePass?.wrap, keyLen.wrap,
      enabled?.wrap],
    submit: async () => {
      const k = kind.control.value;
      const body = { name: name.control.value.trim() };
      const lat = latency.control.value.trim();
      const pass = passphrase.control.value;
      if (!editing) {
        body.kind = k;
        body.enabled = enabled.control.checked;
      }
      if (k === 'PULL' && (!editing || url.control.value.trim())) {
        body.url = url.control.value.trim();
      }
      if (k !== 'RTMP' && lat !== '') {
        body.latencyMs = Number(lat);
      }
      if (k === 'SRT') {
        if (removePass?.control.checked) {
          body.passphrase = '';
        } else if (pass) {
          body.passphrase = pass;
          body.pbKeyLen = Number(keyLen.control.value);
        } else if (editing && def.passphrase && Number(keyLen.control.value) !== def.pbKeyLen) {
          body.pbKeyLen = Number(keyLen.control.value);
        }
      }
      const saved = editing ? await api.patch(`/inputs/${enc(def.id)}`, body) : await api.post('/inputs', body);
      toast(editing ? `Input ${saved.name} saved.` : `Input ${saved.name} added.`, 'success');
      if (!editing) {
        state.revealed.add(saved.id);
      }
      await reloadSoon(0);
      return saved;
    },
  });
}

function outputDialog(input, def) {
  const editing = Boolean(def);
  const name = field({ name: 'name', label: 'Name', value: def?.name, attrs: { maxlength: 64, required: true,
    autocomplete: 'off', placeholder: 'YouTube' }, hint: 'Unique within this input.' });
  const url = field({ name: 'url', label: 'Destination URL', attrs: { spellcheck: 'false', autocomplete: 'off',
    placeholder: editing ? redactUrl(def.url) : 'rtmp://a.rtmp.youtube.com/live2/STREAM-KEY' },
  hint: editing
    ? 'Leave empty to keep the current destination.'
    : 'rtmp://, rtmps:// or srt:// — or srt://:PORT?mode=listener to let the destination pull.' });
  const enabled = field({ name: 'enabled', label: 'Enabled', type: 'checkbox', value: def ? def.enabled : true,
    hint: 'An enabled output starts as soon as the input is live.' });
  formDialog({
    title: editing ? `Edit output ${def.name}` : `Add output to ${input.name}`,
    testid: 'output-form',
    submitLabel: editing ? 'Save' : 'Add output',
    fields: [name.wrap, url.wrap, enabled.wrap],
    submit: async () => {
      const body = { name: name.control.value.trim(), enabled: enabled.control.checked };
      const u = url.control.value.trim();
      if (!editing || u) {
        body.url = u;
      }
      const base = `/inputs/${enc(input.id)}/outputs`;
      const saved = editing ? await api.patch(`${base}/${enc(def.id)}`, body) : await api.post(base, body);
      toast(editing ? `Output ${saved.name} saved.` : `Output ${saved.name} added.`, 'success');
      await reloadSoon(0);
      return saved;
    },
  });
}

let reloadTimer = 0;

/** Reloads the definitions (after a change here or elsewhere) and re-renders the page. */
function reloadSoon(delay = 250) {
  clearTimeout(reloadTimer);
  return new Promise((resolve) => {
    reloadTimer = setTimeout(async () => {
      try {
        if (session.data && (state.route === 'inputs' || state.route === 'connections')) {
          await rerender();
        }
      } catch (e) {
        toastError(e, 'Refreshing');
      }
      resolve();
    }, delay);
  });
}

// ---------------------------------------------------------------------------------- live stats

function applyStats(inputs) {
  const seen = new Set();
  for (const st of inputs ?? []) {
    seen.add(st.id);
    state.stats.set(st.id, st);
    const hist = state.history.get(st.id) ?? [];
    hist.push(st.state === 'LIVE' ? st.bitrate1s : 0);
    if (hist.length > HISTORY) {
      hist.splice(0, hist.length - HISTORY);
    }
    state.history.set(st.id, hist);
    live.inputs.get(st.id)?.(st);
  }
  for (const id of [...state.stats.keys()]) {
    if (!seen.has(id)) {
      state.stats.delete(id);
      state.history.delete(id);
    }
  }
}

/** The event WebSocket, reconnecting with exponential back-off. */
const events = {
  ws: null,
  attempts: 0,
  timer: 0,
  wanted: false,
  seq: 0,
  pending: new Map(),

  start() {
    this.wanted = true;
    if (!this.ws) {
      this.connect();
    }
  },

  stop() {
    this.wanted = false;
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = null;
      ws.close(1000, 'signed out');
    }
    this.status('disconnected', 'Offline');
  },

  /** Opens a new connection with the current token (after a refresh). */
  reconnect() {
    if (!this.wanted) {
      return;
    }
    const old = this.ws;
    this.ws = null;
    if (old) {
      old.onclose = null;
      old.close(1000, 'new token');
    }
    clearTimeout(this.timer);
    this.connect();
  },

  connect() {
    if (!session.data) {
      return;
    }
    if (session.data.expiresAt - Date.now() < 10_000) {
      // e.g. after the computer slept: the server would refuse this token; a refresh reconnects
      this.status('connecting', 'Renewing…');
      session.refresh().then((ok) => ok || this.retry());
      return;
    }
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}${API}/events?token=${enc(session.data.accessToken)}`);
    this.ws = ws;
    this.status('connecting', 'Connecting…');
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempts = 0;
      this.status('connected', 'Live');
    };
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onclose = (ev) => {
      if (this.ws !== ws) {
        return;
      }
      this.ws = null;
      for (const p of this.pending.values()) {
        p.reject(new Error('connection lost'));
      }
      this.pending.clear();
      if (!this.wanted) {
        return;
      }
      if (ev.code === 4001) {
        // the token this connection was opened with expired: refresh, then reconnect at once
        this.status('connecting', 'Renewing…');
        session.refresh().then((ok) => ok || this.retry());
        return;
      }
      if (!opened && this.attempts >= 2) {
        // a refused upgrade looks like any network error here: ask the REST API whether the session
        // still holds (it refreshes the token, or signs out when the session ended)
        request('GET', '/auth/me').catch(() => {});
      }
      this.retry();
    };
  },

  retry() {
    if (!this.wanted || this.ws) {
      return;
    }
    const delay = Math.min(30_000, 1000 * 2 ** this.attempts) * (0.8 + Math.random() * 0.4);
    this.attempts++;
    this.status('disconnected', `Offline — retrying in ${Math.round(delay / 1000)} s`);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  },

  status(value, text) {
    const el = $('#ws-status');
    el.dataset.state = value;
    el.title = `Live updates: ${text}`;
    $('#ws-status-text').textContent = value === 'connected' ? 'Live' : value === 'connecting' ? 'Connecting'
      : 'Offline';
    document.body.classList.toggle('is-stale', value !== 'connected');
  },

  /** Sends a command; resolves with its result. */
  command(type, fields) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new Error('live updates are offline'));
    }
    const id = String(++this.seq);
    this.ws.send(JSON.stringify({ type, id, ...fields }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  },

  onMessage(data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    switch (msg.type) {
      case 'hello':
        this.status('connected', 'Live');
        break;
      case 'stats':
        applyStats(msg.inputs);
        if (Array.isArray(msg.connections)) {
          state.connections = msg.connections;
          live.connections?.(msg.connections);
        }
        break;
      case 'change':
        if (!/^connection\./.test(msg.change ?? '')) {
          reloadSoon();
        }
        break;
      case 'alert': {
        const input = state.inputs.find((i) => i.id === msg.inputId);
        toast(msg.message ?? msg.alert, msg.level === 'warning' ? 'warning' : msg.level === 'error' ? 'error' : 'info',
          { title: input ? input.name : null, key: `${msg.alert}:${msg.inputId}`, timeout: 8000 });
        break;
      }
      case 'result': {
        const p = this.pending.get(String(msg.id));
        if (p) {
          this.pending.delete(String(msg.id));
          if (msg.ok) {
            p.resolve(msg.result);
          } else {
            p.reject(new ApiError(msg.status ?? 400, { detail: msg.detail }));
          }
        }
        break;
      }
      default:
        break;
    }
  },
};

// ---------------------------------------------------------------------------------- connections

function inputOfPath(path) {
  return state.inputs.find((i) => i.streamKey && i.streamKey === path);
}

async function renderConnections(main) {
  let list;
  try {
    if (!state.loaded) {
      await loadInputs();
    }
    list = await api.get('/connections');
  } catch (e) {
    fill(main, pageHead('Connections'), h('p', { class: 'form-error' }, e.detail ?? String(e)));
    return;
  }
  if (state.route !== 'connections') {
    return;
  }
  const body = h('tbody', {});
  const empty = h('p', { class: 'empty', testid: 'connections-empty' }, 'No encoder or player is connected.');
  const table = h('div', { class: 'table-wrap card' }, h('table', { class: 'table', testid: 'connections-table' },
    h('thead', {}, h('tr', {},
      ['Client', 'Protocol', 'Direction', 'Stream', 'Connected', 'Received', 'Sent', 'Details'].map((t) => h('th',
        { scope: 'col' }, t)),
      h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
    body));
  const update = (conns) => {
    empty.hidden = conns.length > 0;
    table.hidden = conns.length === 0;
    const active = document.activeElement?.closest?.('[data-focus-key]')?.dataset.focusKey;
    body.replaceChildren(...conns.map(connectionRow));
    if (active) {
      body.querySelector(`[data-focus-key="${CSS.escape(active)}"] button`)?.focus();
    }
  };
  fill(main, 
    pageHead('Connections', 'Encoders publishing to this server and players reading from it, live.'),
    readOnlyNote(), empty, table);
  update(list);
  live.connections = update;
}

function connectionRow(c) {
  const input = inputOfPath(c.path);
  const extra = Object.entries(c.extra ?? {}).map(([k, v]) => `${k} ${typeof v === 'number' ? +v.toFixed(2) : v}`);
  return h('tr', { testid: 'connection-row', dataset: { connectionId: c.id, focusKey: `conn-${c.id}` } },
    h('th', { scope: 'row' }, h('code', {}, c.remoteAddress ?? '?'), h('div', { class: 'muted small' }, c.id)),
    h('td', {}, h('span', { class: 'chip' }, (c.protocol ?? '').toUpperCase())),
    h('td', {}, c.publishing ? 'publishing' : 'reading'),
    h('td', {}, input ? input.name : c.path ? h('span', { class: 'muted' }, 'unknown stream') : '—'),
    h('td', {}, c.since ? formatDuration(Date.now() - new Date(c.since).getTime()) : '—'),
    h('td', { class: 'num' }, formatBytes(c.bytesReceived)),
    h('td', { class: 'num' }, formatBytes(c.bytesSent)),
    h('td', { class: 'small' }, extra.join(' · ') || '—'),
    h('td', { class: 'row-actions' }, actionButton({
      label: 'Kick', iconName: 'plug', perm: 'MANAGE_STREAMS', testid: 'kick', variant: 'btn-ghost btn-danger-text',
      title: 'Disconnect this client',
      onClick: async () => {
        if (!await confirmDialog({ title: `Disconnect ${c.remoteAddress}?`, confirmLabel: 'Disconnect', danger: true,
          message: c.publishing
            ? `The encoder publishing to ${input?.name ?? 'this stream'} is disconnected; it may reconnect unless `
              + 'you stop the input or change its key.'
            : 'The player is disconnected; it may reconnect.' })) {
          return;
        }
        await api.del(`/connections/${enc(c.id)}`);
        toast('Client disconnected.', 'success');
      },
    })));
}

// ---------------------------------------------------------------------------------------- audit

const AUDIT_ACTIONS = ['input.', 'output.', 'user.', 'user.login', 'user.login.failed', 'connection.kick',
  'session.'];

async function renderAudit(main) {
  const actor = field({ name: 'actor', label: 'Actor (email)', attrs: { autocomplete: 'off', type: 'search' },
    testid: 'audit-actor' });
  const action = field({ name: 'action', label: 'Action starts with', attrs: { autocomplete: 'off',
    list: 'audit-actions', placeholder: 'e.g. input. or user.login' }, testid: 'audit-action' });
  const limit = field({ name: 'limit', label: 'Show', type: 'select', value: 100, testid: 'audit-limit',
    options: [50, 100, 250, 1000].map((n) => ({ value: n, label: `${n} entries` })) });
  const datalist = h('datalist', { id: 'audit-actions' }, AUDIT_ACTIONS.map((a) => h('option', { value: a })));
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true, testid: 'form-error' });
  const form = h('form', { class: 'filters', role: 'search', testid: 'audit-filter' },
    actor.wrap, action.wrap, limit.wrap, datalist,
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary', testid: 'audit-apply' }, 'Filter'),
      h('button', { type: 'reset', class: 'btn', testid: 'audit-reset' }, 'Reset')),
    error);
  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'btn', testid: 'audit-more', hidden: true }, 'Load older entries');
  const count = h('p', { class: 'muted small', testid: 'audit-count', 'aria-live': 'polite' });
  let oldest = null;

  const load = async (append) => {
    clearErrors(form);
    const q = new URLSearchParams();
    if (actor.control.value.trim()) {
      q.set('actor', actor.control.value.trim().toLowerCase());
    }
    if (action.control.value.trim()) {
      q.set('action', action.control.value.trim());
    }
    q.set('limit', limit.control.value);
    if (append && oldest) {
      q.set('before', oldest);
    }
    try {
      const entries = await api.get(`/audit?${q}`);
      if (!append) {
        body.replaceChildren();
      }
      body.append(...entries.map((e) => h('tr', { testid: 'audit-row', dataset: { action: e.action } },
        h('td', { class: 'nowrap' }, h('time', { datetime: e.at }, formatTime(e.at))),
        h('td', {}, e.actor),
        h('td', {}, h('span', { class: `chip chip-action${/failed|locked|reused/.test(e.action) ? ' chip-bad' : ''}` },
          e.action)),
        h('td', {}, e.target ? h('code', {}, e.target) : '—'),
        h('td', {}, e.detail ?? ''),
        h('td', { class: 'muted small' }, e.remote ?? '—'))));
      oldest = entries.length ? entries[entries.length - 1].seq : oldest;
      more.hidden = entries.length < Number(limit.control.value);
      count.textContent = `${body.children.length} entr${body.children.length === 1 ? 'y' : 'ies'} shown`;
    } catch (e) {
      showErrors(form, e);
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load(false);
  });
  form.addEventListener('reset', () => setTimeout(() => load(false)));
  more.addEventListener('click', () => load(true));

  fill(main, 
    pageHead('Audit log', 'Every change and sign-in, newest first.'),
    form,
    count,
    h('div', { class: 'table-wrap card' }, h('table', { class: 'table', testid: 'audit-table' },
      h('thead', {}, h('tr', {}, ['Time', 'Actor', 'Action', 'Target', 'Detail', 'From'].map((t) => h('th',
        { scope: 'col' }, t)))),
      body)),
    h('div', { class: 'more' }, more));
  await load(false);
}

// ---------------------------------------------------------------------------------------- users

async function renderUsers(main) {
  let users;
  try {
    users = await api.get('/users');
  } catch (e) {
    fill(main, pageHead('Users'), h('p', { class: 'form-error' }, e.detail ?? String(e)));
    return;
  }
  if (state.route !== 'users') {
    return;
  }
  const add = actionButton({ label: 'Add user', iconName: 'plus', perm: 'MANAGE_USERS', hide: true,
    variant: 'btn-primary', testid: 'add-user', onClick: () => userDialog() });
  fill(main, 
    pageHead('Users', 'Who may sign in, and what each one may do.', add),
    h('dl', { class: 'roles' }, ROLES.map((r) => [h('dt', {}, h('span', { class: 'role-chip' }, r)),
      h('dd', {}, ROLE_TEXT[r])])),
    h('div', { class: 'table-wrap card' }, h('table', { class: 'table', testid: 'users-table' },
      h('thead', {}, h('tr', {}, ['Email', 'Role', 'Two-factor', 'Status', 'Created'].map((t) => h('th',
        { scope: 'col' }, t)), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
      h('tbody', {}, users.map(userRow)))));
}

function userRow(u) {
  const self = u.id === state.user?.id;
  const selfText = 'You cannot change your own role, status or account here.';
  const role = h('select', { class: 'inline-select', testid: 'user-role', 'aria-label': `Role of ${u.email}`,
    disabled: self, title: self ? selfText : null },
  ROLES.map((r) => h('option', { value: r, selected: r === u.role }, r)));
  role.addEventListener('change', async () => {
    const next = role.value;
    if (!await confirmDialog({ title: `Make ${u.email} ${next}?`, confirmLabel: 'Change role',
      message: `${ROLE_TEXT[next]}. Their open sessions end; they sign in again.` })) {
      role.value = u.role;
      return;
    }
    try {
      await api.patch(`/users/${enc(u.id)}`, { role: next });
      toast(`${u.email} is now ${next}.`, 'success');
      await rerender();
    } catch (e) {
      role.value = u.role;
      toastError(e, 'Changing the role');
    }
  });
  const toggle = h('input', { type: 'checkbox', role: 'switch', class: 'switch', checked: !u.disabled,
    disabled: self, testid: 'user-active', 'aria-label': `${u.email} may sign in` });
  toggle.addEventListener('change', async () => {
    const disabled = !toggle.checked;
    try {
      await api.patch(`/users/${enc(u.id)}`, { disabled });
      toast(`${u.email} ${disabled ? 'disabled: their sessions ended' : 'may sign in again'}.`, 'success');
      await rerender();
    } catch (e) {
      toggle.checked = !disabled;
      toastError(e, disabled ? 'Disabling' : 'Enabling');
    }
  });
  return h('tr', { testid: 'user-row', dataset: { userId: u.id, email: u.email, focusKey: `user-${u.id}` } },
    h('th', { scope: 'row' }, u.email, self ? h('span', { class: 'chip chip-self' }, 'you') : null),
    h('td', {}, role),
    h('td', {}, u.totpEnabled ? h('span', { class: 'badge badge-live' }, 'ON') : h('span', { class: 'muted' }, 'off')),
    h('td', {}, h('label', { class: 'switch-label', title: self ? selfText : (u.disabled ? 'Enable' : 'Disable') },
      toggle, h('span', { class: 'switch-text' }, u.disabled ? 'disabled' : 'active'))),
    h('td', { class: 'small' }, formatTime(u.createdAt)),
    h('td', { class: 'row-actions' },
      actionButton({ label: `Reset password of ${u.email}`, iconName: 'key', perm: 'MANAGE_USERS', iconOnly: true,
        testid: 'user-password', onClick: () => userPasswordDialog(u) }),
      self ? null : actionButton({ label: `Delete ${u.email}`, iconName: 'trash', perm: 'MANAGE_USERS',
        iconOnly: true, testid: 'user-delete', variant: 'btn-ghost btn-danger-text',
        onClick: async () => {
          if (!await confirmDialog({ title: `Delete ${u.email}?`, confirmLabel: 'Delete user', danger: true,
            message: 'The account and its sessions are removed. The audit log keeps its entries.' })) {
            return;
          }
          await api.del(`/users/${enc(u.id)}`);
          toast(`${u.email} deleted.`, 'success');
          await rerender();
        } })));
}

function userDialog() {
  const email = field({ name: 'email', label: 'Email', type: 'email', attrs: { autocomplete: 'off', required: true } });
  const password = field({ name: 'password', label: 'Initial password', type: 'password',
    attrs: { autocomplete: 'new-password', required: true }, hint: '10–256 characters. Tell it to the user safely.' });
  const role = field({ name: 'role', label: 'Role', type: 'select', value: 'VIEWER',
    options: ROLES.map((r) => ({ value: r, label: `${r} — ${ROLE_TEXT[r]}` })) });
  formDialog({
    title: 'Add user',
    testid: 'user-form',
    submitLabel: 'Add user',
    fields: [email.wrap, password.wrap, role.wrap],
    submit: async () => {
      const u = await api.post('/users', { email: email.control.value.trim(), password: password.control.value,
        role: role.control.value });
      toast(`${u.email} added as ${u.role}.`, 'success');
      await rerender();
    },
  });
}

function userPasswordDialog(u) {
  const password = field({ name: 'password', label: 'New password', type: 'password',
    attrs: { autocomplete: 'new-password' }, hint: '10–256 characters. Their open sessions end.' });
  formDialog({
    title: `Reset the password of ${u.email}`,
    testid: 'user-password-form',
    submitLabel: 'Set password',
    fields: [password.wrap],
    submit: async () => {
      await api.patch(`/users/${enc(u.id)}`, { password: password.control.value });
      toast(`New password set for ${u.email}.`, 'success');
    },
  });
}

// -------------------------------------------------------------------------------------- account

async function renderAccount(main) {
  try {
    state.user = await api.get('/auth/me');
    session.setUser(state.user);
  } catch (e) {
    toastError(e, 'Loading your account');
  }
  if (state.route !== 'account') {
    return;
  }
  const u = state.user ?? {};
  fill(main, 
    pageHead('Account', null),
    h('section', { class: 'card panel', 'aria-labelledby': 'acct-profile' },
      h('h2', { id: 'acct-profile' }, 'Profile'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Email'), h('dd', { testid: 'account-email' }, u.email ?? ''),
        h('dt', {}, 'Role'), h('dd', {}, h('span', { class: 'role-chip' }, u.role ?? ''), ' ',
          h('span', { class: 'muted' }, ROLE_TEXT[u.role] ?? '')))),
    passwordPanel(),
    totpPanel(u));
}

/** The account's email in password forms, for password managers; not shown. */
function usernameField() {
  return h('input', { type: 'email', name: 'username', autocomplete: 'username', value: state.user?.email ?? '',
    readonly: true, hidden: true, tabindex: '-1', 'aria-hidden': 'true' });
}

function passwordPanel() {
  const current = field({ name: 'currentPassword', label: 'Current password', type: 'password',
    attrs: { autocomplete: 'current-password' } });
  const next = field({ name: 'newPassword', label: 'New password', type: 'password',
    attrs: { autocomplete: 'new-password' }, hint: '10–256 characters.' });
  const again = field({ name: 'confirmPassword', label: 'New password again', type: 'password',
    attrs: { autocomplete: 'new-password' } });
  const formError = h('div', { class: 'form-error', role: 'alert', hidden: true, tabindex: '-1',
    testid: 'form-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'password-submit' },
    'Change password');
  const form = h('form', { class: 'form', novalidate: true, testid: 'password-form' },
    usernameField(),
    current.wrap, next.wrap, again.wrap, formError, h('div', { class: 'form-actions form-actions-start' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (next.control.value !== again.control.value) {
      showErrors(form, new ApiError(400, { detail: 'The new passwords differ.',
        errors: [{ field: 'confirmPassword', message: 'does not match the new password' }] }));
      return;
    }
    submit.disabled = true;
    try {
      await api.post('/auth/password', { currentPassword: current.control.value, newPassword: next.control.value });
      // Changing the password ends the sessions of this account: sign in again with the new one.
      session.clear();
      showLogin('Your password was changed. Sign in with the new password.', 'info');
    } catch (e) {
      showErrors(form, e);
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', { class: 'card panel', 'aria-labelledby': 'acct-password' },
    h('h2', { id: 'acct-password' }, 'Password'),
    h('p', { class: 'muted' }, 'Changing the password signs you out everywhere.'),
    form);
}

function totpPanel(u) {
  const panel = h('section', { class: 'card panel', 'aria-labelledby': 'acct-totp', testid: 'totp-panel' });
  const head = h('h2', { id: 'acct-totp' }, 'Two-factor authentication ',
    h('span', { class: `badge ${u.totpEnabled ? 'badge-live' : 'badge-off'}`, testid: 'totp-status' },
      u.totpEnabled ? 'ON' : 'OFF'));
  if (u.totpEnabled) {
    const password = field({ name: 'password', label: 'Password', type: 'password',
      attrs: { autocomplete: 'current-password' } });
    const formError = h('div', { class: 'form-error', role: 'alert', hidden: true, tabindex: '-1' });
    const form = h('form', { class: 'form', novalidate: true, testid: 'totp-disable-form' },
      usernameField(),
      password.wrap, formError,
      h('div', { class: 'form-actions form-actions-start' },
        h('button', { type: 'submit', class: 'btn btn-danger', testid: 'totp-disable' }, 'Turn off two-factor')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      try {
        await api.post('/auth/totp/disable', { password: password.control.value });
        toast('Two-factor authentication is off.', 'success');
        await rerender();
      } catch (e) {
        showErrors(form, e);
      }
    });
    panel.append(head, h('p', {}, 'Signing in needs a code from your authenticator app (or a recovery code).'),
      h('p', { class: 'muted' }, 'To turn it off, confirm with your password.'), form);
    return panel;
  }
  const start = h('button', { type: 'button', class: 'btn btn-primary', testid: 'totp-setup' },
    'Set up two-factor authentication');
  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      const setup = await api.post('/auth/totp/setup');
      panel.replaceChildren(head, totpSetupSteps(setup, panel));
      $('[data-testid=totp-code]', panel)?.focus();
    } catch (e) {
      toastError(e, 'Two-factor setup');
      start.disabled = false;
    }
  });
  panel.append(head,
    h('p', {}, 'Protect this account with a second step at sign-in: a 6-digit code from an authenticator app '
      + '(Aegis, FreeOTP, Google Authenticator, 1Password…).'),
    start);
  return panel;
}

function totpSetupSteps(setup, panel) {
  const code = field({ name: 'code', label: 'Code from the app', attrs: { inputmode: 'numeric',
    autocomplete: 'one-time-code', maxlength: 8 }, testid: 'totp-code' });
  const formError = h('div', { class: 'form-error', role: 'alert', hidden: true, tabindex: '-1' });
  const form = h('form', { class: 'form', novalidate: true, testid: 'totp-enable-form' },
    code.wrap, formError,
    h('div', { class: 'form-actions form-actions-start' },
      h('button', { type: 'submit', class: 'btn btn-primary', testid: 'totp-enable' }, 'Turn on'),
      h('button', { type: 'button', class: 'btn', onclick: () => rerender() }, 'Cancel')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const res = await api.post('/auth/totp/enable', { code: code.control.value.replace(/\s+/g, '') });
      panel.replaceChildren(recoveryCodesView(res.recoveryCodes ?? []));
      state.user = { ...state.user, totpEnabled: true };
      session.setUser(state.user);
      toast('Two-factor authentication is on.', 'success');
    } catch (e) {
      showErrors(form, e);
    }
  });
  const secret = setup.secret.replace(/(.{4})/g, '$1 ').trim();
  return h('div', { class: 'steps' },
    h('ol', { class: 'steps-list' },
      h('li', {}, 'In your authenticator app, add an account with this setup link or key:',
        h('div', { class: 'secret-box' },
          h('div', { class: 'ingest-row' },
            h('span', { class: 'ingest-label' }, 'Key'),
            h('code', { class: 'ingest-value secret', testid: 'totp-secret' }, secret),
            h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => copyText(setup.secret)
              .then(() => toast('Key copied.', 'success', { timeout: 2500 })) }, icon('copy'), h('span', {}, 'Copy'))),
          h('div', { class: 'ingest-row' },
            h('span', { class: 'ingest-label' }, 'Setup link'),
            h('a', { class: 'ingest-value mono', href: setup.otpauthUri, testid: 'totp-uri' }, setup.otpauthUri)))),
      h('li', {}, 'Enter the 6-digit code the app shows to confirm.', form)));
}

function recoveryCodesView(codes) {
  const text = codes.join('\n');
  const download = h('button', { type: 'button', class: 'btn', testid: 'recovery-download' }, icon('download'),
    h('span', {}, 'Download'));
  download.addEventListener('click', () => {
    const a = h('a', { href: URL.createObjectURL(new Blob([`StreamKit recovery codes for ${state.user?.email}\n\n${
      text}\n`], { type: 'text/plain' })), download: 'streamkit-recovery-codes.txt' });
    document.body.append(a);
    a.click();
    setTimeout(() => {
      URL.revokeObjectURL(a.href);
      a.remove();
    }, 1000);
  });
  return h('div', { class: 'recovery', testid: 'recovery-codes' },
    h('h2', {}, 'Save your recovery codes'),
    h('p', {}, 'Each code signs you in once if you lose your authenticator. They are shown ',
      h('strong', {}, 'only now'), ': store them somewhere safe.'),
    h('ul', { class: 'codes' }, codes.map((c) => h('li', {}, h('code', { testid: 'recovery-code' }, c)))),
    h('div', { class: 'form-actions form-actions-start' },
      h('button', { type: 'button', class: 'btn', onclick: () => copyText(text).then(() => toast(
        'Recovery codes copied.', 'success', { timeout: 2500 })) }, icon('copy'), h('span', {}, 'Copy')),
      download,
      h('button', { type: 'button', class: 'btn btn-primary', testid: 'recovery-done', onclick: () => rerender() },
        'I have saved them')));
}

// ----------------------------------------------------------------------------------------- boot

function boot() {
  modal.el = $('#modal');
  modal.el.addEventListener('close', () => {
    const cb = modal.onClose;
    modal.onClose = null;
    modal.el.replaceChildren();
    cb?.();
  });
  $('#login-form').addEventListener('submit', onLogin);
  $('#login-use-recovery').addEventListener('click', () => setSecondFactor('recovery'));
  $('#login-use-totp').addEventListener('click', () => setSecondFactor('totp'));
  $('#logout').addEventListener('click', logout);
  $('.skip-link').addEventListener('click', (ev) => {
    ev.preventDefault();
    $('#main').focus();
  });
  window.addEventListener('hashchange', () => {
    if (location.hash.startsWith('#/')) {
      route().catch((e) => toastError(e));
    }
  });
  if (location.hash.startsWith('#setup=')) {
    setupToken = decodeURIComponent(location.hash.substring('#setup='.length));
    showLogin('Welcome. Choose the email and password of the first admin account (at least 10 characters).');
    $('.login-title').textContent = 'Create the admin account';
    $('#login-password').autocomplete = 'new-password';
    return;
  }
  if (session.load()?.accessToken) {
    state.user = session.data.user;
    session.schedule();
    const start = session.data.expiresAt - Date.now() < 5000 ? session.refresh() : Promise.resolve(true);
    start.then((ok) => {
      if (ok && session.data) {
        enterDashboard();
      } else if (session.data) {
        session.clear();
        showLogin();
      } else if ($('#login-view').hidden) {
        showLogin();
      }
    });
  } else {
    showLogin();
  }
}

boot();

// The studio's control page: polls /api/state, posts changes, refreshes the preview.
'use strict';

const $ = (id) => document.getElementById(id);
let editingText = false;

async function call(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) {
    $('error').textContent = json.error || ('HTTP ' + res.status);
    throw new Error(json.error);
  }
  $('error').textContent = '';
  render(json);
  return json;
}

function button(label, active, onClick) {
  const b = document.createElement('button');
  b.textContent = label;
  if (active) b.classList.add('active');
  b.addEventListener('click', onClick);
  return b;
}

function render(state) {
  const layouts = $('layouts');
  layouts.replaceChildren(...state.layouts.map((name) =>
    button(name, name === state.layout, () => call('POST', '/api/layout', { layout: name }))));

  const rows = state.sources.map((s) => {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    name.textContent = s.label;
    name.title = s.id;
    const st = document.createElement('td');
    st.textContent = (s.state || '') + (s.width ? ` ${s.width}x${s.height}` : '');
    st.className = 'state-' + s.state;
    const show = document.createElement('td');
    show.append(button(s.visible ? 'shown' : 'hidden', s.visible,
      () => call('POST', '/api/sources/' + encodeURIComponent(s.id), { visible: !s.visible })));
    const mute = document.createElement('td');
    mute.append(button(s.muted ? 'muted' : 'audio on', !s.muted,
      () => call('POST', '/api/sources/' + encodeURIComponent(s.id), { muted: !s.muted })));
    const gain = document.createElement('td');
    const range = document.createElement('input');
    range.type = 'range'; range.min = -30; range.max = 12; range.step = 1; range.value = s.gainDb;
    range.title = s.gainDb + ' dB';
    range.addEventListener('change', () =>
      call('POST', '/api/sources/' + encodeURIComponent(s.id), { gainDb: Number(range.value) }));
    gain.append(range);
    tr.append(name, st, show, mute, gain);
    return tr;
  });
  $('sources').replaceChildren(...rows);
  if (!editingText) $('text').value = state.text;
  const p = state.program;
  $('stats').textContent = `${p.framesEncoded} frames encoded, ${p.framesDropped} dropped, ` +
    `${p.ticksSkipped} ticks skipped, encode p50 ${p.encodeMillisP50} ms / p99 ${p.encodeMillisP99} ms`;
}

$('text').addEventListener('focus', () => { editingText = true; });
$('text').addEventListener('blur', () => { editingText = false; });
$('text-form').addEventListener('submit', (e) => {
  e.preventDefault();
  editingText = false;
  call('POST', '/api/text', { text: $('text').value });
});

function refreshPreview() {
  const img = new Image();
  img.onload = () => { $('preview').src = img.src; setTimeout(refreshPreview, 500); };
  img.onerror = () => setTimeout(refreshPreview, 1000);
  img.src = '/preview.jpg?t=' + Date.now();
}

async function poll() {
  try { await call('GET', '/api/state'); } catch (e) { /* shown in #error */ }
  setTimeout(poll, 1000);
}

poll();
refreshPreview();

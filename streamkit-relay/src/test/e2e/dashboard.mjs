// Drives the restreamer dashboard in Debian's headless Chromium (playwright-core, no bundled
// browser) for DashboardE2EIT.
//
//   node dashboard.mjs <baseUrl> <screenshotDir> <scenario> [name=value ...]
//
// Scenarios:
//   operator  email= password= dest=<rtmp URL of the destination server>
//   viewer    email= password=
//
// Protocol with the Java test: one JSON object per line on stdout. Most lines report a step
// ({"step":"input-live",...}). When the browser needs something only the test can do, the script
// prints {"step":"need-publish","key":...} or {"step":"need-check","check":...} and waits for one
// JSON line on stdin: {"ok":true} to go on, {"ok":false,"error":"..."} to fail. The last line is
// {"step":"done"} (exit 0) or {"step":"failed","error":...} (exit 1). Everything else goes to
// stderr.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const [baseUrl, screenshotDir, scenario, ...rest] = process.argv.slice(2);
const opts = Object.fromEntries(rest.map((a) => {
  const i = a.indexOf('=');
  return [a.slice(0, i), a.slice(i + 1)];
}));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const WAIT = 60_000; // the most any single UI condition may take
const DEADLINE = 300_000; // the whole scenario

function emit(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

function log(...args) {
  process.stderr.write(`${new Date().toISOString()} ${args.join(' ')}\n`);
}

// ------------------------------------------------------------------------- stdin replies

const lines = [];
const waiters = [];
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const w = waiters.shift();
  if (w) {
    w(line);
  } else {
    lines.push(line);
  }
});

function nextLine(timeoutMs) {
  if (lines.length) {
    return Promise.resolve(lines.shift());
  }
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer from the test within ${timeoutMs} ms`)), timeoutMs);
    waiters.push((line) => {
      clearTimeout(t);
      resolve(line);
    });
  });
}

/** Asks the Java test for something and waits for its {"ok":...} answer. */
async function ask(request, timeoutMs = 2 * WAIT) {
  emit(request);
  const answer = JSON.parse(await nextLine(timeoutMs));
  if (!answer.ok) {
    throw new Error(`${request.step} ${request.check ?? ''}: ${answer.error ?? 'refused by the test'}`);
  }
  return answer;
}

// ------------------------------------------------------------------------------- browser

let context;
let page;
let profile;
let shot = 0;
const problems = [];

async function screenshot(name) {
  const file = path.join(screenshotDir, `${scenario}-${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

async function step(name, extra = {}) {
  const file = await screenshot(name);
  emit({ step: name, screenshot: file, ...extra });
}

async function launch() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  }
  fs.mkdirSync(screenshotDir, { recursive: true });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'streamkit-e2e-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 900 },
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.on('console', (msg) => {
    const text = msg.text();
    log(`console.${msg.type()}: ${text}`);
    // a refused API call logs "Failed to load resource"; the scenarios cause some on purpose
    if (msg.type() === 'error' && !/Failed to load resource/.test(text)) {
      problems.push(text);
    }
  });
  page.on('pageerror', (e) => {
    log(`pageerror: ${e.stack ?? e}`);
    problems.push(`uncaught: ${e.message}`);
  });
  emit({ step: 'launched', browser: context.browser()?.version() ?? 'chromium' });
}

const byTestId = (id, root = page) => root.locator(`[data-testid="${id}"]`);

async function login(email, password) {
  await page.goto(baseUrl);
  await byTestId('login-email').fill(email);
  await byTestId('login-password').fill(password);
  await byTestId('login-submit').click();
  await byTestId('main').waitFor();
  await page.locator('[data-testid="ws-status"][data-state="connected"]').waitFor();
  await page.locator('[data-testid="input-list"], [data-testid="inputs-empty"]').first().waitFor();
}

/** Polls a condition in the page until it holds. */
async function until(what, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout: WAIT, polling: 250 });
  } catch (e) {
    throw new Error(`timed out after ${WAIT} ms waiting for ${what}`);
  }
}

// ----------------------------------------------------------------------------- scenarios

async function operator() {
  const inputName = 'Studio A';
  const outputName = 'Copy';
  await login(opts.email, opts.password);
  await step('logged-in', { user: await byTestId('current-user').innerText() });

  // the server's validation message appears next to the field
  await byTestId('add-input').click();
  const form = byTestId('input-form');
  await form.waitFor();
  await byTestId('field-name', form).fill('   ');
  await byTestId('form-submit', form).click();
  const nameError = byTestId('error-name', form);
  await nameError.waitFor({ state: 'visible' });
  await step('input-validation', { message: await nameError.innerText() });

  await byTestId('field-name', form).fill(inputName);
  await byTestId('field-kind', form).selectOption('RTMP');
  await byTestId('form-submit', form).click();
  await form.waitFor({ state: 'detached' });
  const card = page.locator(`[data-testid="input-card"][data-input-name="${inputName}"]`);
  await card.waitFor();

  // the key of a new input is shown; it is masked again after "Hide"
  const key = byTestId('stream-key', card);
  if ((await key.getAttribute('data-revealed')) !== 'true') {
    await byTestId('reveal-key', card).click();
  }
  await card.locator('[data-testid="stream-key"][data-revealed="true"]').waitFor();
  const streamKey = (await card.locator('[data-testid="stream-key"]').innerText()).trim();
  const ingestUrl = await card.locator('[data-testid="ingest-url-rtmp"]').inputValue();
  if (!/^[A-Za-z0-9]{16,}$/.test(streamKey) || !ingestUrl.endsWith(`/${streamKey}`)) {
    throw new Error(`unexpected stream key '${streamKey}' or ingest URL '${ingestUrl}'`);
  }
  await step('input-added', { key: streamKey, ingestUrl });

  await ask({ step: 'need-publish', key: streamKey, ingestUrl });

  await until('the input to show LIVE with a bitrate', (name) => {
    const c = document.querySelector(`[data-testid="input-card"][data-input-name="${name}"]`);
    const rate = c?.querySelector('[data-testid="input-bitrate"]');
    return c?.dataset.state === 'LIVE' && c.querySelector('[data-testid="input-state"]').textContent === 'LIVE'
      && Number(rate?.dataset.bps) > 0
      && Number(c.querySelector('[data-testid="sparkline"]')?.dataset.nonzero ?? 0) >= 4;
  }, inputName);
  const bitrate = await byTestId('input-bitrate', card).innerText();
  const bps = Number(await byTestId('input-bitrate', card).getAttribute('data-bps'));
  await step('input-live', { bitrate, bps });

  await byTestId('add-output', card).click();
  const outForm = byTestId('output-form');
  await outForm.waitFor();
  await byTestId('field-name', outForm).fill(outputName);
  await byTestId('field-url', outForm).fill('ftp://nowhere');
  await byTestId('form-submit', outForm).click();
  const urlError = byTestId('error-url', outForm);
  await urlError.waitFor({ state: 'visible' });
  const urlMessage = await urlError.innerText();
  await byTestId('field-url', outForm).fill(opts.dest);
  await byTestId('form-submit', outForm).click();
  await outForm.waitFor({ state: 'detached' });
  const row = () => page.locator(`[data-testid="input-card"][data-input-name="${inputName}"] `
    + `[data-testid="output-row"][data-output-name="${outputName}"]`);
  await row().waitFor();
  await until('the output to show LIVE', ([i, o]) => {
    const r = document.querySelector(`[data-testid="input-card"][data-input-name="${i}"] `
      + `[data-testid="output-row"][data-output-name="${o}"]`);
    return r?.dataset.state === 'LIVE' && Number(r.querySelector('[data-testid="output-bitrate"]')?.dataset.bps) > 0;
  }, [inputName, outputName]);
  await step('output-live', { urlMessage, shownUrl: await byTestId('output-url', row()).innerText() });
  await ask({ step: 'need-check', check: 'destination-live' });

  await byTestId('output-toggle', row()).uncheck();
  await until('the output to show STOPPED', ([i, o]) => {
    const r = document.querySelector(`[data-testid="input-card"][data-input-name="${i}"] `
      + `[data-testid="output-row"][data-output-name="${o}"]`);
    return r?.dataset.state === 'STOPPED' && !r.querySelector('[data-testid="output-toggle"]').checked;
  }, [inputName, outputName]);
  await step('output-disabled');
  await ask({ step: 'need-check', check: 'destination-stopped' });
  // the input itself stays live
  if ((await card.getAttribute('data-state')) !== 'LIVE') {
    throw new Error(`the input left LIVE when its output was disabled: ${await card.getAttribute('data-state')}`);
  }

  // connections: the encoder is listed under the input's name, and can be kicked
  await byTestId('nav-connections').click();
  const pub = page.locator('[data-testid="connection-row"]', { hasText: 'publishing' });
  await pub.first().waitFor();
  if (!(await pub.first().innerText()).includes(inputName)) {
    throw new Error(`the publisher's row does not name the input: ${await pub.first().innerText()}`);
  }
  await step('connections');
  await byTestId('kick', pub.first()).click();
  await byTestId('confirm-ok').click();
  await until('the publisher to be gone', () => ![...document.querySelectorAll('[data-testid="connection-row"]')]
    .some((r) => r.textContent.includes('publishing')));
  await step('publisher-kicked');

  // audit log, filtered
  await byTestId('nav-audit').click();
  await byTestId('audit-table').waitFor();
  await page.locator('[data-testid="audit-row"][data-action="output.disable"]').first().waitFor();
  await byTestId('audit-action').fill('output.');
  await byTestId('audit-apply').click();
  await until('only output actions to be listed', () => {
    const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
    return rows.length >= 2 && rows.every((r) => r.dataset.action.startsWith('output.'));
  });
  await step('audit', { rows: await byTestId('audit-row').count() });

  await byTestId('nav-inputs').click();
  await card.waitFor();
  await byTestId('logout').click();
  await byTestId('login-view').waitFor();
  if (await page.evaluate(() => sessionStorage.getItem('streamkit.session')) !== null) {
    throw new Error('the session is still stored after signing out');
  }
  await step('signed-out');
}

async function viewer() {
  await login(opts.email, opts.password);
  const card = byTestId('input-card').first();
  await card.waitFor();
  await byTestId('output-row', card).first().waitFor();
  await step('viewer-inputs', { role: await byTestId('current-role').innerText() });

  const absent = ['add-input', 'input-edit', 'input-delete', 'input-regenerate-key', 'add-output', 'output-edit',
    'output-delete', 'nav-users', 'nav-audit'];
  const shown = [];
  for (const id of absent) {
    if (await page.locator(`[data-testid="${id}"]:visible`).count() > 0) {
      shown.push(id);
    }
  }
  if (shown.length) {
    throw new Error(`a VIEWER sees controls it may not use: ${shown.join(', ')}`);
  }
  const stop = byTestId('input-stop', card);
  if ((await stop.getAttribute('aria-disabled')) !== 'true' || !(await stop.getAttribute('title')).includes('VIEWER')) {
    throw new Error('the stop button of a VIEWER is not disabled with a tooltip');
  }
  await stop.click({ force: true });
  if (await page.locator('dialog[open]').count() > 0) {
    throw new Error('a disabled button opened a dialog');
  }
  if (!(await byTestId('output-toggle', card).first().isDisabled())) {
    throw new Error('the output toggle of a VIEWER is enabled');
  }
  await byTestId('read-only-note').waitFor();
  await stop.hover();
  await step('viewer-read-only', { tooltip: await stop.getAttribute('title') });

  // the API refuses the change too, whatever the page shows
  const status = await page.evaluate(async () => {
    const s = JSON.parse(sessionStorage.getItem('streamkit.session'));
    const res = await fetch('/api/v1/inputs', { method: 'POST', headers: { Authorization: `Bearer ${s.accessToken}`,
      'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'not allowed', kind: 'RTMP' }) });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
  });
  emit({ step: 'forbidden', status: status.status, contentType: status.type, detail: status.body.detail });
}

// ---------------------------------------------------------------------------------- main

async function closeBrowser() {
  await context?.close().catch((e) => log(`closing the browser: ${e}`));
  if (profile) {
    try {
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch (e) {
      log(`cannot remove ${profile}: ${e}`);
    }
  }
}

const watchdog = setTimeout(() => {
  emit({ step: 'failed', error: `the ${scenario} scenario took longer than ${DEADLINE} ms` });
  process.exit(1);
}, DEADLINE);

try {
  if (!baseUrl || !screenshotDir || !['operator', 'viewer'].includes(scenario)) {
    throw new Error('usage: node dashboard.mjs <baseUrl> <screenshotDir> operator|viewer [name=value ...]');
  }
  await launch();
  await (scenario === 'operator' ? operator() : viewer());
  if (problems.length) {
    throw new Error(`the page logged errors: ${problems.join(' | ')}`);
  }
  emit({ step: 'done' });
  await closeBrowser();
  clearTimeout(watchdog);
  process.exit(0);
} catch (e) {
  log(e.stack ?? String(e));
  let file = null;
  try {
    file = page ? await screenshot('failure') : null;
  } catch {
    // the page may be gone
  }
  emit({ step: 'failed', error: String(e.message ?? e), screenshot: file, problems });
  await closeBrowser();
  process.exit(1);
}

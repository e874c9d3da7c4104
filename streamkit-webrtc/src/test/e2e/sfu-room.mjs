// Headless Chromium participants of one StreamKit SFU room, for SfuBrowserE2EIT.
//
//   node sfu-room.mjs <baseUrl> <room> <participants> <screenshotDir> [repair]
//
// With "repair" (the test drops some of the SFU's packets on the way to the browsers), every
// participant must also have NACKed lost video packets and received retransmissions (RTX), and
// keep decoding.
//
// Every participant opens the SFU's demo page with fake camera and microphone and joins the room.
// The script waits until every participant decodes video and receives audio from every other one,
// mutes the first participant's microphone and waits until the others see it, closes the last
// participant's tab and waits until the others see it leave, then closes everything. It prints one
// JSON object per line on stdout: {"step":...} reports, and {"step":"done"} or
// {"step":"failed","error":...} last. Diagnostics go to stderr.

import { chromium } from 'playwright-core';
import path from 'node:path';

const [baseUrl, room, count, screenshotDir, mode] = process.argv.slice(2);
const REPAIR = mode === 'repair';
const N = Number(count);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const WAIT = 45_000;

const emit = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const log = (...a) => process.stderr.write(`${new Date().toISOString()} ${a.join(' ')}\n`);

async function until(what, fn, timeout = WAIT) {
  const start = Date.now();
  let last;
  while (Date.now() - start < timeout) {
    last = await fn();
    if (last && last.ok) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not reached within ${timeout} ms; last: ${JSON.stringify(last)}`);
}

let browser;
const pages = [];
try {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
  for (let i = 0; i < N; i++) {
    const context = await browser.newContext();
    await context.grantPermissions(['camera', 'microphone']);
    const page = await context.newPage();
    page.on('console', (m) => log(`page${i}:`, m.type(), m.text()));
    page.on('pageerror', (e) => log(`page${i} error:`, e.message));
    await page.goto(`${baseUrl}/?room=${encodeURIComponent(room)}&user=user${i}&autojoin=1`);
    pages.push(page);
  }
  const ids = [];
  for (const [i, page] of pages.entries()) {
    const r = await until(`page${i} joined with ${N - 1} peers`, () => page.evaluate((n) => {
      const c = window.sfu;
      return { ok: !!(c && c.peerId && c.peers.size === n && c.publisher), peerId: c && c.peerId,
        peers: c ? c.peers.size : -1, errors: c ? c.errors : [], failure: window.sfuError };
    }, N - 1));
    ids.push(r.peerId);
  }
  emit({ step: 'joined', peers: ids });

  for (const [i, page] of pages.entries()) {
    const others = ids.filter((_, j) => j !== i);
    const r = await until(`page${i} decodes every other participant`, () => page.evaluate(async ([o, repair]) => {
      const s = await window.sfu.inboundStats();
      const ok = o.every((p) => s[p] && s[p].video && s[p].video.framesDecoded >= (repair ? 150 : 30)
        && s[p].audio && s[p].audio.totalSamplesReceived > 4800
        && (!repair || (s[p].video.nackCount > 0 && s[p].video.retransmittedPacketsReceived > 0)));
      return { ok, stats: s, errors: window.sfu.errors };
    }, [others, REPAIR]), REPAIR ? 90_000 : WAIT);
    const reports = await until(`page${i} gets receiver reports for its video`, () => page.evaluate(async () => {
      const p = await window.sfu.publisherReports();
      return { ok: !!(p.video && p.video.roundTripTime !== undefined), reports: p };
    }));
    emit({ step: 'media', page: i, peerId: ids[i], stats: r.stats, publisherReports: reports.reports });
  }
  await pages[0].screenshot({ path: path.join(screenshotDir, 'sfu-room.png') });

  await pages[0].click('#mic');
  for (const [i, page] of pages.entries()) {
    if (i === 0) continue;
    await until(`page${i} sees page0 muted`, () => page.evaluate((id) => {
      const p = window.sfu.peers.get(id);
      return { ok: !!p && p.audioEnabled === false, state: p };
    }, ids[0]));
  }
  emit({ step: 'muted', peerId: ids[0] });

  const leaving = pages.pop();
  await leaving.context().close();
  for (const [i, page] of pages.entries()) {
    await until(`page${i} sees the last participant leave`, () => page.evaluate((id) => ({
      ok: !window.sfu.peers.has(id), peers: [...window.sfu.peers.keys()],
    }), ids[N - 1]));
  }
  await new Promise((r) => setTimeout(r, 1500)); // let the renegotiation after the leave settle
  const errors = [];
  for (const page of pages) errors.push(...await page.evaluate(() => window.sfu.errors));
  emit({ step: 'left', peerId: ids[N - 1], errors });
  for (const page of pages) await page.context().close();
  emit({ step: 'done' });
  await browser.close();
  process.exit(0);
} catch (e) {
  log(e.stack || String(e));
  emit({ step: 'failed', error: String(e.message || e) });
  for (const [i, page] of pages.entries()) {
    try { await page.screenshot({ path: path.join(screenshotDir, `sfu-failed-${i}.png`) }); } catch (_) { /* closed */ }
  }
  if (browser) await browser.close().catch(() => {});
  process.exit(1);
}

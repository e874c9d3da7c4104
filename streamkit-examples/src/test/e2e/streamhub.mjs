// Drives the StreamHub pages in Debian's headless Chromium (playwright-core, no bundled browser)
// for StreamHubE2EIT.
//
//   node streamhub.mjs <baseUrl> <screenshotDir>
//
// 1. Opens the streamer page, registers "alice" and prints {"step":"streamer","rtmpUrl":...}.
// 2. Waits for a line "live" on stdin (the test publishes to that URL with FFmpeg meanwhile).
// 3. Opens two viewer pages ("bob", "carol"); each picks the stream by clicking its Watch button.
// 4. Waits until both render video frames, then bob sends a chat message through the page's form
//    and the script waits for it on carol's and alice's pages.
// 5. Closes carol's tab and waits for alice's viewer count to drop.
// Prints {"step":"result",...} with what every page knows (window.hub) and what its video shows,
// then {"step":"done"}; or {"step":"failed","error":...} with exit status 1. The script judges
// nothing beyond waiting; the Java test asserts on the result. Diagnostics go to stderr.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const [baseUrl, screenshotDir] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHAT = 'hello from bob <b>not bold</b>';
const FRAMES = 60;

function emit(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

function log(...args) {
  process.stderr.write(`${new Date().toISOString()} ${args.join(' ')}\n`);
}

async function until(what, probe, timeout = 30000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await probe();
    if (last?.ok) {
      return last;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not reached within ${timeout} ms; last: ${JSON.stringify(last)}`);
}

const lines = readline.createInterface({ input: process.stdin });
const stdinLines = [];
let lineWaiter = null;
lines.on('line', (l) => {
  stdinLines.push(l.trim());
  lineWaiter?.();
});

async function nextLine(timeout) {
  const end = Date.now() + timeout;
  while (!stdinLines.length) {
    if (Date.now() > end) {
      throw new Error(`no line on stdin within ${timeout} ms`);
    }
    await new Promise((r) => {
      lineWaiter = r;
      setTimeout(r, 200);
    });
  }
  return stdinLines.shift();
}

let browser;

async function open(name, url) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  page.on('console', (m) => log(`${name}:`, m.type(), m.text()));
  page.on('pageerror', (e) => log(`${name} error:`, e.stack ?? e.message));
  await page.goto(url);
  return page;
}

const state = (page) => page.evaluate(() => ({
  user: window.hub.user, joined: window.hub.joined, live: window.hub.live, viewerCount: window.hub.viewerCount,
  viewerCountLog: window.hub.viewerCountLog, viewers: window.hub.viewers, chat: window.hub.chat,
  errors: window.hub.errors, connected: window.hub.connected, playerStarts: window.hub.playerStarts,
  video: window.hub.video(), hlsVersion: window.Hls?.version ?? null,
  chatText: document.getElementById('chat').textContent,
  chatElements: document.querySelectorAll('#chat b').length,
}));

async function run() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  }
  fs.mkdirSync(screenshotDir, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--autoplay-policy=no-user-gesture-required',
      '--mute-audio'],
  });
  emit({ step: 'launched', browser: browser.version() });

  const alice = await open('alice', `${baseUrl}/streamer.html?name=alice`);
  const registered = await until('alice registered and joined her stream', async () => {
    const r = await alice.evaluate(() => ({ key: window.hub.streamKey, joined: window.hub.joined,
      rtmpUrl: window.hub.rtmpUrl, shown: document.getElementById('rtmp-key').textContent }));
    return { ok: Boolean(r.key && r.joined === r.key && r.rtmpUrl), ...r };
  });
  emit({ step: 'streamer', streamKey: registered.key, rtmpUrl: registered.rtmpUrl, shownKey: registered.shown });

  const go = await nextLine(60000);
  if (go !== 'live') {
    throw new Error(`expected "live" on stdin, got "${go}"`);
  }
  await until('alice sees her stream live', async () => ({ ok: (await state(alice)).live }));

  const viewers = {};
  for (const name of ['bob', 'carol']) {
    const page = await open(name, `${baseUrl}/?name=${name}`);
    const button = `#streams li[data-key="${registered.key}"] button`;
    await until(`${name} sees the live stream in the list`, async () => ({
      ok: await page.evaluate((k) => Boolean(window.hub.user
        && window.hub.streams.some((s) => s.streamKey === k && s.live)), registered.key),
    }));
    await page.click(button);
    await until(`${name} joined`, async () => ({ ok: (await state(page)).joined === registered.key }));
    viewers[name] = page;
  }
  await until('alice counts two viewers', async () => {
    const s = await state(alice);
    return { ok: s.viewerCount === 2, count: s.viewerCount, log: s.viewerCountLog };
  });
  const playing = {};
  for (const [name, page] of Object.entries(viewers)) {
    const first = await until(`${name} renders ${FRAMES} frames`, async () => {
      const v = (await state(page)).video;
      return { ok: v.frames >= FRAMES, ...v };
    }, 60000);
    await new Promise((r) => setTimeout(r, 1000));
    const later = (await state(page)).video;
    playing[name] = { first, later };
    log(`${name} video: ${JSON.stringify(playing[name])}`);
    await page.screenshot({ path: path.join(screenshotDir, `streamhub-${name}.png`) });
  }

  // bob chats through the page's form
  await viewers.bob.fill('#chat-input', CHAT);
  await viewers.bob.click('#chat-send');
  for (const [name, page] of [['carol', viewers.carol], ['alice', alice], ['bob', viewers.bob]]) {
    await until(`${name} shows bob's message`, async () => {
      const s = await state(page);
      return { ok: s.chat.some((m) => m.content === CHAT && m.from === 'bob'), chat: s.chat };
    });
  }
  await alice.screenshot({ path: path.join(screenshotDir, 'streamhub-streamer.png') });
  const before = { alice: await state(alice), bob: await state(viewers.bob), carol: await state(viewers.carol) };

  // carol closes her tab
  await viewers.carol.close();
  await until('alice counts one viewer', async () => {
    const s = await state(alice);
    return { ok: s.viewerCount === 1, count: s.viewerCount, log: s.viewerCountLog };
  });
  const after = { alice: await state(alice), bob: await state(viewers.bob) };
  emit({ step: 'result', streamKey: registered.key, shownKey: registered.shown, rtmpUrl: registered.rtmpUrl,
    chat: CHAT, playing, before, after });
}

const watchdog = setTimeout(() => {
  emit({ step: 'failed', error: 'the scenario took longer than 240 s' });
  process.exit(1);
}, 240000);

try {
  if (!baseUrl || !screenshotDir) {
    throw new Error('usage: node streamhub.mjs <baseUrl> <screenshotDir>');
  }
  await run();
  emit({ step: 'done' });
  await browser?.close();
  clearTimeout(watchdog);
  process.exit(0);
} catch (e) {
  log(e.stack ?? String(e));
  emit({ step: 'failed', error: String(e.message ?? e) });
  await browser?.close().catch(() => {});
  process.exit(1);
}

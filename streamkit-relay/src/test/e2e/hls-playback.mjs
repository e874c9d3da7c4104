// Plays a live HLS stream with hls.js in Debian's headless Chromium (playwright-core, no bundled
// browser) for HlsPlaybackE2EIT.
//
//   node hls-playback.mjs <playlistUrl> <screenshotDir> <name> [lowLatency=1] [frames=N] [seconds=S]
//
// Serves hls-player.html, hls-player.js and hls.js (from node_modules, no CDN) on an ephemeral
// port of 127.0.0.1, so the playlist is fetched cross-origin (CORS). The page plays the stream
// muted with autoplay until it has rendered `frames` video frames (default 240) or `seconds`
// passed (default 45), sampling every 500 ms. Prints one JSON object per line on stdout:
// {"step":"launched",...}, then {"step":"result",...} with the samples and what hls.js reported,
// and last {"step":"done"} (exit 0) or {"step":"failed","error":...} (exit 1). Everything else goes
// to stderr. The script judges nothing: the Java test asserts on the result.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [playlistUrl, screenshotDir, name, ...rest] = process.argv.slice(2);
const opts = Object.fromEntries(rest.map((a) => {
  const i = a.indexOf('=');
  return [a.slice(0, i), a.slice(i + 1)];
}));
const lowLatency = opts.lowLatency === '1';
const FRAMES = Number(opts.frames ?? 240);
const SECONDS = Number(opts.seconds ?? 45);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const FILES = {
  '/': ['hls-player.html', 'text/html; charset=utf-8'],
  '/hls-player.js': ['hls-player.js', 'text/javascript'],
  '/hls.min.js': ['node_modules/hls.js/dist/hls.min.js', 'text/javascript'],
};

function emit(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

function log(...args) {
  process.stderr.write(`${new Date().toISOString()} ${args.join(' ')}\n`);
}

function serve() {
  const server = http.createServer((req, res) => {
    const file = FILES[new URL(req.url, 'http://localhost').pathname];
    if (!file || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': file[1], 'Cache-Control': 'no-store' });
    fs.createReadStream(path.join(HERE, file[0])).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

let context;
let profile;
let server;

async function play() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  }
  fs.mkdirSync(screenshotDir, { recursive: true });
  server = await serve();
  const pageUrl = `http://127.0.0.1:${server.address().port}/?src=${encodeURIComponent(playlistUrl)}`
    + (lowLatency ? '&lowLatency=1' : '');
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'streamkit-hls-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required', '--mute-audio'],
    viewport: { width: 660, height: 380 },
  });
  const page = context.pages()[0] ?? await context.newPage();
  const requests = { playlists: 0, blocking: 0, segments: 0, parts: 0, init: 0, failed: [] };
  page.on('console', (msg) => log(`console.${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (e) => log(`pageerror: ${e.stack ?? e}`));
  page.on('request', (req) => {
    const u = new URL(req.url());
    const file = u.pathname.slice(u.pathname.lastIndexOf('/') + 1);
    if (file.endsWith('.m3u8')) {
      requests.playlists++;
      if (u.searchParams.has('_HLS_msn')) {
        requests.blocking++;
      }
    } else if (/^part\d+\.\d+\.m4s$/.test(file)) {
      requests.parts++;
    } else if (/^seg\d+\.(m4s|ts)$/.test(file)) {
      requests.segments++;
    } else if (/^init\d*\.mp4$/.test(file)) {
      requests.init++;
    }
  });
  page.on('requestfailed', (req) => {
    requests.failed.push(`${req.url()}: ${req.failure()?.errorText}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) {
      requests.failed.push(`${res.url()}: HTTP ${res.status()}`);
    }
  });
  emit({ step: 'launched', browser: context.browser()?.version() ?? 'chromium', page: pageUrl });
  const started = Date.now();
  await page.goto(pageUrl);

  const samples = [];
  let firstFrameMs = null;
  let snapshot;
  while (true) {
    snapshot = await page.evaluate(() => {
      const v = document.getElementById('video');
      const q = v.getVideoPlaybackQuality();
      const h = window.hls;
      const end = v.buffered.length ? v.buffered.end(v.buffered.length - 1) : null;
      return {
        frames: q.totalVideoFrames,
        dropped: q.droppedVideoFrames,
        currentTime: v.currentTime,
        width: v.videoWidth,
        height: v.videoHeight,
        paused: v.paused,
        readyState: v.readyState,
        bufferAhead: end === null ? null : end - v.currentTime,
        latency: h && Number.isFinite(h.latency) ? h.latency : null,
        targetLatency: h?.targetLatency ?? null,
        liveSyncPosition: h?.liveSyncPosition ?? null,
        edgeDistance: h?.liveSyncPosition != null ? h.liveSyncPosition - v.currentTime : null,
        playback: window.playback,
      };
    });
    const t = Date.now() - started;
    if (firstFrameMs === null && snapshot.frames > 0) {
      firstFrameMs = t;
    }
    const { playback, ...sample } = snapshot;
    samples.push({ t, ...sample });
    log(`${name} t=${t} frames=${sample.frames} time=${sample.currentTime.toFixed(2)} `
      + `${sample.width}x${sample.height} latency=${sample.latency?.toFixed(2)} ahead=${sample.bufferAhead?.toFixed(2)}`);
    if (playback.fatal.length || snapshot.frames >= FRAMES || t >= SECONDS * 1000) {
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
  // a stall: two consecutive samples, after the first frame, in which the playhead did not move
  let stalls = 0;
  for (let i = 1; i < samples.length; i++) {
    if (samples[i - 1].frames > 0 && samples[i].currentTime <= samples[i - 1].currentTime && !samples[i].paused) {
      stalls++;
    }
  }
  const { playback, ...last } = snapshot;
  emit({
    step: 'result', name, lowLatency, firstFrameMs, stalls, last, samples, requests, ...playback,
  });
}

async function cleanUp() {
  await context?.close().catch((e) => log(`closing the browser: ${e}`));
  server?.close();
  if (profile) {
    try {
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch (e) {
      log(`cannot remove ${profile}: ${e}`);
    }
  }
}

const watchdog = setTimeout(() => {
  emit({ step: 'failed', error: `playback took longer than ${SECONDS + 30} s` });
  process.exit(1);
}, (SECONDS + 30) * 1000);

try {
  if (!playlistUrl || !screenshotDir || !name) {
    throw new Error('usage: node hls-playback.mjs <playlistUrl> <screenshotDir> <name> [lowLatency=1] [frames=N] '
      + '[seconds=S]');
  }
  await play();
  emit({ step: 'done' });
  await cleanUp();
  clearTimeout(watchdog);
  process.exit(0);
} catch (e) {
  log(e.stack ?? String(e));
  emit({ step: 'failed', error: String(e.message ?? e) });
  await cleanUp();
  process.exit(1);
}

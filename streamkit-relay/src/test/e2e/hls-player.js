// Plays the playlist named by ?src= in the page's <video> with hls.js (?lowLatency=1 turns on its
// low-latency mode) and records what hls.js reports in window.playback, which
// hls-playback.mjs polls.
(() => {
  const params = new URLSearchParams(location.search);
  const src = params.get('src');
  const lowLatency = params.get('lowLatency') === '1';
  const video = document.getElementById('video');
  const playback = {
    hlsVersion: window.Hls?.version ?? null,
    supported: Boolean(window.Hls?.isSupported()),
    lowLatency,
    fatal: [],
    errors: {},
    segmentsLoaded: 0,
    partsLoaded: 0,
    independentParts: 0,
    levelsLoaded: 0,
    lastLevel: null,
    playError: null,
  };
  window.playback = playback;
  if (!src || !playback.supported) {
    playback.fatal.push({ type: 'setup', details: src ? 'hls.js reports MSE unsupported' : 'no ?src=' });
    return;
  }
  const hls = new Hls({ lowLatencyMode: lowLatency, debug: false, enableWorker: true });
  window.hls = hls;
  hls.on(Hls.Events.ERROR, (event, data) => {
    const what = { type: data.type, details: data.details, reason: data.reason ?? data.error?.message ?? null,
      url: data.frag?.url ?? data.context?.url ?? data.url ?? null, status: data.response?.code ?? null };
    if (data.fatal) {
      playback.fatal.push(what);
      console.error(`hls.js fatal error: ${JSON.stringify(what)}`);
    } else {
      playback.errors[data.details] = (playback.errors[data.details] ?? 0) + 1;
      console.warn(`hls.js error: ${JSON.stringify(what)}`);
    }
  });
  hls.on(Hls.Events.FRAG_LOADED, (event, data) => {
    if (data.part) {
      playback.partsLoaded++;
      if (data.part.independent) {
        playback.independentParts++;
      }
    } else {
      playback.segmentsLoaded++;
    }
  });
  hls.on(Hls.Events.LEVEL_LOADED, (event, data) => {
    playback.levelsLoaded++;
    const d = data.details;
    playback.lastLevel = { live: d.live, canBlockReload: d.canBlockReload, partTarget: d.partTarget ?? null,
      targetDuration: d.targetduration, fragments: d.fragments.length, parts: d.partList?.length ?? 0,
      endSN: d.endSN, endPart: d.endPartIndex ?? null };
  });
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    video.play().catch((e) => {
      playback.playError = String(e);
    });
  });
  hls.loadSource(src);
  hls.attachMedia(video);
})();

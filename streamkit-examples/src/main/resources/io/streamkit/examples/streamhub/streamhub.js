// StreamHub's two pages over the audience WebSocket protocol (docs/guides/audience.md): the viewer
// page (index.html) lists the streams, plays the chosen one as Low-Latency HLS with hls.js and
// shows its chat; the streamer page (streamer.html) registers a streamer, shows the RTMP URL and
// stream key, the viewers and the chat. Everything the page knows is kept in window.hub so that it
// can be inspected (and is by the browser tests). User text is only ever set as textContent.
(() => {
  const cfg = window.STREAMHUB;
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const hub = {
    page: null, connected: false, user: null, streamKey: null, publishSecret: null, joined: null, owner: false,
    live: false, viewerCount: 0, viewers: [], chat: [], streams: [], errors: [], playerStarts: 0,
    viewerCountLog: [],
  };
  window.hub = hub;
  let ws = null;
  let retryMs = 500;
  let wantJoin = null;
  let player = null;

  function storageKey(name) {
    return `streamhub.${hub.page}.${name}`;
  }

  function send(message) {
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify(message));
      return true;
    }
    showError('not connected; retrying');
    return false;
  }

  function connect() {
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${cfg.wsPath}`);
    ws.onopen = () => {
      hub.connected = true;
      retryMs = 500;
      const token = sessionStorage.getItem(storageKey('token'));
      if (token) {
        send({ type: 'USER_REGISTER', token });
      } else if (params.get('name')) {
        register(params.get('name'));
      }
      send({ type: 'STREAM_LIST' });
    };
    ws.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        showError(`unreadable message from the server: ${e}`);
        return;
      }
      handle(message);
    };
    ws.onclose = () => {
      hub.connected = false;
      if (hub.joined) {
        wantJoin = hub.joined;
        hub.joined = null;
      }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 8000);
    };
  }

  function register(username) {
    send({ type: 'USER_REGISTER', username, role: hub.page === 'streamer' ? 'STREAMER' : 'VIEWER' });
  }

  function showError(text) {
    $('error').textContent = text;
  }

  function handle(m) {
    switch (m.type) {
      case 'USER_REGISTERED':
        hub.user = { userId: m.userId, username: m.username, role: m.role };
        if (m.token) {
          sessionStorage.setItem(storageKey('token'), m.token);
        }
        if (m.publishSecret) {
          sessionStorage.setItem(storageKey('secret'), m.publishSecret);
        }
        hub.streamKey = m.streamKey ?? null;
        hub.publishSecret = m.publishSecret ?? sessionStorage.getItem(storageKey('secret'));
        $('me').textContent = `${m.username} (${m.role.toLowerCase()})`;
        $('register-box').classList.add('hidden');
        showError('');
        if (hub.page === 'streamer') {
          showIngest();
          send({ type: 'STREAM_JOIN', streamKey: hub.streamKey });
        } else if (wantJoin || params.get('stream')) {
          const key = wantJoin ?? params.get('stream');
          wantJoin = null;
          watch(key);
        }
        break;
      case 'STREAM_LIST': {
        hub.streams = m.streams;
        renderStreams();
        const current = hub.page === 'viewer' && m.streams.find((s) => s.streamKey === hub.joined);
        if (current) {
          // viewers get no presence events; the periodic list refreshes their count
          hub.viewerCount = current.viewerCount;
          renderStatus();
        }
        break;
      }
      case 'STREAM_LIVE':
      case 'STREAM_OFFLINE': {
        const s = { streamKey: m.streamKey, streamer: m.streamer, live: m.live, viewerCount: m.viewerCount };
        const i = hub.streams.findIndex((x) => x.streamKey === m.streamKey);
        if (i >= 0) {
          hub.streams[i] = s;
        } else {
          hub.streams.unshift(s);
        }
        renderStreams();
        if (m.streamKey === hub.joined) {
          hub.live = m.live;
          renderStatus();
          if (m.live) {
            startPlayer();
          } else {
            stopPlayer();
          }
        }
        break;
      }
      case 'STREAM_JOINED':
        hub.joined = m.streamKey;
        hub.owner = m.owner;
        hub.live = m.live;
        hub.viewerCount = m.viewerCount;
        hub.viewerCountLog.push(m.viewerCount);
        hub.viewers = m.viewers ?? [];
        hub.chat = [];
        $('chat').replaceChildren();
        m.history.forEach(addChat);
        if (hub.page === 'viewer') {
          $('title').textContent = m.streamer;
        }
        $('player-box').classList.remove('hidden');
        $('chat-input').disabled = false;
        $('chat-send').disabled = false;
        $('chat-input').placeholder = 'say something';
        renderViewers();
        renderStatus();
        if (m.live) {
          startPlayer();
        }
        break;
      case 'STREAM_LEFT':
        if (m.streamKey === hub.joined) {
          hub.joined = null;
          stopPlayer();
          $('player-box').classList.add('hidden');
          $('chat-input').disabled = true;
          $('chat-send').disabled = true;
          if (wantJoin) {
            const key = wantJoin;
            wantJoin = null;
            send({ type: 'STREAM_JOIN', streamKey: key });
          }
        }
        break;
      case 'VIEWER_JOINED':
      case 'VIEWER_LEFT':
        hub.viewerCount = m.viewerCount;
        hub.viewerCountLog.push(m.viewerCount);
        if (m.type === 'VIEWER_JOINED') {
          hub.viewers.push({ userId: m.userId, username: m.username, role: m.role });
        } else {
          hub.viewers = hub.viewers.filter((v) => v.userId !== m.userId);
        }
        notice(`${m.username} ${m.type === 'VIEWER_JOINED' ? 'joined' : 'left'}`);
        renderViewers();
        break;
      case 'CHAT_MESSAGE_BROADCAST':
        if (m.streamKey === hub.joined) {
          addChat(m);
        }
        break;
      case 'ERROR':
        hub.errors.push(m);
        showError(`${m.code}: ${m.message}`);
        if (m.code === 'UNKNOWN_TOKEN') {
          sessionStorage.removeItem(storageKey('token'));
          $('register-box').classList.remove('hidden');
        }
        break;
      default:
        break;
    }
  }

  function addChat(m) {
    hub.chat.push({ id: m.id, from: m.from.username, role: m.from.role, content: m.content, time: m.time });
    const p = document.createElement('p');
    const from = document.createElement('span');
    from.className = `from ${m.from.role}`;
    from.textContent = m.from.username;
    p.append(from, document.createTextNode(m.content));
    p.title = new Date(m.time).toLocaleTimeString();
    const box = $('chat');
    const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 20;
    box.append(p);
    while (box.childElementCount > 500) {
      box.firstElementChild.remove();
    }
    if (atBottom) {
      box.scrollTop = box.scrollHeight;
    }
  }

  function notice(text) {
    const p = document.createElement('p');
    p.className = 'notice';
    p.textContent = text;
    $('chat').append(p);
  }

  function renderStatus() {
    $('status').textContent = hub.live ? 'live' : 'offline — waiting for the streamer';
    $('viewer-count').textContent = String(hub.viewerCount);
  }

  function renderViewers() {
    $('viewer-count').textContent = String(hub.viewerCount);
    const list = $('viewers');
    if (list) {
      list.replaceChildren(...hub.viewers.map((v) => {
        const li = document.createElement('li');
        li.textContent = v.username;
        return li;
      }));
    }
  }

  function renderStreams() {
    const list = $('streams');
    if (!list) {
      return;
    }
    const sorted = [...hub.streams].sort((a, b) => Number(b.live) - Number(a.live));
    list.replaceChildren(...sorted.map((s) => {
      const li = document.createElement('li');
      li.dataset.key = s.streamKey;
      const badge = document.createElement('span');
      badge.className = s.live ? 'badge live' : 'badge';
      badge.textContent = s.live ? 'LIVE' : 'offline';
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = s.streamer;
      const count = document.createElement('span');
      count.textContent = `${s.viewerCount} watching`;
      const button = document.createElement('button');
      button.textContent = s.streamKey === hub.joined ? 'Watching' : 'Watch';
      button.disabled = s.streamKey === hub.joined;
      button.addEventListener('click', () => watch(s.streamKey));
      li.append(badge, name, count, button);
      return li;
    }));
  }

  function watch(key) {
    if (!hub.user) {
      wantJoin = key;
      showError('enter your name first');
      $('username').focus();
      return;
    }
    if (hub.joined === key) {
      return;
    }
    if (hub.joined) {
      wantJoin = key;
      send({ type: 'STREAM_LEAVE', streamKey: hub.joined });
    } else {
      send({ type: 'STREAM_JOIN', streamKey: key });
    }
  }

  function playlistUrl() {
    const base = cfg.hlsBaseUrl ?? `${location.protocol}//${location.hostname}:${cfg.hlsPort}`;
    return `${base.replace(/\/$/, '')}/${cfg.pathPrefix}${encodeURIComponent(hub.joined)}/index.m3u8`;
  }

  function startPlayer() {
    if (player || !hub.joined || !hub.live) {
      return;
    }
    const video = $('video');
    hub.playerStarts++;
    if (window.Hls && Hls.isSupported()) {
      const hls = new Hls({ lowLatencyMode: true });
      player = hls;
      hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
      hls.on(Hls.Events.ERROR, (event, data) => {
        if (data.fatal && player === hls) {
          // the playlist appears a moment after the publish starts; try again while live
          stopPlayer();
          setTimeout(startPlayer, 1500);
        }
      });
      hls.loadSource(playlistUrl());
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = playlistUrl();
      player = { destroy: () => { video.removeAttribute('src'); video.load(); } };
      video.play().catch(() => {});
    } else {
      showError('this browser cannot play HLS');
    }
  }

  function stopPlayer() {
    if (player) {
      const p = player;
      player = null;
      p.destroy();
    }
  }

  /** What the video element shows; read by the browser tests. */
  hub.video = () => {
    const video = $('video');
    const q = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
    return { frames: q ? q.totalVideoFrames : 0, width: video.videoWidth, height: video.videoHeight,
      currentTime: video.currentTime, playing: Boolean(player) };
  };

  function showIngest() {
    const host = cfg.publicHost ?? location.hostname;
    const server = `rtmp://${host}:${cfg.rtmpPort}/${cfg.pathPrefix.replace(/\/$/, '')}`;
    const key = hub.publishSecret ? `${hub.streamKey}?secret=${hub.publishSecret}`
      : `${hub.streamKey}?secret=… (shown once, at registration)`;
    $('rtmp-server').textContent = server;
    $('rtmp-key').textContent = key;
    $('ffmpeg').textContent = `ffmpeg -re -i input.mp4 -c:v libx264 -preset veryfast -tune zerolatency -g 60 `
      + `-c:a aac -f flv "${server}/${key}"`;
    $('ingest-box').classList.remove('hidden');
    hub.rtmpUrl = `${server}/${key}`;
  }

  function wireForms() {
    $('register').addEventListener('submit', (e) => {
      e.preventDefault();
      const name = $('username').value.trim();
      if (name) {
        register(name);
      }
    });
    $('chat-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const input = $('chat-input');
      const content = input.value.trim();
      if (content && hub.joined && send({ type: 'CHAT_MESSAGE_SEND', streamKey: hub.joined, content })) {
        input.value = '';
      }
    });
    const leave = $('leave');
    if (leave) {
      leave.addEventListener('click', () => {
        if (hub.joined) {
          send({ type: 'STREAM_LEAVE', streamKey: hub.joined });
        }
      });
    }
  }

  function start(page) {
    hub.page = page;
    wireForms();
    connect();
    if (page === 'viewer') {
      // viewer counts in the list are refreshed now and then; live changes arrive as events
      setInterval(() => hub.connected && send({ type: 'STREAM_LIST' }), 10000);
    }
  }

  window.StreamHub = {
    viewerPage: () => start('viewer'),
    streamerPage: () => start('streamer'),
  };
})();

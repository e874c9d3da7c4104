// The demo page of the StreamKit SFU: join a room, publish camera and microphone, see and hear the
// others. Query parameters: room, user, autojoin=1 (join and publish at once; used by tests).
'use strict';
(() => {
  const params = new URLSearchParams(location.search);
  const $ = (id) => document.getElementById(id);
  $('room').value = params.get('room') || 'demo';
  $('user').value = params.get('user') || 'guest-' + Math.floor(Math.random() * 10000);
  let client = null;
  const tiles = new Map();

  function tile(peerId, label) {
    let t = tiles.get(peerId);
    if (!t) {
      t = document.createElement('div');
      t.className = 'tile';
      t.dataset.peer = peerId;
      const video = document.createElement('video');
      video.autoplay = true;
      video.playsInline = true;
      if (peerId === 'self') video.muted = true;
      const name = document.createElement('div');
      name.className = 'label';
      t.append(video, name);
      $('tiles').append(t);
      tiles.set(peerId, t);
    }
    if (label !== undefined) t.querySelector('.label').textContent = label;
    return t;
  }

  function describe(p) {
    return p.userId + (p.audioEnabled ? '' : ' (muted)') + (p.videoEnabled ? '' : ' (no video)');
  }

  async function join() {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    client = new StreamKitSfuClient({ url, room: $('room').value, userId: $('user').value });
    window.sfu = client;
    client.onPeerJoined = (p) => tile(p.peerId, describe(p));
    client.onPeerState = (p) => {
      const t = tile(p.peerId, describe(p));
      t.classList.toggle('speaking', !!p.speaking);
    };
    client.onPeerLeft = (id) => { const t = tiles.get(id); if (t) { t.remove(); tiles.delete(id); } };
    client.onTrack = (peerId, track, stream) => {
      const v = tile(peerId || 'unknown').querySelector('video');
      if (v.srcObject !== stream) v.srcObject = stream;
    };
    client.onReconnect = () => { $('status').textContent = 'Reconnecting...'; };
    $('status').textContent = 'Joining...';
    const joined = await client.join();
    $('status').textContent = 'Joined room ' + client.room + ' as ' + joined.peerId;
    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
    const self = tile('self', client.userId + ' (you)');
    self.querySelector('video').srcObject = media;
    await client.publish(media);
    $('mic').disabled = false;
    $('cam').disabled = false;
    $('leave').disabled = false;
    $('joinButton').disabled = true;
  }

  $('join').addEventListener('submit', (e) => { e.preventDefault(); join().catch((err) => { $('status').textContent = 'Failed: ' + err; }); });
  $('mic').addEventListener('click', () => {
    const muted = client.state.audioEnabled;
    client.setMuted('audio', muted);
    $('mic').textContent = muted ? 'Unmute mic' : 'Mute mic';
  });
  $('cam').addEventListener('click', () => {
    const off = client.state.videoEnabled;
    client.setMuted('video', off);
    $('cam').textContent = off ? 'Start camera' : 'Stop camera';
  });
  $('leave').addEventListener('click', () => {
    client.leave();
    tiles.forEach((t) => t.remove());
    tiles.clear();
    $('status').textContent = 'Left.';
    $('joinButton').disabled = false;
  });
  if (params.get('autojoin') === '1') join().catch((err) => { $('status').textContent = 'Failed: ' + err; window.sfuError = String(err); });
})();

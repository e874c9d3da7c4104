// StreamKit SFU browser client: speaks the signaling protocol of the StreamKit SFU over a
// WebSocket and manages the two PeerConnections of a participant (publisher: the browser sends;
// subscriber: the server sends). No framework, no build step.
//
//   const client = new StreamKitSfuClient({ url: 'ws://host:8080/ws', room: 'demo', userId: 'ann' });
//   client.onPeerJoined = (peer) => {...}; client.onPeerLeft = (peerId) => {...};
//   client.onPeerState = (peer) => {...}; client.onTrack = (peerId, track, stream) => {...};
//   await client.join(); await client.publish(await navigator.mediaDevices.getUserMedia({audio: true, video: true}));
//   client.setMuted('audio', true); client.leave();
'use strict';

class StreamKitSfuClient {
  constructor(options) {
    this.url = options.url;
    this.room = options.room;
    this.userId = options.userId;
    this.token = options.token || null;
    this.iceServers = options.iceServers || [];
    this.peers = new Map();          // peerId -> {peerId, userId, audioEnabled, videoEnabled, screenEnabled, speaking}
    this.peerId = null;
    this.resumeToken = null;
    this.state = { audioEnabled: false, videoEnabled: false, screenEnabled: false };
    this.publisher = null;
    this.subscriber = null;
    this.localStream = null;
    this.errors = [];
    this.peerOfMid = {};             // subscriber m-line -> publishing peerId (from the msid stream id)
    this.closedByUser = false;
    this.onPeerJoined = () => {};
    this.onPeerLeft = () => {};
    this.onPeerState = () => {};
    this.onTrack = () => {};
    this.onError = (e) => console.warn('signaling error', e);
    this.onReconnect = () => {};
  }

  join() {
    return new Promise((resolve, reject) => {
      this._joinResolve = resolve;
      this._joinReject = reject;
      this._connect();
    });
  }

  _connect() {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      const join = { type: 'join', userId: this.userId, sessionId: this.room,
        audioEnabled: this.state.audioEnabled, videoEnabled: this.state.videoEnabled,
        screenEnabled: this.state.screenEnabled };
      if (this.token) join.token = this.token;
      if (this.resumeToken) join.resumeToken = this.resumeToken;
      ws.send(JSON.stringify(join));
    };
    ws.onmessage = (event) => this._onMessage(JSON.parse(event.data));
    ws.onerror = () => {};
    ws.onclose = () => {
      if (this.closedByUser) return;
      if (this._joinReject && !this.peerId) { this._joinReject(new Error('signaling connection closed')); return; }
      // resume within the server's grace period, without the others seeing a leave
      setTimeout(() => { if (!this.closedByUser) { this.onReconnect(); this._connect(); } }, 500);
    };
  }

  _send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  async _onMessage(m) {
    switch (m.type) {
      case 'joined': {
        const resumed = m.resumed && this.peerId === m.peerId;
        this.peerId = m.peerId;
        this.resumeToken = m.resumeToken;
        if (!resumed) this.peers.clear();
        if (this._joinResolve) { this._joinResolve(m); this._joinResolve = null; this._joinReject = null; }
        break;
      }
      case 'peer_joined': {
        const known = this.peers.has(m.peerId);
        this.peers.set(m.peerId, m);
        if (!known) this.onPeerJoined(m); else this.onPeerState(m);
        break;
      }
      case 'peer_left':
        this.peers.delete(m.peerId);
        this.onPeerLeft(m.peerId);
        break;
      case 'media_state':
        this.peers.set(m.peerId, Object.assign(this.peers.get(m.peerId) || {}, m));
        this.onPeerState(this.peers.get(m.peerId));
        break;
      case 'answer':
        if (this.publisher) await this.publisher.setRemoteDescription({ type: 'answer', sdp: m.sdp });
        break;
      case 'offer':
        await this._onSubscriberOffer(m.sdp);
        break;
      case 'candidate':
        try {
          const pc = (m.target === 'subscriber') ? this.subscriber : this.publisher;
          if (pc && m.candidate) await pc.addIceCandidate({ candidate: m.candidate, sdpMid: m.sdpMid, sdpMLineIndex: m.sdpMLineIndex });
        } catch (e) { this.errors.push(String(e)); }
        break;
      case 'error':
        this.errors.push(m.code + ': ' + m.message);
        this.onError(m);
        break;
      default:
        break;
    }
  }

  async publish(stream) {
    this.localStream = stream;
    const pc = new RTCPeerConnection({ iceServers: this.iceServers, bundlePolicy: 'max-bundle' });
    this.publisher = pc;
    pc.onicecandidate = (e) => {
      if (e.candidate) this._send({ type: 'candidate', target: 'publisher', candidate: e.candidate.candidate,
        sdpMid: e.candidate.sdpMid, sdpMLineIndex: e.candidate.sdpMLineIndex });
    };
    for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    this.state.audioEnabled = stream.getAudioTracks().length > 0;
    this.state.videoEnabled = stream.getVideoTracks().length > 0;
    this._sendState();
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    this._send({ type: 'offer', target: 'publisher', sdp: pc.localDescription.sdp });
  }

  async _onSubscriberOffer(sdp) {
    if (!this.subscriber) {
      const pc = new RTCPeerConnection({ iceServers: this.iceServers, bundlePolicy: 'max-bundle' });
      this.subscriber = pc;
      pc.onicecandidate = (e) => {
        if (e.candidate) this._send({ type: 'candidate', target: 'subscriber', candidate: e.candidate.candidate,
          sdpMid: e.candidate.sdpMid, sdpMLineIndex: e.candidate.sdpMLineIndex });
      };
      // the server names each forwarded stream after the publishing peer (msid stream id = peerId)
      pc.ontrack = (e) => {
        const stream = e.streams[0];
        if (stream && e.transceiver) this.peerOfMid[e.transceiver.mid] = stream.id;
        this.onTrack(stream ? stream.id : null, e.track, stream);
      };
    }
    await this.subscriber.setRemoteDescription({ type: 'offer', sdp });
    const answer = await this.subscriber.createAnswer();
    await this.subscriber.setLocalDescription(answer);
    this._send({ type: 'answer', target: 'subscriber', sdp: this.subscriber.localDescription.sdp });
  }

  setMuted(kind, muted) {
    if (this.localStream) {
      const tracks = kind === 'audio' ? this.localStream.getAudioTracks() : this.localStream.getVideoTracks();
      tracks.forEach((t) => { t.enabled = !muted; });
    }
    if (kind === 'audio') this.state.audioEnabled = !muted; else this.state.videoEnabled = !muted;
    this._sendState();
  }

  _sendState() {
    this._send({ type: 'media_state', audioEnabled: this.state.audioEnabled,
      videoEnabled: this.state.videoEnabled, screenEnabled: this.state.screenEnabled });
  }

  // Per publishing peer and kind: what the subscriber connection received and decoded, e.g.
  // { "<peerId>": { video: { framesDecoded, frameWidth, ... }, audio: { totalSamplesReceived, ... } } }.
  async inboundStats() {
    const result = {};
    if (!this.subscriber) return result;
    const report = await this.subscriber.getStats();
    report.forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      const peer = this.peerOfMid[s.mid] || ('mid:' + s.mid);
      result[peer] = result[peer] || {};
      result[peer][s.kind] = { mid: s.mid, ssrc: s.ssrc, packetsReceived: s.packetsReceived,
        packetsLost: s.packetsLost, nackCount: s.nackCount, framesDecoded: s.framesDecoded,
        frameWidth: s.frameWidth, frameHeight: s.frameHeight, totalSamplesReceived: s.totalSamplesReceived,
        concealedSamples: s.concealedSamples, retransmittedPacketsReceived: s.retransmittedPacketsReceived };
    });
    return result;
  }

  // What the server reported back about this participant's published streams (from its RTCP
  // receiver reports): per kind, packets lost, fraction lost and round-trip time.
  async publisherReports() {
    const result = {};
    if (!this.publisher) return result;
    const report = await this.publisher.getStats();
    report.forEach((s) => {
      if (s.type === 'remote-inbound-rtp') {
        result[s.kind] = { packetsLost: s.packetsLost, fractionLost: s.fractionLost,
          roundTripTime: s.roundTripTime, reportsReceived: s.roundTripTimeMeasurements };
      }
    });
    return result;
  }

  leave() {
    this.closedByUser = true;
    this._send({ type: 'leave' });
    if (this.publisher) this.publisher.close();
    if (this.subscriber) this.subscriber.close();
    if (this.ws) this.ws.close(1000, 'leave');
    this.peers.clear();
  }
}

if (typeof window !== 'undefined') window.StreamKitSfuClient = StreamKitSfuClient;

// Prism browser client: joins a room over the WebSocket protocol (signaling/PROTOCOL.md),
// publishes local media on one peer connection and receives the room on another, which the
// server offers and renegotiates as tracks come and go.
export class PrismClient extends EventTarget {
  constructor(baseUrl, token) {
    super();
    this.baseUrl = baseUrl || location.origin;
    this.token = token;
    this.pending = new Map();
    this.nextId = 1;
    this.subscriber = null;
    this.publisher = null;
  }

  async join(room) {
    const url = new URL('/ws', this.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('access_token', this.token);
    this.ws = new WebSocket(url);
    this.ws.onmessage = (e) => this._onMessage(JSON.parse(e.data));
    this.ws.onclose = (e) => this.dispatchEvent(new CustomEvent('closed', {detail: {code: e.code, reason: e.reason}}));
    await new Promise((resolve, reject) => {
      this.ws.onopen = resolve;
      this.ws.onerror = () => reject(new Error('WebSocket connection failed'));
    });
    return this._request({type: 'join', room});
  }

  /**
   * Publishes a stream's tracks (stream may be null). Options: simulcast — send video as three
   * rid layers q/h/f (1/4, 1/2, full size); screen — also publish a screen share, `true` to ask
   * getDisplayMedia for one or a video MediaStreamTrack; it is declared as source "screen", which
   * subscribers' bandwidth allocators serve first.
   */
  async publish(stream, {simulcast = false, screen = null} = {}) {
    const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
    const declared = [];
    const add = (track, streams, source) => {
      const init = {direction: 'sendonly', streams};
      if (simulcast && track.kind === 'video') {
        init.sendEncodings = [{rid: 'q', scaleResolutionDownBy: 4}, {rid: 'h', scaleResolutionDownBy: 2},
                              {rid: 'f', scaleResolutionDownBy: 1}];
      }
      declared.push([pc.addTransceiver(track, init), source]);
    };
    for (const track of stream ? stream.getTracks() : []) add(track, [stream], track.kind === 'audio' ? 'microphone' : 'camera');
    if (screen) {
      const track = screen === true ? (await navigator.mediaDevices.getDisplayMedia({video: true})).getVideoTracks()[0] : screen;
      add(track, [new MediaStream([track])], 'screen');
    }
    await pc.setLocalDescription(await pc.createOffer());
    const sources = {};
    for (const [transceiver, source] of declared) sources[transceiver.mid] = source;
    this.publisher = pc; // before the answer: a "layers" message may follow it at once
    try {
      const reply = await this._request({type: 'publish', sdp: pc.localDescription.sdp, sources});
      await pc.setRemoteDescription({type: 'answer', sdp: reply.sdp});
    } catch (e) {
      this.publisher = null;
      pc.close();
      throw e;
    }
    return pc;
  }

  /** The largest video to receive (0 = no limit): the server picks simulcast layers that fit. */
  setMaxVideoSize(width, height) {
    return this._request({type: 'maxVideoSize', width, height});
  }

  leave() {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({type: 'leave'}));
    for (const pc of [this.publisher, this.subscriber]) if (pc) pc.close();
    if (this.ws) this.ws.close();
  }

  _request(message) {
    const id = String(this.nextId++);
    this.ws.send(JSON.stringify({...message, id}));
    return new Promise((resolve, reject) => this.pending.set(id, {resolve, reject}));
  }

  async _onMessage(m) {
    this.received = (this.received || []).concat(m.type === 'error' ? `error ${m.code}: ${m.message}` : m.type);
    const waiter = m.id && this.pending.get(m.id);
    if (waiter) {
      this.pending.delete(m.id);
      if (m.type === 'error') waiter.reject(new Error(`${m.code}: ${m.message}`)); else waiter.resolve(m);
      return;
    }
    if (m.type === 'layers') {
      // Prism pauses simulcast layers nobody receives and resumes them when wanted (one at a time:
      // setParameters must not overlap).
      this._layers = (this._layers || Promise.resolve()).then(() => this._applyLayers(m))
        .catch((e) => { this.lastError = e.message; });
    }
        if (m.type === 'offer') {
      return this._onOffer(m.sdp).catch((e) => {
        this.lastError = e.message;
        this.dispatchEvent(new CustomEvent('error', {detail: {code: 'negotiation_failed', message: e.message}}));
      });
    }
    this.dispatchEvent(new CustomEvent(m.type, {detail: m}));
  }

  async _applyLayers(m) {
    const t = this.publisher && this.publisher.getTransceivers().find((x) => x.mid === m.mid);
    if (!t) return;
    const params = t.sender.getParameters();
    let changed = false;
    for (const e of params.encodings || []) {
      if (e.rid in m.active && e.active !== m.active[e.rid]) { e.active = m.active[e.rid]; changed = true; }
    }
    if (changed) await t.sender.setParameters(params);
  }

  async _onOffer(sdp) {
    if (!this.subscriber) {
      // 'balanced', not 'max-bundle': when every track of the room has gone, the server's offer
      // rejects every m= line and so has no BUNDLE group, which max-bundle refuses.
      this.subscriber = new RTCPeerConnection({bundlePolicy: 'balanced'});
      this.subscriber.ontrack = (e) => this.dispatchEvent(new CustomEvent('track', {detail: e}));
    }
    await this.subscriber.setRemoteDescription({type: 'offer', sdp});
    await this.subscriber.setLocalDescription(await this.subscriber.createAnswer());
    this.ws.send(JSON.stringify({type: 'answer', sdp: this.subscriber.localDescription.sdp}));
  }
}

// A token for the page: ?token= when given, else (development mode only) one from /dev/token.
export async function pageToken(room, identity, {publish = true, subscribe = true} = {}) {
  const given = new URLSearchParams(location.search).get('token');
  if (given) return given;
  const q = new URLSearchParams({room, identity, publish, subscribe});
  const res = await fetch(`/dev/token?${q}`);
  if (!res.ok) throw new Error('this page needs ?token= (the server is not in development mode)');
  return (await res.json()).token;
}

// Inbound and outbound RTP totals of a peer connection, for the pages' live stats.
export async function summarize(pc) {
  const out = {inVideoFrames: 0, inWidth: 0, inHeight: 0, inAudioPackets: 0, inLost: 0,
               outVideoFrames: 0, outWidth: 0, outBytes: 0, rtt: null};
  if (!pc) return out;
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      out.inVideoFrames += s.framesDecoded || 0; out.inWidth = Math.max(out.inWidth, s.frameWidth || 0);
      out.inHeight = Math.max(out.inHeight, s.frameHeight || 0); out.inLost += s.packetsLost || 0;
    }
    if (s.type === 'inbound-rtp' && s.kind === 'audio') { out.inAudioPackets += s.packetsReceived || 0; out.inLost += s.packetsLost || 0; }
    if (s.type === 'outbound-rtp' && s.kind === 'video') { out.outVideoFrames += s.framesEncoded || 0; out.outWidth = Math.max(out.outWidth, s.frameWidth || 0); }
    if (s.type === 'outbound-rtp') out.outBytes += s.bytesSent || 0;
    if (s.type === 'candidate-pair' && s.nominated && s.currentRoundTripTime !== undefined) out.rtt = s.currentRoundTripTime;
  });
  return out;
}

// WHEP viewer (draft-ietf-wish-whep): one recvonly offer, the answer carries the room's tracks.
export async function whepView(baseUrl, room, token) {
  const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
  pc.addTransceiver('video', {direction: 'recvonly'});
  pc.addTransceiver('audio', {direction: 'recvonly'});
  await pc.setLocalDescription(await pc.createOffer());
  const res = await fetch(new URL(`/whep/${encodeURIComponent(room)}`, baseUrl || location.origin), {
    method: 'POST', body: pc.localDescription.sdp,
    headers: {'Content-Type': 'application/sdp', 'Authorization': `Bearer ${token}`}});
  if (res.status !== 201) throw new Error(`WHEP ${res.status}: ${await res.text()}`);
  const location_ = res.headers.get('Location');
  await pc.setRemoteDescription({type: 'answer', sdp: await res.text()});
  return {pc, location: location_};
}

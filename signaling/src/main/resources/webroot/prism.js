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

  async publish(stream) {
    const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
    for (const track of stream.getTracks()) pc.addTransceiver(track, {direction: 'sendonly', streams: [stream]});
    await pc.setLocalDescription(await pc.createOffer());
    const reply = await this._request({type: 'publish', sdp: pc.localDescription.sdp});
    await pc.setRemoteDescription({type: 'answer', sdp: reply.sdp});
    this.publisher = pc;
    return pc;
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
    const waiter = m.id && this.pending.get(m.id);
    if (waiter) {
      this.pending.delete(m.id);
      if (m.type === 'error') waiter.reject(new Error(`${m.code}: ${m.message}`)); else waiter.resolve(m);
      return;
    }
    if (m.type === 'offer') return this._onOffer(m.sdp);
    this.dispatchEvent(new CustomEvent(m.type, {detail: m}));
  }

  async _onOffer(sdp) {
    if (!this.subscriber) {
      this.subscriber = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
      this.subscriber.ontrack = (e) => this.dispatchEvent(new CustomEvent('track', {detail: e}));
    }
    await this.subscriber.setRemoteDescription({type: 'offer', sdp});
    await this.subscriber.setLocalDescription(await this.subscriber.createAnswer());
    this.ws.send(JSON.stringify({type: 'answer', sdp: this.subscriber.localDescription.sdp}));
  }
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

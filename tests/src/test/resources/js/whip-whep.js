// Test-side WHIP publisher and WHEP viewer written against the HTTP contract only
// (RFC 9725 and the WHEP draft), so they exercise Prism the way OBS or a player would.
window.prismTest = window.prismTest || {};

prismTest.whipPublish = async (room, token, opts = {}) => {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: {width: opts.width || 640, height: opts.height || 360, frameRate: 30}, audio: true});
  const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
  for (const track of stream.getTracks()) {
    const init = {direction: 'sendonly', streams: [stream]};
    if (opts.simulcast && track.kind === 'video') {
      init.sendEncodings = [{rid: 'q', scaleResolutionDownBy: 4}, {rid: 'h', scaleResolutionDownBy: 2},
                            {rid: 'f', scaleResolutionDownBy: 1}];
    }
    pc.addTransceiver(track, init);
  }
  await pc.setLocalDescription(await pc.createOffer());
  const res = await fetch(`/whip/${room}`, {method: 'POST', body: pc.localDescription.sdp,
    headers: {'Content-Type': 'application/sdp', 'Authorization': `Bearer ${token}`}});
  if (res.status !== 201) throw new Error(`WHIP ${res.status}: ${await res.text()}`);
  const location = res.headers.get('Location');
  await pc.setRemoteDescription({type: 'answer', sdp: await res.text()});
  // opts.degradationPreference 'maintain-resolution': under CPU load Chromium lowers a camera's
  // resolution by default, which fails tests waiting for 1280-wide frames on a busy machine for
  // reasons not Prism's; this keeps the resolution and drops frame rate instead. Which simulcast
  // layers are sent still follows the bandwidth estimate.
  if (opts.degradationPreference) {
    const sender = pc.getSenders().find(s => s.track && s.track.kind === 'video');
    const params = sender.getParameters();
    params.degradationPreference = opts.degradationPreference;
    await sender.setParameters(params);
  }
  return {pc, location, stream};
};

// A WHEP viewer in two steps, so a test can prepare several and send their requests close together.
prismTest.whepPrepare = async () => {
  const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
  pc.addTransceiver('video', {direction: 'recvonly'});
  pc.addTransceiver('audio', {direction: 'recvonly'});
  const ended = [];
  pc.ontrack = e => { e.track.onended = () => ended.push(e.track.kind); };
  const prepared = {pc, ended, connectedAt: null};
  pc.addEventListener('connectionstatechange', () => {
    if (pc.connectionState === 'connected' && prepared.connectedAt === null) prepared.connectedAt = performance.now();
  });
  await pc.setLocalDescription(await pc.createOffer());
  return prepared;
};

prismTest.whepSend = async (prepared, room, token) => {
  const {pc, ended} = prepared;
  const res = await fetch(`/whep/${room}`, {method: 'POST', body: pc.localDescription.sdp,
    headers: {'Content-Type': 'application/sdp', 'Authorization': `Bearer ${token}`}});
  if (res.status !== 201) throw new Error(`WHEP ${res.status}: ${await res.text()}`);
  const location = res.headers.get('Location');
  const answeredAt = performance.now();
  await pc.setRemoteDescription({type: 'answer', sdp: await res.text()});
  return Object.assign(prepared, {location, answeredAt});
};

prismTest.whepView = async (room, token) => prismTest.whepSend(await prismTest.whepPrepare(), room, token);

// Inbound totals of one peer connection: video frames decoded and width, audio packets.
prismTest.inbound = async (pc) => {
  const out = {framesDecoded: 0, frameWidth: 0, videoPackets: 0, audioPackets: 0, audioSamples: 0,
               packetsLost: 0, dtlsState: null, srtpCipher: null, videoLost: 0, freezeCount: 0, nackCount: 0,
               pliCount: 0, framesDropped: 0};
  (await pc.getStats()).forEach(s => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      out.framesDecoded += s.framesDecoded || 0; out.frameWidth = Math.max(out.frameWidth, s.frameWidth || 0);
      out.videoPackets += s.packetsReceived || 0; out.packetsLost += s.packetsLost || 0;
      out.videoLost += s.packetsLost || 0; out.freezeCount += s.freezeCount || 0; out.nackCount += s.nackCount || 0;
      out.pliCount += s.pliCount || 0; out.framesDropped += s.framesDropped || 0;
      out.retransmitted = (out.retransmitted || 0) + (s.retransmittedPacketsReceived || 0);
    }
    if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      out.audioPackets += s.packetsReceived || 0; out.audioSamples += s.totalSamplesReceived || 0;
      out.packetsLost += s.packetsLost || 0;
    }
    if (s.type === 'transport') { out.dtlsState = s.dtlsState; out.srtpCipher = s.srtpCipher; }
  });
  return out;
};

prismTest.outbound = async (pc) => {
  const out = {layers: {}, videoPackets: 0, audioPackets: 0, pliCount: 0, nackCount: 0, frameWidth: 0, availableOutgoingBitrate: 0};
  (await pc.getStats()).forEach(s => {
    if (s.type === 'outbound-rtp' && s.kind === 'video') {
      out.videoPackets += s.packetsSent || 0; out.pliCount += s.pliCount || 0; out.nackCount += s.nackCount || 0;
      out.frameWidth = Math.max(out.frameWidth, s.frameWidth || 0);
      if (s.rid) out.layers[s.rid] = s.frameWidth || 0;
    }
    if (s.type === 'outbound-rtp' && s.kind === 'audio') out.audioPackets += s.packetsSent || 0;
    if (s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate)
      out.availableOutgoingBitrate = s.availableOutgoingBitrate;
  });
  return out;
};

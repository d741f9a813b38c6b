package dev.prism.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The load run's room on a Janus videoroom (janus.plugin.videoroom), the same workload as on
 * Prism: a fresh room (VP8 and Opus, up to {@link LoadConfig#MAX_PUBLISHERS} publishers, no
 * bitrate cap, no periodic FIR) created on an admin handle; each publisher on its own handle
 * ({@code joinandconfigure} with our offer, Janus's answer in the event); each viewer on its own
 * handle ({@code join} as subscriber to every publisher's feed, Janus offers, we answer with
 * {@code start}). At the end the room is destroyed and the session with it.
 */
final class JanusRoom implements AutoCloseable {
    static final String PLUGIN = "janus.plugin.videoroom";

    private final JanusClient janus;
    private final long admin;
    private final long room;
    private final List<Long> feeds = new CopyOnWriteArrayList<>();

    JanusRoom(URI url) throws Exception {
        janus = new JanusClient(url);
        try {
            admin = janus.attach(PLUGIN);
            room = 1 + ThreadLocalRandom.current().nextLong(1L << 40);
            ObjectNode create = JanusClient.body("create").put("room", room).put("publishers", LoadConfig.MAX_PUBLISHERS)
                    .put("bitrate", 0).put("fir_freq", 0).put("videocodec", "vp8").put("audiocodec", "opus")
                    .put("is_private", true).put("permanent", false).put("description", "prism load test");
            janus.message(admin, create, null, null);
        } catch (Exception e) {
            janus.close();
            throw e;
        }
    }

    long room() {
        return room;
    }

    /** Publishes {@code p} into the room; the future completes when its media may start. Blocking. */
    CompletableFuture<Void> publish(WhipPublisher p, InetAddress host, EventLoop loop, Executor handshakes) throws Exception {
        long handle = janus.attach(PLUGIN);
        return p.connect(offer -> {
            ObjectNode join = JanusClient.body("joinandconfigure").put("room", room).put("ptype", "publisher")
                    .put("display", p.identity);
            JsonNode ev = janus.message(handle, join, "offer", offer);
            JsonNode data = ev.path("plugindata").path("data");
            String sdp = ev.path("jsep").path("sdp").asText(null);
            if (sdp == null || !data.has("id")) {
                throw new IllegalStateException("janus joinandconfigure: no answer or feed id in " + ev);
            }
            feeds.add(data.path("id").asLong());
            return sdp;
        }, host, loop, handshakes, true);
    }

    /**
     * Subscribes {@code v} to every feed published so far; with {@code top}, pinned to the top
     * simulcast layer ({@code substream} 2, {@code temporal} 2 per stream of the join). Blocking.
     */
    CompletableFuture<Void> view(WhepViewer v, InetAddress host, EventLoop loop, Executor handshakes, boolean top)
            throws Exception {
        long handle = janus.attach(PLUGIN);
        ObjectNode join = JanusClient.body("join").put("room", room).put("ptype", "subscriber");
        ArrayNode streams = join.putArray("streams");
        for (long feed : feeds) {
            ObjectNode stream = streams.addObject().put("feed", feed);
            if (top) {
                stream.put("substream", 2).put("temporal", 2);
            }
        }
        JsonNode ev = janus.message(handle, join, null, null);
        String offer = ev.path("jsep").path("sdp").asText(null);
        if (offer == null) {
            throw new IllegalStateException("janus subscriber join: no offer in " + ev);
        }
        return v.connectAnswering(offer, answer -> janus.message(handle, JanusClient.body("start"), "answer", answer),
                host, loop, handshakes);
    }

    /** Handles Janus hung up (ICE or DTLS failure, timeouts) so far. */
    long hangups() {
        return janus.hangups;
    }

    /** Destroys the room and the session. */
    @Override
    public void close() {
        try {
            janus.message(admin, JanusClient.body("destroy").put("room", room), null, null);
        } catch (Exception e) {
            // the session going away ends everything anyway
        }
        janus.close();
    }
}

package io.streamkit.webrtc.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamkit.webrtc.sdp.SessionDescription;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SFU without a browser: negotiation through the WebSocket, and bad input on both ports. */
class SfuServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private SfuServer sfu;

    @BeforeEach
    void start() {
        sfu = SfuServer.builder().host("127.0.0.1").httpPort(0).udpPort(0).reconnectGrace(Duration.ZERO).build()
                .start();
    }

    @AfterEach
    void stop() {
        sfu.close();
    }

    /** A signaling client that queues messages. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        JsonNode next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                JsonNode m = messages.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && m.get("type").asText().equals(type)) {
                    return m;
                }
            }
            throw new AssertionError("no " + type + " message within 5 s");
        }

        void send(Object... kv) {
            com.fasterxml.jackson.databind.node.ObjectNode n = JSON.createObjectNode();
            for (int i = 0; i < kv.length; i += 2) {
                n.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
            }
            ws.sendText(n.toString(), true).join();
        }
    }

    private Client join(String user) throws Exception {
        Client c = new Client();
        c.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
                + sfu.signalingAddress().getPort() + "/ws"), c).join();
        c.send("type", "join", "userId", user, "sessionId", "room");
        c.next("joined");
        return c;
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = SfuServerTest.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBrowserOfferIsAnsweredAndItsTracksAreOfferedToTheOthers() throws Exception {
        Client a = join("alice");
        Client b = join("bob");
        a.send("type", "offer", "target", "publisher", "sdp", resource("firefox-offer.sdp"));
        JsonNode answer = a.next("answer");
        assertEquals("publisher", answer.get("target").asText());
        SessionDescription sdp = SessionDescription.parse(answer.get("sdp").asText());
        String text = sdp.toString();
        assertTrue(text.contains("a=ice-lite"), text);
        assertTrue(text.contains("a=setup:passive"), text);
        assertTrue(text.contains(" 127.0.0.1 " + sfu.mediaAddress().getPort() + " typ host"), text);
        JsonNode offer = b.next("offer");
        assertEquals("subscriber", offer.get("target").asText());
        SessionDescription subscriberOffer = SessionDescription.parse(offer.get("sdp").asText());
        assertTrue(subscriberOffer.media().size() >= 1, "bob is offered alice's tracks");
        assertTrue(subscriberOffer.toString().contains("a=sendonly"), subscriberOffer.toString());
        assertTrue(subscriberOffer.toString().contains("a=msid:" + sfu.hub().rooms().get(0).peers().get(0).peerId()),
                "the stream id is the publishing peer: " + subscriberOffer);
    }

    @Test
    void anOfferThatDoesNotParseIsAnsweredWithAnErrorAndTheRoomCarriesOn() throws Exception {
        Client a = join("alice");
        a.send("type", "offer", "sdp", "v=0\r\nthis is not sdp\r\n");
        JsonNode error = a.next("error");
        assertEquals("media_error", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("line"), error.toString());
        a.send("type", "offer", "sdp", resource("safari-h264-offer.sdp"));
        assertEquals("publisher", a.next("answer").get("target").asText());
    }

    @Test
    void garbageOnTheMediaPortIsCountedAndDropped() throws Exception {
        Random random = new Random(7);
        InetSocketAddress media = sfu.mediaAddress();
        try (DatagramSocket s = new DatagramSocket()) {
            for (int i = 0; i < 600; i++) {
                byte[] data = new byte[1 + random.nextInt(1400)];
                random.nextBytes(data);
                switch (i % 4) {
                    case 0 -> data[0] = 0x00; // STUN range, no known ufrag
                    case 1 -> data[0] = 22; // DTLS from an address ICE never validated
                    case 2 -> data[0] = (byte) 0x80; // RTP from an address ICE never validated
                    default -> data[0] = (byte) 0xF0; // nothing
                }
                s.send(new DatagramPacket(data, data.length, media));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        SfuStats stats = sfu.stats();
        while (stats.datagramsIn() < 600 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            stats = sfu.stats();
        }
        assertEquals(600, stats.datagramsIn(), stats.toString());
        assertEquals(150, stats.stunUnknownUfrag(), stats.toString());
        assertEquals(300, stats.unroutable(), stats.toString());
        assertEquals(150, stats.garbage(), stats.toString());
        Client a = join("alice");
        a.send("type", "offer", "sdp", resource("firefox-offer.sdp"));
        assertEquals("answer", a.next("answer").get("type").asText(), "the SFU carries on");
    }

    @Test
    void speakingNeedsLoudPacketsForAWhileAndStopsWithHysteresis() {
        SpeakingDetector d = new SpeakingDetector();
        boolean changed = false;
        for (int i = 0; i < 9; i++) {
            changed |= d.add(30);
        }
        assertTrue(!changed && !d.speaking(), "9 loud packets of 25 are not enough");
        assertTrue(d.add(30) && d.speaking(), "the 10th is");
        for (int i = 0; i < 6; i++) {
            d.add(127);
        }
        assertTrue(d.speaking(), "a short pause keeps the flag");
        for (int i = 0; i < 25; i++) {
            d.add(127);
        }
        assertTrue(!d.speaking(), "silence ends it");
    }
}

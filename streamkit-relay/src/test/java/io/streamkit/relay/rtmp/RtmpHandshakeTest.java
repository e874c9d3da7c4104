package io.streamkit.relay.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.streamkit.api.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server and client handshake handlers, against each other and against a Flash-style digest C1. */
class RtmpHandshakeTest {

    private static final byte[] KEY_SUFFIX = HexFormat.of().parseHex(
            "f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae");
    private static final byte[] PLAYER_KEY = concat("Genuine Adobe Flash Player 001".getBytes(
            StandardCharsets.US_ASCII), KEY_SUFFIX);
    private static final byte[] SERVER_KEY = concat("Genuine Adobe Flash Media Server 001".getBytes(
            StandardCharsets.US_ASCII), KEY_SUFFIX);

    private final TrackingAllocator alloc = new TrackingAllocator();

    /** Records what reaches the end of the pipeline. */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();
        final List<byte[]> reads = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            reads.add(ByteBufUtil.getBytes(buf));
            buf.release();
        }

        byte[] received() {
            return concat(reads.toArray(byte[][]::new));
        }
    }

    private EmbeddedChannel channel(ChannelHandler handshake, Recorder recorder) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(handshake, recorder);
        return ch;
    }

    private byte[] takeOutbound(EmbeddedChannel ch) {
        List<byte[]> parts = new ArrayList<>();
        for (ByteBuf b; (b = ch.readOutbound()) != null;) {
            parts.add(ByteBufUtil.getBytes(b));
            b.release();
        }
        return concat(parts.toArray(byte[][]::new));
    }

    private ByteBuf buf(byte[]... parts) {
        byte[] bytes = concat(parts);
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    @Test
    void clientAndServerCompleteAndForwardWhatFollows() {
        Recorder clientSide = new Recorder();
        Recorder serverSide = new Recorder();
        EmbeddedChannel client = channel(new RtmpClientHandshakeHandler(), clientSide);
        EmbeddedChannel server = channel(new RtmpServerHandshakeHandler(), serverSide);

        byte[] c0c1 = takeOutbound(client);
        assertEquals(1537, c0c1.length);
        assertEquals(3, c0c1[0]);
        assertArrayEquals(new byte[4], Arrays.copyOfRange(c0c1, 5, 9), "simple handshake: zero version");

        // Feed C0+C1 in two pieces.
        server.writeInbound(buf(Arrays.copyOf(c0c1, 700)));
        assertEquals(0, takeOutbound(server).length);
        server.writeInbound(buf(Arrays.copyOfRange(c0c1, 700, c0c1.length)));
        byte[] s0s1s2 = takeOutbound(server);
        assertEquals(3073, s0s1s2.length);
        assertArrayEquals(Arrays.copyOfRange(c0c1, 1, 1537), Arrays.copyOfRange(s0s1s2, 1537, 3073), "S2 = C1");

        // The server's first chunk stream bytes travel right behind S2.
        byte[] fromServer = {2, 0, 0, 0, 0, 0, 4, 1};
        client.writeInbound(buf(s0s1s2, fromServer));
        byte[] c2 = takeOutbound(client);
        assertArrayEquals(Arrays.copyOfRange(s0s1s2, 1, 1537), c2, "C2 = S1");
        assertEquals(List.of(new RtmpHandshakeCompleteEvent(false, 0)), clientSide.events);
        assertArrayEquals(fromServer, clientSide.received());
        assertNull(client.pipeline().get(RtmpClientHandshakeHandler.class));

        byte[] fromClient = {3, 0, 0, 0, 0, 0, 5};
        server.writeInbound(buf(c2, fromClient));
        assertEquals(List.of(new RtmpHandshakeCompleteEvent(false, 0)), serverSide.events);
        assertArrayEquals(fromClient, serverSide.received());
        assertNull(server.pipeline().get(RtmpServerHandshakeHandler.class));

        // Later bytes flow straight through.
        server.writeInbound(buf(new byte[]{9}));
        assertEquals(8, serverSide.received().length);

        assertFalse(client.finish());
        assertFalse(server.finish());
        alloc.assertAllReleased();
    }

    @Test
    void everythingInOneReadCompletesTheServerHandshake() {
        Recorder recorder = new Recorder();
        EmbeddedChannel server = channel(new RtmpServerHandshakeHandler(), recorder);
        byte[] c1 = new byte[1536];
        new Random(3).nextBytes(c1);
        Arrays.fill(c1, 4, 8, (byte) 0);
        server.writeInbound(buf(new byte[]{3}, c1, new byte[1536], new byte[]{42, 43}));
        assertEquals(3073, takeOutbound(server).length);
        assertEquals(1, recorder.events.size());
        assertArrayEquals(new byte[]{42, 43}, recorder.received());
        server.finish();
        alloc.assertAllReleased();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void flashDigestHandshakeIsAnsweredWithServerDigests(int scheme) throws Exception {
        Recorder recorder = new Recorder();
        EmbeddedChannel server = channel(new RtmpServerHandshakeHandler(), recorder);
        byte[] c1 = new byte[1536];
        new Random(10 + scheme).nextBytes(c1);
        byte[] flashVersion = {(byte) 0x80, 0x00, 0x07, 0x02};
        System.arraycopy(flashVersion, 0, c1, 4, 4);
        int offset = digestOffset(c1, scheme);
        byte[] clientDigest = packetDigest(c1, offset, Arrays.copyOf(PLAYER_KEY, 30));
        System.arraycopy(clientDigest, 0, c1, offset, 32);

        server.writeInbound(buf(new byte[]{3}, c1));
        byte[] response = takeOutbound(server);
        assertEquals(3073, response.length);
        byte[] s1 = Arrays.copyOfRange(response, 1, 1537);
        byte[] s2 = Arrays.copyOfRange(response, 1537, 3073);

        assertFalse(Arrays.equals(new byte[4], Arrays.copyOfRange(s1, 4, 8)), "S1 announces a version");
        int serverOffset = digestOffset(s1, scheme);
        assertArrayEquals(packetDigest(s1, serverOffset, Arrays.copyOf(SERVER_KEY, 36)),
                Arrays.copyOfRange(s1, serverOffset, serverOffset + 32), "S1 digest");

        byte[] s2Key = hmac(SERVER_KEY, clientDigest);
        assertArrayEquals(hmac(s2Key, Arrays.copyOf(s2, 1504)), Arrays.copyOfRange(s2, 1504, 1536), "S2 digest");

        server.writeInbound(buf(new byte[1536]));
        assertEquals(List.of(new RtmpHandshakeCompleteEvent(true, 0x80000702L)), recorder.events);
        server.finish();
        alloc.assertAllReleased();
    }

    @Test
    void nonZeroVersionWithoutAValidDigestFallsBackToTheSimpleHandshake() {
        Recorder recorder = new Recorder();
        EmbeddedChannel server = channel(new RtmpServerHandshakeHandler(), recorder);
        byte[] c1 = new byte[1536];
        new Random(4).nextBytes(c1);
        c1[4] = 9;
        server.writeInbound(buf(new byte[]{3}, c1));
        byte[] response = takeOutbound(server);
        assertArrayEquals(c1, Arrays.copyOfRange(response, 1537, 3073));
        server.writeInbound(buf(new byte[1536]));
        assertFalse(((RtmpHandshakeCompleteEvent) recorder.events.get(0)).digest());
        server.finish();
        alloc.assertAllReleased();
    }

    @Test
    void otherVersionsAreRejected() {
        Recorder recorder = new Recorder();
        EmbeddedChannel server = channel(new RtmpServerHandshakeHandler(), recorder);
        DecoderException e = assertThrows(DecoderException.class, () -> server.writeInbound(buf(new byte[]{6})));
        assertEquals("unsupported RTMP version 6", assertInstanceOf(CodecException.class, e.getCause()).getMessage());
        server.writeInbound(buf(new byte[3000])); // ignored
        assertTrue(recorder.events.isEmpty());
        assertEquals(0, takeOutbound(server).length);
        server.finishAndReleaseAll();

        Recorder clientSide = new Recorder();
        EmbeddedChannel client = channel(new RtmpClientHandshakeHandler(), clientSide);
        takeOutbound(client);
        DecoderException e2 = assertThrows(DecoderException.class,
                () -> client.writeInbound(buf(new byte[]{6, 0, 0})));
        assertEquals("unsupported RTMP version 6", e2.getCause().getMessage());
        client.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    // ---- an independent implementation of the Flash digest arithmetic ----

    private static int digestOffset(byte[] packet, int scheme) {
        int base = scheme == 0 ? 8 : 772;
        int sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += packet[base + i] & 0xFF;
        }
        return sum % 728 + base + 4;
    }

    private static byte[] packetDigest(byte[] packet, int offset, byte[] key) throws Exception {
        byte[] data = concat(Arrays.copyOf(packet, offset), Arrays.copyOfRange(packet, offset + 32, packet.length));
        return hmac(key, data);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, off, p.length);
            off += p.length;
        }
        return all;
    }
}

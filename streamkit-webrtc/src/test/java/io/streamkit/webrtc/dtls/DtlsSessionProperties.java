package io.streamkit.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class DtlsSessionProperties {
    private static final DtlsCertificate CERT = DtlsCertificate.generate();

    /** Raw noise starting like DTLS (RFC 7983 range), or a well-framed record around random bytes. */
    @Provide
    Arbitrary<byte[]> datagrams() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300)
                .map(bytes -> {
                    bytes[0] = (byte) (20 + Math.floorMod(bytes[0], 44));
                    return bytes;
                });
        Arbitrary<byte[]> framed = Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
                .flatMap(fragment -> Arbitraries.integers().between(20, 24).flatMap(type -> Arbitraries.integers()
                        .between(0, 2)
                        .map(epoch -> {
                            ByteBuf record = Unpooled.buffer(13 + fragment.length);
                            record.writeByte(type).writeShort(0xfefd).writeShort(epoch).writeZero(6)
                                    .writeShort(fragment.length).writeBytes(fragment);
                            byte[] bytes = new byte[record.readableBytes()];
                            record.readBytes(bytes);
                            record.release();
                            return bytes;
                        })));
        return Arbitraries.oneOf(noise, framed);
    }

    @Property(tries = 60)
    void randomDatagramsNeverThrowOutOfReceiveAndNeverHangClose(
            @ForAll @Size(max = 20) List<@net.jqwik.api.From("datagrams") byte[]> datagrams,
            @ForAll boolean server) throws InterruptedException {
        ExecutorService executor = Executors.newCachedThreadPool(DtlsTestWire.named("dtls-property-test"));
        List<ByteBuf> fed = new ArrayList<>();
        try {
            DtlsSession session = DtlsSession.builder(server ? DtlsRole.SERVER : DtlsRole.CLIENT, CERT)
                    .outbound(ByteBuf::release)
                    .handshakeExecutor(executor)
                    .remoteFingerprint(CERT.fingerprint())
                    .handshakeTimeout(Duration.ofMinutes(1))
                    .build();
            session.start();
            for (byte[] bytes : datagrams) {
                ByteBuf datagram = Unpooled.wrappedBuffer(bytes);
                fed.add(datagram);
                session.receive(datagram);
            }
            session.close();
            assertEquals(DtlsSession.State.CLOSED, session.state());
            assertTrue(session.result().isCompletedExceptionally());
        } finally {
            executor.shutdown();
            assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS), "handshake thread did not stop");
        }
        for (ByteBuf datagram : fed) {
            assertEquals(0, datagram.refCnt(), "datagram not released");
        }
    }

    @Property
    void wellFramedRecordsPassTheFilterAndTruncationsDoNot(
            @ForAll @Size(min = 1, max = 4) List<@Size(min = 24, max = 200) byte[]> fragments,
            @ForAll @IntRange(min = 1, max = 12) int cut) {
        ByteBuf datagram = Unpooled.buffer();
        try {
            int epoch = 0;
            for (byte[] fragment : fragments) {
                datagram.writeByte(22).writeShort(0xfefd).writeShort(epoch++).writeZero(6)
                        .writeShort(fragment.length).writeBytes(fragment);
            }
            assertTrue(DtlsRecordFilter.isWellFramed(datagram));
            int length = datagram.readableBytes();
            datagram.writerIndex(length - cut);
            assertFalse(DtlsRecordFilter.isWellFramed(datagram));
            datagram.writerIndex(length).writeByte(22);
            assertFalse(DtlsRecordFilter.isWellFramed(datagram));
        } finally {
            datagram.release();
        }
    }

    @Property
    void shortProtectedRecordsAreRejected(@ForAll @IntRange(min = 1, max = 65535) int epoch,
            @ForAll @Size(max = 23) byte[] fragment) {
        ByteBuf datagram = Unpooled.buffer();
        try {
            datagram.writeByte(23).writeShort(0xfefd).writeShort(epoch).writeZero(6)
                    .writeShort(fragment.length).writeBytes(fragment);
            assertFalse(DtlsRecordFilter.isWellFramed(datagram));
        } finally {
            datagram.release();
        }
    }
}

package io.streamkit.relay.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.TransportException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The srt transport's URIs: caller and listener mode, and a precise message for each invalid parameter. */
class SrtTransportUriTest {

    private static SrtTransportUri output(String uri) {
        return SrtTransportUri.parse(URI.create(uri), true);
    }

    private static SrtTransportUri input(String uri) {
        return SrtTransportUri.parse(URI.create(uri), false);
    }

    private static String invalid(String uri) {
        return assertThrows(IllegalArgumentException.class, () -> output(uri), uri).getMessage();
    }

    @Test
    void callerIsTheDefault() {
        SrtTransportUri u = output("srt://example.com:9000?streamid=publish:live/show&latency=350");
        assertFalse(u.listener());
        assertEquals("example.com", u.host());
        assertEquals(9000, u.port());
        assertEquals("publish:live/show", u.streamId());
        assertEquals(Duration.ofMillis(350), u.settings().latency());
        assertNull(u.settings().passphrase());
        SrtCaller.Options o = u.callerOptions(Duration.ofSeconds(4));
        assertEquals("publish:live/show", o.streamId());
        assertEquals(Duration.ofSeconds(4), o.connectTimeout());
        assertFalse(output("srt://10.0.0.1:9000?mode=caller").listener());
        assertFalse(output("srt://10.0.0.1:9000?mode=client").listener(), "srt-live-transmit's alias");
    }

    @Test
    void listenerBindsTheHostOrEveryInterface() {
        SrtTransportUri u = output("srt://0.0.0.0:9000?mode=listener&latency=120&passphrase=0123456789abc&pbkeylen=32"
                + "&maxcallers=3&streamid=read:x");
        assertTrue(u.listener());
        assertEquals(new InetSocketAddress("0.0.0.0", 9000), u.bindAddress());
        assertEquals(Duration.ofMillis(120), u.settings().latency());
        assertEquals("0123456789abc", u.settings().passphrase());
        assertEquals(32, u.settings().keyLength());
        assertEquals(3, u.maxCallers());
        assertEquals("read:x", u.streamId());
        assertEquals(SrtTransportUri.DEFAULT_MAX_CALLERS, output("srt://0.0.0.0:9000?mode=listener").maxCallers());
        assertEquals(Duration.ofMillis(200), output("srt://0.0.0.0:9000?mode=listener").settings().latency());

        SrtTransportUri any = output("srt://:9001?mode=listener");
        assertEquals("", any.host());
        assertTrue(any.bindAddress().getAddress().isAnyLocalAddress());
        assertEquals(9001, any.bindAddress().getPort());
        assertTrue(output("srt://:9001").listener(), "no host means listener, as in srt-live-transmit");
        assertTrue(output("srt://127.0.0.1:9001?mode=server").listener(), "srt-live-transmit's alias");
        assertEquals("::1", output("srt://[::1]:9001?mode=listener").host());
        assertTrue(input("srt://0.0.0.0:9000?mode=listener").listener());
        assertNull(output("srt://0.0.0.0:9000?mode=listener&passphrase=").settings().passphrase(),
                "an empty passphrase means none, as in libsrt");
    }

    @Test
    void modes() {
        assertEquals("SRT mode must be caller or listener, got listen", invalid("srt://h:9000?mode=listen"));
        assertTrue(invalid("srt://h:9000?mode=rendezvous").startsWith("SRT mode=rendezvous is not supported"));
        assertEquals("SRT caller URI needs a host to call: srt://:9000?mode=caller", invalid(
                "srt://:9000?mode=caller"));
    }

    @Test
    void ports() {
        assertEquals("SRT port must be 1 to 65535, got 99999: srt://0.0.0.0:99999?mode=listener", invalid(
                "srt://0.0.0.0:99999?mode=listener"));
        assertEquals("SRT port must be 1 to 65535, got 0: srt://0.0.0.0:0?mode=listener", invalid(
                "srt://0.0.0.0:0?mode=listener"));
        assertEquals("SRT port must be 1 to 65535, got 70000: srt://:70000", invalid("srt://:70000"));
        assertEquals("SRT port must be a number from 1 to 65535, got abc: srt://0.0.0.0:abc?mode=listener",
                invalid("srt://0.0.0.0:abc?mode=listener"));
        assertEquals("SRT listener URI needs a port to bind, as in srt://0.0.0.0:9000?mode=listener: "
                + "srt://0.0.0.0?mode=listener", invalid("srt://0.0.0.0?mode=listener"));
        assertEquals("SRT URI needs host and port: srt://example.com", invalid("srt://example.com"));
    }

    @Test
    void latency() {
        assertEquals("SRT latency must be milliseconds, got 1.5", invalid("srt://h:9000?latency=1.5"));
        assertEquals("SRT latency must be 0 to 60000 ms, got -1", invalid("srt://:9000?latency=-1"));
        assertEquals("SRT latency must be 0 to 60000 ms, got 70000", invalid("srt://:9000?latency=70000"));
        assertEquals(Duration.ZERO, output("srt://:9000?latency=0").settings().latency());
        assertEquals(Duration.ofMinutes(1), output("srt://:9000?latency=60000").settings().latency());
    }

    @Test
    void passphraseAndKeyLength() {
        assertEquals("SRT passphrase is 9 bytes; it must be 10 to 79", invalid("srt://:9000?passphrase=123456789"));
        assertEquals("SRT passphrase is 80 bytes; it must be 10 to 79", invalid("srt://:9000?passphrase=" + "x"
                .repeat(80)));
        assertEquals(79, output("srt://:9000?passphrase=" + "x".repeat(79)).settings().passphrase().length());
        assertEquals("SRT pbkeylen must be 16, 24 or 32 (bytes), got 20", invalid(
                "srt://:9000?passphrase=0123456789&pbkeylen=20"));
        assertEquals("SRT pbkeylen must be 16, 24 or 32 (bytes), got 0", invalid("srt://h:9000?pbkeylen=0"));
        assertEquals("SRT pbkeylen must be 16, 24 or 32 (bytes), got aes", invalid("srt://h:9000?pbkeylen=aes"));
        assertEquals(24, output("srt://h:9000?passphrase=0123456789&pbkeylen=24").settings().keyLength());
    }

    @Test
    void maxCallers() {
        assertEquals("SRT maxcallers must be 1 to 1024, got 0", invalid("srt://:9000?maxcallers=0"));
        assertEquals("SRT maxcallers must be 1 to 1024, got 2000", invalid("srt://:9000?maxcallers=2000"));
        assertEquals("SRT maxcallers must be 1 to 1024, got many", invalid("srt://:9000?maxcallers=many"));
        assertEquals("SRT maxcallers needs mode=listener: srt://h:9000?maxcallers=2", invalid(
                "srt://h:9000?maxcallers=2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> input(
                "srt://:9000?maxcallers=2"));
        assertTrue(e.getMessage().startsWith("SRT maxcallers is for listener-mode outputs"), e.getMessage());
    }

    @Test
    void streamIdLength() {
        assertEquals("SRT streamid is 513 bytes of UTF-8; at most 512", invalid("srt://:9000?streamid=" + "s"
                .repeat(513)));
    }

    @Test
    void messagesRedactThePassphrase() {
        String message = invalid("srt://0.0.0.0:0?mode=listener&passphrase=topsecret-value");
        assertFalse(message.contains("topsecret-value"), message);
    }

    @Test
    void theProviderFailsTheAttemptWithTheMessage() throws Exception {
        try (SrtTransportProvider provider = new SrtTransportProvider()) {
            var future = provider.connectOutput(URI.create("srt://0.0.0.0:9000?mode=rendezvous"), null);
            ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof TransportException, e.getCause().toString());
            assertTrue(e.getCause().getMessage().startsWith("SRT mode=rendezvous"), e.getCause().getMessage());
        }
    }
}

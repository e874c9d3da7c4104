package io.streamkit.relay.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SrtStreamIdTest {

    @Test
    void mediaMtxStyle() {
        assertEquals(new SrtStreamId(true, "live/show", "", ""), SrtStreamId.parse("publish:live/show"));
        assertEquals(new SrtStreamId(false, "live/show", "", ""), SrtStreamId.parse("read:live/show"));
        assertEquals(new SrtStreamId(true, "cam", "bob", "pw"), SrtStreamId.parse("publish:cam:bob:pw"));
    }

    @Test
    void accessControlSyntax() {
        assertEquals(new SrtStreamId(true, "live/show", "", ""), SrtStreamId.parse("#!::r=live/show,m=publish"));
        assertEquals(new SrtStreamId(false, "live/show", "ann", ""), SrtStreamId.parse("#!::u=ann,r=live/show"));
        assertEquals(new SrtStreamId(false, "x", "", ""), SrtStreamId.parse("#!::r=x,m=request"));
    }

    @Test
    void barePathReads() {
        assertEquals(new SrtStreamId(false, "live/show", "", ""), SrtStreamId.parse("live/show"));
    }

    @Test
    void badIdsGetSpecificErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SrtStreamId.parse("")).getMessage().contains(
                "empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SrtStreamId.parse("#!::m=publish"))
                .getMessage().contains("r="));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SrtStreamId.parse("#!::r=x,m=bidirectional"))
                .getMessage().contains("m=bidirectional"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SrtStreamId.parse("play:x")).getMessage()
                .contains("unknown SRT stream id action"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SrtStreamId.parse("publish:")).getMessage()
                .contains("without a path"));
    }

    @Test
    void settingsValidate() {
        assertThrows(IllegalArgumentException.class, () -> SrtStreamSettings.DEFAULT.withPassphrase("short"));
        assertThrows(IllegalArgumentException.class, () -> SrtStreamSettings.DEFAULT.withKeyLength(20));
        assertEquals(Duration.ofMillis(80), SrtStreamSettings.DEFAULT.withLatencyMillis(80).latency());
    }
}

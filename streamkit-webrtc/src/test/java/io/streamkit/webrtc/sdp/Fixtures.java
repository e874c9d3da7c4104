package io.streamkit.webrtc.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/** Captured-style offers of real peers in {@code src/test/resources/sdp}, and local parameters. */
final class Fixtures {
    static final String CHROME = "chrome-simulcast-offer.sdp";
    static final String FIREFOX = "firefox-offer.sdp";
    static final String SAFARI = "safari-h264-offer.sdp";
    static final String NATIVE = "libwebrtc-native-offer.sdp";
    static final List<String> OFFERS = List.of(CHROME, FIREFOX, SAFARI, NATIVE);

    private Fixtures() {
    }

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /sdp/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription offer(String name) {
        return SessionDescription.parse(text(name));
    }

    static LocalParameters local() {
        return local(MediaPolicy.defaults());
    }

    static LocalParameters local(MediaPolicy policy) {
        byte[] digest = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        return new LocalParameters("sfu1", "abcdefghijklmnopqrstuvwx", Fingerprint.of("sha-256", digest),
                "192.0.2.10", 40000, policy);
    }
}

package io.streamkit.webrtc.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ICE candidate {@code a=candidate} (<a href="https://www.rfc-editor.org/rfc/rfc8839#section-5.1">RFC
 * 8839 section 5.1</a>). Browsers add extension pairs such as {@code generation 0},
 * {@code network-id 1}, {@code ufrag abcd} and may use mDNS host names ({@code <uuid>.local}) as the
 * address; those are kept as given.
 *
 * @param foundation the foundation, 1 to 32 ice-chars
 * @param component the component id, 1 to 256 (1 for RTP with rtcp-mux)
 * @param transport the transport, for example {@code udp} or {@code UDP} or {@code tcp}
 * @param priority the priority, 1 to 2^31-1
 * @param address the connection address (IP literal or host name)
 * @param port the port
 * @param type {@code host}, {@code srflx}, {@code prflx} or {@code relay}
 * @param relatedAddress the {@code raddr}, or {@code null}
 * @param relatedPort the {@code rport}, or -1
 * @param extensions the other name/value pairs in order (for example {@code generation} → {@code 0})
 * @param raw the attribute value as parsed or written
 */
public record Candidate(String foundation, int component, String transport, long priority, String address,
        int port, String type, String relatedAddress, int relatedPort, Map<String, String> extensions, String raw) {

    /** Validates the fields and freezes the extensions. */
    public Candidate {
        if (foundation == null || foundation.isEmpty() || foundation.length() > 32 || !isIceChars(foundation)) {
            throw new IllegalArgumentException("candidate foundation must be 1 to 32 ice-chars, got "
                    + Sdp.quote(foundation));
        }
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("candidate component must be in 1-256, got " + component);
        }
        Sdp.requireToken(transport, "candidate transport");
        if (priority < 1 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("candidate priority must be in 1 to 4294967295, got " + priority);
        }
        Sdp.requireWord(address, "candidate address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("candidate port must be in 0-65535, got " + port);
        }
        Sdp.requireToken(type, "candidate type");
        if (relatedAddress != null) {
            Sdp.requireWord(relatedAddress, "candidate raddr");
        }
        if (relatedPort < -1 || relatedPort > 65535) {
            throw new IllegalArgumentException("candidate rport must be in 0-65535, got " + relatedPort);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            copy.put(Sdp.requireWord(e.getKey(), "candidate extension name"),
                    Sdp.requireWord(e.getValue(), "candidate extension value"));
        }
        extensions = Collections.unmodifiableMap(copy);
        Sdp.requireText(raw, "candidate");
    }

    private static boolean isIceChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    /**
     * A host candidate for an ICE-lite server (RFC 8445 section 5.1.2 priority with type preference
     * 126 and local preference 65535), for example {@code 1 1 udp 2130706431 192.0.2.1 40000 typ host}.
     *
     * @param foundation the foundation
     * @param component the component id (1)
     * @param address the IP literal
     * @param port the UDP port
     * @return the candidate
     */
    public static Candidate udpHost(String foundation, int component, String address, int port) {
        long priority = (126L << 24) | (65535L << 8) | (256 - component);
        String raw = foundation + ' ' + component + " udp " + priority + ' ' + address + ' ' + port + " typ host";
        return new Candidate(foundation, component, "udp", priority, address, port, "host", null, -1, Map.of(), raw);
    }

    /**
     * Parses the value of an {@code a=candidate} attribute; a leading {@code candidate:} (as in the
     * trickled JSON {@code candidate} field) and a leading {@code a=} are accepted too.
     *
     * @param text for example {@code 842163049 1 udp 1677729535 192.0.2.3 62793 typ srflx raddr 0.0.0.0 rport 0}
     * @return the candidate
     * @throws SdpParseException when the value does not follow RFC 8839
     */
    public static Candidate parse(String text) {
        return Sdp.guard(() -> parseUnguarded(text));
    }

    private static Candidate parseUnguarded(String text) {
        String value = text;
        if (value.startsWith("a=")) {
            value = value.substring(2);
        }
        if (value.startsWith("candidate:")) {
            value = value.substring("candidate:".length());
        }
        if (!Sdp.isText(value)) {
            throw new SdpParseException("candidate contains CR, LF or NUL");
        }
        var w = Sdp.words(value);
        if (w.size() < 8 || !w.get(6).equals("typ")) {
            throw new SdpParseException("candidate must be '<foundation> <component> <transport> <priority> <address>"
                    + " <port> typ <type> ...', got " + Sdp.quote(value));
        }
        if ((w.size() - 8) % 2 != 0) {
            throw new SdpParseException("candidate extensions must be name/value pairs, got " + Sdp.quote(value));
        }
        int component = Sdp.parseInt(w.get(1), 1, 256, "candidate component");
        long priority = Sdp.parseLong(w.get(3), 1, 0xFFFF_FFFFL, "candidate priority");
        int port = Sdp.parseInt(w.get(5), 0, 65535, "candidate port");
        String raddr = null;
        int rport = -1;
        Map<String, String> ext = new LinkedHashMap<>();
        for (int i = 8; i < w.size(); i += 2) {
            String name = w.get(i);
            String v = w.get(i + 1);
            switch (name) {
                case "raddr" -> raddr = v;
                case "rport" -> rport = Sdp.parseInt(v, 0, 65535, "candidate rport");
                default -> ext.put(name, v);
            }
        }
        return new Candidate(w.get(0), component, w.get(2), priority, w.get(4), port, w.get(7), raddr, rport, ext,
                value);
    }

    /** @return the attribute value as parsed, without {@code candidate:} */
    @Override
    public String toString() {
        return raw;
    }
}

package io.streamkit.webrtc.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code a=simulcast} attribute (<a href="https://www.rfc-editor.org/rfc/rfc8853#section-5.1">RFC
 * 8853 section 5.1</a>): the simulcast streams an endpoint sends and receives. Each stream is a list
 * of alternative rids; a rid may be paused ({@code ~h}).
 *
 * @param send the streams the author sends, each a non-empty list of alternatives
 * @param recv the streams the author receives, each a non-empty list of alternatives
 */
public record Simulcast(List<List<SimulcastRid>> send, List<List<SimulcastRid>> recv) {

    /**
     * One rid in a simulcast stream list.
     *
     * @param rid the rid id
     * @param paused whether the stream starts paused ({@code ~} prefix)
     */
    public record SimulcastRid(String rid, boolean paused) {

        /** Validates the rid id. */
        public SimulcastRid {
            Rid.requireRidId(rid);
        }

        /** @return the rid as written, e.g. {@code ~h} */
        @Override
        public String toString() {
            return paused ? "~" + rid : rid;
        }
    }

    /** Validates the lists and freezes them. */
    public Simulcast {
        send = freeze(send);
        recv = freeze(recv);
        if (send.isEmpty() && recv.isEmpty()) {
            throw new IllegalArgumentException("simulcast needs a send or a recv stream list");
        }
    }

    private static List<List<SimulcastRid>> freeze(List<List<SimulcastRid>> streams) {
        List<List<SimulcastRid>> out = new ArrayList<>();
        for (List<SimulcastRid> alternatives : streams) {
            if (alternatives.isEmpty()) {
                throw new IllegalArgumentException("a simulcast stream needs at least one rid");
            }
            out.add(List.copyOf(alternatives));
        }
        return List.copyOf(out);
    }

    /**
     * The first alternative of each sent stream, in order.
     *
     * @return the rid ids
     */
    public List<String> sendRids() {
        return send.stream().map(a -> a.get(0).rid()).toList();
    }

    /**
     * The first alternative of each received stream, in order.
     *
     * @return the rid ids
     */
    public List<String> recvRids() {
        return recv.stream().map(a -> a.get(0).rid()).toList();
    }

    /**
     * Parses an {@code a=simulcast} value.
     *
     * @param value for example {@code send q;h;f} or {@code recv 1,2;3 send 4}
     * @return the simulcast description
     * @throws SdpParseException when the value does not follow RFC 8853
     */
    public static Simulcast parse(String value) {
        return Sdp.guard(() -> parseUnguarded(value));
    }

    private static Simulcast parseUnguarded(String value) {
        var words = Sdp.words(value);
        if (words.size() != 2 && words.size() != 4) {
            throw new SdpParseException("simulcast must be 'send|recv <streams> [recv|send <streams>]', got "
                    + Sdp.quote(value));
        }
        List<List<SimulcastRid>> send = null;
        List<List<SimulcastRid>> recv = null;
        for (int i = 0; i < words.size(); i += 2) {
            String dir = words.get(i);
            List<List<SimulcastRid>> streams = parseStreams(words.get(i + 1));
            if (dir.equals("send") && send == null) {
                send = streams;
            } else if (dir.equals("recv") && recv == null) {
                recv = streams;
            } else {
                throw new SdpParseException("simulcast direction must be send or recv, each at most once, got "
                        + Sdp.quote(dir));
            }
        }
        return new Simulcast(send == null ? List.of() : send, recv == null ? List.of() : recv);
    }

    private static List<List<SimulcastRid>> parseStreams(String text) {
        List<List<SimulcastRid>> streams = new ArrayList<>();
        for (String stream : text.split(";", -1)) {
            List<SimulcastRid> alternatives = new ArrayList<>();
            for (String alt : stream.split(",", -1)) {
                boolean paused = alt.startsWith("~");
                String rid = paused ? alt.substring(1) : alt;
                if (rid.isEmpty()) {
                    throw new SdpParseException("simulcast stream list has an empty rid: " + Sdp.quote(text));
                }
                alternatives.add(new SimulcastRid(rid, paused));
            }
            streams.add(alternatives);
        }
        return streams;
    }

    private static String format(List<List<SimulcastRid>> streams) {
        return streams.stream()
                .map(a -> a.stream().map(SimulcastRid::toString).collect(Collectors.joining(",")))
                .collect(Collectors.joining(";"));
    }

    /** @return the attribute value, e.g. {@code send q;h;f} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (!send.isEmpty()) {
            sb.append("send ").append(format(send));
        }
        if (!recv.isEmpty()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append("recv ").append(format(recv));
        }
        return sb.toString();
    }
}

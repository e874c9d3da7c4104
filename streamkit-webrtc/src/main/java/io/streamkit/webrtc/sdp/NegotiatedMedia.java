package io.streamkit.webrtc.sdp;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The outcome of offer/answer for one accepted m-line, as the forwarding engine needs it.
 *
 * @param index the m-line's position in the session (0-based)
 * @param mid the mid
 * @param kind {@code audio} or {@code video}
 * @param remoteDirection the direction the remote peer wrote for this m-line
 * @param codecs the negotiated codecs in preference order, with their payload types and RTX payload
 *     types (RTX formats are not listed separately)
 * @param extensions the negotiated header extensions with their ids
 * @param rids the rids the remote peer sends (simulcast layers in its order), empty without simulcast
 * @param ssrcs the SSRCs the remote peer announced ({@code a=ssrc}), in order
 * @param ssrcGroups the remote peer's SSRC groups (FID, SIM)
 * @param msid the remote peer's stream and track ids, or {@code null}
 * @param cname the remote peer's RTCP CNAME, or {@code null}
 */
public record NegotiatedMedia(int index, String mid, String kind, Direction remoteDirection, List<Codec> codecs,
        List<Extmap> extensions, List<String> rids, List<Long> ssrcs, List<SsrcGroup> ssrcGroups, Msid msid,
        String cname) {

    /** Freezes the lists. */
    public NegotiatedMedia {
        codecs = List.copyOf(codecs);
        extensions = List.copyOf(extensions);
        rids = List.copyOf(rids);
        ssrcs = List.copyOf(ssrcs);
        ssrcGroups = List.copyOf(ssrcGroups);
    }

    /**
     * The id of a negotiated header extension.
     *
     * @param uri the extension URI, see {@link HeaderExtensions}
     * @return the id, or empty when not negotiated
     */
    public OptionalInt extensionId(String uri) {
        return extensions.stream().filter(e -> e.uri().equals(uri)).mapToInt(Extmap::id).findFirst();
    }

    /**
     * The negotiated codec for a payload type (primary formats only).
     *
     * @param payloadType the payload type
     * @return the codec, or empty
     */
    public Optional<Codec> codec(int payloadType) {
        return codecs.stream().filter(c -> c.payloadType() == payloadType).findFirst();
    }

    /**
     * The RTX SSRC paired with a media SSRC by an {@code FID} group.
     *
     * @param ssrc the media SSRC
     * @return the RTX SSRC, or empty
     */
    public Optional<Long> rtxSsrc(long ssrc) {
        for (SsrcGroup g : ssrcGroups) {
            if (g.semantics().equals("FID") && g.ssrcs().size() == 2 && g.ssrcs().get(0) == ssrc) {
                return Optional.of(g.ssrcs().get(1));
            }
        }
        return Optional.empty();
    }
}

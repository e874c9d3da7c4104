package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * Transport-wide congestion-control feedback: for a run of transport-wide sequence numbers from
 * {@link #baseSequenceNumber()}, whether each packet arrived and, for those that did, the receive
 * time delta to the previous one in 250 µs ticks.
 *
 * <p>Parsing accepts run-length and 1-bit/2-bit status-vector chunks; {@link #writeTo(ByteBuf)}
 * writes 2-bit status vectors only. At most 65,535 statuses are held (one byte each), whatever
 * the packet claims.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-holmer-rmcat-transport-wide-cc-extensions-01#section-3.1">draft-holmer-rmcat-transport-wide-cc-extensions-01
 *      §3.1</a>
 */
public final class TransportCcFeedback implements RtcpPacket {
    /** Status of a packet that did not arrive. */
    public static final int NOT_RECEIVED = 0;
    /** Status of a packet that arrived with a delta of 0..255 ticks (one byte). */
    public static final int SMALL_DELTA = 1;
    /** Status of a packet that arrived with a large or negative delta (two bytes, signed). */
    public static final int LARGE_DELTA = 2;

    private final long senderSsrc;
    private final long mediaSsrc;
    private final int baseSequenceNumber;
    private final int referenceTime;
    private final int feedbackPacketCount;
    private final byte[] statuses;
    private final int[] deltas;

    /**
     * @param senderSsrc the SSRC of the packet's sender
     * @param mediaSsrc the media source field
     * @param baseSequenceNumber transport-wide sequence number of the first status
     * @param referenceTime signed 24-bit reference time in multiples of 64 ms
     * @param feedbackPacketCount 8-bit counter of feedback packets sent
     * @param statuses one status per packet ({@link #NOT_RECEIVED}, {@link #SMALL_DELTA},
     *        {@link #LARGE_DELTA}), at most 65,535 (copied)
     * @param deltas one receive delta in 250 µs ticks per received packet, in order (copied)
     */
    public TransportCcFeedback(long senderSsrc, long mediaSsrc, int baseSequenceNumber, int referenceTime,
            int feedbackPacketCount, byte[] statuses, int[] deltas) {
        this.senderSsrc = Rtcp.checkU32(senderSsrc, "sender ssrc");
        this.mediaSsrc = Rtcp.checkU32(mediaSsrc, "media ssrc");
        this.baseSequenceNumber = Rtcp.checkRange(baseSequenceNumber, 0, 0xFFFF, "base sequence number");
        this.referenceTime = Rtcp.checkRange(referenceTime, -0x800000, 0x7FFFFF, "reference time");
        this.feedbackPacketCount = Rtcp.checkRange(feedbackPacketCount, 0, 255, "feedback packet count");
        Rtcp.checkRange(statuses.length, 0, 0xFFFF, "packet status count");
        int received = 0;
        for (byte s : statuses) {
            Rtcp.checkRange(s, NOT_RECEIVED, LARGE_DELTA, "packet status");
            if (s != NOT_RECEIVED) {
                received++;
            }
        }
        if (deltas.length != received) {
            throw new IllegalArgumentException(received + " packets received but " + deltas.length + " deltas");
        }
        int k = 0;
        for (byte s : statuses) {
            if (s == SMALL_DELTA) {
                Rtcp.checkRange(deltas[k++], 0, 255, "small delta");
            } else if (s == LARGE_DELTA) {
                Rtcp.checkRange(deltas[k++], Short.MIN_VALUE, Short.MAX_VALUE, "large delta");
            }
        }
        this.statuses = statuses.clone();
        this.deltas = deltas.clone();
    }

    /** @return the SSRC of the packet's sender */
    public long senderSsrc() {
        return senderSsrc;
    }

    /** @return the media source field */
    public long mediaSsrc() {
        return mediaSsrc;
    }

    /** @return the transport-wide sequence number of the first status */
    public int baseSequenceNumber() {
        return baseSequenceNumber;
    }

    /** @return the signed reference time in multiples of 64 ms */
    public int referenceTime() {
        return referenceTime;
    }

    /** @return the feedback packet counter */
    public int feedbackPacketCount() {
        return feedbackPacketCount;
    }

    /** @return the number of packets with a status */
    public int packetStatusCount() {
        return statuses.length;
    }

    /**
     * @param i 0-based position from the base sequence number
     * @return that packet's status
     */
    public int status(int i) {
        return statuses[i];
    }

    /** @return the receive deltas in 250 µs ticks, one per received packet, in order (a copy) */
    public int[] receiveDeltas() {
        return deltas.clone();
    }

    static TransportCcFeedback read(ByteBuf buf, int index, int bodyLength) {
        if (bodyLength < 16) {
            throw Rtcp.error("transport-cc", "body of " + bodyLength + " bytes, at least 16 expected");
        }
        int end = index + bodyLength;
        int count = buf.getUnsignedShort(index + 10);
        byte[] statuses = new byte[count];
        int received = 0;
        int p = index + 16;
        int i = 0;
        while (i < count) {
            if (p + 2 > end) {
                throw Rtcp.error("transport-cc", "packet chunks end after " + i + " of " + count + " statuses");
            }
            int chunk = buf.getUnsignedShort(p);
            p += 2;
            if ((chunk & 0x8000) == 0) {
                int status = (chunk >>> 13) & 0x3;
                int run = Math.min(chunk & 0x1FFF, count - i);
                checkStatus(status);
                Arrays.fill(statuses, i, i + run, (byte) status);
                i += run;
                if (status != NOT_RECEIVED) {
                    received += run;
                }
            } else if ((chunk & 0x4000) == 0) {
                for (int k = 13; k >= 0 && i < count; k--) {
                    int status = (chunk >>> k) & 1;
                    statuses[i++] = (byte) status;
                    received += status;
                }
            } else {
                for (int k = 12; k >= 0 && i < count; k -= 2) {
                    int status = (chunk >>> k) & 3;
                    checkStatus(status);
                    statuses[i++] = (byte) status;
                    if (status != NOT_RECEIVED) {
                        received++;
                    }
                }
            }
        }
        int[] deltas = new int[received];
        int k = 0;
        for (byte s : statuses) {
            if (s == SMALL_DELTA) {
                if (p + 1 > end) {
                    throw Rtcp.error("transport-cc", "receive deltas end after " + k + " of " + received);
                }
                deltas[k++] = buf.getUnsignedByte(p++);
            } else if (s == LARGE_DELTA) {
                if (p + 2 > end) {
                    throw Rtcp.error("transport-cc", "receive deltas end after " + k + " of " + received);
                }
                deltas[k++] = buf.getShort(p);
                p += 2;
            }
        }
        return new TransportCcFeedback(buf.getUnsignedInt(index), buf.getUnsignedInt(index + 4),
                buf.getUnsignedShort(index + 8), buf.getMedium(index + 12), buf.getUnsignedByte(index + 15), statuses,
                deltas);
    }

    private static void checkStatus(int status) {
        if (status == 3) {
            throw Rtcp.error("transport-cc", "reserved packet status symbol 3");
        }
    }

    private int unpaddedLength() {
        int n = 12 + 8 + 2 * ((statuses.length + 6) / 7);
        for (byte s : statuses) {
            n += s;
        }
        return n;
    }

    @Override
    public int packetType() {
        return RTPFB;
    }

    @Override
    public int encodedLength() {
        return Rtcp.pad4(unpaddedLength());
    }

    @Override
    public void writeTo(ByteBuf out) {
        int total = encodedLength();
        Rtcp.writeHeader(out, FMT_TRANSPORT_CC, RTPFB, total);
        out.writeInt((int) senderSsrc);
        out.writeInt((int) mediaSsrc);
        out.writeShort(baseSequenceNumber);
        out.writeShort(statuses.length);
        out.writeMedium(referenceTime);
        out.writeByte(feedbackPacketCount);
        for (int i = 0; i < statuses.length; i += 7) {
            int chunk = 0xC000;
            for (int k = 0; k < 7 && i + k < statuses.length; k++) {
                chunk |= statuses[i + k] << (12 - 2 * k);
            }
            out.writeShort(chunk);
        }
        int k = 0;
        for (byte s : statuses) {
            if (s == SMALL_DELTA) {
                out.writeByte(deltas[k++]);
            } else if (s == LARGE_DELTA) {
                out.writeShort(deltas[k++]);
            }
        }
        out.writeZero(total - unpaddedLength());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportCcFeedback t && t.senderSsrc == senderSsrc && t.mediaSsrc == mediaSsrc
                && t.baseSequenceNumber == baseSequenceNumber && t.referenceTime == referenceTime
                && t.feedbackPacketCount == feedbackPacketCount && Arrays.equals(t.statuses, statuses)
                && Arrays.equals(t.deltas, deltas);
    }

    @Override
    public int hashCode() {
        return Objects.hash(senderSsrc, mediaSsrc, baseSequenceNumber, referenceTime, feedbackPacketCount,
                Arrays.hashCode(statuses), Arrays.hashCode(deltas));
    }

    @Override
    public String toString() {
        return "TransportCcFeedback[sender=" + senderSsrc + ", media=" + mediaSsrc + ", base=" + baseSequenceNumber
                + ", statuses=" + statuses.length + ", received=" + deltas.length + ", referenceTime=" + referenceTime
                + ", fbCount=" + feedbackPacketCount + "]";
    }
}

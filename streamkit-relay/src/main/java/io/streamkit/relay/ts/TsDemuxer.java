package io.streamkit.relay.ts;

import static io.streamkit.relay.ts.TsPackets.SIZE;
import static io.streamkit.relay.ts.TsPackets.SYNC;
import static io.streamkit.relay.ts.TsPackets.TIMESTAMP_MASK;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.api.Codec;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.TrackInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one incoming MPEG-2 transport stream (for example the payloads of an SRT connection) into
 * {@link TrackInfo}s and {@link MediaPacket}s.
 *
 * <p>Bytes may arrive in chunks of any size; the demuxer finds the 188-byte packet boundaries
 * itself and, when a sync byte is missing, counts a {@linkplain #syncLosses() sync loss} and
 * resynchronises on two sync bytes 188 bytes apart. It follows the PAT to the first program's
 * PMT and reads the first video elementary stream (H.264 stream type 0x1B, H.265 0x24) and the
 * first audio one (AAC ADTS 0x0F, MPEG audio layer III 0x03/0x04, Opus as private data 0x06 with
 * an {@code 'Opus'} registration descriptor). The video track has id 0 and the audio track id 1,
 * both with timescale 90000.
 *
 * <p>Payloads follow the {@link Codec} conventions: one H.264/H.265 packet per PES (access unit)
 * as 4-byte-length-prefixed NAL units without access unit delimiters and parameter sets (those
 * go into the {@code avcC}/{@code hvcC} configuration); one packet per AAC frame without its ADTS
 * header, per MP3 frame and per Opus packet. PTS and DTS (33 bits) are unwrapped into one
 * continuous 64-bit timeline shared by all tracks; audio frames after the first in a PES are
 * stamped from their durations. A PES whose length field is 0 (allowed for video) ends when the
 * next one on its PID starts, or at {@link #flush()}; or, so that a frame is not held back for a
 * frame interval, at a packet whose adaptation field carries stuffing bytes, once the stream has
 * shown that its muxer stuffs only the last packet of a PES (FFmpeg's and {@link TsMuxer} fill
 * it up to the packet end that way): after two PES packets each
 * ended by a stuffed packet right before the next one started, and never a stuffed packet inside
 * a PES. A stuffed packet followed by more of its PES (a muxer that stuffs elsewhere) turns the
 * rule off for that stream, the frame cut short is counted as a {@linkplain #pesErrors() PES error}.
 * An adaptation field that carries only a PCR or flags does not end a PES.
 *
 * <p>{@link Listener#onTracks(List)} announces the tracks whose configuration is known, again
 * whenever one is added, changes or goes away; packets of a track follow its announcement and
 * video access units before the first parameter sets are dropped
 * ({@link #droppedBeforeConfig()}).
 *
 * <p>Malformed input never throws: continuity counter gaps, bad PSI sections (CRC), malformed or
 * oversized (over 8 MiB) PES packets and undecodable frames are dropped, counted and logged at
 * debug level. Buffers: {@link #feed(ByteBuf)} copies what it needs and neither releases nor
 * moves the indexes of its argument; each packet's payload is a new buffer owned by the listener.
 * Memory held between calls is bounded (a window of 12 KiB, and per stream one PES of at most
 * 8 MiB).
 *
 * <p>Not thread-safe: one instance per incoming stream, called from one thread at a time.
 */
public final class TsDemuxer {
    /** Receives what a {@link TsDemuxer} produces, on the thread that calls the demuxer. */
    public interface Listener {
        /**
         * The set of configured tracks or one of their configurations changed.
         *
         * @param tracks the tracks, video first; immutable
         */
        void onTracks(List<TrackInfo> tracks);

        /**
         * A frame of an announced track.
         *
         * @param packet the packet; the listener takes over its reference and must release it
         */
        void onPacket(MediaPacket packet);
    }

    /** The largest PES packet reassembled; larger ones are dropped and counted. */
    public static final int MAX_PES_SIZE = 8 << 20;

    private static final Logger log = LoggerFactory.getLogger(TsDemuxer.class);
    private static final int VIDEO_TRACK_ID = 0;
    private static final int AUDIO_TRACK_ID = 1;
    private static final int MAX_SECTION = 1024;
    /** PES packets that must end with a stuffed packet before stuffing alone ends a PES. */
    static final int STUFFING_CONFIRMATIONS = 2;

    private final ByteBufAllocator alloc;
    private final Listener listener;
    private final byte[] window = new byte[SIZE * 64];
    private int windowLength;
    private boolean synced;
    private final int[] lastCc = new int[8192];

    private final Section pat = new Section();
    private Section pmt;
    private int pmtPid = -1;
    private Stream video;
    private Stream audio;
    private List<TrackInfo> announced = List.of();

    private boolean haveTimestamp;
    private long lastDts;

    private long continuityErrors;
    private long syncLosses;
    private long pesErrors;
    private long psiErrors;
    private long droppedBeforeConfig;
    private long packets;

    private final EsReader.Sink sink = new EsReader.Sink() {
        @Override
        public ByteBufAllocator alloc() {
            return alloc;
        }

        @Override
        public void packet(MediaPacket packet) {
            listener.onPacket(packet);
        }

        @Override
        public void tracksChanged() {
            announceTracks();
        }

        @Override
        public void malformed(String message) {
            pesErrors++;
            log.debug("MPEG-TS elementary stream: {}", message);
        }

        @Override
        public void droppedBeforeConfig() {
            droppedBeforeConfig++;
        }
    };

    /**
     * @param listener receives tracks and packets; payloads are allocated from
     *        {@link ByteBufAllocator#DEFAULT}
     */
    public TsDemuxer(Listener listener) {
        this(ByteBufAllocator.DEFAULT, listener);
    }

    /**
     * @param alloc allocates the packet payloads
     * @param listener receives tracks and packets
     */
    public TsDemuxer(ByteBufAllocator alloc, Listener listener) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.listener = Objects.requireNonNull(listener, "listener");
        Arrays.fill(lastCc, -1);
    }

    /**
     * Reads transport stream bytes, emitting every track change and packet they complete.
     *
     * @param data any number of bytes, from the reader index to the writer index; neither
     *        released nor modified
     */
    public void feed(ByteBuf data) {
        int index = data.readerIndex();
        int end = data.writerIndex();
        while (index < end) {
            int n = Math.min(end - index, window.length - windowLength);
            data.getBytes(index, window, windowLength, n);
            windowLength += n;
            index += n;
            scan();
        }
    }

    /**
     * Ends the stream: emits the PES packets whose end is only known from the next one (length
     * field 0) and drops partial data. Feeding may continue afterwards as after a discontinuity.
     */
    public void flush() {
        for (Stream s : new Stream[]{video, audio}) {
            if (s != null) {
                if (s.active && s.expected == 0 && s.length > 0) {
                    complete(s);
                } else if (s.active) {
                    dropPes(s, "PES truncated at the end of the stream");
                }
                s.active = false;
                s.endedByStuffing = false;
                s.lastStuffed = false;
                s.reader.reset();
            }
        }
        windowLength = 0;
        synced = false;
        Arrays.fill(lastCc, -1);
    }

    /** @return packets whose continuity counter skipped (lost packets), since creation */
    public long continuityErrors() {
        return continuityErrors;
    }

    /** @return times a packet did not start with the sync byte after sync had been found */
    public long syncLosses() {
        return syncLosses;
    }

    /** @return malformed, truncated or oversized PES packets and undecodable frames dropped */
    public long pesErrors() {
        return pesErrors;
    }

    /** @return PAT/PMT sections dropped for a bad CRC, length or layout */
    public long psiErrors() {
        return psiErrors;
    }

    /** @return video access units dropped because no parameter sets had been seen yet */
    public long droppedBeforeConfig() {
        return droppedBeforeConfig;
    }

    /** @return transport stream packets read */
    public long packets() {
        return packets;
    }

    /** @return the tracks last announced; immutable */
    public List<TrackInfo> tracks() {
        return announced;
    }

    private void scan() {
        int pos = 0;
        while (windowLength - pos >= SIZE) {
            if ((window[pos] & 0xFF) != SYNC) {
                if (synced) {
                    synced = false;
                    syncLosses++;
                    log.debug("MPEG-TS sync lost");
                }
                pos++;
                continue;
            }
            if (!synced) {
                if (windowLength - pos < 2 * SIZE) {
                    break; // a second sync byte 188 bytes on confirms the boundary
                }
                if ((window[pos + SIZE] & 0xFF) != SYNC) {
                    pos++;
                    continue;
                }
                synced = true;
            }
            packet(window, pos);
            pos += SIZE;
        }
        System.arraycopy(window, pos, window, 0, windowLength - pos);
        windowLength -= pos;
    }

    private void packet(byte[] w, int off) {
        packets++;
        int b1 = w[off + 1] & 0xFF;
        int pid = ((b1 & 0x1F) << 8) | (w[off + 2] & 0xFF);
        boolean unitStart = (b1 & 0x40) != 0;
        int b3 = w[off + 3] & 0xFF;
        int adaptation = (b3 >> 4) & 3;
        int cc = b3 & 0x0F;
        if ((b1 & 0x80) != 0) { // transport_error_indicator
            Stream s = stream(pid);
            if (s != null && s.active) {
                dropPes(s, "transport error indicator set");
            }
            return;
        }
        if (pid == TsPackets.NULL_PID || adaptation == 0) {
            return;
        }
        int p = off + 4;
        int end = off + SIZE;
        boolean discontinuity = false;
        boolean stuffed = false;
        if ((adaptation & 2) != 0) {
            int length = w[p] & 0xFF;
            if (length > (adaptation == 3 ? 182 : 183)) {
                Stream s = stream(pid);
                if (s != null && s.active) {
                    dropPes(s, "adaptation field of " + length + " bytes overflows its packet");
                }
                return;
            }
            discontinuity = length > 0 && (w[p + 1] & 0x80) != 0;
            stuffed = hasStuffing(w, p + 1, length);
            p += 1 + length;
        }
        if ((adaptation & 1) == 0) {
            return; // no payload, and the continuity counter does not advance
        }
        boolean psi = pid == TsPackets.PAT_PID || pid == pmtPid;
        Stream s = psi ? null : stream(pid);
        if (!psi && s == null) {
            return;
        }
        int last = lastCc[pid];
        lastCc[pid] = cc;
        if (last >= 0 && !discontinuity) {
            if (cc == last) {
                return; // a duplicate packet
            }
            if (cc != ((last + 1) & 0x0F)) {
                continuityErrors++;
                log.debug("MPEG-TS continuity error on PID {}: {} after {}", pid, cc, last);
                if (s != null) {
                    if (s.active) {
                        s.active = false;
                        s.length = 0;
                    }
                    s.endedByStuffing = false;
                    s.lastStuffed = false;
                    s.reader.reset();
                } else {
                    (pid == TsPackets.PAT_PID ? pat : pmt).reset();
                }
            }
        }
        if (pid == TsPackets.PAT_PID) {
            section(pat, pid, w, p, end, unitStart);
        } else if (pid == pmtPid) {
            section(pmt, pid, w, p, end, unitStart);
        } else {
            pes(s, w, p, end, unitStart, stuffed);
        }
    }

    /**
     * @param w the window
     * @param from the first byte after {@code adaptation_field_length}
     * @param length {@code adaptation_field_length}
     * @return whether the adaptation field ends with stuffing bytes (a field of length 0 is one
     *         byte of stuffing), per ISO/IEC 13818-1 section 2.4.3.4
     */
    private static boolean hasStuffing(byte[] w, int from, int length) {
        if (length == 0) {
            return true;
        }
        int flags = w[from] & 0xFF;
        int used = 1;
        if ((flags & 0x10) != 0) {
            used += 6; // PCR
        }
        if ((flags & 0x08) != 0) {
            used += 6; // OPCR
        }
        if ((flags & 0x04) != 0) {
            used += 1; // splice countdown
        }
        if ((flags & 0x02) != 0) {
            if (used >= length) {
                return false;
            }
            used += 1 + (w[from + used] & 0xFF); // transport private data
        }
        if ((flags & 0x01) != 0) {
            if (used >= length) {
                return false;
            }
            used += 1 + (w[from + used] & 0xFF); // adaptation field extension
        }
        return used < length;
    }

    private Stream stream(int pid) {
        if (video != null && video.pid == pid) {
            return video;
        }
        if (audio != null && audio.pid == pid) {
            return audio;
        }
        return null;
    }

    // ---- PSI ----

    /** Reassembles the PSI sections of one PID. */
    private static final class Section {
        final byte[] buf = new byte[MAX_SECTION + SIZE];
        int length;
        boolean active;

        void reset() {
            length = 0;
            active = false;
        }
    }

    private void section(Section s, int pid, byte[] w, int p, int end, boolean unitStart) {
        if (unitStart) {
            int pointer = w[p] & 0xFF;
            p++;
            if (pointer > end - p) {
                psiError("pointer_field beyond the packet", pid);
                s.reset();
                return;
            }
            if (s.active) {
                append(s, w, p, pointer);
                sections(s, pid);
            }
            s.reset();
            s.active = true;
            p += pointer;
        } else if (!s.active) {
            return;
        }
        if (s.length + (end - p) > s.buf.length) {
            psiError("section overflow", pid);
            s.reset();
            return;
        }
        append(s, w, p, end - p);
        sections(s, pid);
    }

    private static void append(Section s, byte[] w, int p, int n) {
        int fit = Math.min(n, s.buf.length - s.length);
        System.arraycopy(w, p, s.buf, s.length, fit);
        s.length += fit;
    }

    private void sections(Section s, int pid) {
        while (s.active && s.length >= 3) {
            byte[] b = s.buf;
            if ((b[0] & 0xFF) == 0xFF) {
                s.reset(); // stuffing up to the end of the packet
                return;
            }
            int total = 3 + (((b[1] & 0x0F) << 8) | (b[2] & 0xFF));
            if (total > MAX_SECTION || total < 12) {
                psiError("section length " + total + " out of range", pid);
                s.reset();
                return;
            }
            if (s.length < total) {
                return;
            }
            if (TsPackets.crc32(b, 0, total) != 0) {
                psiError("section CRC mismatch", pid);
            } else if ((b[5] & 1) != 0) { // current_next_indicator
                int table = b[0] & 0xFF;
                if (pid == TsPackets.PAT_PID && table == TsPackets.TABLE_PAT) {
                    pat(b, total);
                } else if (pid == pmtPid && table == TsPackets.TABLE_PMT) {
                    pmt(b, total);
                }
            }
            System.arraycopy(b, total, b, 0, s.length - total);
            s.length -= total;
        }
    }

    private void psiError(String what, int pid) {
        psiErrors++;
        log.debug("MPEG-TS PSI on PID {}: {}", pid, what);
    }

    private void pat(byte[] b, int total) {
        for (int i = 8; i + 4 <= total - 4; i += 4) {
            int program = ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
            int pid = ((b[i + 2] & 0x1F) << 8) | (b[i + 3] & 0xFF);
            if (program != 0) {
                if (pid != pmtPid && pid != TsPackets.PAT_PID && pid != TsPackets.NULL_PID) {
                    log.debug("MPEG-TS program {} has its PMT on PID {}", program, pid);
                    pmtPid = pid;
                    pmt = new Section();
                    lastCc[pid] = -1;
                }
                return;
            }
        }
    }

    private void pmt(byte[] b, int total) {
        int crcStart = total - 4;
        int pos = 12 + (((b[10] & 0x0F) << 8) | (b[11] & 0xFF));
        int videoPid = -1;
        Codec videoCodec = null;
        int audioPid = -1;
        Codec audioCodec = null;
        int audioChannels = 0;
        while (pos + 5 <= crcStart) {
            int type = b[pos] & 0xFF;
            int pid = ((b[pos + 1] & 0x1F) << 8) | (b[pos + 2] & 0xFF);
            int infoLength = ((b[pos + 3] & 0x0F) << 8) | (b[pos + 4] & 0xFF);
            int info = pos + 5;
            pos = info + infoLength;
            if (pos > crcStart) {
                psiError("elementary stream descriptors overflow the PMT", pmtPid);
                return;
            }
            if (pid == TsPackets.PAT_PID || pid == pmtPid || pid == TsPackets.NULL_PID) {
                continue;
            }
            Codec codec = switch (type) {
                case TsPackets.STREAM_TYPE_H264 -> Codec.H264;
                case TsPackets.STREAM_TYPE_H265 -> Codec.H265;
                case TsPackets.STREAM_TYPE_AAC_ADTS -> Codec.AAC;
                case TsPackets.STREAM_TYPE_MPEG1_AUDIO, TsPackets.STREAM_TYPE_MPEG2_AUDIO -> Codec.MP3;
                case TsPackets.STREAM_TYPE_PRIVATE_PES -> opusChannels(b, info, pos) > 0 ? Codec.OPUS : null;
                default -> null;
            };
            if (codec == null) {
                continue;
            }
            if (codec.mediaType() == MediaType.VIDEO) {
                if (videoCodec == null) {
                    videoPid = pid;
                    videoCodec = codec;
                }
            } else if (audioCodec == null && pid != videoPid) {
                audioPid = pid;
                audioCodec = codec;
                audioChannels = codec == Codec.OPUS ? opusChannels(b, info, pos) : 0;
            }
        }
        boolean changed = false;
        if (video == null ? videoCodec != null : video.pid != videoPid || video.codec != videoCodec) {
            video = videoCodec == null
                    ? null
                    : new Stream(videoPid, videoCodec, new AnnexBReader(videoCodec,
                            VIDEO_TRACK_ID, sink));
            changed = true;
        }
        if (audio == null
                ? audioCodec != null
                : audio.pid != audioPid || audio.codec != audioCodec
                        || audio.channels != audioChannels) {
            audio = audioCodec == null
                    ? null
                    : new Stream(audioPid, audioCodec, audioReader(audioCodec,
                            audioChannels), audioChannels);
            changed = true;
        }
        if (changed) {
            log.debug("MPEG-TS PMT: video {} on PID {}, audio {} on PID {}", videoCodec, videoPid, audioCodec,
                    audioPid);
            if (video != null) {
                lastCc[video.pid] = -1;
            }
            if (audio != null) {
                lastCc[audio.pid] = -1;
            }
            announceTracks();
        }
    }

    private EsReader audioReader(Codec codec, int channels) {
        return switch (codec) {
            case AAC -> new AdtsReader(AUDIO_TRACK_ID, sink);
            case MP3 -> new Mp3Reader(AUDIO_TRACK_ID, sink);
            case OPUS -> new OpusReader(AUDIO_TRACK_ID, sink, channels);
            default -> throw new IllegalStateException("not an audio codec: " + codec);
        };
    }

    /**
     * @return the channel count (1 or 2) when the descriptors mark Opus with mapping family 0,
     *         otherwise 0
     */
    private static int opusChannels(byte[] b, int from, int to) {
        boolean registered = false;
        int channels = 0;
        int pos = from;
        while (pos + 2 <= to) {
            int tag = b[pos] & 0xFF;
            int length = b[pos + 1] & 0xFF;
            int body = pos + 2;
            if (body + length > to) {
                break;
            }
            if (tag == TsPackets.DESCRIPTOR_REGISTRATION && length >= 4 && ((b[body] & 0xFF) << 24 | (b[body + 1]
                    & 0xFF) << 16 | (b[body + 2] & 0xFF) << 8 | (b[body + 3] & 0xFF)) == TsPackets.FORMAT_OPUS) {
                registered = true;
            } else if (tag == TsPackets.DESCRIPTOR_EXTENSION && length >= 2
                    && (b[body] & 0xFF) == TsPackets.EXTENSION_OPUS) {
                int code = b[body + 1] & 0xFF;
                channels = code == 1 || code == 2 ? code : 0;
            }
            pos = body + length;
        }
        return registered ? channels : 0;
    }

    private void announceTracks() {
        List<TrackInfo> tracks = new ArrayList<>(2);
        for (Stream s : new Stream[]{video, audio}) {
            if (s != null && s.reader.track() != null) {
                tracks.add(s.reader.track());
            }
        }
        if (!tracks.equals(announced)) {
            announced = List.copyOf(tracks);
            listener.onTracks(announced);
        }
    }

    // ---- PES ----

    /** One elementary stream: its PES reassembly and its reader. */
    private static final class Stream {
        final int pid;
        final Codec codec;
        final int channels;
        final EsReader reader;
        byte[] buf = new byte[4096];
        int length;
        boolean active;
        /** The whole PES length from its header, 0 when unbounded, -1 before the header is read. */
        int expected;
        /** Whether the last packet of the current unbounded PES carried adaptation stuffing. */
        boolean lastStuffed;
        /** Whether the last PES was completed at a stuffed packet, so the next packet must start a PES. */
        boolean endedByStuffing;
        /** Unbounded PES packets seen to end with a stuffed packet right before the next one started. */
        int stuffedEnds;
        /** Set when a stuffed packet was followed by more of its PES: stuffing never ends a PES again. */
        boolean stuffingInside;

        boolean stuffingEndsPes() {
            return !stuffingInside && stuffedEnds >= STUFFING_CONFIRMATIONS;
        }

        Stream(int pid, Codec codec, EsReader reader) {
            this(pid, codec, reader, 0);
        }

        Stream(int pid, Codec codec, EsReader reader, int channels) {
            this.pid = pid;
            this.codec = codec;
            this.reader = reader;
            this.channels = channels;
        }
    }

    private void pes(Stream s, byte[] w, int p, int end, boolean unitStart, boolean stuffed) {
        if (unitStart) {
            if (s.active) {
                if (s.expected == 0) {
                    if (s.lastStuffed && s.stuffedEnds < STUFFING_CONFIRMATIONS) {
                        s.stuffedEnds++;
                    }
                    complete(s);
                } else {
                    dropPes(s, "PES shorter than its length field");
                }
            }
            s.active = true;
            s.length = 0;
            s.expected = -1;
            s.lastStuffed = false;
            s.endedByStuffing = false;
        } else if (!s.active) {
            if (s.endedByStuffing) {
                s.endedByStuffing = false;
                s.stuffingInside = true;
                sink.malformed("PES on PID " + s.pid + " went on after a stuffed packet that ended it; "
                        + "stuffing no longer ends a PES of this stream");
            }
            return;
        } else if (s.lastStuffed) {
            s.stuffingInside = true; // a stuffed packet inside a PES: this muxer does not stuff only the last one
            s.lastStuffed = false;
        }
        int n = end - p;
        if (s.length + n > MAX_PES_SIZE) {
            dropPes(s, "PES larger than " + MAX_PES_SIZE + " bytes");
            return;
        }
        if (s.length + n > s.buf.length) {
            s.buf = Arrays.copyOf(s.buf, Math.min(MAX_PES_SIZE, Math.max(s.length + n, s.buf.length * 2)));
        }
        System.arraycopy(w, p, s.buf, s.length, n);
        s.length += n;
        if (s.expected < 0 && s.length >= 6) {
            byte[] b = s.buf;
            if (b[0] != 0 || b[1] != 0 || b[2] != 1) {
                dropPes(s, "PES without start code prefix");
                return;
            }
            int length = ((b[4] & 0xFF) << 8) | (b[5] & 0xFF);
            s.expected = length == 0 ? 0 : 6 + length;
        }
        if (s.expected > 0 && s.length >= s.expected) {
            complete(s);
        } else if (s.expected == 0 && stuffed) {
            s.lastStuffed = true;
            if (s.stuffingEndsPes()) {
                s.endedByStuffing = true;
                complete(s);
            }
        }
    }

    private void dropPes(Stream s, String why) {
        s.active = false;
        s.length = 0;
        sink.malformed(why + " on PID " + s.pid);
    }

    private void complete(Stream s) {
        s.active = false;
        byte[] b = s.buf;
        int end = s.expected > 0 ? s.expected : s.length;
        s.length = 0;
        if (end < 9) {
            sink.malformed("PES of " + end + " bytes on PID " + s.pid + " is shorter than its header");
            return;
        }
        int streamId = b[3] & 0xFF;
        if (streamId == 0xBC || streamId == 0xBE || streamId == 0xBF || streamId == 0xF0 || streamId == 0xF1
                || streamId == 0xF2 || streamId == 0xF8 || streamId == 0xFF) {
            return; // no optional PES header, and no media of ours
        }
        int flags = (b[7] & 0xFF) >> 6;
        int payload = 9 + (b[8] & 0xFF);
        if (payload > end || (flags == 2 && payload < 14) || (flags == 3 && payload < 19) || flags == 1) {
            sink.malformed("PES header of PID " + s.pid + " does not fit");
            return;
        }
        long dts = EsReader.NO_TIMESTAMP;
        long pts = EsReader.NO_TIMESTAMP;
        if (flags >= 2) {
            long rawPts = timestamp(b, 9);
            long rawDts = flags == 3 ? timestamp(b, 14) : rawPts;
            dts = unwrap(rawDts);
            pts = dts + signed33(rawPts - rawDts);
        }
        s.reader.pes(b, payload, end, dts, pts);
        if (s.buf.length > (1 << 20)) {
            s.buf = new byte[4096]; // do not hold on to the memory of an occasional huge PES
        }
    }

    private static long timestamp(byte[] b, int i) {
        return (((long) (b[i] & 0x0E)) << 29) | ((b[i + 1] & 0xFFL) << 22) | (((long) (b[i + 2] & 0xFE)) << 14)
                | ((b[i + 3] & 0xFFL) << 7) | ((b[i + 4] & 0xFF) >>> 1);
    }

    /** @return a 33-bit difference as a signed value in [-2^32, 2^32) */
    private static long signed33(long difference) {
        long d = difference & TIMESTAMP_MASK;
        return d >= (1L << 32) ? d - (1L << 33) : d;
    }

    /** Maps a 33-bit DTS to the continuous timeline: the value nearest to the last one. */
    private long unwrap(long raw) {
        if (!haveTimestamp) {
            haveTimestamp = true;
            lastDts = raw;
            return raw;
        }
        lastDts += signed33(raw - lastDts);
        return lastDts;
    }
}

package io.streamkit.relay.ts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The container side channel of one stream: forwards the MPEG-TS chunks of a publisher that sends
 * MPEG-TS (an SRT caller) unchanged to readers that want MPEG-TS (SRT readers), with the
 * publisher's packets, PIDs, continuity counters and timestamps intact, instead of demultiplexing
 * them into access units and multiplexing them again. A chunk goes out as soon as it arrives, so a
 * frame's first bytes are not held until its last byte is there.
 *
 * <p>Late joiners start clean: the channel keeps the chunks since the last one that carries the
 * start of a keyframe (its GOP cache, bounded in bytes) together with the PAT and PMT in force at
 * that keyframe, and a new reader gets PAT, PMT and those chunks before the live ones. A keyframe
 * is a payload unit start on the video PID whose adaptation field sets the random access
 * indicator, or whose first TS packet of the PES holds an H.264 SPS or IDR slice or an H.265
 * parameter set or IRAP picture; in a stream without video, every chunk that starts a PES is a
 * start point. Without a usable cache (no keyframe yet, or the GOP outgrew the limit) a reader
 * waits for the next keyframe chunk and gets PAT and PMT before it.
 *
 * <p>A new publisher ({@link #attachSource(String)}) replaces the previous one at once; the cache
 * is emptied and every reader waits for the new publisher's first keyframe chunk, which it gets
 * after that publisher's PAT and PMT, so no reader sees half a frame or a PID it was not told
 * about. Timestamps then follow the new publisher's clock (as with any MPEG-TS relay that forwards
 * packets). Chunks that are not a whole number of 188-byte packets starting with the sync byte are
 * forwarded as they are but not inspected, so they never start a reader.
 *
 * <p>Thread-safe: sources and readers may run on different threads; readers are called with the
 * channel's lock held and must only queue the chunk (for example
 * {@code SrtConnection.send}). Buffers: {@link Source#write(ByteBuf)} never releases or moves
 * the indexes of its argument; each reader gets its own retained duplicate and must release it.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.222.0">ITU-T H.222.0 | ISO/IEC 13818-1, sections 2.4.3
 *      (transport packets, random access indicator) and 2.4.4 (PAT, PMT)</a>
 */
public final class TsPassThrough implements AutoCloseable {

    /** Receives the chunks of a channel. */
    @FunctionalInterface
    public interface Reader {
        /**
         * One chunk to send, called with the channel's lock held: queue it, do not block.
         *
         * @param chunk a retained duplicate whose ownership passes to the reader
         */
        void accept(ByteBuf chunk);
    }

    /** PIDs below this are reserved for tables (ISO/IEC 13818-1 table 2-3). */
    private static final int FIRST_ES_PID = 0x20;

    private final String label;
    private final long cacheMaxBytes;
    private final ArrayDeque<ByteBuf> gop = new ArrayDeque<>();
    private final List<Attached> readers = new ArrayList<>();
    // all guarded by this
    private Source source;
    private long gopBytes;
    private boolean gopValid;
    /** The PAT and PMT packets (188 bytes each, single-packet sections) seen last, or null. */
    private byte[] pat;
    private byte[] pmt;
    /** PAT and PMT in force at the keyframe that starts the cache. */
    private byte[] gopPsi;
    private int pmtPid = -1;
    private int videoPid = -1;
    private boolean hevc;
    private boolean pmtKnown;
    private long chunks;
    private long keyframeChunks;
    private boolean closed;

    /**
     * @param label a name for logs, for example the stream path
     * @param cacheMaxBytes the most bytes of chunks kept for late joiners, 0 to keep none
     */
    public TsPassThrough(String label, long cacheMaxBytes) {
        this.label = Objects.requireNonNull(label, "label");
        if (cacheMaxBytes < 0) {
            throw new IllegalArgumentException("cacheMaxBytes must be >= 0, was " + cacheMaxBytes);
        }
        this.cacheMaxBytes = cacheMaxBytes;
    }

    /** A publisher's handle; writes after it was replaced or closed are ignored. */
    public final class Source implements AutoCloseable {
        private final String name;

        private Source(String name) {
            this.name = name;
        }

        /**
         * Forwards one chunk of transport stream to every reader that is started, and starts those
         * waiting when the chunk begins a keyframe.
         *
         * @param chunk the bytes, usually 7 packets of 188 bytes; neither released nor moved
         * @return whether this source is still the channel's publisher
         */
        public boolean write(ByteBuf chunk) {
            return TsPassThrough.this.write(this, chunk);
        }

        /** Stops this source; readers keep waiting for the next one. Idempotent. */
        @Override
        public void close() {
            detach(this);
        }

        /** @return whether this source is the channel's publisher */
        public boolean isActive() {
            synchronized (TsPassThrough.this) {
                return source == this;
            }
        }

        @Override
        public String toString() {
            return "TsPassThrough.Source[" + label + ", " + name + "]";
        }
    }

    /** A reader's handle; close it to stop receiving. */
    public final class Attached implements AutoCloseable {
        private final Reader reader;
        private boolean started;

        private Attached(Reader reader) {
            this.reader = reader;
        }

        /** Stops the chunks to this reader; idempotent. */
        @Override
        public void close() {
            synchronized (TsPassThrough.this) {
                readers.remove(this);
            }
        }
    }

    /**
     * Makes a new publisher the channel's source; the previous one, if any, stops counting.
     *
     * @param name the publisher, for logs
     * @return its handle
     * @throws IllegalStateException when the channel is closed
     */
    public synchronized Source attachSource(String name) {
        if (closed) {
            throw new IllegalStateException("pass-through of " + label + " is closed");
        }
        source = new Source(Objects.requireNonNull(name, "name"));
        resetSourceState();
        for (Attached a : readers) {
            a.started = false;
        }
        return source;
    }

    private void detach(Source s) {
        synchronized (this) {
            if (source == s) {
                source = null;
                resetSourceState();
            }
        }
    }

    /** Under lock. */
    private void resetSourceState() {
        clearGop();
        pat = null;
        pmt = null;
        pmtPid = -1;
        videoPid = -1;
        pmtKnown = false;
    }

    /** @return whether a publisher is attached now */
    public synchronized boolean hasSource() {
        return source != null;
    }

    /**
     * Adds a reader. With a usable cache it gets PAT, PMT and the cached chunks at once (inside
     * this call), else it waits for the next keyframe chunk.
     *
     * @param reader where chunks go
     * @return the handle that removes the reader
     * @throws IllegalStateException when the channel is closed
     */
    public synchronized Attached addReader(Reader reader) {
        if (closed) {
            throw new IllegalStateException("pass-through of " + label + " is closed");
        }
        Attached a = new Attached(Objects.requireNonNull(reader, "reader"));
        readers.add(a);
        if (gopValid && !gop.isEmpty()) {
            start(a, gopPsi);
            for (ByteBuf chunk : gop) {
                a.reader.accept(chunk.retainedDuplicate());
            }
        }
        return a;
    }

    /** @return the readers attached now */
    public synchronized int readerCount() {
        return readers.size();
    }

    /** @return chunks forwarded so far */
    public synchronized long chunks() {
        return chunks;
    }

    /** @return chunks forwarded so far that start a keyframe (where a reader may start) */
    public synchronized long keyframeChunks() {
        return keyframeChunks;
    }

    /** @return bytes held for late joiners now */
    public synchronized long cachedBytes() {
        return gopBytes;
    }

    private synchronized boolean write(Source from, ByteBuf chunk) {
        if (from != source || closed) {
            return false;
        }
        chunks++;
        boolean keyframe = inspect(chunk);
        if (keyframe) {
            keyframeChunks++;
            clearGop();
            gopPsi = psi();
            gopValid = cacheMaxBytes > 0;
        }
        if (gopValid) {
            gop.add(chunk.retainedDuplicate());
            gopBytes += chunk.readableBytes();
            if (gopBytes > cacheMaxBytes) {
                clearGop();
            }
        }
        for (int i = 0; i < readers.size(); i++) {
            Attached a = readers.get(i);
            if (!a.started) {
                if (!keyframe) {
                    continue;
                }
                start(a, psi());
            }
            a.reader.accept(chunk.retainedDuplicate());
        }
        return true;
    }

    /** Under lock: marks a reader started, sending it PAT and PMT first when known. */
    private void start(Attached a, byte[] tables) {
        a.started = true;
        if (tables != null) {
            a.reader.accept(Unpooled.wrappedBuffer(tables));
        }
    }

    /** Under lock: @return PAT then PMT, or null while either is unknown */
    private byte[] psi() {
        if (pat == null || pmt == null) {
            return null;
        }
        byte[] both = new byte[2 * TsPackets.SIZE];
        System.arraycopy(pat, 0, both, 0, TsPackets.SIZE);
        System.arraycopy(pmt, 0, both, TsPackets.SIZE, TsPackets.SIZE);
        return both;
    }

    /** Under lock. */
    private void clearGop() {
        ByteBuf b;
        while ((b = gop.poll()) != null) {
            b.release();
        }
        gopBytes = 0;
        gopValid = false;
        gopPsi = null;
    }

    /**
     * Under lock: follows PAT and PMT and tells whether the chunk starts a keyframe.
     *
     * @return whether a reader may start with this chunk
     */
    private boolean inspect(ByteBuf chunk) {
        int n = chunk.readableBytes();
        if (n == 0 || n % TsPackets.SIZE != 0) {
            return false;
        }
        int base = chunk.readerIndex();
        boolean keyframe = false;
        for (int off = base; off < base + n; off += TsPackets.SIZE) {
            if (chunk.getUnsignedByte(off) != TsPackets.SYNC) {
                return false;
            }
            int b1 = chunk.getUnsignedByte(off + 1);
            boolean unitStart = (b1 & 0x40) != 0;
            int pid = (b1 & 0x1F) << 8 | chunk.getUnsignedByte(off + 2);
            int b3 = chunk.getUnsignedByte(off + 3);
            if ((b1 & 0x80) != 0 || !unitStart || (b3 & 0x10) == 0) {
                continue; // transport error, no unit start, or no payload
            }
            int payload = off + 4;
            boolean randomAccess = false;
            if ((b3 & 0x20) != 0) {
                int afLength = chunk.getUnsignedByte(payload);
                if (afLength > 0) {
                    randomAccess = (chunk.getUnsignedByte(payload + 1) & 0x40) != 0;
                }
                payload += 1 + afLength;
            }
            int end = off + TsPackets.SIZE;
            if (payload >= end) {
                continue;
            }
            if (pid == TsPackets.PAT_PID) {
                readPat(chunk, off, payload, end);
            } else if (pid == pmtPid) {
                readPmt(chunk, off, payload, end);
            } else if (pmtKnown && pid >= FIRST_ES_PID && pid != TsPackets.NULL_PID) {
                if (videoPid < 0 || pid == videoPid && (randomAccess || startsKeyframe(chunk, payload, end))) {
                    keyframe = true;
                }
            }
        }
        return keyframe && pat != null && pmt != null;
    }

    /** @return the section's start, after the pointer field, or -1 when it does not fit the packet */
    private static int sectionStart(ByteBuf chunk, int payload, int end) {
        int start = payload + 1 + chunk.getUnsignedByte(payload);
        if (start + 3 > end) {
            return -1;
        }
        int sectionLength = (chunk.getUnsignedByte(start + 1) & 0x0F) << 8 | chunk.getUnsignedByte(start + 2);
        return start + 3 + sectionLength <= end ? start : -1;
    }

    private void readPat(ByteBuf chunk, int off, int payload, int end) {
        int s = sectionStart(chunk, payload, end);
        if (s < 0 || chunk.getUnsignedByte(s) != TsPackets.TABLE_PAT) {
            return;
        }
        int sectionEnd = s + 3 + ((chunk.getUnsignedByte(s + 1) & 0x0F) << 8 | chunk.getUnsignedByte(s + 2)) - 4;
        for (int p = s + 8; p + 4 <= sectionEnd; p += 4) {
            int program = chunk.getUnsignedShort(p);
            if (program != 0) {
                int newPmtPid = chunk.getUnsignedShort(p + 2) & 0x1FFF;
                if (newPmtPid != pmtPid) {
                    pmtPid = newPmtPid;
                    pmt = null;
                    pmtKnown = false;
                    videoPid = -1;
                }
                pat = copy(chunk, off);
                return;
            }
        }
    }

    private void readPmt(ByteBuf chunk, int off, int payload, int end) {
        int s = sectionStart(chunk, payload, end);
        if (s < 0 || chunk.getUnsignedByte(s) != TsPackets.TABLE_PMT) {
            return;
        }
        int sectionEnd = s + 3 + ((chunk.getUnsignedByte(s + 1) & 0x0F) << 8 | chunk.getUnsignedByte(s + 2)) - 4;
        int infoLength = (chunk.getUnsignedByte(s + 10) & 0x0F) << 8 | chunk.getUnsignedByte(s + 11);
        int video = -1;
        boolean isHevc = false;
        for (int p = s + 12 + infoLength; p + 5 <= sectionEnd;) {
            int type = chunk.getUnsignedByte(p);
            int esPid = chunk.getUnsignedShort(p + 1) & 0x1FFF;
            int esInfo = chunk.getUnsignedShort(p + 3) & 0x0FFF;
            if (video < 0 && (type == TsPackets.STREAM_TYPE_H264 || type == TsPackets.STREAM_TYPE_H265)) {
                video = esPid;
                isHevc = type == TsPackets.STREAM_TYPE_H265;
            }
            p += 5 + esInfo;
        }
        videoPid = video;
        hevc = isHevc;
        pmt = copy(chunk, off);
        pmtKnown = true;
    }

    private static byte[] copy(ByteBuf chunk, int off) {
        byte[] packet = new byte[TsPackets.SIZE];
        chunk.getBytes(off, packet);
        return packet;
    }

    /**
     * @return whether the first TS packet of a video PES holds an H.264 SPS or IDR slice, or an
     *         H.265 VPS, SPS or IRAP picture
     */
    private boolean startsKeyframe(ByteBuf chunk, int payload, int end) {
        // PES header: start code prefix (3), stream id, length (2), flags (2), header length
        if (payload + 9 > end || chunk.getUnsignedMedium(payload) != 1) {
            return false;
        }
        int i = payload + 9 + chunk.getUnsignedByte(payload + 8);
        for (; i + 3 < end; i++) {
            if (chunk.getUnsignedByte(i) == 0 && chunk.getUnsignedByte(i + 1) == 0 && chunk.getUnsignedByte(i
                    + 2) == 1) {
                int header = chunk.getUnsignedByte(i + 3);
                if (hevc) {
                    int type = header >> 1 & 0x3F;
                    if (type >= 16 && type <= 21 || type == 32 || type == 33) {
                        return true;
                    }
                } else {
                    int type = header & 0x1F;
                    if (type == 5 || type == 7) {
                        return true;
                    }
                }
                i += 2;
            }
        }
        return false;
    }

    /** Releases the cache and drops every reader and the source; idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        source = null;
        resetSourceState();
        readers.clear();
    }

    @Override
    public String toString() {
        return "TsPassThrough[" + label + "]";
    }
}

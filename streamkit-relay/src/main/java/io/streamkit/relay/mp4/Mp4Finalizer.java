package io.streamkit.relay.mp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.api.CodecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a fragmented MP4 (as written by {@link FragmentedMp4Writer}) into a progressive MP4 with
 * the {@code moov} before the {@code mdat} ("fast start"), which every player can seek in without
 * reading the whole file.
 *
 * <p>The fragments' {@code moof}/{@code traf}/{@code trun} boxes (ISO/IEC 14496-12 8.8) are read
 * into sample tables ({@code stts}, {@code ctts}, {@code stss}, {@code stsz}, {@code stsc},
 * {@code stco} or {@code co64} when the file exceeds 4 GiB), each {@code trun} becoming one
 * chunk; the sample descriptions are copied from the input's {@code moov}. A track that starts
 * after the others gets an empty edit so the tracks stay in sync. Media data is copied chunk by
 * chunk with {@link FileChannel#transferTo} and never held in memory; only the {@code moov} and
 * one {@code moof} at a time are.
 *
 * <p>A truncated input (a recording whose process died) is finalized up to the last sample whose
 * bytes are complete.
 */
public final class Mp4Finalizer {
    private static final Logger log = LoggerFactory.getLogger(Mp4Finalizer.class);
    /** Largest {@code moov} or {@code moof} read into memory. */
    private static final long MAX_HEADER_BOX = 64L << 20;

    /**
     * What a finalization produced.
     *
     * @param tracks tracks written
     * @param samples samples written, all tracks together
     * @param truncated whether the input ended inside a box (samples after that point are lost)
     * @param bytes size of the output file
     */
    public record Summary(int tracks, long samples, boolean truncated, long bytes) {
    }

    private Mp4Finalizer() {
    }

    /**
     * Writes the progressive form of a fragmented MP4.
     *
     * @param fragmented the input, a fragmented MP4 file
     * @param progressive the output file, created or replaced; must differ from the input
     * @return what was written
     * @throws RecordingException when a file cannot be read or written
     * @throws CodecException when the input is not a well-formed fragmented MP4
     */
    public static Summary toProgressive(Path fragmented, Path progressive) {
        Objects.requireNonNull(fragmented, "fragmented");
        Objects.requireNonNull(progressive, "progressive");
        try (FileChannel in = FileChannel.open(fragmented, StandardOpenOption.READ)) {
            Input input;
            try {
                input = read(in);
            } catch (CodecException e) {
                throw new CodecException(fragmented + ": " + e.getMessage(), e);
            }
            try (FileChannel out = FileChannel.open(progressive, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                long bytes = write(input, in, out);
                out.force(true);
                long samples = 0;
                for (TrackData t : input.tracks) {
                    samples += t.count;
                }
                log.debug("finalized {} into {}: {} tracks, {} samples, {} bytes", fragmented, progressive,
                        input.tracks.size(), samples, bytes);
                return new Summary(input.tracks.size(), samples, input.truncated, bytes);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new RecordingException("cannot finalize MP4 " + fragmented + " into " + progressive + ": " + e, e);
        }
    }

    // ---------------------------------------------------------------- reading

    private static final class Input {
        final List<TrackData> tracks = new ArrayList<>();
        final List<Chunk> chunks = new ArrayList<>();
        boolean truncated;
    }

    private static final class TrackData {
        final int id;
        final int timescale;
        final boolean audio;
        final int width;
        final int height;
        final byte[] stsd;
        final int[] trex = new int[3]; // default duration, size, flags
        long[] offsets = new long[64];
        int[] sizes = new int[64];
        long[] durations = new long[64];
        int[] ctos = new int[64];
        boolean[] sync = new boolean[64];
        int count;
        long nextDts;
        long firstDts = -1;
        boolean ended; // data was missing; later samples are dropped to keep the timeline
        final List<Chunk> chunks = new ArrayList<>();

        TrackData(int id, int timescale, boolean audio, int width, int height, byte[] stsd) {
            this.id = id;
            this.timescale = timescale;
            this.audio = audio;
            this.width = width;
            this.height = height;
            this.stsd = stsd;
        }

        void add(long offset, int size, long duration, int cto, boolean isSync) {
            if (count == offsets.length) {
                int n = count * 2;
                offsets = Arrays.copyOf(offsets, n);
                sizes = Arrays.copyOf(sizes, n);
                durations = Arrays.copyOf(durations, n);
                ctos = Arrays.copyOf(ctos, n);
                sync = Arrays.copyOf(sync, n);
            }
            offsets[count] = offset;
            sizes[count] = size;
            durations[count] = duration;
            ctos[count] = cto;
            sync[count] = isSync;
            count++;
        }

        long mediaDuration() {
            long d = 0;
            for (int i = 0; i < count; i++) {
                d += durations[i];
            }
            return d;
        }
    }

    /** One {@code trun}'s complete samples: contiguous bytes of one track. */
    private static final class Chunk {
        final TrackData track;
        final long sourceOffset;
        long length;
        int samples;
        long targetOffset; // from the start of the mdat data

        Chunk(TrackData track, long sourceOffset) {
            this.track = track;
            this.sourceOffset = sourceOffset;
        }
    }

    private static Input read(FileChannel in) throws IOException {
        long fileSize = in.size();
        List<Mp4BoxReader.Header> top = Mp4BoxReader.topLevel(in);
        Input input = new Input();
        long covered = top.isEmpty() ? 0 : top.get(top.size() - 1).end();
        input.truncated = covered < fileSize;
        Map<Integer, TrackData> byId = new LinkedHashMap<>();
        for (Mp4BoxReader.Header h : top) {
            if (h.type().equals("moov")) {
                if (!byId.isEmpty()) {
                    throw new CodecException("a second 'moov' at offset " + h.offset());
                }
                readMoov(load(in, h), in, h, byId);
            } else if (h.type().equals("moof")) {
                if (byId.isEmpty()) {
                    throw new CodecException("'moof' at offset " + h.offset() + " before any 'moov'");
                }
                readMoof(load(in, h), byId, input, fileSize);
            }
        }
        if (byId.isEmpty()) {
            throw new CodecException("no 'moov' box in the file");
        }
        // a truncated last moof: its samples are lost
        if (input.truncated) {
            log.debug("fragmented MP4 ends inside a box at offset {} of {}", covered, fileSize);
        }
        input.tracks.addAll(byId.values());
        return input;
    }

    private static Mp4Box load(FileChannel in, Mp4BoxReader.Header h) throws IOException {
        if (h.size() > MAX_HEADER_BOX) {
            throw new CodecException("'" + h.type() + "' at offset " + h.offset() + " of " + h.size()
                    + " bytes exceeds the " + MAX_HEADER_BOX + "-byte limit");
        }
        ByteBuffer b = ByteBuffer.allocate((int) h.size());
        while (b.hasRemaining()) {
            if (in.read(b, h.offset() + b.position()) < 0) {
                throw new CodecException("'" + h.type() + "' at offset " + h.offset() + " is truncated");
            }
        }
        b.flip();
        return Mp4BoxReader.parseOne(Unpooled.wrappedBuffer(b), h.offset());
    }

    private static void readMoov(Mp4Box moov, FileChannel in, Mp4BoxReader.Header h, Map<Integer, TrackData> byId)
            throws IOException {
        for (Mp4Box trak : moov.children("trak")) {
            Fields tkhd = new Fields(trak.find("tkhd"));
            int version = tkhd.u8();
            tkhd.skip(3 + (version == 1 ? 16 : 8));
            int id = (int) tkhd.u32();
            tkhd.skip((version == 1 ? 12 : 8) + 8 + 8 + 36);
            int width = (int) (tkhd.u32() >>> 16);
            int height = (int) (tkhd.u32() >>> 16);
            Fields mdhd = new Fields(trak.find("mdia/mdhd"));
            int mdhdVersion = mdhd.u8();
            mdhd.skip(3 + (mdhdVersion == 1 ? 16 : 8));
            long timescale = mdhd.u32();
            if (timescale == 0 || timescale > Integer.MAX_VALUE) {
                throw new CodecException("track " + id + " has an mdhd timescale of " + timescale);
            }
            Fields hdlr = new Fields(trak.find("mdia/hdlr"));
            hdlr.skip(8);
            String handler = hdlr.fourCc();
            if (!handler.equals("vide") && !handler.equals("soun")) {
                log.debug("fragmented MP4: skipping track {} with handler '{}'", id, handler);
                continue;
            }
            Mp4Box stsdBox = trak.find("mdia/minf/stbl/stsd");
            if (stsdBox.size() > MAX_HEADER_BOX) {
                throw new CodecException("stsd of track " + id + " is too large");
            }
            ByteBuffer stsd = ByteBuffer.allocate((int) stsdBox.size());
            while (stsd.hasRemaining()) {
                if (in.read(stsd, stsdBox.offset() + stsd.position()) < 0) {
                    throw new CodecException("stsd of track " + id + " is truncated");
                }
            }
            if (byId.containsKey(id)) {
                throw new CodecException("track id " + id + " appears twice in the moov at offset " + h.offset());
            }
            byId.put(id, new TrackData(id, (int) timescale, handler.equals("soun"), width, height, stsd.array()));
        }
        if (moov.has("mvex")) {
            for (Mp4Box trex : moov.find("mvex").children("trex")) {
                Fields f = new Fields(trex);
                f.skip(4);
                TrackData t = byId.get((int) f.u32());
                f.skip(4);
                if (t != null) {
                    t.trex[0] = (int) f.u32();
                    t.trex[1] = (int) f.u32();
                    t.trex[2] = (int) f.u32();
                }
            }
        }
    }

    private static void readMoof(Mp4Box moof, Map<Integer, TrackData> byId, Input input, long fileSize) {
        long previousEnd = moof.offset();
        for (Mp4Box traf : moof.children("traf")) {
            Fields tfhd = new Fields(traf.find("tfhd"));
            tfhd.skip(1);
            int flags = tfhd.u24();
            int id = (int) tfhd.u32();
            TrackData t = byId.get(id);
            long base = (flags & 0x000001) != 0
                    ? tfhd.u64()
                    : (flags & FragmentedMp4Muxer.TFHD_DEFAULT_BASE_IS_MOOF) != 0 ? moof.offset() : previousEnd;
            if ((flags & 0x000002) != 0) {
                tfhd.u32(); // sample_description_index: one sample entry per track is supported
            }
            long defaultDuration = (flags & 0x000008) != 0 ? tfhd.u32() : t == null ? 0 : t.trex[0] & 0xFFFFFFFFL;
            long defaultSize = (flags & 0x000010) != 0 ? tfhd.u32() : t == null ? 0 : t.trex[1] & 0xFFFFFFFFL;
            int defaultFlags = (flags & 0x000020) != 0 ? (int) tfhd.u32() : t == null ? 0 : t.trex[2];
            if (t == null) {
                continue; // a track skipped in the moov, or unknown
            }
            if (traf.has("tfdt")) {
                Fields tfdt = new Fields(traf.find("tfdt"));
                int v = tfdt.u8();
                tfdt.skip(3);
                long dts = v == 1 ? tfdt.u64() : tfdt.u32();
                if (t.firstDts < 0) {
                    t.firstDts = dts;
                } else if (dts != t.nextDts) {
                    // the timeline in a progressive file is the sum of durations: stretch the last
                    // sample over a gap, or shorten it into an overlap
                    if (t.count > 0) {
                        long fixed = t.durations[t.count - 1] + dts - t.nextDts;
                        t.durations[t.count - 1] = Math.max(0, fixed);
                    }
                }
                t.nextDts = dts;
            } else if (t.firstDts < 0) {
                t.firstDts = 0;
            }
            long dataPos = base;
            for (Mp4Box trun : traf.children("trun")) {
                Fields f = new Fields(trun);
                int version = f.u8();
                int trunFlags = f.u24();
                long sampleCount = f.u32();
                if ((trunFlags & 0x000001) != 0) {
                    dataPos = base + f.s32();
                }
                int firstFlags = (trunFlags & 0x000004) != 0 ? (int) f.u32() : defaultFlags;
                int perSample = Integer.bitCount(trunFlags & 0xF00) * 4;
                if (sampleCount * perSample > f.remaining()) {
                    throw new CodecException("trun at offset " + trun.offset() + " declares " + sampleCount
                            + " samples but holds " + f.remaining() + " bytes of sample fields");
                }
                if (perSample == 0 && sampleCount > 1_000_000) {
                    throw new CodecException("trun at offset " + trun.offset() + " declares " + sampleCount
                            + " samples without per-sample fields");
                }
                Chunk chunk = new Chunk(t, dataPos);
                for (long i = 0; i < sampleCount; i++) {
                    long duration = (trunFlags & 0x100) != 0 ? f.u32() : defaultDuration;
                    long size = (trunFlags & 0x200) != 0 ? f.u32() : defaultSize;
                    int sampleFlags = (trunFlags & 0x400) != 0 ? (int) f.u32() : i == 0 ? firstFlags : defaultFlags;
                    long cto = (trunFlags & 0x800) != 0 ? (version == 0 ? f.u32() : f.s32()) : 0;
                    if (size > Integer.MAX_VALUE || dataPos < 0 || dataPos + size > fileSize) {
                        t.ended = true;
                    }
                    if (!t.ended) {
                        t.add(dataPos, (int) size, duration, (int) Math.max(Integer.MIN_VALUE, Math.min(
                                Integer.MAX_VALUE, cto)), (sampleFlags & 0x00010000) == 0);
                        chunk.samples++;
                        chunk.length += size;
                    }
                    dataPos += size;
                    t.nextDts += duration;
                }
                if (chunk.samples > 0) {
                    t.chunks.add(chunk);
                    input.chunks.add(chunk);
                }
            }
            previousEnd = dataPos;
        }
    }

    // ---------------------------------------------------------------- writing

    private static long write(Input input, FileChannel in, FileChannel out) throws IOException {
        List<Chunk> order = new ArrayList<>(input.chunks);
        order.sort(Comparator.comparingLong(c -> c.sourceOffset));
        long dataSize = 0;
        for (Chunk c : order) {
            c.targetOffset = dataSize;
            dataSize += c.length;
        }
        ByteBuf ftyp = Unpooled.buffer(32);
        ByteBuf moov = null;
        try {
            Mp4BoxWriter fw = new Mp4BoxWriter(ftyp);
            fw.start("ftyp").fourCc("isom").u32(0x200);
            for (String brand : new String[]{"isom", "iso2", "avc1", "mp41"}) {
                fw.fourCc(brand);
            }
            fw.end();
            moov = moov(input, 0, false);
            boolean co64 = ftyp.readableBytes() + (long) moov.readableBytes() + 16 + dataSize > 0xFFFFFFFFL;
            int mdatHeader = 8 + dataSize > 0xFFFFFFFFL - 8 ? 16 : 8;
            if (co64) {
                moov.release();
                moov = null;
                moov = moov(input, 0, true);
            }
            long dataStart = ftyp.readableBytes() + (long) moov.readableBytes() + mdatHeader;
            moov.release();
            moov = null;
            moov = moov(input, dataStart, co64);
            ByteBuf mdat = Unpooled.buffer(16);
            if (mdatHeader == 16) {
                mdat.writeInt(1).writeInt(0x6d646174).writeLong(16 + dataSize);
            } else {
                mdat.writeInt((int) (8 + dataSize)).writeInt(0x6d646174);
            }
            long position = 0;
            position += writeFully(out, position, ftyp);
            position += writeFully(out, position, moov);
            position += writeFully(out, position, mdat);
            mdat.release();
            // copy the chunks, coalescing neighbours
            int i = 0;
            while (i < order.size()) {
                long from = order.get(i).sourceOffset;
                long length = order.get(i).length;
                int j = i + 1;
                while (j < order.size() && order.get(j).sourceOffset == from + length) {
                    length += order.get(j).length;
                    j++;
                }
                long done = 0;
                while (done < length) {
                    long n = in.transferTo(from + done, length - done, out.position(position + done));
                    if (n <= 0) {
                        throw new IOException("input ended while copying media data at offset " + (from + done));
                    }
                    done += n;
                }
                position += length;
                i = j;
            }
            return position;
        } finally {
            ftyp.release();
            if (moov != null) {
                moov.release();
            }
        }
    }

    private static long writeFully(FileChannel out, long position, ByteBuf buf) throws IOException {
        ByteBuffer b = buf.nioBuffer();
        long written = 0;
        while (b.hasRemaining()) {
            written += out.write(b, position + written);
        }
        return written;
    }

    private static ByteBuf moov(Input input, long dataStart, boolean co64) {
        ByteBuf buf = Unpooled.buffer(4096);
        try {
            Mp4BoxWriter w = new Mp4BoxWriter(buf);
            long movieStart = Long.MAX_VALUE;
            for (TrackData t : input.tracks) {
                if (t.count > 0) {
                    movieStart = Math.min(movieStart, seconds(t.firstDts, t.timescale));
                }
            }
            long movieDuration = 0;
            int nextId = 1;
            Map<TrackData, long[]> timing = new HashMap<>();
            for (TrackData t : input.tracks) {
                long delay = t.count == 0 ? 0 : Math.max(0, seconds(t.firstDts, t.timescale) - movieStart) / 1000;
                long duration = scale(t.mediaDuration(), t.timescale);
                timing.put(t, new long[]{delay, duration});
                movieDuration = Math.max(movieDuration, delay + duration);
                nextId = Math.max(nextId, t.id + 1);
            }
            w.start("moov");
            Mp4Boxes.mvhd(w, movieDuration, nextId);
            for (TrackData t : input.tracks) {
                long delay = timing.get(t)[0];
                long duration = timing.get(t)[1];
                w.start("trak");
                Mp4Boxes.tkhd(w, t.id, delay + duration, t.audio, t.width, t.height);
                if (delay > 0) {
                    w.start("edts").startFull("elst", 0, 0).u32(2);
                    w.u32(delay).u32(0xFFFFFFFFL).u32(0x00010000); // empty edit
                    w.u32(duration).u32(0).u32(0x00010000);
                    w.end().end();
                }
                w.start("mdia");
                Mp4Boxes.mdhd(w, t.timescale, t.mediaDuration());
                Mp4Boxes.hdlr(w, t.audio);
                w.start("minf");
                Mp4Boxes.mediaHeaderAndDinf(w, t.audio);
                w.start("stbl");
                w.bytes(t.stsd);
                sampleTables(w, t, dataStart, co64);
                w.end().end().end().end(); // stbl, minf, mdia, trak
            }
            w.end();
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /** Microseconds of a media time, to compare tracks; divided by 1000 it is in movie units. */
    private static long seconds(long ticks, int timescale) {
        return Math.floorDiv(ticks, timescale) * 1_000_000L + Math.floorMod(ticks, timescale) * 1_000_000L / timescale;
    }

    /** A media time in movie timescale units. */
    private static long scale(long ticks, int timescale) {
        return Math.floorDiv(ticks, timescale) * Mp4Boxes.MOVIE_TIMESCALE + Math.floorMod(ticks, timescale)
                * (long) Mp4Boxes.MOVIE_TIMESCALE / timescale;
    }

    private static void sampleTables(Mp4BoxWriter w, TrackData t, long dataStart, boolean co64) {
        int n = t.count;
        // stts
        w.startFull("stts", 0, 0);
        int countPos = w.position();
        w.u32(0);
        int entries = 0;
        for (int i = 0; i < n;) {
            int j = i + 1;
            while (j < n && t.durations[j] == t.durations[i]) {
                j++;
            }
            w.u32(j - i).u32(t.durations[i]);
            entries++;
            i = j;
        }
        w.patchU32(countPos, entries).end();
        // ctts
        boolean anyCto = false;
        boolean negative = false;
        for (int i = 0; i < n; i++) {
            anyCto |= t.ctos[i] != 0;
            negative |= t.ctos[i] < 0;
        }
        if (anyCto) {
            w.startFull("ctts", negative ? 1 : 0, 0);
            countPos = w.position();
            w.u32(0);
            entries = 0;
            for (int i = 0; i < n;) {
                int j = i + 1;
                while (j < n && t.ctos[j] == t.ctos[i]) {
                    j++;
                }
                w.u32(j - i).u32(t.ctos[i]);
                entries++;
                i = j;
            }
            w.patchU32(countPos, entries).end();
        }
        // stss
        int syncCount = 0;
        for (int i = 0; i < n; i++) {
            syncCount += t.sync[i] ? 1 : 0;
        }
        if (syncCount < n) {
            w.startFull("stss", 0, 0).u32(syncCount);
            for (int i = 0; i < n; i++) {
                if (t.sync[i]) {
                    w.u32(i + 1);
                }
            }
            w.end();
        }
        // stsz
        boolean constant = n > 0;
        for (int i = 1; i < n && constant; i++) {
            constant = t.sizes[i] == t.sizes[0];
        }
        w.startFull("stsz", 0, 0);
        if (constant) {
            w.u32(t.sizes[0]).u32(n);
        } else {
            w.u32(0).u32(n);
            for (int i = 0; i < n; i++) {
                w.u32(t.sizes[i]);
            }
        }
        w.end();
        // stsc
        w.startFull("stsc", 0, 0);
        countPos = w.position();
        w.u32(0);
        entries = 0;
        int previous = -1;
        for (int c = 0; c < t.chunks.size(); c++) {
            int samples = t.chunks.get(c).samples;
            if (samples != previous) {
                w.u32(c + 1).u32(samples).u32(1);
                entries++;
                previous = samples;
            }
        }
        w.patchU32(countPos, entries).end();
        // stco / co64
        w.startFull(co64 ? "co64" : "stco", 0, 0).u32(t.chunks.size());
        for (Chunk c : t.chunks) {
            if (co64) {
                w.u64(dataStart + c.targetOffset);
            } else {
                w.u32(dataStart + c.targetOffset);
            }
        }
        w.end();
    }

    /** Bounds-checked big-endian reads of a box payload; overruns are {@link CodecException}s. */
    private static final class Fields {
        private final Mp4Box box;
        private final ByteBuffer b;

        Fields(Mp4Box box) {
            this.box = box;
            this.b = box.payload();
        }

        private void need(int n) {
            if (b.remaining() < n) {
                throw new CodecException("box '" + box.type() + "' at offset " + box.offset() + " of "
                        + box.size() + " bytes is too short for its fields");
            }
        }

        int remaining() {
            return b.remaining();
        }

        void skip(int n) {
            need(n);
            b.position(b.position() + n);
        }

        int u8() {
            need(1);
            return b.get() & 0xFF;
        }

        int u24() {
            need(3);
            return ((b.get() & 0xFF) << 16) | ((b.get() & 0xFF) << 8) | (b.get() & 0xFF);
        }

        long u32() {
            need(4);
            return b.getInt() & 0xFFFFFFFFL;
        }

        int s32() {
            need(4);
            return b.getInt();
        }

        long u64() {
            need(8);
            return b.getLong();
        }

        String fourCc() {
            need(4);
            byte[] t = new byte[4];
            b.get(t);
            return new String(t, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}

package io.streamkit.relay.record;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.api.Codec;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.mp4.RecordingException;
import io.streamkit.relay.ts.TsMuxer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records {@link MediaPacket}s into an MPEG-TS file with {@link TsMuxer}, GOP by GOP.
 *
 * <p>The file starts with PAT and PMT (the muxer repeats them before every video keyframe and at
 * least every 100 ms). Packets of a file with video are dropped until the first video keyframe;
 * that packet's decode time is time zero of every track, so the file's timestamps start at zero
 * like those of an MP4 recording. Packets that would fall before zero or whose decode time goes
 * backwards within their track are dropped and counted, as are packets of tracks MPEG-TS cannot
 * carry (anything but H.264, H.265, AAC, MP3 and Opus).
 *
 * <p>The muxed bytes are kept in memory and written with one gathering write just before each
 * video keyframe, so that the file on disk always ends after a whole GOP (audio-only files every
 * second); a GOP longer than {@value #MAX_PENDING_SECONDS} s or larger than
 * {@value #MAX_PENDING_BYTES} bytes is written early, at a packet boundary. A process that dies
 * loses at most the GOP being buffered, and transport streams need no index: the file written so
 * far plays as it is.
 *
 * <p>Not thread-safe: called from one recording thread. {@link #write} blocks on file I/O.
 */
final class TsFileWriter implements RecordingFileWriter {
    private static final Logger log = LoggerFactory.getLogger(TsFileWriter.class);
    /** Codecs the MPEG-TS muxer writes. */
    static final Set<Codec> CODECS = EnumSet.of(Codec.H264, Codec.H265, Codec.AAC, Codec.MP3, Codec.OPUS);
    static final int MAX_PENDING_BYTES = 8 << 20;
    static final int MAX_PENDING_SECONDS = 10;
    private static final long AUDIO_FLUSH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path path;
    private final FileChannel channel;
    private final TsMuxer muxer;
    private final boolean hasVideo;
    private final Set<Integer> trackIds;
    private final List<ByteBuf> pending = new ArrayList<>();
    private final Map<Integer, Long> lastDts = new HashMap<>();
    private long pendingBytes;
    private long pendingStartNanos;
    private boolean started;
    private long zeroDts;
    private int zeroTimescale;
    private long samples;
    private long dropped;
    private long bytesWritten;
    private boolean failed;
    private boolean closed;

    private TsFileWriter(Path path, FileChannel channel, List<TrackInfo> tracks, ByteBufAllocator alloc) {
        this.path = path;
        this.channel = channel;
        this.hasVideo = tracks.stream().anyMatch(t -> t.mediaType() == MediaType.VIDEO);
        this.trackIds = Set.copyOf(tracks.stream().map(TrackInfo::id).toList());
        this.muxer = new TsMuxer(alloc, tracks, this::buffer);
    }

    /**
     * Creates (or truncates) a file for the tracks MPEG-TS can carry.
     *
     * @param path the file
     * @param tracks the stream's tracks; those of other codecs are left out
     * @return the writer
     * @throws RecordingException when no track can be carried or the file cannot be created
     */
    static TsFileWriter open(Path path, List<TrackInfo> tracks) {
        return open(path, tracks, ByteBufAllocator.DEFAULT);
    }

    /**
     * @param path the file
     * @param tracks the stream's tracks; those of other codecs are left out
     * @param alloc allocates the muxed packets
     * @return the writer
     * @throws RecordingException when no track can be carried or the file cannot be created
     */
    static TsFileWriter open(Path path, List<TrackInfo> tracks, ByteBufAllocator alloc) {
        Objects.requireNonNull(path, "path");
        List<TrackInfo> kept = tracks.stream().filter(t -> CODECS.contains(t.codec())).toList();
        if (kept.isEmpty()) {
            throw new RecordingException("cannot record " + path + " as MPEG-TS: no track is H.264, H.265, AAC, "
                    + "MP3 or Opus (tracks: " + tracks.stream().map(t -> t.codec().toString()).toList() + ")");
        }
        if (kept.size() < tracks.size()) {
            log.info("MPEG-TS recording {} leaves out tracks of codecs it cannot carry: {}", path, tracks.stream()
                    .filter(t -> !CODECS.contains(t.codec())).map(t -> t.id() + " " + t.codec()).toList());
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            throw new RecordingException("cannot create MPEG-TS recording " + path + ": " + e, e);
        }
        return new TsFileWriter(path, channel, kept, alloc);
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public long samples() {
        return samples;
    }

    /** @return packets left out: before the first keyframe or time zero, backwards, unsupported, malformed */
    long droppedPackets() {
        return dropped + muxer.droppedPackets();
    }

    /** @return bytes on disk so far */
    long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public void write(MediaPacket packet) {
        if (closed) {
            throw new RecordingException("MPEG-TS recording " + path + " is closed");
        }
        if (failed) {
            throw new RecordingException("MPEG-TS recording " + path + " failed earlier and accepts no more packets");
        }
        if (!trackIds.contains(packet.trackId())) {
            dropped++;
            return;
        }
        boolean video = packet.mediaType() == MediaType.VIDEO;
        if (!started) {
            if (hasVideo && !(video && packet.isKeyframe())) {
                dropped++;
                return;
            }
            started = true;
            zeroDts = packet.dts();
            zeroTimescale = packet.timescale();
        }
        long zero = zeroDts;
        if (packet.timescale() != zeroTimescale) {
            zero = MediaPacket.rescale(zeroDts, zeroTimescale, packet.timescale());
        }
        long dts = packet.dts() - zero;
        Long last = lastDts.get(packet.trackId());
        if (dts < 0 || last != null && dts < last) {
            dropped++;
            log.debug("MPEG-TS recording {}: dropped a packet of track {} at dts {} (before zero or {})", path,
                    packet.trackId(), dts, last);
            return;
        }
        long nanos = packet.dtsNanos();
        if (!pending.isEmpty()) {
            long span = nanos - pendingStartNanos;
            boolean gopEnds = hasVideo ? video && packet.isKeyframe() : span >= AUDIO_FLUSH_NANOS;
            if (gopEnds || span >= TimeUnit.SECONDS.toNanos(MAX_PENDING_SECONDS)
                    || pendingBytes >= MAX_PENDING_BYTES) {
                flush();
            }
        }
        if (pending.isEmpty()) {
            pendingStartNanos = nanos;
        }
        long muxerDrops = muxer.droppedPackets();
        MediaPacket shifted = packet.retain().withTimestamps(dts, packet.pts() - zero);
        try {
            muxer.write(shifted);
        } finally {
            shifted.release();
        }
        if (muxer.droppedPackets() == muxerDrops) {
            lastDts.put(packet.trackId(), dts);
            samples++;
        }
    }

    private void buffer(ByteBuf chunk) {
        if (closed || failed) {
            chunk.release();
            return;
        }
        pending.add(chunk);
        pendingBytes += chunk.readableBytes();
    }

    /**
     * Writes the buffered bytes now.
     *
     * @throws RecordingException when writing fails or failed earlier
     */
    void flush() {
        if (failed) {
            throw new RecordingException("MPEG-TS recording " + path + " failed earlier");
        }
        if (pending.isEmpty()) {
            return;
        }
        List<ByteBuffer> parts = new ArrayList<>(pending.size());
        for (ByteBuf b : pending) {
            if (b.nioBufferCount() == 1) {
                parts.add(b.nioBuffer());
            } else {
                parts.addAll(List.of(b.nioBuffers()));
            }
        }
        ByteBuffer[] array = parts.toArray(new ByteBuffer[0]);
        long total = pendingBytes;
        try {
            long written = 0;
            while (written < total) {
                written += channel.write(array);
            }
            bytesWritten += total;
        } catch (IOException e) {
            failed = true;
            throw new RecordingException("cannot write to MPEG-TS recording " + path + ": " + e, e);
        } finally {
            for (ByteBuf b : pending) {
                b.release();
            }
            pending.clear();
            pendingBytes = 0;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        RecordingException failure = null;
        try {
            if (!failed) {
                flush();
            }
        } catch (RecordingException e) {
            failure = e;
        } finally {
            closed = true;
            for (ByteBuf b : pending) {
                b.release();
            }
            pending.clear();
            try {
                channel.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = new RecordingException("cannot close MPEG-TS recording " + path + ": " + e, e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        log.debug("MPEG-TS recording {} closed: {} packets, {} bytes, {} dropped", path, samples, bytesWritten,
                droppedPackets());
    }
}

package io.streamkit.relay.mp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.api.AsyncCloseable;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.TrackInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records {@link MediaPacket}s into a fragmented MP4 file that stays playable while it grows: the
 * initialization segment is written on {@link #open}, then one fragment each time a video
 * keyframe arrives (for audio-only files every {@link Config#fragmentDuration()}, 1 s by
 * default) and on {@link #close()}. A process that dies loses at most the fragment being
 * buffered; the file written so far plays with {@code ffmpeg}, browsers and
 * {@link Mp4Finalizer}. (Each fragment is written as a {@code free} box and only labelled
 * {@code moof} once complete: ffmpeg rejects a whole file whose last {@code moof} is truncated,
 * but skips a truncated {@code free} box.)
 *
 * <p>Packets are lent to {@link #write(MediaPacket)}: the writer retains those it buffers and
 * releases them once their fragment is written. Packets of a file with video are dropped until
 * the first video keyframe, as are packets whose decode time goes backwards within their track
 * ({@link #droppedPackets()}).
 *
 * <p>Failures to write throw {@link RecordingException} naming the file; afterwards the writer
 * only accepts {@link #close()}. Thread-safe; {@link #write} blocks on file I/O, so call it off
 * event loops.
 */
public final class FragmentedMp4Writer implements AsyncCloseable {
    private static final Logger log = LoggerFactory.getLogger(FragmentedMp4Writer.class);

    /**
     * How a {@link FragmentedMp4Writer} cuts and stores fragments.
     *
     * @param fragmentDuration fragment length of audio-only files (files with video cut at video
     *        keyframes)
     * @param maxFragmentDuration a fragment is cut at the latest after this long, keyframe or not
     * @param fsync whether each fragment is forced to the storage device before the next
     * @param allocator allocates the fragment headers
     */
    public record Config(Duration fragmentDuration, Duration maxFragmentDuration, boolean fsync,
            ByteBufAllocator allocator) {
        /** Validates the durations. */
        public Config {
            Objects.requireNonNull(fragmentDuration, "fragmentDuration");
            Objects.requireNonNull(maxFragmentDuration, "maxFragmentDuration");
            Objects.requireNonNull(allocator, "allocator");
            if (fragmentDuration.isNegative() || fragmentDuration.isZero()) {
                throw new IllegalArgumentException("fragmentDuration must be > 0, was " + fragmentDuration);
            }
            if (maxFragmentDuration.compareTo(fragmentDuration) < 0) {
                throw new IllegalArgumentException("maxFragmentDuration " + maxFragmentDuration
                        + " is shorter than fragmentDuration " + fragmentDuration);
            }
        }

        /** @return 1 s audio fragments, at most 10 s per fragment, no fsync, the default allocator */
        public static Config defaults() {
            return new Config(Duration.ofSeconds(1), Duration.ofSeconds(10), false, ByteBufAllocator.DEFAULT);
        }

        /** @param value the audio-only fragment length @return a copy with it */
        public Config withFragmentDuration(Duration value) {
            return new Config(value, maxFragmentDuration.compareTo(value) < 0 ? value : maxFragmentDuration, fsync,
                    allocator);
        }

        /** @param value the longest fragment @return a copy with it */
        public Config withMaxFragmentDuration(Duration value) {
            return new Config(fragmentDuration, value, fsync, allocator);
        }

        /** @param value whether to fsync each fragment @return a copy with it */
        public Config withFsync(boolean value) {
            return new Config(fragmentDuration, maxFragmentDuration, value, allocator);
        }

        /** @param value the header allocator @return a copy with it */
        public Config withAllocator(ByteBufAllocator value) {
            return new Config(fragmentDuration, maxFragmentDuration, fsync, value);
        }
    }

    private static final int FREE = 0x66726565; // 'free'
    private static final int MOOF = 0x6d6f6f66; // 'moof'

    private final Path path;
    private final Config config;
    private final FragmentedMp4Muxer muxer;
    private final FileChannel channel;
    private final boolean hasVideo;
    private final List<MediaPacket> buffered = new ArrayList<>();
    private final Map<Integer, Long> lastDts = new HashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private boolean closing;
    private boolean failed;
    private boolean started;
    private boolean bufferHasVideo;
    private long bufferStartNanos;
    private int sequence;
    private long droppedPackets;
    private long samples;
    private long bytesWritten;

    private FragmentedMp4Writer(Path path, List<TrackInfo> tracks, Config config, FileChannel channel) {
        this.path = path;
        this.config = config;
        this.channel = channel;
        this.muxer = new FragmentedMp4Muxer(tracks);
        this.hasVideo = tracks.stream().anyMatch(t -> t.mediaType() == MediaType.VIDEO);
    }

    /**
     * Creates (or truncates) a file and writes the initialization segment with default settings.
     *
     * @param path the file
     * @param tracks the tracks, each with its codec configuration
     * @return the writer
     * @throws RecordingException when the file cannot be created or written
     * @throws io.streamkit.api.CodecException when a track cannot be stored in MP4
     */
    public static FragmentedMp4Writer open(Path path, List<TrackInfo> tracks) {
        return open(path, tracks, Config.defaults());
    }

    /**
     * Creates (or truncates) a file and writes the initialization segment.
     *
     * @param path the file
     * @param tracks the tracks, each with its codec configuration
     * @param config how to cut and store fragments
     * @return the writer
     * @throws RecordingException when the file cannot be created or written
     * @throws io.streamkit.api.CodecException when a track cannot be stored in MP4
     */
    public static FragmentedMp4Writer open(Path path, List<TrackInfo> tracks, Config config) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(config, "config");
        FragmentedMp4Muxer probe = new FragmentedMp4Muxer(tracks); // validates before creating the file
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            throw new RecordingException("cannot create MP4 recording " + path + ": " + e, e);
        }
        FragmentedMp4Writer writer = new FragmentedMp4Writer(path, probe.tracks(), config, channel);
        try {
            writer.writeOut(writer.muxer.initSegment(config.allocator()), "the initialization segment", false);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        return writer;
    }

    /** @return the file being written */
    public Path path() {
        return path;
    }

    /**
     * Adds a packet; may write the fragment buffered so far first.
     *
     * @param packet a packet of one of the tracks; lent: retained if buffered
     * @throws RecordingException when writing a fragment fails or the writer is closed or failed
     * @throws IllegalArgumentException when the packet's track is not one of the file's
     */
    public synchronized void write(MediaPacket packet) {
        if (closing) {
            throw new RecordingException("MP4 recording " + path + " is closed");
        }
        if (failed) {
            throw new RecordingException("MP4 recording " + path + " failed earlier and accepts no more packets");
        }
        muxer.mp4TrackId(packet.trackId()); // rejects unknown tracks
        boolean video = packet.mediaType() == MediaType.VIDEO;
        if (!started) {
            if (hasVideo && !(video && packet.isKeyframe())) {
                droppedPackets++;
                return;
            }
            started = true;
        }
        Long last = lastDts.get(packet.trackId());
        if (last != null && packet.dts() < last) {
            droppedPackets++;
            log.debug("MP4 recording {}: dropped a packet of track {} whose dts {} precedes {}", path, packet
                    .trackId(), packet.dts(), last);
            return;
        }
        long nanos = packet.dtsNanos();
        if (!buffered.isEmpty()) {
            long span = nanos - bufferStartNanos;
            boolean cut = hasVideo
                    ? video && packet.isKeyframe() && bufferHasVideo
                    : span >= config.fragmentDuration().toNanos();
            if (cut || span >= config.maxFragmentDuration().toNanos()) {
                writeFragment();
            }
        }
        if (buffered.isEmpty()) {
            bufferStartNanos = nanos;
            bufferHasVideo = false;
        }
        buffered.add(packet.retain());
        bufferHasVideo |= video;
        lastDts.put(packet.trackId(), packet.dts());
    }

    /**
     * Writes the packets buffered so far as a fragment now.
     *
     * @throws RecordingException when writing fails or the writer failed earlier
     */
    public synchronized void flush() {
        if (failed) {
            throw new RecordingException("MP4 recording " + path + " failed earlier");
        }
        if (!buffered.isEmpty()) {
            writeFragment();
        }
    }

    /** @return packets dropped (before the first keyframe, or going backwards in time) */
    public synchronized long droppedPackets() {
        return droppedPackets;
    }

    /** @return samples written to the file so far (not counting buffered ones) */
    public synchronized long samples() {
        return samples;
    }

    /** @return fragments written so far */
    public synchronized int fragments() {
        return sequence;
    }

    /** @return bytes written so far */
    public synchronized long bytesWritten() {
        return bytesWritten;
    }

    private void writeFragment() {
        List<MediaPacket> batch = new ArrayList<>(buffered);
        buffered.clear();
        try {
            int seq = sequence + 1;
            writeOut(muxer.fragment(config.allocator(), batch, seq), "fragment " + seq, true);
            sequence = seq;
            samples += batch.size();
        } finally {
            for (MediaPacket p : batch) {
                p.release();
            }
        }
    }

    /**
     * Writes and releases {@code buf}. A fragment is written as a {@code free} box and relabelled
     * {@code moof} once all its bytes are written, so that a process killed in the middle leaves
     * a file whose last box is a (truncated) {@code free} box, which readers skip, and never a
     * truncated {@code moof}, which makes ffmpeg reject the whole file.
     */
    private void writeOut(ByteBuf buf, String what, boolean fragment) {
        try {
            long start = bytesWritten;
            if (fragment) {
                buf.setInt(buf.readerIndex() + 4, FREE);
            }
            ByteBuffer[] parts = buf.nioBuffers();
            long total = buf.readableBytes();
            long written = 0;
            while (written < total) {
                written += channel.write(parts);
            }
            if (fragment) {
                if (config.fsync()) {
                    channel.force(false);
                }
                ByteBuffer type = ByteBuffer.allocate(4).putInt(0, MOOF);
                while (type.hasRemaining()) {
                    channel.write(type, start + 4 + type.position());
                }
            }
            if (config.fsync()) {
                channel.force(false);
            }
            bytesWritten += total;
        } catch (IOException e) {
            failed = true;
            throw new RecordingException("cannot write " + what + " to MP4 recording " + path + ": " + e, e);
        } finally {
            buf.release();
        }
    }

    /**
     * Writes the buffered packets as a last fragment and closes the file; idempotent.
     *
     * @return a completed future, failed with a {@link RecordingException} when the last fragment
     *         could not be written or the file not closed
     */
    @Override
    public CompletableFuture<Void> closeAsync() {
        try {
            close();
        } catch (RecordingException e) {
            // recorded in the future below
        }
        return closed;
    }

    /**
     * Writes the buffered packets as a last fragment and closes the file; idempotent.
     *
     * @throws RecordingException when the last fragment cannot be written or the file not closed
     */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        RecordingException failure = null;
        try {
            if (!failed && !buffered.isEmpty()) {
                writeFragment();
            }
        } catch (RecordingException e) {
            failure = e;
        } finally {
            for (MediaPacket p : buffered) {
                p.release();
            }
            buffered.clear();
            try {
                if (config.fsync() && !failed) {
                    channel.force(true);
                }
                channel.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = new RecordingException("cannot close MP4 recording " + path + ": " + e, e);
                }
            }
        }
        if (failure != null) {
            closed.completeExceptionally(failure);
            throw failure;
        }
        log.debug("MP4 recording {} closed: {} fragments, {} samples, {} bytes", path, sequence, samples,
                bytesWritten);
        closed.complete(null);
    }
}

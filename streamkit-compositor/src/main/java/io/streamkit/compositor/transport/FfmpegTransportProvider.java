package io.streamkit.compositor.transport;

import io.streamkit.api.spi.InputSession;
import io.streamkit.api.spi.InputSink;
import io.streamkit.api.spi.TransportContext;
import io.streamkit.api.spi.TransportProvider;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code ffmpeg} transport: a stream input that pulls anything FFmpeg opens (a file, RTSP,
 * HLS, HTTP, RTMP, SRT...) and publishes its H.264 video and AAC, MP3 or Opus audio into a
 * StreamKit stream without decoding, so every relay output, recording and HLS applies. The URI is
 * {@code ffmpeg:} followed by what FFmpeg should open, with StreamKit's options in the fragment:
 * <ul>
 * <li>{@code ffmpeg:rtsp://10.0.0.5/stream#rtsp_transport=tcp} (other fragment keys are passed to
 * FFmpeg as demuxer/protocol options);</li>
 * <li>{@code ffmpeg:/var/media/loop.mp4#loop=true} — {@code loop} starts a file again at its end
 * with timestamps continuing; {@code realtime} ({@code true} by default for files, {@code false}
 * for network URLs) sends packets at their timestamps, like FFmpeg's {@code -re};
 * {@code format=NAME} forces the input format.</li>
 * </ul>
 * Found by {@link java.util.ServiceLoader} (scheme {@code ffmpeg}); an input that ends or fails
 * closes its session, and the stream's reconnect policy opens it again.
 */
public final class FfmpegTransportProvider implements TransportProvider {

    /** Creates the provider (also done by {@link java.util.ServiceLoader}). */
    public FfmpegTransportProvider() {
    }

    @Override
    public String name() {
        return "ffmpeg";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("ffmpeg");
    }

    @Override
    public CompletableFuture<InputSession> connectInput(URI uri, TransportContext context, InputSink sink) {
        FfmpegInputOptions options;
        try {
            options = FfmpegInputOptions.parse(uri);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        FfmpegInputSession session = new FfmpegInputSession(options, context, sink);
        return session.start();
    }
}

package io.streamkit.relay.srt;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannelConfig;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the UDP sockets of the SRT engine. Each socket asks the kernel for a receive buffer as
 * large as the flow window (8192 packets of 1500 bytes, libsrt's {@code SRTO_UDP_RCVBUF}
 * default): all connections of a listener share one socket and one event loop, and the default
 * buffer (208 KiB on Linux, fewer than 100 full datagrams) overflows, losing datagrams in the
 * kernel, whenever that loop is busy for a few milliseconds at thousands of packets per second.
 * The kernel caps the request at {@code net.core.rmem_max}; a cap below {@link #WANTED_RECEIVE_BUFFER}
 * is logged once. Not API.
 */
final class SrtSockets {
    /** The receive buffer asked for: the flow window in full-size packets. */
    static final int WANTED_RECEIVE_BUFFER = SrtReceiveBuffer.CAPACITY * 1500;
    private static final Logger log = LoggerFactory.getLogger(SrtSockets.class);
    private static final AtomicBoolean warned = new AtomicBoolean();

    private SrtSockets() {
    }

    /**
     * @param group the event loops (NIO)
     * @return a bootstrap for an SRT datagram channel with the receive buffer set; the handler is the caller's
     */
    static Bootstrap bootstrap(EventLoopGroup group) {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class).option(ChannelOption.SO_RCVBUF,
                WANTED_RECEIVE_BUFFER);
    }

    /**
     * Logs, once per process, when the kernel granted a much smaller receive buffer than asked.
     *
     * @param channel a channel opened with {@link #bootstrap}
     */
    static void checkReceiveBuffer(Channel channel) {
        if (!(channel.config() instanceof DatagramChannelConfig config)) {
            return;
        }
        int granted;
        try {
            granted = config.getReceiveBufferSize();
        } catch (RuntimeException e) {
            log.debug("SRT cannot read the UDP receive buffer size of {}: {}", channel, e.toString());
            return;
        }
        // Linux reports twice the size it was asked for (the doubling covers its bookkeeping)
        if (granted < WANTED_RECEIVE_BUFFER / 4 && warned.compareAndSet(false, true)) {
            log.warn("SRT: the kernel limits UDP receive buffers to {} bytes (asked for {}); bursts of "
                    + "thousands of packets per second may be lost and retransmitted; raise net.core.rmem_max",
                    granted, WANTED_RECEIVE_BUFFER);
        } else {
            log.debug("SRT UDP receive buffer of {}: {} bytes", channel, granted);
        }
    }
}

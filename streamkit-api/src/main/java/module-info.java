/**
 * StreamKit API: the media model, streams with fan-out, and the SPI. Depends on SLF4J only.
 */
module io.streamkit.api {
    requires transitive org.slf4j;

    exports io.streamkit.api;
    exports io.streamkit.api.spi;

    uses io.streamkit.api.spi.TransportProvider;
}

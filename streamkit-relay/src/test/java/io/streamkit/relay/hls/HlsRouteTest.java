package io.streamkit.relay.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Request targets: the resources, stream paths with slashes, and what is refused. */
class HlsRouteTest {
    private static HlsRoute fmp4(String uri) {
        return HlsRoute.parse(uri, HlsFormat.FMP4);
    }

    private static int refused(String uri, HlsFormat format) {
        return assertThrows(HlsRequestException.class, () -> HlsRoute.parse(uri, format)).status();
    }

    @Test
    void resources() {
        assertEquals(new HlsRoute(HlsRoute.Kind.MULTIVARIANT, "live/show", -1, -1, 0), fmp4("/live/show/index.m3u8"));
        assertEquals(new HlsRoute(HlsRoute.Kind.MEDIA, "a/b/c", -1, -1, 0), fmp4("/a/b/c/stream.m3u8"));
        assertEquals(new HlsRoute(HlsRoute.Kind.MEDIA, "show", 12, 3, 0),
                fmp4("/show/stream.m3u8?_HLS_msn=12&_HLS_part=3"));
        assertEquals(new HlsRoute(HlsRoute.Kind.MEDIA, "show", 12, -1, 0), fmp4(
                "/show/stream.m3u8?_HLS_msn=12&_HLS_skip=YES"));
        assertEquals(new HlsRoute(HlsRoute.Kind.INIT, "live/show", -1, -1, 0), fmp4("/live/show/init.mp4"));
        assertEquals(new HlsRoute(HlsRoute.Kind.INIT, "live/show", -1, -1, 2), fmp4("/live/show/init2.mp4"));
        assertEquals(new HlsRoute(HlsRoute.Kind.SEGMENT, "live/show", 41, -1, 0), fmp4("/live/show/seg41.m4s"));
        assertEquals(new HlsRoute(HlsRoute.Kind.SEGMENT, "live/show", 41, -1, 0), HlsRoute.parse(
                "/live/show/seg41.ts", HlsFormat.MPEG_TS));
        assertEquals(new HlsRoute(HlsRoute.Kind.PART, "live/show", 41, 5, 0), fmp4("/live/show/part41.5.m4s"));
        assertEquals(new HlsRoute(HlsRoute.Kind.MULTIVARIANT, "live/a-b_c.d~e", -1, -1, 0), fmp4(
                "/live/a%2Db_c.d~e/index.m3u8"));
    }

    @Test
    void refusals() {
        assertEquals(400, refused("/live/../etc/index.m3u8", HlsFormat.FMP4), "parent segment");
        assertEquals(400, refused("/live/%2e%2e/etc/index.m3u8", HlsFormat.FMP4), "encoded parent segment");
        assertEquals(400, refused("/live/./show/index.m3u8", HlsFormat.FMP4));
        assertEquals(400, refused("/live//show/index.m3u8", HlsFormat.FMP4), "empty segment");
        assertEquals(400, refused("/live/sh%20ow/index.m3u8", HlsFormat.FMP4), "space");
        assertEquals(400, refused("/live\\show/index.m3u8", HlsFormat.FMP4), "backslash");
        assertEquals(400, refused("/live/sh%zzow/index.m3u8", HlsFormat.FMP4), "bad escape");
        assertEquals(400, refused("http://evil/live/index.m3u8", HlsFormat.FMP4), "absolute form");
        assertEquals(400, refused("/" + "a".repeat(300) + "/index.m3u8", HlsFormat.FMP4), "path too long");
        assertEquals(414, refused("/live/" + "a".repeat(3000) + "/index.m3u8", HlsFormat.FMP4));
        assertEquals(400, refused("/show/stream.m3u8?_HLS_msn=-1", HlsFormat.FMP4));
        assertEquals(400, refused("/show/stream.m3u8?_HLS_msn=x", HlsFormat.FMP4));
        assertEquals(400, refused("/show/stream.m3u8?_HLS_part=2", HlsFormat.FMP4), "part without msn");
        assertEquals(400, refused("/show/stream.m3u8?_HLS_msn=1&_HLS_msn=2", HlsFormat.FMP4));
        assertEquals(400, refused("/show/stream.m3u8?_HLS_msn=1&_HLS_part=99999999999", HlsFormat.FMP4));
        assertEquals(404, refused("/index.m3u8", HlsFormat.FMP4), "no stream path");
        assertEquals(404, refused("/live/show/", HlsFormat.FMP4));
        assertEquals(404, refused("/live/show/other.txt", HlsFormat.FMP4));
        assertEquals(404, refused("/live/show/seg1.ts", HlsFormat.FMP4), "wrong extension");
        assertEquals(404, refused("/live/show/seg1.m4s", HlsFormat.MPEG_TS));
        assertEquals(404, refused("/live/show/init.mp4", HlsFormat.MPEG_TS));
        assertEquals(404, refused("/live/show/seg99999999999999999999.m4s", HlsFormat.FMP4), "number too long");
        HlsRequestException e = assertThrows(HlsRequestException.class, () -> fmp4("/live/show/x.m3u8"));
        assertTrue(e.getMessage().contains("x.m3u8"), e.getMessage());
    }
}

package io.streamkit.relay.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict test-side reader of M3U8 playlists (RFC 8216 section 4): every line is a tag or a URI,
 * attribute lists are parsed with quoted strings, and media segments are grouped with the tags
 * that precede them.
 */
final class M3u8 {
    /** One tag line: {@code #NAME} or {@code #NAME:value}. */
    record Tag(String name, String value) {
        Map<String, String> attributes() {
            return M3u8.attributes(value);
        }

        String attribute(String key) {
            String v = attributes().get(key);
            if (v == null) {
                fail("no " + key + " in " + this);
            }
            return v;
        }
    }

    /** One media segment: its URI, EXTINF duration and the tags between the previous URI and it. */
    record Segment(String uri, double duration, List<Tag> tags) {
        boolean has(String name) {
            return tags.stream().anyMatch(t -> t.name().equals(name));
        }

        List<Tag> tags(String name) {
            return tags.stream().filter(t -> t.name().equals(name)).toList();
        }
    }

    final List<Tag> tags = new ArrayList<>();
    final List<Segment> segments = new ArrayList<>();
    /** Tags after the last URI (parts of the segment in the making, preload hint, end list). */
    final List<Tag> trailing = new ArrayList<>();
    final List<String> uris = new ArrayList<>();

    static M3u8 parse(String text) {
        assertTrue(text.endsWith("\n"), "ends with a newline");
        String[] lines = text.split("\n", -1);
        assertEquals("#EXTM3U", lines[0], "first line");
        M3u8 m = new M3u8();
        List<Tag> pending = new ArrayList<>();
        Double extinf = null;
        for (int i = 1; i < lines.length - 1; i++) {
            String line = lines[i];
            assertFalse(line.isBlank(), "no blank line at " + i + " in\n" + text);
            assertFalse(line.startsWith(" ") || line.endsWith(" "), "no stray spaces: '" + line + "'");
            if (line.startsWith("#")) {
                assertTrue(line.startsWith("#EXT"), "only tags, no comments: " + line);
                int colon = line.indexOf(':');
                Tag t = colon < 0
                        ? new Tag(line.substring(1), "")
                        : new Tag(line.substring(1, colon), line.substring(
                                colon + 1));
                m.tags.add(t);
                if (t.name().equals("EXTINF")) {
                    assertTrue(t.value().endsWith(","), "EXTINF without title ends with a comma: " + line);
                    String d = t.value().substring(0, t.value().length() - 1);
                    assertTrue(d.matches("\\d+\\.\\d{3,}"), "EXTINF with 3+ decimals: " + d);
                    extinf = Double.parseDouble(d);
                } else {
                    pending.add(t);
                }
            } else {
                m.uris.add(line);
                if (extinf != null) {
                    m.segments.add(new Segment(line, extinf, List.copyOf(pending)));
                    pending.clear();
                    extinf = null;
                }
            }
        }
        m.trailing.addAll(pending);
        return m;
    }

    List<Tag> all(String name) {
        return tags.stream().filter(t -> t.name().equals(name)).toList();
    }

    Tag one(String name) {
        List<Tag> t = all(name);
        assertEquals(1, t.size(), "exactly one " + name + " in " + tags);
        return t.get(0);
    }

    boolean has(String name) {
        return tags.stream().anyMatch(t -> t.name().equals(name));
    }

    long number(String name) {
        return Long.parseLong(one(name).value());
    }

    /** Parses an attribute list (RFC 8216 section 4.2), keeping quoted strings unquoted. */
    static Map<String, String> attributes(String list) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < list.length()) {
            int eq = list.indexOf('=', i);
            assertTrue(eq > i, "attribute name at " + i + " of " + list);
            String key = list.substring(i, eq);
            assertTrue(key.matches("[A-Z0-9-]+"), "attribute name " + key);
            int j = eq + 1;
            String value;
            if (j < list.length() && list.charAt(j) == '"') {
                int close = list.indexOf('"', j + 1);
                assertTrue(close > j, "closing quote in " + list);
                value = list.substring(j + 1, close);
                j = close + 1;
            } else {
                int comma = list.indexOf(',', j);
                int end = comma < 0 ? list.length() : comma;
                value = list.substring(j, end);
                j = end;
            }
            assertTrue(out.put(key, value) == null, "attribute " + key + " once in " + list);
            if (j < list.length()) {
                assertEquals(',', list.charAt(j), "comma between attributes in " + list);
                j++;
            }
            i = j;
        }
        return out;
    }
}

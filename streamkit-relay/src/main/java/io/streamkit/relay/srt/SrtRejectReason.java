package io.streamkit.relay.srt;

/**
 * Connection rejection reasons, with libsrt's numbers. A rejection travels in the handshake type
 * field as {@code 1000 + reason} ({@link SrtHandshake#rejection}). Codes below 1000 are libsrt's
 * core reasons ({@code SRT_REJ_*}); 1000 to 1999 are predefined application codes
 * ({@code SRT_REJX_*}, 1000 plus an HTTP status); 2000 and up are free for applications.
 *
 * @see <a href="https://github.com/Haivision/srt/blob/master/docs/API/rejection-codes.md">libsrt rejection codes</a>
 */
public final class SrtRejectReason {
    /** Unknown reason. */
    public static final int UNKNOWN = 0;
    /** System function error. */
    public static final int SYSTEM = 1;
    /** Rejected by the peer (it was closed or refused). */
    public static final int PEER = 2;
    /** A resource allocation problem (for example too many connections). */
    public static final int RESOURCE = 3;
    /** Incorrect data in the handshake. */
    public static final int ROGUE = 4;
    /** The listener's backlog is exceeded. */
    public static final int BACKLOG = 5;
    /** Internal program error. */
    public static final int IPE = 6;
    /** The socket is closing. */
    public static final int CLOSE = 7;
    /** The peer's version is too old. */
    public static final int VERSION = 8;
    /** Rendezvous cookie collision. */
    public static final int RDVCOOKIE = 9;
    /** Wrong passphrase. */
    public static final int BADSECRET = 10;
    /** Encryption is required by one side and not configured on the other. */
    public static final int UNSECURE = 11;
    /** Message API mismatch. */
    public static final int MESSAGEAPI = 12;
    /** Congestion controller mismatch. */
    public static final int CONGESTION = 13;
    /** Packet filter mismatch. */
    public static final int FILTER = 14;
    /** Group settings mismatch. */
    public static final int GROUP = 15;
    /** Connection timeout. */
    public static final int TIMEOUT = 16;
    /** The first predefined application code ({@code SRT_REJC_PREDEFINED}). */
    public static final int PREDEFINED = 1000;
    /** The first free application code ({@code SRT_REJC_USERDEFINED}). */
    public static final int USER_DEFINED = 2000;
    /** {@code SRT_REJX_FALLBACK}: a generic application rejection. */
    public static final int REJX_FALLBACK = 1000;
    /** {@code SRT_REJX_KEY_NOTSUP}: a stream id key is not supported. */
    public static final int REJX_KEY_NOTSUP = 1001;
    /** {@code SRT_REJX_FILEPATH}: the file path is invalid. */
    public static final int REJX_FILEPATH = 1002;
    /** {@code SRT_REJX_HOSTNOTFOUND}: the host is not found. */
    public static final int REJX_HOSTNOTFOUND = 1003;
    /** {@code SRT_REJX_BAD_REQUEST}: HTTP 400. */
    public static final int REJX_BAD_REQUEST = 1400;
    /** {@code SRT_REJX_UNAUTHORIZED}: HTTP 401. */
    public static final int REJX_UNAUTHORIZED = 1401;
    /** {@code SRT_REJX_OVERLOAD}: HTTP 402. */
    public static final int REJX_OVERLOAD = 1402;
    /** {@code SRT_REJX_FORBIDDEN}: HTTP 403. */
    public static final int REJX_FORBIDDEN = 1403;
    /** {@code SRT_REJX_NOTFOUND}: HTTP 404. */
    public static final int REJX_NOTFOUND = 1404;
    /** {@code SRT_REJX_BAD_MODE}: HTTP 405. */
    public static final int REJX_BAD_MODE = 1405;
    /** {@code SRT_REJX_UNACCEPTABLE}: HTTP 406. */
    public static final int REJX_UNACCEPTABLE = 1406;
    /** {@code SRT_REJX_CONFLICT}: HTTP 409. */
    public static final int REJX_CONFLICT = 1409;
    /** {@code SRT_REJX_NOTSUP_MEDIA}: HTTP 415. */
    public static final int REJX_NOTSUP_MEDIA = 1415;
    /** {@code SRT_REJX_LOCKED}: HTTP 423. */
    public static final int REJX_LOCKED = 1423;
    /** {@code SRT_REJX_FAILED_DEPEND}: HTTP 424. */
    public static final int REJX_FAILED_DEPEND = 1424;
    /** {@code SRT_REJX_ISE}: HTTP 500. */
    public static final int REJX_ISE = 1500;
    /** {@code SRT_REJX_UNIMPLEMENTED}: HTTP 501. */
    public static final int REJX_UNIMPLEMENTED = 1501;
    /** {@code SRT_REJX_GW}: HTTP 502. */
    public static final int REJX_GW = 1502;
    /** {@code SRT_REJX_DOWN}: HTTP 503. */
    public static final int REJX_DOWN = 1503;
    /** {@code SRT_REJX_VERSION}: HTTP 505. */
    public static final int REJX_VERSION = 1505;
    /** {@code SRT_REJX_NOROOM}: HTTP 507. */
    public static final int REJX_NOROOM = 1507;

    private static final String[] CORE = {"UNKNOWN", "SYSTEM", "PEER", "RESOURCE", "ROGUE", "BACKLOG", "IPE",
            "CLOSE", "VERSION", "RDVCOOKIE", "BADSECRET", "UNSECURE", "MESSAGEAPI", "CONGESTION", "FILTER", "GROUP",
            "TIMEOUT"};

    private SrtRejectReason() {
    }

    /**
     * @param reason a rejection reason
     * @return its libsrt name without prefix ({@code "BADSECRET"}), {@code "REJX_1403"}-style for
     *         application codes, or {@code "REASON_n"} for unassigned core numbers
     */
    public static String name(int reason) {
        if (reason >= 0 && reason < CORE.length) {
            return CORE[reason];
        }
        if (reason >= USER_DEFINED) {
            return "USER_" + reason;
        }
        if (reason >= PREDEFINED) {
            return "REJX_" + reason;
        }
        return "REASON_" + reason;
    }

    /**
     * @param reason a rejection reason
     * @return a description for error messages, naming the passphrase for the encryption reasons
     */
    public static String describe(int reason) {
        return switch (reason) {
            case BADSECRET -> "BADSECRET (the passphrase does not match; bad secret)";
            case UNSECURE -> "UNSECURE (one side has a passphrase and the other none)";
            default -> name(reason);
        };
    }

    /**
     * @param reason a rejection reason
     * @return whether it can travel in a handshake (it is not negative and {@code 1000 + reason} stays positive)
     */
    public static boolean isValid(int reason) {
        return reason >= 0 && reason <= Integer.MAX_VALUE - SrtHandshake.REJECTION_BASE;
    }
}

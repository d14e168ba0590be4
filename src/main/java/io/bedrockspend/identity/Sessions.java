package io.bedrockspend.identity;

import io.bedrockspend.ingest.TrailEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/** Pure rules for a session ARN's short history of STS sessions. */
public final class Sessions {
    private Sessions() {}

    /** Whether calls from this ARN have a session whose STS event carries context (tags). */
    public static boolean needsSession(String callerArn) {
        return callerArn != null && (callerArn.contains(":assumed-role/") || callerArn.contains(":federated-user/"));
    }

    /**
     * The session that covers {@code t}: among those whose window contains it, the most recently issued
     * (a session name reused before the previous credentials expired is a new session).
     */
    public static SessionContext covering(List<SessionContext> sessions, long t, long skewMillis) {
        SessionContext best = null;
        for (SessionContext s : sessions) {
            if (s.covers(t, skewMillis) && (best == null || s.issuedMillis > best.issuedMillis)) best = s;
        }
        return best;
    }

    /**
     * Like {@link #covering(List, long, long)}, but when the call's CloudTrail runtime event gave its
     * access key, the session issued with that key wins: an exact match even when reused session names
     * overlap. (Identity Center keys may differ between the STS event and the calls, hence the fallback.)
     */
    public static SessionContext covering(List<SessionContext> sessions, long t, long skewMillis, String accessKeyId) {
        if (accessKeyId != null && !accessKeyId.isEmpty()) {
            for (SessionContext s : sessions) {
                if (accessKeyId.equals(s.accessKeyId) && s.covers(t, skewMillis)) return s;
            }
        }
        return covering(sessions, t, skewMillis);
    }

    /** Adds a session (once per CloudTrail eventID), keeping the newest {@code max} by issue time. */
    public static List<SessionContext> add(List<SessionContext> sessions, SessionContext s, int max) {
        List<SessionContext> out = new ArrayList<>();
        for (SessionContext x : sessions) {
            if (s.eventId != null && s.eventId.equals(x.eventId)) return sessions;
            out.add(x);
        }
        out.add(s);
        out.sort(Comparator.comparingLong((SessionContext x) -> x.issuedMillis).reversed());
        return out.size() > max ? new ArrayList<>(out.subList(0, max)) : out;
    }

    public static SessionContext fromEvent(TrailEvent e) {
        SessionContext s = new SessionContext();
        s.eventId = e.eventId;
        s.eventName = e.eventName;
        s.issuedMillis = e.eventTimeMillis;
        s.expiresMillis = e.sessionExpiresMillis > 0 ? e.sessionExpiresMillis : e.eventTimeMillis + 3_600_000L;
        s.roleArn = e.roleArn;
        s.accessKeyId = e.sessionAccessKeyId;
        s.sourceIdentity = e.sourceIdentity;
        s.tags = e.sessionTags == null ? new TreeMap<>() : new TreeMap<>(e.sessionTags);
        return s;
    }
}

package io.bedrockspend.alerts;

/**
 * What the budgets poller read: the file's text (valid budgets), or the reason it could not be used.
 * Broadcast to every alert subtask; an update with an {@link #error} leaves the previous budgets in force.
 */
public class BudgetsUpdate {
    /** File name the budgets came from (never a full URL or secret: budgets files hold none). */
    public String origin;
    /** The file's text when it parsed and validated; null with an error. */
    public String text;
    /** Why the file was not used; null when it was. */
    public String error;
    /** The file's last-modified time, for the log. */
    public long modifiedMillis;

    public BudgetsUpdate() {}

    public static BudgetsUpdate ok(String origin, String text, long modifiedMillis) {
        BudgetsUpdate u = new BudgetsUpdate();
        u.origin = origin;
        u.text = text;
        u.modifiedMillis = modifiedMillis;
        return u;
    }

    public static BudgetsUpdate invalid(String origin, String error, long modifiedMillis) {
        BudgetsUpdate u = new BudgetsUpdate();
        u.origin = origin;
        u.error = error;
        u.modifiedMillis = modifiedMillis;
        return u;
    }

    /** Identity for change detection. */
    String fingerprint() {
        return origin + "\u0000" + modifiedMillis + "\u0000" + (error != null ? "E" + error : "T" + text);
    }
}

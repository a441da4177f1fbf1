package io.leadscoring.demo;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a person sees: the progress line, each handoff as the CRM gets it, and the summary. Formatting only. */
final class Progress {

    private static final int TOP_REASONS = 3;

    /** The counts behind one progress line or the summary. */
    record Snapshot(
            Duration elapsed,
            double eventsPerSecond,
            long events,
            long leads,
            long mqls,
            long sqls,
            long handoffsOnTopic,
            long delivered,
            long duplicates,
            long rejected,
            long deadLetters,
            long crmDeadLetters) {
    }

    private Progress() {
    }

    /** One line, under 80 columns at demo scale, so that it can be rewritten in place. */
    static String line(Snapshot s) {
        return clock(s.elapsed()) + " | " + Math.round(s.eventsPerSecond()) + " ev/s | " + s.events() + " events | "
                + s.leads() + " leads | MQL " + s.mqls() + " | SQL " + s.sqls() + " | CRM " + s.delivered()
                + " | DLQ " + (s.deadLetters() + s.crmDeadLetters());
    }

    static String legend() {
        return "Progress: run time | events published per second | events | leads | MQLs and SQLs (from "
                + "leads.stage-changes) | handoffs in the CRM inbox | dead letters";
    }

    /** Two lines: who, then why. */
    static String handoff(InboxHandoff h) {
        StringBuilder who = new StringBuilder("  SQL -> CRM  ").append(h.leadId());
        String name = join(" ", h.firstName(), h.lastName());
        if (!name.isEmpty()) {
            who.append("  ").append(name);
        }
        if (h.company() != null) {
            who.append(", ").append(h.company());
        }
        if (h.email() != null) {
            who.append(" <").append(h.email()).append('>');
        }
        StringBuilder why = new StringBuilder("               score ")
                .append(h.score() == null ? "?" : number(h.score()));
        if (h.fitGrade() != null) {
            why.append(", fit ").append(h.fitGrade());
        }
        if (!h.reasons().isEmpty()) {
            why.append(": ").append(h.reasons().stream().limit(TOP_REASONS)
                    .map(r -> r.rule() + " " + signed(r.points())).collect(Collectors.joining(", ")));
        }
        return who + System.lineSeparator() + why;
    }

    static List<String> summary(Snapshot s, Duration firstHandoffAfterReady, long heapPeakBytes, long heapMaxBytes) {
        List<String> lines = new ArrayList<>();
        lines.add("Summary after " + clock(s.elapsed()) + ":");
        lines.add(row("events published", s.events() + " (" + s.leads() + " leads)"));
        lines.add(row("MQLs", Long.toString(s.mqls())));
        lines.add(row("SQLs", s.sqls() + " (" + s.handoffsOnTopic() + " handoffs on leads.sql-handoffs)"));
        lines.add(row("CRM deliveries", s.delivered() + " new in the inbox, " + s.duplicates()
                + " duplicates refused by idempotency key" + (s.rejected() > 0 ? ", " + s.rejected()
                + " rejected" : "")));
        lines.add(row("dead letters", s.deadLetters() + " on leads.dead-letter, " + s.crmDeadLetters()
                + " from the CRM connector"));
        lines.add(row("first handoff", firstHandoffAfterReady == null ? "none"
                : number(firstHandoffAfterReady.toMillis() / 1000.0) + " s after ready"));
        lines.add(row("heap", "peak " + (heapPeakBytes >> 20) + " MiB of " + (heapMaxBytes >> 20) + " MiB"));
        return lines;
    }

    /** {@code m:ss}, or {@code h:mm:ss} past an hour. */
    static String clock(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long sec = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** At most one decimal, none when whole: {@code 145}, {@code 19.9}. */
    static String number(double value) {
        return new DecimalFormat("0.#", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(value);
    }

    static String signed(double value) {
        return (value >= 0 ? "+" : "") + number(value);
    }

    private static String row(String label, String value) {
        return String.format(Locale.ROOT, "  %-17s %s", label, value);
    }

    private static String join(String separator, String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                present.add(part);
            }
        }
        return String.join(separator, present);
    }
}

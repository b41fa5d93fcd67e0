package dev.newsline.cli.query;

import dev.newsline.sink.query.Answers;
import dev.newsline.sink.store.ArticleSummary;
import dev.newsline.sink.store.EntitySummary;
import dev.newsline.sink.store.StanceView;
import dev.newsline.sink.store.TopEntity;
import dev.newsline.sink.store.TrendPoint;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The answers as tables for a terminal; times in UTC, long text clipped to its column. */
public final class QueryPrinter {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int BAR = 40;

    private final PrintWriter out;

    public QueryPrinter(PrintWriter out) {
        this.out = out;
    }

    public void print(Answers.Latest answer) {
        out.println(answer.entity() == null ? "Latest articles" : "Latest articles naming " + describe(answer.entity()));
        if (answer.articles().isEmpty()) {
            out.println("(no articles)");
            return;
        }
        row("%-16s  %5s  %-18s  %-60s  %s", "PUBLISHED (UTC)", "TONE", "SOURCE", "TITLE", "URL");
        for (ArticleSummary a : answer.articles()) {
            row("%-16s  %+5.2f  %-18s  %-60s  %s", time(a.published()), a.tonePolarity(), clip(a.source(), 18),
                    clip(a.title(), 60), a.url());
        }
    }

    public void print(Answers.Top answer) {
        out.println("Top entities, " + period(answer.from(), answer.to()));
        if (answer.entities().isEmpty()) {
            out.println("(no entities in this period)");
            return;
        }
        row("%4s  %-36s  %-28s  %-12s  %8s  %9s", "#", "ENTITY", "NAME", "TYPE", "ARTICLES", "SENTIMENT");
        int rank = 1;
        for (TopEntity e : answer.entities()) {
            row("%4d  %-36s  %-28s  %-12s  %8d  %+9.2f", rank++, clip(e.id(), 36), clip(e.name(), 28), e.type(),
                    e.articleCount(), e.meanSentiment());
        }
    }

    public void print(Answers.Stances answer) {
        out.println(describe(answer.entity()) + seen(answer.entity()));
        out.println();
        out.println("As holder: " + count(answer.asHolder().size(), "stance"));
        if (!answer.asHolder().isEmpty()) {
            row("%-16s  %-8s  %-36s  %-20s  %4s", "PUBLISHED (UTC)", "POLARITY", "TARGET", "CUE", "CONF");
            for (StanceView s : answer.asHolder()) {
                row("%-16s  %-8s  %-36s  %-20s  %4.2f", time(s.published()), s.polarity(), clip(target(s), 36),
                        clip(s.cue(), 20), s.confidence());
                evidence(s);
            }
        }
        out.println();
        out.println("As target: " + count(answer.asTarget().size(), "stance"));
        if (!answer.asTarget().isEmpty()) {
            row("%-16s  %-36s  %-8s  %-20s  %4s", "PUBLISHED (UTC)", "HOLDER", "POLARITY", "CUE", "CONF");
            for (StanceView s : answer.asTarget()) {
                row("%-16s  %-36s  %-8s  %-20s  %4.2f", time(s.published()), clip(s.holderName(), 36), s.polarity(),
                        clip(s.cue(), 20), s.confidence());
                evidence(s);
            }
        }
    }

    public void print(Answers.Trend answer) {
        out.println(describe(answer.entity()) + ": hourly trend, " + period(answer.from(), answer.to()) + ", "
                + count(answer.points().size(), "window"));
        if (answer.points().isEmpty()) {
            out.println("(no windows)");
            return;
        }
        long max = answer.points().stream().mapToLong(TrendPoint::articleCount).max().orElse(1);
        row("%-16s  %8s  %9s", "WINDOW (UTC)", "ARTICLES", "SENTIMENT");
        for (TrendPoint p : answer.points()) {
            int width = (int) Math.max(1, Math.round((double) p.articleCount() * BAR / Math.max(1, max)));
            row("%-16s  %8d  %+9.2f  %s", time(p.windowStart()), p.articleCount(), p.meanSentiment(),
                    "#".repeat(p.articleCount() == 0 ? 0 : width));
        }
    }

    /** {@code text} on one line, at most {@code width} characters, an ellipsis marking a cut. */
    static String clip(String text, int width) {
        if (text == null) {
            return "-";
        }
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= width ? line : line.substring(0, width - 1) + "\u2026";
    }

    private void evidence(StanceView s) {
        if (!s.evidence().isEmpty()) {
            out.println("    \"" + clip(s.evidence(), 140) + "\"");
        }
    }

    private void row(String format, Object... values) {
        out.println(String.format(Locale.ROOT, format, values).stripTrailing());
    }

    private static String target(StanceView s) {
        return s.targetId() == null ? s.targetText() : s.targetText() + " (" + s.targetId() + ")";
    }

    private static String describe(EntitySummary e) {
        return e.name() + " (" + e.id() + ", " + e.type() + ")";
    }

    private static String seen(EntitySummary e) {
        return e.firstSeen() == null ? "" : ", in articles from " + time(e.firstSeen()) + " to " + time(e.lastSeen())
                + " UTC";
    }

    private static String period(Instant from, Instant to) {
        if (from == null && to == null) {
            return "all time";
        }
        return (from == null ? "the beginning" : time(from)) + " to " + (to == null ? "now" : time(to)) + " UTC";
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String time(Instant instant) {
        return instant == null ? "-" : MINUTE.format(instant);
    }
}

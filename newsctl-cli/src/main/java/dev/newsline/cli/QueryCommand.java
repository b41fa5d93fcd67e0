package dev.newsline.cli;

import dev.newsline.cli.query.ApiQuerySource.ApiException;
import dev.newsline.cli.query.QueryPrinter;
import dev.newsline.cli.query.QuerySource;
import dev.newsline.cli.query.QuerySources;
import dev.newsline.cli.query.QuerySources.QueryFailure;
import dev.newsline.sink.query.Answers;
import dev.newsline.sink.query.QueryException;
import dev.newsline.sink.query.QueryJson;
import dev.newsline.sink.query.SinkQueries;
import dev.newsline.sink.store.StoreException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code newsctl query}: the analysts' questions against the store, as tables or JSON. Where
 * it reads is decided by {@link QuerySources}. Exit status: 0 answered (even if empty), 1 the
 * store or API could not answer (missing, unreachable, unknown entity), 2 a bad argument.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Ask the store: latest articles, top entities, an entity's stances or trend.",
            "Reads the embedded store of 'newsctl up' (DATA-DIR/local/store), or",
            "sink.jdbc.url when configured. While 'newsctl up' runs it holds the embedded",
            "store, so queries go through its HTTP API (a note on stderr says so).",
            "An entity is an id (per:elena-varga) or a name, ignoring case (\"elena varga\").",
            "Exit status: 0 answered, 1 no store, API or entity, 2 a bad argument."},
        subcommands = {QueryCommand.Latest.class, QueryCommand.Top.class, QueryCommand.Stances.class,
            QueryCommand.Trend.class, CommandLine.HelpCommand.class})
final class QueryCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options and error handling every question shares. */
    abstract static class Question implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Option(names = "--api", paramLabel = "URL",
                description = "Ask this sink's HTTP API (e.g. http://127.0.0.1:8085) instead of opening the store.")
        URI api;

        @Option(names = "--json", description = "Print JSON (the HTTP API's format) instead of a table.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                check();
                try (QuerySource source = QuerySources.open(common.settings(), common.dataDir, api, err)) {
                    answer(source, out);
                }
                out.flush();
                return 0;
            } catch (QueryException e) {
                return fail(err, e.getMessage(), e.kind() == QueryException.Kind.UNKNOWN_ENTITY ? 1 : 2);
            } catch (QueryFailure e) {
                return fail(err, e.getMessage(), e.exitCode());
            } catch (ApiException e) {
                return fail(err, e.getMessage(), e.status() == 400 ? 2 : 1);
            } catch (ConfigException e) {
                return fail(err, "Bad configuration: " + e.getMessage(), 2);
            } catch (StoreException e) {
                return fail(err, "The store could not answer: " + e.getMessage(), 1);
            }
        }

        /** Checks the arguments before anything is opened; throws {@link QueryException}. */
        abstract void check();

        abstract void answer(QuerySource source, PrintWriter out);

        void print(PrintWriter out, Answers.Latest answer) {
            if (json) {
                out.println(QueryJson.pretty(QueryJson.toJson(answer)));
            } else {
                new QueryPrinter(out).print(answer);
            }
        }

        void print(PrintWriter out, Answers.Top answer) {
            if (json) {
                out.println(QueryJson.pretty(QueryJson.toJson(answer)));
            } else {
                new QueryPrinter(out).print(answer);
            }
        }

        void print(PrintWriter out, Answers.Stances answer) {
            if (json) {
                out.println(QueryJson.pretty(QueryJson.toJson(answer)));
            } else {
                new QueryPrinter(out).print(answer);
            }
        }

        void print(PrintWriter out, Answers.Trend answer) {
            if (json) {
                out.println(QueryJson.pretty(QueryJson.toJson(answer)));
            } else {
                new QueryPrinter(out).print(answer);
            }
        }

        static int checkLimit(int limit, int max) {
            return SinkQueries.parseLimit("--limit", String.valueOf(limit), limit, max);
        }

        private static int fail(PrintWriter err, String message, int code) {
            err.println("newsctl query: " + message);
            err.flush();
            return code;
        }
    }

    @Command(name = "latest", mixinStandardHelpOptions = true,
            description = "The latest articles, optionally only those naming an entity.")
    static final class Latest extends Question {

        @Option(names = "--entity", paramLabel = "ENTITY", description = "Only articles naming this entity (id or name).")
        String entity;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
                description = "Articles to list, 1-1000 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void check() {
            checkLimit(limit, SinkQueries.MAX_LIMIT);
        }

        @Override
        void answer(QuerySource source, PrintWriter out) {
            print(out, source.latest(entity, limit));
        }
    }

    @Command(name = "top", mixinStandardHelpOptions = true,
            description = {"Entities named in the most articles published in [--from, --to).",
                "Times are dates (2026-11-24) or ISO-8601 times (2026-11-24T09:00:00Z);",
                "without an offset they are UTC."})
    static final class Top extends Question {

        @Mixin
        Period period;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "10",
                description = "Entities to list, 1-1000 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void check() {
            checkLimit(limit, SinkQueries.MAX_LIMIT);
            period.check();
        }

        @Override
        void answer(QuerySource source, PrintWriter out) {
            print(out, source.top(period.fromTime, period.toTime, limit));
        }
    }

    @Command(name = "stances", mixinStandardHelpOptions = true,
            description = {"The stances an entity takes (as holder) and those taken towards it",
                "(as target), from the latest articles."})
    static final class Stances extends Question {

        @Parameters(index = "0", paramLabel = "ENTITY", description = "Entity id (per:elena-varga) or name.")
        String entity;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
                description = "Stances to list per role, 1-1000 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void check() {
            checkLimit(limit, SinkQueries.MAX_LIMIT);
        }

        @Override
        void answer(QuerySource source, PrintWriter out) {
            print(out, source.stances(entity, limit));
        }
    }

    @Command(name = "trend", mixinStandardHelpOptions = true,
            description = {"An entity's hourly windows (articles naming it, mean sentiment), oldest",
                "first: the latest --limit windows starting in [--from, --to)."})
    static final class Trend extends Question {

        @Parameters(index = "0", paramLabel = "ENTITY", description = "Entity id (per:elena-varga) or name.")
        String entity;

        @Mixin
        Period period;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "168",
                description = "Latest windows to show, 1-10000 (default: ${DEFAULT-VALUE}, a week of hours).")
        int limit;

        @Override
        void check() {
            checkLimit(limit, SinkQueries.MAX_TREND_WINDOWS);
            period.check();
        }

        @Override
        void answer(QuerySource source, PrintWriter out) {
            print(out, source.trend(entity, period.fromTime, period.toTime, limit));
        }
    }

    /** A period [--from, --to) of published times (top) or window starts (trend). */
    static final class Period {

        @Option(names = "--from", paramLabel = "TIME", description = "Start, inclusive (default: the beginning).")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "End, exclusive (default: no end).")
        String to;

        Instant fromTime;
        Instant toTime;

        void check() {
            fromTime = SinkQueries.parseTime("--from", from);
            toTime = SinkQueries.parseTime("--to", to);
            if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
                throw QueryException.badParameter("--to", to, "must be after --from");
            }
        }
    }
}

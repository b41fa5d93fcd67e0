package dev.newsline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The newsctl command line. */
@Command(name = "newsctl", mixinStandardHelpOptions = true, versionProvider = NewsCtl.Version.class,
        description = "Newsline: live news into Kafka, enriched with entities, sentiment and stances.",
        subcommands = {DemoCommand.class, UpCommand.class, ReplayCommand.class, EnrichCommand.class, StatusCommand.class, TailCommand.class, QueryCommand.class, dev.newsline.cli.bench.BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class NewsCtl {

    public static void main(String[] args) {
        int code;
        try {
            code = new CommandLine(new NewsCtl()).execute(args);
        } catch (Throwable t) {
            // an Error (not an Exception) escapes picocli; exit anyway, or broker threads keep the JVM up
            t.printStackTrace();
            code = 70;
        }
        System.exit(code);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = NewsCtl.class.getPackage().getImplementationVersion();
            return new String[] {"newsctl " + (v == null ? "(development build)" : v)};
        }
    }
}

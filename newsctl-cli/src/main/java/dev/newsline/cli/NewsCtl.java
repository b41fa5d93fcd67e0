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
        System.exit(new CommandLine(new NewsCtl()).execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = NewsCtl.class.getPackage().getImplementationVersion();
            return new String[] {"newsctl " + (v == null ? "(development build)" : v)};
        }
    }
}

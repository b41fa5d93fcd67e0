package dev.newsline.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Benchmarks: documented commands that print figures (no timed assertions live in tests). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure a part of the pipeline and print the figures.",
        subcommands = {EnrichBenchCommand.class, IngestBenchCommand.class, PipelineBenchCommand.class, SinkBenchCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

package dev.newsline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `newsctl demo` as a user runs it, in-process: exit code 0 and a summary of all sample articles. */
class DemoCommandIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldStoreEverySampleArticleAndPrintTheSummary() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new NewsCtl());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("demo", "--data-dir", dataDir.toString());

        assertThat(exit).as("stderr: %s", err).isZero();
        assertThat(out.toString())
                .contains("Articles: 36 read, 36 produced, 36 stored; 0 rejected")
                .contains("Top entities")
                .contains("Elena Varga")
                .contains("Stances (most confident)")
                .containsPattern("(SUPPORT|OPPOSE)");
        assertThat(dataDir.resolve("demo").resolve("kafka")).isDirectory();
    }
}

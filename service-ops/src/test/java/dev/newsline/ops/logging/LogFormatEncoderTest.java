package dev.newsline.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class LogFormatEncoderTest {

    private final LoggerContext context = new LoggerContext();

    LogFormatEncoderTest() {
        context.setMDCAdapter(new LogbackMDCAdapter());
    }

    @Test
    void shouldWriteKeyValueTextOnOneLineWithTheStackTraceEscaped() {
        String line = encode("text", event("feed \"BBC\" polled", new IOException("refused\nagain")));

        assertThat(line).endsWith(System.lineSeparator()).doesNotContain("\n" + "\tat");
        assertThat(line.strip()).doesNotContain("\n")
                .matches("ts=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z level=WARN .*")
                .contains(" logger=dev.newsline.ingest.IngestService thread=\"ingest worker-1\"")
                .contains(" msg=\"feed \\\"BBC\\\" polled\" feed=bbc-world")
                .contains(" error=\"java.io.IOException: refused\\nagain\"")
                .contains(" stack=\"java.io.IOException: refused\\nagain\\n\\tat dev.newsline.ops.logging.LogFormatEncoderTest");
    }

    @Test
    void shouldWriteJsonLines() {
        String line = encode("JSON", event("ingest service stopped", null));

        assertThat(line.strip()).doesNotContain("\n").startsWith("{").endsWith("}")
                .contains("\"level\":\"WARN\"", "\"loggerName\":\"dev.newsline.ingest.IngestService\"",
                        "\"formattedMessage\":\"ingest service stopped\"", "\"feed\":\"bbc-world\"")
                .doesNotContain("\"context\"", "\"sequenceNumber\"");
    }

    @Test
    void shouldFallBackToTextOnAnUnknownFormatAndSaySo() {
        assertThat(encode("yaml", event("x", null))).startsWith("ts=");
        assertThat(context.getStatusManager().getCopyOfStatusList()).extracting(Status::getMessage)
                .anySatisfy(m -> assertThat(m).contains("unknown log format 'yaml'"));
    }

    @Test
    void shouldConfigureTheServiceLogbackXmlWithTheFormatFromAProperty() throws Exception {
        context.putProperty("NEWSLINE_LOG_FORMAT", "json");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/dev/newsline/ops/logback.xml"));

        assertThat(context.getStatusManager().getCopyOfStatusList()).allSatisfy(s -> assertThat(s.getLevel())
                .as("%s", s.getMessage()).isLessThan(Status.WARN));
        ConsoleAppender<?> stdout = (ConsoleAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        assertThat(((LogFormatEncoder) stdout.getEncoder()).getFormat()).isEqualTo("json");
        assertThat(context.getLogger("dev.newsline").getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.apache.kafka").getLevel()).isEqualTo(Level.WARN);
    }

    private String encode(String format, LoggingEvent event) {
        LogFormatEncoder encoder = new LogFormatEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.start();
        try {
            return new String(encoder.encode(event), StandardCharsets.UTF_8);
        } finally {
            encoder.stop();
        }
    }

    private LoggingEvent event(String message, Throwable error) {
        Logger logger = context.getLogger("dev.newsline.ingest.IngestService");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, message, error, null);
        event.setThreadName("ingest worker-1");
        event.addKeyValuePair(new KeyValuePair("feed", "bbc-world"));
        return event;
    }
}

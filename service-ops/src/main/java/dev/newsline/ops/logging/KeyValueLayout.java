package dev.newsline.ops.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One line per event, {@code key=value} (logfmt):
 * <pre>
 * ts=2026-11-24T09:00:00.123Z level=INFO logger=dev.newsline.ingest.IngestService thread=main msg="ingest service polling 3 feeds" feeds=3
 * </pre>
 * then the event's SLF4J key-value pairs and MDC entries, and for an exception {@code error="class: message"}
 * and {@code stack="..."} with the whole trace. Values with spaces, quotes or {@code =} are quoted;
 * quotes, backslashes and line breaks inside are escaped, so a stack trace stays on its line.
 */
public final class KeyValueLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(256);
        out.append("ts=").append(Instant.ofEpochMilli(event.getTimeStamp()).truncatedTo(ChronoUnit.MILLIS));
        out.append(" level=").append(event.getLevel());
        pair(out, "logger", event.getLoggerName());
        pair(out, "thread", event.getThreadName());
        out.append(" msg=");
        quoted(out, String.valueOf(event.getFormattedMessage()));
        List<KeyValuePair> kvs = event.getKeyValuePairs();
        if (kvs != null) {
            for (KeyValuePair kv : kvs) {
                pair(out, kv.key, String.valueOf(kv.value));
            }
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach((k, v) -> pair(out, k, v));
        }
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            pair(out, "error", error.getClassName() + ": " + error.getMessage());
            pair(out, "stack", ThrowableProxyUtil.asString(error).stripTrailing());
        }
        return out.append(CoreConstants.LINE_SEPARATOR).toString();
    }

    private static void pair(StringBuilder out, String key, String value) {
        out.append(' ').append(key.isEmpty() ? "_" : key.replaceAll("[\\s=\"]", "_")).append('=');
        if (value == null) {
            return;
        }
        if (!value.isEmpty() && value.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\')) {
            out.append(value);
        } else {
            quoted(out, value);
        }
    }

    private static void quoted(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < ' ' ? ' ' : c);
            }
        }
        out.append('"');
    }
}

package dev.newsline.ops.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Writes one line per event, as {@code key=value} ({@link KeyValueLayout}, format {@code text},
 * the default) or as JSON ({@link JsonEncoder}, format {@code json}: timestamp, level, thread,
 * logger, message, key-value pairs, MDC, throwable). In logback.xml:
 * <pre>
 * &lt;encoder class="dev.newsline.ops.logging.LogFormatEncoder"&gt;&lt;format&gt;${NEWSLINE_LOG_FORMAT:-text}&lt;/format&gt;&lt;/encoder&gt;
 * </pre>
 * where logback reads {@code NEWSLINE_LOG_FORMAT} from a system property or else the environment.
 * An unknown format is reported in logback's status and falls back to text.
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {

    public static final String TEXT = "text";
    public static final String JSON = "json";

    private String format = TEXT;
    private Encoder<ILoggingEvent> delegate;

    public void setFormat(String format) {
        this.format = format == null ? TEXT : format.strip().toLowerCase(Locale.ROOT);
    }

    public String getFormat() {
        return format;
    }

    @Override
    public void start() {
        if (JSON.equals(format)) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            delegate = json;
        } else {
            if (!TEXT.equals(format) && !format.isEmpty()) {
                addWarn("unknown log format '" + format + "' (want text or json); writing text");
            }
            KeyValueLayout layout = new KeyValueLayout();
            layout.setContext(getContext());
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> text = new LayoutWrappingEncoder<>();
            text.setLayout(layout);
            text.setCharset(StandardCharsets.UTF_8);
            delegate = text;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}

package dev.newsline.model.topic;

import dev.newsline.model.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds dead-letter records and the headers that carry their reason. */
public final class DeadLetters {

    public static final String HEADER_REASON = "newsline.dlq.reason";
    public static final String HEADER_DETAIL = "newsline.dlq.detail";
    public static final String HEADER_SERVICE = "newsline.dlq.service";
    public static final String HEADER_ORIGIN = "newsline.dlq.origin";
    public static final String HEADER_ERROR_CLASS = "newsline.dlq.error.class";

    /**
     * Original payloads above this size are truncated in the dead letter. Half of Kafka's default
     * record limit (max.request.size and message.max.bytes, 1 MiB): a payload cut at the full 1 MiB
     * made the dead letter itself too large to send, and a dead letter that cannot be sent stops
     * the service that writes it.
     */
    public static final int MAX_PAYLOAD_BYTES = 512 * 1024;

    /** Details above this many characters are cut; the detail travels twice, in the value and a header. */
    public static final int MAX_DETAIL_CHARS = 4096;

    private DeadLetters() {
    }

    public static DeadLetter of(String service, String reason, String detail, Throwable error,
                                String origin, Integer partition, Long offset, byte[] key, byte[] payload) {
        return DeadLetter.newBuilder()
                .setService(service)
                .setReason(reason)
                .setDetail(detail == null ? "" : detail.length() <= MAX_DETAIL_CHARS ? detail
                        : detail.substring(0, MAX_DETAIL_CHARS - 3) + "...")
                .setErrorClass(error == null ? null : error.getClass().getName())
                .setOrigin(origin)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setPayload(payload == null ? null
                        : ByteBuffer.wrap(payload.length > MAX_PAYLOAD_BYTES
                                ? Arrays.copyOf(payload, MAX_PAYLOAD_BYTES) : payload))
                .setFailedAt(Instant.now())
                .build();
    }

    public static Headers headers(DeadLetter letter) {
        Headers headers = new RecordHeaders();
        headers.add(HEADER_SERVICE, utf8(letter.getService()));
        headers.add(HEADER_REASON, utf8(letter.getReason()));
        headers.add(HEADER_DETAIL, utf8(letter.getDetail()));
        if (letter.getOrigin() != null) {
            headers.add(HEADER_ORIGIN, utf8(letter.getOrigin()));
        }
        if (letter.getErrorClass() != null) {
            headers.add(HEADER_ERROR_CLASS, utf8(letter.getErrorClass()));
        }
        return headers;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

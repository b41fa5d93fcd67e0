package dev.newsline.model.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A record that cannot be encoded or decoded: truncated, corrupt, or not our wire format. */
public class InvalidRecordException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Short machine-readable reason code used in dead-letter headers. */
    public String reason() {
        return "invalid-record";
    }
}

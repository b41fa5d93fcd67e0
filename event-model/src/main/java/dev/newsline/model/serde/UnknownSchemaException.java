package dev.newsline.model.serde;

import java.util.List;
import java.util.stream.Collectors;

/** A single-object encoded record whose writer-schema fingerprint this build does not know. */
public class UnknownSchemaException extends InvalidRecordException {

    private static final long serialVersionUID = 1L;

    private final long fingerprint;

    public UnknownSchemaException(String recordName, long fingerprint, List<Long> known) {
        super("unknown schema version for " + recordName + ": writer fingerprint "
                + AvroCodec.hex(fingerprint) + " is not one of the known versions ["
                + known.stream().map(AvroCodec::hex).collect(Collectors.joining(", "))
                + "]; upgrade this consumer or register the writer schema in schemas/history", null);
        this.fingerprint = fingerprint;
    }

    public long fingerprint() {
        return fingerprint;
    }

    @Override
    public String reason() {
        return "unknown-schema";
    }
}

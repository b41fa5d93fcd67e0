package dev.newsline.ingest.article;

/** Input that cannot become an article; {@link #reason()} is the dead-letter reason code. */
public class RejectedInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public RejectedInputException(String reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}

package dev.newsline.sink.store;

/**
 * An embedded H2 store that another process has open: H2 locks its file for one process, so
 * a reader has to go through that process (the sink's HTTP API) instead.
 */
public final class StoreInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    StoreInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.newsline.ops;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One named condition of {@code /health/ready}. Evaluated on every request, from the server's
 * threads: it must be quick, thread-safe and must not block (read a volatile, not a broker).
 */
@FunctionalInterface
public interface ReadinessCheck {

    /** Why the service is not ready, short and free of secrets; empty when it is ready. */
    Optional<String> problem();

    /** Ready while {@code ready} is true, otherwise failing with {@code otherwise}. */
    static ReadinessCheck of(BooleanSupplier ready, String otherwise) {
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(otherwise, "otherwise");
        return () -> ready.getAsBoolean() ? Optional.empty() : Optional.of(otherwise);
    }
}

package dev.newsline.ingest.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body in memory up to a cap and cancels the stream (closing the connection)
 * past it, so a server cannot make us buffer more than the cap. Past the cap the body either
 * fails with {@code too-large} or, for responses whose body we do not need, ends truncated.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

    private final long cap;
    private final boolean failOnOverflow;
    private final long declaredLength;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;
    private long received;

    /**
     * @param declaredLength Content-Length, or -1
     */
    CappedBodySubscriber(long cap, boolean failOnOverflow, long declaredLength) {
        this.cap = cap;
        this.failOnOverflow = failOnOverflow;
        this.declaredLength = declaredLength;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (failOnOverflow && declaredLength > cap) {
            s.cancel();
            result.completeExceptionally(tooLarge("Content-Length " + declaredLength));
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            int n = item.remaining();
            if (received + n > cap) {
                subscription.cancel();
                if (failOnOverflow) {
                    result.completeExceptionally(tooLarge("body"));
                } else {
                    result.complete(buffer.toByteArray());
                }
                return;
            }
            received += n;
            byte[] chunk = new byte[n];
            item.get(chunk);
            buffer.write(chunk, 0, n);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(buffer.toByteArray());
    }

    private FetchException tooLarge(String what) {
        return new FetchException("too-large", what + " exceeds the limit of " + cap + " bytes (ingest.http.max.bytes)");
    }
}

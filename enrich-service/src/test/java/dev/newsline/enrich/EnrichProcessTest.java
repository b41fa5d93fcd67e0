package dev.newsline.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EnrichProcessTest {

    @Test
    void shouldStopItsEndpointsWhenStartingFailsWithAnError() {
        AtomicReference<URI> served = new AtomicReference<>();
        AtomicReference<EnrichProcess> self = new AtomicReference<>();
        EnrichProcess process = new EnrichProcess(new EnrichConfig(Map.of()), InetSocketAddress.createUnresolved("127.0.0.1", 0),
                () -> {
                    // the endpoints are up while the models load; then loading fails as a broken jar would
                    served.set(self.get().opsUri().orElseThrow());
                    throw new NoClassDefFoundError("edu/stanford/nlp/ie/crf/CRFClassifier");
                });
        self.set(process);

        assertThatThrownBy(process::start).isInstanceOf(NoClassDefFoundError.class);

        assertThat(served.get()).isNotNull();
        assertThat(process.opsUri()).isEmpty();
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(served.get().resolve("health/live"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
    }
}

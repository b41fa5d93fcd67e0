package dev.newsline.sink.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.sink.SinkConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiAddressFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldSitNextToAnEmbeddedH2FileOnly() {
        Path store = dir.resolve("store").resolve("newsline");
        assertThat(ApiAddressFile.forStore(SinkConfig.h2Url(store))).hasValue(dir.resolve("store/newsline.api"));
        assertThat(ApiAddressFile.forStore("jdbc:h2:" + store + ";MODE=PostgreSQL"))
                .hasValue(dir.resolve("store/newsline.api"));
        assertThat(ApiAddressFile.forStore("jdbc:h2:~/news;MODE=PostgreSQL"))
                .hasValue(Path.of(System.getProperty("user.home"), "news.api"));
        assertThat(ApiAddressFile.forStore("jdbc:h2:mem:test;MODE=PostgreSQL")).isEmpty();
        assertThat(ApiAddressFile.forStore("jdbc:h2:tcp://db:9092/news;MODE=PostgreSQL")).isEmpty();
        assertThat(ApiAddressFile.forStore("jdbc:postgresql://127.0.0.1:5432/test")).isEmpty();
    }

    @Test
    void shouldReadWhatItWroteAndDeleteOnlyItsOwnAddress() throws Exception {
        Path file = dir.resolve("newsline.api");
        URI mine = URI.create("http://127.0.0.1:8085/");
        URI later = URI.create("http://127.0.0.1:9000/");

        ApiAddressFile.write(file, mine);
        assertThat(ApiAddressFile.read(file)).hasValue(mine);

        ApiAddressFile.write(file, later);
        ApiAddressFile.deleteIfOurs(file, mine);
        assertThat(ApiAddressFile.read(file)).hasValue(later);
        ApiAddressFile.deleteIfOurs(file, later);
        assertThat(file).doesNotExist();

        Files.writeString(file, "not a url at all");
        assertThat(ApiAddressFile.read(file)).isEmpty();
        assertThat(ApiAddressFile.read(dir.resolve("missing.api"))).isEmpty();
    }
}

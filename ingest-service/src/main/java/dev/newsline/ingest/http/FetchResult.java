package dev.newsline.ingest.http;

import java.net.URI;

/** What a successful fetch returned: a document, or word that it has not changed. */
public sealed interface FetchResult {

    /** URL that finally answered, after redirects. */
    URI url();

    /**
     * A feed document.
     *
     * @param url         URL that answered, after redirects
     * @param body        the document, decompressed, at most {@code ingest.http.max.bytes}
     * @param contentType Content-Type header, or null
     * @param validators  validators to send with the next request
     */
    record Fetched(URI url, byte[] body, String contentType, Validators validators) implements FetchResult {
    }

    /** 304: the document did not change since the validators were issued. */
    record NotModified(URI url, Validators validators) implements FetchResult {
    }
}

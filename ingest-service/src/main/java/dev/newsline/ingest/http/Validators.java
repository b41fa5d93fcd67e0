package dev.newsline.ingest.http;

/**
 * The cache validators of the last feed document received, sent back as If-None-Match and
 * If-Modified-Since so an unchanged feed answers 304. Values are kept verbatim.
 *
 * @param etag         ETag header, or null
 * @param lastModified Last-Modified header, or null
 */
public record Validators(String etag, String lastModified) {

    public static final Validators NONE = new Validators(null, null);

    public boolean isEmpty() {
        return etag == null && lastModified == null;
    }
}

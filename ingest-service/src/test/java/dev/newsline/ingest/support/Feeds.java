package dev.newsline.ingest.support;

import java.util.List;

/** Small RSS 2.0 documents with fictional items, written for these tests. */
public final class Feeds {

    /** One item; null fields are left out. */
    public record Item(String link, String guid, String title, String description, String pubDate) {

        public static Item of(String link, String title, String description) {
            return new Item(link, null, title, description, "Mon, 30 Nov 2026 07:00:00 GMT");
        }
    }

    private Feeds() {
    }

    public static String rss(String title, List<Item> items) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>")
                .append("<title>").append(title).append("</title><link>https://fictional.example/</link>")
                .append("<description>Invented news for tests</description><language>en</language>\n");
        for (Item item : items) {
            sb.append("<item>");
            element(sb, "title", item.title());
            element(sb, "link", item.link());
            if (item.guid() != null) {
                sb.append("<guid isPermaLink=\"false\">").append(item.guid()).append("</guid>");
            }
            element(sb, "description", item.description());
            element(sb, "pubDate", item.pubDate());
            sb.append("</item>\n");
        }
        return sb.append("</channel></rss>\n").toString();
    }

    private static void element(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append('<').append(name).append('>').append(value).append("</").append(name).append('>');
        }
    }
}

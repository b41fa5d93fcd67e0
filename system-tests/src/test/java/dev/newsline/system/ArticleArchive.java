package dev.newsline.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A generated archive (JSON Lines, the format of {@code newsctl replay}) of short local-news
 * articles, the same for the same seed. Every name, organisation and place is invented for this
 * test. Each article (about 60-100 words) names a few people, organisations and places and holds
 * support and opposition sentences ("X rejected the plan", "Y backed the merger"), so that the
 * enriched store has entities, mentions and stances to compare. Publication times are in the past,
 * a few minutes apart, from {@link #FIRST_PUBLISHED} on.
 */
final class ArticleArchive {

    static final Instant FIRST_PUBLISHED = Instant.parse("2026-09-01T06:00:00Z");

    private static final String[] FIRST = {"Elena", "Marcus", "Ingrid", "Tomas", "Hannah", "Samuel", "Clara", "Dmitri",
        "Naomi", "Kofi", "Lucia", "Piotr", "Amara", "Jonas", "Freya", "Rafael", "Sofia", "Oskar", "Leila", "Anton"};
    private static final String[] LAST = {"Varholt", "Okemba", "Strandqvist", "Reinmark", "Kowalczek", "Adeyinka",
        "Whitmore", "Volkhov", "Fischbach", "Mensara", "Ferrantelli", "Nowacki", "Delacroixe", "Halvorsen", "Brannigan",
        "Castellano", "Lindemar", "Petrakis", "Oyelaran", "Marchetto", "Duvalier", "Kaldmann", "Esterhazy", "Tarvainen",
        "Moravec", "Quinlivan", "Szabadi", "Ekwueme", "Rosenthal", "Vasquero"};
    private static final String[] ORGS = {"Borealis Energy", "Northgate Rail Authority", "Civic Renewal Party",
        "Harbour City Council", "Eastmere Water Company", "National Transport Workers Union", "Carrow Securities",
        "Brightwater Holdings", "Westvale Hospital Trust", "Lakeside Farmers Association", "Meridian Telecom",
        "Silverline Ports Group", "Green Valley Alliance", "Ostrava Steelworks", "Redfern Housing Cooperative",
        "Kestrel Airways", "Fairhaven University", "Tidewater Bank", "Summit Retail Group", "Ironbridge Chamber of Commerce"};
    private static final String[] PLACES = {"Port Allen", "Eastfield", "Harbourne", "Westmere", "Lindow", "Carrowmore",
        "Northbridge", "Ashcombe", "Kilbury", "Redwater", "Stonehaven", "Marlow Bay", "Greywick", "Oakhurst",
        "Tamsford", "Bellmoor", "Dunmere", "Fenwick", "Highcliff", "Saltash Vale"};
    private static final String[] ROLES = {"chair", "chief executive", "leader", "spokesperson", "director",
        "treasurer", "general secretary", "president"};
    private static final String[] PLANS = {"budget plan", "merger", "rail proposal", "port expansion", "water tariff",
        "housing bill", "tax reform", "hospital plan", "wind farm", "bus contract", "school closures", "bridge repairs"};
    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    private static final String[] SOURCES = {"North Harbour Post", "Capital Ledger", "Eastfield Daily",
        "Westmere Courier", "Valley Wire", "Coastal Record"};
    private static final String[] SECTIONS = {"politics", "business", "local", "transport", "energy", "health"};

    private ArticleArchive() {
    }

    /** Writes {@code count} articles to {@code file}; the same seed gives the same bytes. */
    static void write(Path file, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ObjectMapper json = new ObjectMapper();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            Instant published = FIRST_PUBLISHED;
            for (int i = 0; i < count; i++) {
                published = published.plus(Duration.ofSeconds(240 + random.nextInt(360)));
                out.write(json.writeValueAsString(article(i, published, random, json)));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the archive " + file, e);
        }
    }

    private static ObjectNode article(int i, Instant published, SplittableRandom r, ObjectMapper json) {
        String p1 = person(r);
        String p2 = person(r);
        while (p2.equals(p1)) {
            p2 = person(r);
        }
        String p3 = person(r);
        String org1 = pick(r, ORGS);
        String org2 = pick(r, ORGS);
        while (org2.equals(org1)) {
            org2 = pick(r, ORGS);
        }
        String place1 = pick(r, PLACES);
        String place2 = pick(r, PLACES);
        String plan = pick(r, PLANS);
        String day = pick(r, DAYS);
        String role = pick(r, ROLES);
        String surname1 = p1.substring(p1.indexOf(' ') + 1);

        List<String> sentences = new ArrayList<>();
        sentences.add(p1 + ", the " + role + " of " + org1 + ", rejected the " + plan + " on " + day + ".");
        sentences.add(p2 + " backed the " + plan + ", saying it would bring jobs to " + place1 + ".");
        sentences.add("Officials in " + place1 + " said the scheme would cost about " + (12 + r.nextInt(480))
                + " million euros over " + (2 + r.nextInt(7)) + " years.");
        List<String> optional = new ArrayList<>(List.of(
                "The " + org2 + " welcomed the decision but warned that " + place2 + " needed more support.",
                p3 + " criticised " + org1 + " for the long delay.",
                "Residents of " + place2 + " met on " + day + " evening to discuss the changes.",
                surname1 + " said the figures did not add up and called for an independent review.",
                p3 + " praised " + p2 + " for a careful and honest approach.",
                "A spokesperson for " + org2 + " declined to comment on the talks.",
                "The " + org1 + " condemned the cuts to services in " + place2 + ".",
                "A final vote is expected next week, " + p2 + " told reporters in " + place1 + "."));
        int extra = 2 + r.nextInt(4);
        for (int k = 0; k < extra; k++) {
            sentences.add(optional.remove(r.nextInt(optional.size())));
        }
        String body = String.join(" ", sentences.subList(0, 3)) + "\n\n"
                + String.join(" ", sentences.subList(3, sentences.size()));

        String title = switch (r.nextInt(3)) {
            case 0 -> surname1 + " rejects " + plan + " as " + place1 + " waits";
            case 1 -> org1 + " divided over " + plan;
            default -> "Row over " + plan + " in " + place1;
        };
        int section = r.nextInt(SECTIONS.length);
        String source = SOURCES[r.nextInt(SOURCES.length)];
        String domain = source.toLowerCase(Locale.ROOT).replace(" ", "");
        ObjectNode a = json.createObjectNode();
        a.put("url", "https://www." + domain + ".example/" + SECTIONS[section] + "/2026/" + i + "/"
                + plan.replace(' ', '-') + "-" + place1.toLowerCase(Locale.ROOT).replace(' ', '-'));
        a.put("title", title);
        a.put("body", body);
        a.put("published", published.toString());
        a.put("source", source);
        a.put("language", "en");
        a.putArray("authors").add(person(r));
        a.putArray("categories").add(SECTIONS[section]);
        return a;
    }

    private static String person(SplittableRandom r) {
        return pick(r, FIRST) + " " + pick(r, LAST);
    }

    private static String pick(SplittableRandom r, String[] values) {
        return values[r.nextInt(values.length)];
    }
}

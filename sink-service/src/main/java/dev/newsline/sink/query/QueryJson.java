package dev.newsline.sink.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.newsline.model.EntityType;
import dev.newsline.model.StancePolarity;
import dev.newsline.sink.store.ArticleSummary;
import dev.newsline.sink.store.EntitySummary;
import dev.newsline.sink.store.StanceView;
import dev.newsline.sink.store.TopEntity;
import dev.newsline.sink.store.TrendPoint;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The JSON form of {@link Answers}: what the sink's HTTP API serves and {@code newsctl query
 * --json} prints, and the reverse, for clients of the API. Field names are camelCase, times are
 * ISO-8601 UTC strings, absent values are {@code null} (fields are never left out), enums are
 * their names. Errors are {@code {"status": 400, "error": "..."}}, with {@code candidates} when
 * an entity name is ambiguous.
 */
public final class QueryJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private QueryJson() {
    }

    // --- answers to JSON ---

    public static ObjectNode toJson(Answers.Latest answer) {
        ObjectNode json = MAPPER.createObjectNode();
        if (answer.entity() == null) {
            json.putNull("entity");
        } else {
            json.set("entity", entity(answer.entity()));
        }
        array(json, "articles", answer.articles(), QueryJson::article);
        return json;
    }

    public static ObjectNode toJson(Answers.Top answer) {
        ObjectNode json = MAPPER.createObjectNode();
        putTime(json, "from", answer.from());
        putTime(json, "to", answer.to());
        array(json, "entities", answer.entities(), QueryJson::topEntity);
        return json;
    }

    public static ObjectNode toJson(Answers.Stances answer) {
        ObjectNode json = MAPPER.createObjectNode();
        json.set("entity", entity(answer.entity()));
        array(json, "asHolder", answer.asHolder(), QueryJson::stance);
        array(json, "asTarget", answer.asTarget(), QueryJson::stance);
        return json;
    }

    public static ObjectNode toJson(Answers.Trend answer) {
        ObjectNode json = MAPPER.createObjectNode();
        json.set("entity", entity(answer.entity()));
        putTime(json, "from", answer.from());
        putTime(json, "to", answer.to());
        array(json, "points", answer.points(), QueryJson::trendPoint);
        return json;
    }

    public static ObjectNode entity(EntitySummary e) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("id", e.id());
        json.put("name", e.name());
        json.put("type", e.type().name());
        putTime(json, "firstSeen", e.firstSeen());
        putTime(json, "lastSeen", e.lastSeen());
        return json;
    }

    /** An error body: the HTTP status and a message for people, plus the candidates of an ambiguous name. */
    public static ObjectNode error(int status, String message, List<EntitySummary> candidates) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("status", status);
        json.put("error", message);
        if (!candidates.isEmpty()) {
            array(json, "candidates", candidates, QueryJson::entity);
        }
        return json;
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Compact UTF-8 JSON, as the API sends it. */
    public static byte[] bytes(JsonNode json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Indented JSON, as {@code newsctl query --json} prints it. */
    public static String pretty(JsonNode json) {
        try {
            return PRETTY.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    // --- JSON to answers ---

    /**
     * Parses a JSON document.
     *
     * @throws IllegalArgumentException if it is not JSON
     */
    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @throws IllegalArgumentException if a field is missing or malformed */
    public static Answers.Latest latest(JsonNode json) {
        JsonNode entity = json.path("entity");
        return new Answers.Latest(entity.isNull() || entity.isMissingNode() ? null : readEntity(entity),
                list(json, "articles", QueryJson::readArticle));
    }

    /** @throws IllegalArgumentException if a field is missing or malformed */
    public static Answers.Top top(JsonNode json) {
        return new Answers.Top(time(json, "from"), time(json, "to"), list(json, "entities", QueryJson::readTopEntity));
    }

    /** @throws IllegalArgumentException if a field is missing or malformed */
    public static Answers.Stances stances(JsonNode json) {
        return new Answers.Stances(readEntity(required(json, "entity")), list(json, "asHolder", QueryJson::readStance),
                list(json, "asTarget", QueryJson::readStance));
    }

    /** @throws IllegalArgumentException if a field is missing or malformed */
    public static Answers.Trend trend(JsonNode json) {
        return new Answers.Trend(readEntity(required(json, "entity")), time(json, "from"), time(json, "to"),
                list(json, "points", QueryJson::readTrendPoint));
    }

    /** @throws IllegalArgumentException if a field is missing or malformed */
    public static EntitySummary readEntity(JsonNode json) {
        return new EntitySummary(text(json, "id"), text(json, "name"), EntityType.valueOf(text(json, "type")),
                time(json, "firstSeen"), time(json, "lastSeen"));
    }

    // --- pieces ---

    private static ObjectNode article(ArticleSummary a) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("id", a.id());
        json.put("url", a.url());
        json.put("title", a.title());
        json.put("source", a.source());
        json.put("language", a.language());
        putTime(json, "published", a.published());
        json.put("tonePolarity", a.tonePolarity());
        return json;
    }

    private static ArticleSummary readArticle(JsonNode json) {
        return new ArticleSummary(text(json, "id"), text(json, "url"), text(json, "title"), text(json, "source"),
                text(json, "language"), time(json, "published"), number(json, "tonePolarity"));
    }

    private static ObjectNode topEntity(TopEntity e) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("id", e.id());
        json.put("name", e.name());
        json.put("type", e.type().name());
        json.put("articleCount", e.articleCount());
        json.put("meanSentiment", e.meanSentiment());
        return json;
    }

    private static TopEntity readTopEntity(JsonNode json) {
        return new TopEntity(text(json, "id"), text(json, "name"), EntityType.valueOf(text(json, "type")),
                (long) number(json, "articleCount"), number(json, "meanSentiment"));
    }

    private static ObjectNode stance(StanceView s) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("articleId", s.articleId());
        putTime(json, "published", s.published());
        json.put("ordinal", s.ordinal());
        json.put("holderId", s.holderId());
        json.put("holderName", s.holderName());
        json.put("targetId", s.targetId());
        json.put("targetText", s.targetText());
        json.put("polarity", s.polarity().name());
        json.put("cue", s.cue());
        json.put("evidence", s.evidence());
        json.put("confidence", s.confidence());
        return json;
    }

    private static StanceView readStance(JsonNode json) {
        return new StanceView(text(json, "articleId"), time(json, "published"), (int) number(json, "ordinal"),
                text(json, "holderId"), text(json, "holderName"), text(json, "targetId"), text(json, "targetText"),
                StancePolarity.valueOf(text(json, "polarity")), text(json, "cue"), text(json, "evidence"),
                number(json, "confidence"));
    }

    private static ObjectNode trendPoint(TrendPoint p) {
        ObjectNode json = MAPPER.createObjectNode();
        putTime(json, "windowStart", p.windowStart());
        putTime(json, "windowEnd", p.windowEnd());
        json.put("articleCount", p.articleCount());
        json.put("meanSentiment", p.meanSentiment());
        return json;
    }

    private static TrendPoint readTrendPoint(JsonNode json) {
        return new TrendPoint(time(json, "windowStart"), time(json, "windowEnd"), (long) number(json, "articleCount"),
                number(json, "meanSentiment"));
    }

    private static <T> void array(ObjectNode parent, String field, List<T> items, Function<T, ObjectNode> toJson) {
        ArrayNode array = parent.putArray(field);
        items.forEach(item -> array.add(toJson.apply(item)));
    }

    private static void putTime(ObjectNode json, String field, Instant value) {
        if (value == null) {
            json.putNull(field);
        } else {
            json.put(field, value.toString());
        }
    }

    private static <T> List<T> list(JsonNode json, String field, Function<JsonNode, T> reader) {
        JsonNode array = required(json, field);
        if (!array.isArray()) {
            throw new IllegalArgumentException("'" + field + "' is not an array");
        }
        List<T> items = new ArrayList<>();
        array.forEach(item -> items.add(reader.apply(item)));
        return items;
    }

    private static JsonNode required(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return value;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = required(json, field);
        return value.isNull() ? null : value.asText();
    }

    private static double number(JsonNode json, String field) {
        JsonNode value = required(json, field);
        if (!value.isNumber() && !value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is not a number");
        }
        return value.asDouble();
    }

    private static Instant time(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "' is not an ISO-8601 instant: " + value.asText(), e);
        }
    }
}

package dev.newsline.model.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema evolution gate: every schema in {@code src/main/avro} must read records written with
 * every released version of itself ({@code src/main/resources/schemas/history/<Name>.list}), by
 * Avro's own resolution rules, so that a consumer built from this tree decodes whatever a released
 * producer wrote. The history is read from the source folder, not the classpath, because the test
 * classpath carries a test-only {@code RawArticle.list} that shadows the released one.
 */
class SchemaHistoryTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path AVRO = MODULE.resolve("src/main/avro");
    private static final Path HISTORY = MODULE.resolve("src/main/resources/schemas/history");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> schemaNames() throws IOException {
        return currentSchemas().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void shouldReadEveryReleasedVersionWithTheCurrentSchema(String name) throws IOException {
        Schema current = currentSchemas().get(name);
        List<String> problems = new ArrayList<>();
        for (String file : releasedFiles(name)) {
            problems.addAll(incompatibilities(current, "src/main/avro/" + name + ".avsc", released(file), file));
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems) + "\nA consumer built from this tree could not decode what a released "
                    + "producer wrote. Give new fields a default, keep removed enum symbols (or give the enum a "
                    + "default), keep field types; or publish the record under a new name on a new topic.");
        }
    }

    @Test
    void shouldListEveryReleasedSchemaFileAndNothingElse() throws IOException {
        Map<String, Schema> current = currentSchemas();
        List<String> listed = new ArrayList<>();
        for (String name : current.keySet()) {
            for (String file : releasedFiles(name)) {
                assertThat(HISTORY.resolve(file)).as("%s.list names %s", name, file).isRegularFile();
                assertThat(released(file).getFullName()).as("record in %s", file)
                        .isEqualTo(current.get(name).getFullName());
                listed.add(file);
            }
        }
        try (Stream<Path> files = Files.list(HISTORY)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".avsc")))
                    .as("released schema files in %s that no .list names (AvroCodec would not read them)", HISTORY)
                    .containsExactlyInAnyOrderElementsOf(listed);
        }
    }

    @Test
    void shouldRejectAFieldAddedWithoutADefault() throws IOException {
        Schema changed = variant("RawArticle", fields -> fields.addObject().put("name", "wordCount").put("type", "int"));

        List<String> problems = incompatibilities(changed, "RawArticle (changed)", released("RawArticle-v1.avsc"),
                "RawArticle-v1.avsc");

        assertThat(problems).singleElement().asString()
                .contains("RawArticle (changed) cannot read records written with released RawArticle-v1.avsc")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("wordCount");
    }

    @Test
    void shouldRejectAChangedFieldType() throws IOException {
        Schema changed = variant("EntityTrend", fields -> {
            for (var field : fields) {
                if (field.get("name").asText().equals("articleCount")) {
                    ((ObjectNode) field).put("type", "string");
                }
            }
        });

        assertThat(incompatibilities(changed, "EntityTrend (changed)", released("EntityTrend-v1.avsc"),
                "EntityTrend-v1.avsc"))
                .singleElement().asString().contains("TYPE_MISMATCH").contains("/fields/5/type");
    }

    @Test
    void shouldRejectARemovedEnumSymbolWithoutAnEnumDefault() throws IOException {
        // EntityType has no enum default, so a reader without MISC cannot place a MISC record
        Schema changed = variant("EntityMention", fields -> {
            for (var field : fields) {
                if (field.get("name").asText().equals("type")) {
                    ArrayNode symbols = (ArrayNode) field.get("type").get("symbols");
                    symbols.remove(symbols.size() - 1);
                }
            }
        });

        assertThat(incompatibilities(changed, "EntityMention (changed)", released("EntityMention-v1.avsc"),
                "EntityMention-v1.avsc"))
                .singleElement().asString().contains("MISSING_ENUM_SYMBOLS").contains("MISC");
    }

    @Test
    void shouldAcceptAnOptionalFieldWithADefault() throws IOException {
        Schema changed = variant("RawArticle", fields -> {
            ObjectNode field = fields.addObject().put("name", "wordCount");
            field.putArray("type").add("null").add("int");
            field.putNull("default");
        });

        assertThat(incompatibilities(changed, "RawArticle (changed)", released("RawArticle-v1.avsc"),
                "RawArticle-v1.avsc")).isEmpty();
    }

    /** Why {@code reader} cannot read what {@code writer} wrote, one line per incompatibility; empty if it can. */
    static List<String> incompatibilities(Schema reader, String readerName, Schema writer, String writerName) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (Incompatibility i : result.getResult().getIncompatibilities()) {
            lines.add(String.format("%s cannot read records written with released %s: %s at %s: %s", readerName,
                    writerName, i.getType(), i.getLocation(), i.getMessage()));
        }
        return lines;
    }

    /** The schemas as the build generates them: common types first, then every top-level record. */
    static Map<String, Schema> currentSchemas() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        for (Path common : avscFiles(AVRO.resolve("common"))) {
            parser.parse(common.toFile());
        }
        Map<String, Schema> schemas = new TreeMap<>();
        for (Path file : avscFiles(AVRO)) {
            Schema schema = parser.parse(file.toFile());
            assertThat(file.getFileName().toString()).as("file name of record %s", schema.getName())
                    .isEqualTo(schema.getName() + ".avsc");
            schemas.put(schema.getName(), schema);
        }
        assertThat(schemas).as("schemas in %s", AVRO).isNotEmpty();
        return schemas;
    }

    /** The released versions of {@code name}, as AvroCodec reads the list. */
    static List<String> releasedFiles(String name) throws IOException {
        Path list = HISTORY.resolve(name + ".list");
        if (!Files.isRegularFile(list)) {
            fail(name + " has no released history: add " + MODULE.relativize(list) + " naming a copy "
                    + "of the released schema (" + name + "-v1.avsc, every named type inlined) so that later changes "
                    + "are checked against it");
        }
        List<String> files = Files.readAllLines(list, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(files).as("versions listed in %s", list).isNotEmpty();
        return files;
    }

    static Schema released(String file) throws IOException {
        // a released schema must stand alone: AvroCodec parses each file with a fresh parser
        return new Schema.Parser().parse(HISTORY.resolve(file).toFile());
    }

    private static Schema variant(String name, Consumer<ArrayNode> change) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(currentSchemas().get(name).toString());
        change.accept((ArrayNode) json.get("fields"));
        return new Schema.Parser().parse(json.toString());
    }

    private static List<Path> avscFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
    }
}

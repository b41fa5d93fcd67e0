package dev.newsline.enrich.lexicon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads our tab-separated lexicon files: '#' starts a comment line, blank lines are skipped. */
public final class LexiconFile {

    private LexiconFile() {
    }

    /** Rows of a classpath resource, each split on TAB into exactly {@code columns} fields. */
    public static List<String[]> resource(String name, int columns) {
        try (InputStream in = LexiconFile.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("lexicon resource " + name + " is missing from the classpath");
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), columns);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lexicon " + name, e);
        }
    }

    public static List<String[]> file(Path path, int columns) {
        try {
            return parse(path.toString(), Files.readString(path), columns);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lexicon " + path, e);
        }
    }

    static List<String[]> parse(String name, String content, int columns) {
        List<String[]> rows = new ArrayList<>();
        String[] lines = content.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length != columns) {
                throw new IllegalStateException(name + ":" + (i + 1) + ": expected " + columns
                        + " tab-separated fields, found " + fields.length);
            }
            for (int f = 0; f < fields.length; f++) {
                fields[f] = fields[f].strip();
            }
            rows.add(fields);
        }
        return rows;
    }
}

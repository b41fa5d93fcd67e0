package dev.newsline.enrich.lexicon;

import dev.newsline.model.EntityType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Aliases of entities: "U.S." and "US" are "United States", "EU" is "European Union". The
 * bundled {@code lexicon/aliases.tsv} is read first, then any files the user configures
 * ({@code enrich.aliases.files}); a later file overrides an earlier one. Matching is
 * case-sensitive first ("US" is not "us"), then case-insensitive for aliases of four or more
 * characters. Immutable once loaded.
 */
public final class AliasTable {

    /** What an alias stands for. */
    public record Canonical(String name, EntityType type) {
    }

    private final Map<String, Canonical> exact;
    private final Map<String, Canonical> folded;
    private final Map<Canonical, List<String>> byCanonical;

    private AliasTable(Map<String, Canonical> exact, Map<String, Canonical> folded) {
        this.exact = Map.copyOf(exact);
        this.folded = Map.copyOf(folded);
        Map<Canonical, List<String>> reverse = new HashMap<>();
        exact.forEach((alias, c) -> reverse.computeIfAbsent(c, k -> new java.util.ArrayList<>()).add(alias));
        Map<Canonical, List<String>> frozen = new HashMap<>();
        reverse.forEach((c, list) -> frozen.put(c, List.copyOf(list)));
        this.byCanonical = Map.copyOf(frozen);
    }

    public static AliasTable load(List<Path> extraFiles) {
        Map<String, Canonical> exact = new HashMap<>();
        add(exact, LexiconFile.resource("/lexicon/aliases.tsv", 3), "lexicon/aliases.tsv");
        for (Path file : extraFiles) {
            add(exact, LexiconFile.file(file, 3), file.toString());
        }
        // every canonical name is an alias of itself, so its type is fixed too
        Map<String, Canonical> withSelf = new HashMap<>();
        exact.values().forEach(c -> withSelf.put(c.name(), c));
        withSelf.putAll(exact);
        Map<String, Canonical> folded = new HashMap<>();
        withSelf.forEach((alias, c) -> {
            if (alias.length() >= 4) {
                folded.putIfAbsent(alias.toLowerCase(Locale.ROOT), c);
            }
        });
        return new AliasTable(withSelf, folded);
    }

    /** Every alias (and the name itself) that stands for the canonical entity. */
    public List<String> aliasesOf(Canonical canonical) {
        return byCanonical.getOrDefault(canonical, List.of());
    }

    public Optional<Canonical> lookup(String surface) {
        Canonical c = exact.get(surface);
        if (c == null && surface.length() >= 4) {
            c = folded.get(surface.toLowerCase(Locale.ROOT));
        }
        return Optional.ofNullable(c);
    }

    private static void add(Map<String, Canonical> into, List<String[]> rows, String source) {
        for (String[] row : rows) {
            EntityType type;
            try {
                type = EntityType.valueOf(row[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(source + ": alias '" + row[0] + "' has unknown type " + row[2]
                        + " (expected PERSON, ORGANIZATION, LOCATION or MISC)", e);
            }
            into.put(row[0], new Canonical(row[1], type));
        }
    }
}

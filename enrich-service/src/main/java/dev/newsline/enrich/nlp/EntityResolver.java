package dev.newsline.enrich.nlp;

import dev.newsline.enrich.lexicon.AliasTable;
import dev.newsline.enrich.text.FieldText;
import dev.newsline.enrich.text.Token;
import dev.newsline.model.EntityType;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns tagged spans into document entities with canonical ids:
 * <ol>
 *   <li>drops pronouns and spans with no letter;</li>
 *   <li>label consistency: a name gets the type most of its occurrences got, and untagged
 *       occurrences of a tagged name elsewhere in the article are tagged too;</li>
 *   <li>aliases: "U.S." and "United States" share one entity (alias table);</li>
 *   <li>short forms: a surname after the full name ("Varga" after "Elena Varga"), or part of an
 *       organisation's name ("Helix" after "Helix Dynamics"), joins the one longer name that
 *       contains it; when several would fit it stays on its own;</li>
 *   <li>id = type prefix + ':' + the canonical name folded to ASCII lower case with dashes.</li>
 * </ol>
 */
public final class EntityResolver {

    private static final Set<String> PRONOUNS = Set.of(
            "i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "he", "him", "his",
            "she", "her", "hers", "it", "its", "they", "them", "their", "theirs", "this", "that", "these",
            "those", "who", "whom", "whose", "which", "what", "the", "a", "an");

    private final AliasTable aliases;

    public EntityResolver(AliasTable aliases) {
        this.aliases = aliases;
    }

    public List<ResolvedEntity> resolve(List<FieldText> fields, List<Span> tagged) {
        List<Span> spans = new ArrayList<>();
        for (Span s : tagged) {
            if (isNameLike(s.text())) {
                spans.add(s);
            }
        }
        // propagated occurrences take the type most occurrences of the name got; tagged ones keep
        // theirs, so a city and the team named after it stay two entities ("New York")
        Map<String, EntityType> votedType = voteTypes(spans);
        // every alias of an entity the article names counts as a name too ("US" after "U.S.")
        for (String surface : List.copyOf(votedType.keySet())) {
            aliases.lookup(surface).ifPresent(c -> aliases.aliasesOf(c).forEach(a -> votedType.putIfAbsent(a, c.type())));
        }
        // the surname of a full name is a name too: "King" after "Billie Jean King"
        for (Span s : List.copyOf(spans)) {
            if (votedType.get(s.text()) == EntityType.PERSON) {
                String surname = surnameOf(s.text());
                if (surname != null) {
                    votedType.putIfAbsent(surname, EntityType.PERSON);
                }
            }
        }
        spans.addAll(untaggedOccurrences(fields, spans, votedType));
        spans.sort(Comparator.comparing(Span::field).thenComparingInt(Span::start));

        // longest names first, so that short forms find the full name they belong to; an
        // all-capitals form ("REAL" in a headline) after the written form it stands for
        List<Name> names = spans.stream().map(sp -> new Name(sp.text(), sp.type())).distinct()
                .sorted(Comparator.comparingInt((Name n) -> -wordsOf(n.text).size())
                        .thenComparing((Name n) -> isUpperCase(n.text)))
                .collect(Collectors.toList());
        Map<Name, Group> groupOfName = new LinkedHashMap<>();
        Map<String, Group> groups = new LinkedHashMap<>();
        // the first group of each type and name ignoring case: a lookup instead of a scan of all groups
        Map<String, Group> byFoldedName = new HashMap<>();
        for (Name name : names) {
            Group group = writtenForm(name, groupOfName);
            if (group == null) {
                group = aliases.lookup(name.text)
                        .filter(c -> aliasApplies(c.type(), name.type))
                        .map(c -> group(groups, byFoldedName, idOf(c.type(), c.name()), c.name(), c.type(), true))
                        .orElse(null);
            }
            if (group == null) {
                group = byFoldedName.get(foldedKey(name.type, name.text));
            }
            if (group == null) {
                group = containingGroup(name.text, name.type, groups.values());
            }
            if (group == null) {
                group = group(groups, byFoldedName, idOf(name.type, name.text), name.text, name.type, false);
            }
            groupOfName.put(name, group);
        }
        Map<Group, List<Span>> members = new LinkedHashMap<>();
        for (Span sp : spans) {
            Group g = groupOfName.get(new Name(sp.text(), sp.type()));
            members.computeIfAbsent(g, k -> new ArrayList<>()).add(sp.withType(g.type));
        }
        List<ResolvedEntity> out = new ArrayList<>();
        members.forEach((g, list) -> out.add(new ResolvedEntity(g.id, g.name, g.type, List.copyOf(list))));
        return out;
    }

    private record Name(String text, EntityType type) {
    }

    /** Canonical id for a type and name: {@code per:elena-varga}, {@code loc:united-states}. */
    public static String idOf(EntityType type, String name) {
        String folded = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT).replace("&", " and ").replaceAll("[^\\p{L}\\p{N}]+", "-")
                .replaceAll("(^-+|-+$)", "");
        String prefix = switch (type) {
            case PERSON -> "per";
            case ORGANIZATION -> "org";
            case LOCATION -> "loc";
            case MISC -> "misc";
        };
        return prefix + ":" + (folded.isEmpty() ? "unnamed" : folded);
    }

    /**
     * A place name the tagger read as an organisation or a person is metonymy or a namesake (a
     * team named after its city, "Washington" for the government, Jordan the director): the
     * tagger saw the context, so it keeps its own entity. Other disagreements are tagger errors
     * ("Nato" as a place) and the alias table wins.
     */
    private static boolean aliasApplies(EntityType aliasType, EntityType tagged) {
        return aliasType == tagged || aliasType != EntityType.LOCATION
                || (tagged != EntityType.ORGANIZATION && tagged != EntityType.PERSON);
    }

    /** The group of the written form, of the same type, of an all-capitals name. */
    private static Group writtenForm(Name name, Map<Name, Group> groupOfName) {
        if (!isUpperCase(name.text)) {
            return null;
        }
        for (Map.Entry<Name, Group> e : groupOfName.entrySet()) {
            Name written = e.getKey();
            if (written.type == name.type && !written.text.equals(name.text)
                    && written.text.toUpperCase(Locale.ROOT).equals(name.text)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The group with this id, created (and indexed by its folded name) if there is none yet. */
    private static Group group(Map<String, Group> groups, Map<String, Group> byFoldedName, String id, String name,
                               EntityType type, boolean fromAlias) {
        return groups.computeIfAbsent(id, k -> {
            Group created = new Group(k, name, type, fromAlias);
            byFoldedName.putIfAbsent(foldedKey(type, name), created);
            return created;
        });
    }

    /**
     * Type and name folded so that two names have the same key exactly when
     * {@link String#equalsIgnoreCase} holds: each code point upper-cased, then lower-cased.
     */
    private static String foldedKey(EntityType type, String name) {
        StringBuilder key = new StringBuilder(name.length() + 4).append(type.ordinal()).append(':');
        name.codePoints().forEach(cp -> key.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return key.toString();
    }

    private Group containingGroup(String surface, EntityType type, java.util.Collection<Group> groups) {
        List<String> words = wordsOf(surface);
        Group found = null;
        for (Group g : groups) {
            List<String> full = g.words;
            if (full.size() <= words.size() || !compatible(type, g, words, full)) {
                continue;
            }
            if (found != null && found != g) {
                return null;
            }
            found = g;
        }
        return found;
    }

    private static boolean compatible(EntityType type, Group g, List<String> words, List<String> full) {
        if (g.type == EntityType.PERSON) {
            // a surname or a first name, whatever type the tagger gave the short form
            boolean surname = full.subList(full.size() - words.size(), full.size()).equals(words);
            boolean given = type == EntityType.PERSON && full.subList(0, words.size()).equals(words);
            return surname || given;
        }
        if (g.fromAlias) {
            return false;
        }
        // the tagger often takes a company's bare short name for a person ("Quantis" after
        // "Quantis Labs"): the first word of exactly one organisation's name is the stronger evidence
        int at = java.util.Collections.indexOfSubList(full, words);
        return at >= 0 && (type == g.type
                || at == 0 && words.size() == 1 && type == EntityType.PERSON && g.type == EntityType.ORGANIZATION);
    }

    private static Map<String, EntityType> voteTypes(List<Span> spans) {
        Map<String, Map<EntityType, Integer>> votes = new LinkedHashMap<>();
        for (Span s : spans) {
            votes.computeIfAbsent(s.text(), k -> new EnumMap<>(EntityType.class)).merge(s.type(), 1, Integer::sum);
        }
        Map<String, EntityType> out = new HashMap<>();
        votes.forEach((text, counts) -> out.put(text, counts.entrySet().stream()
                .max(Map.Entry.<EntityType, Integer>comparingByValue()).orElseThrow().getKey()));
        return out;
    }

    private static List<Span> untaggedOccurrences(List<FieldText> fields, List<Span> spans, Map<String, EntityType> types) {
        Map<String, List<String>> surfaces = new LinkedHashMap<>();
        for (Span s : spans) {
            surfaces.computeIfAbsent(s.text(), k -> wordsOf(k));
        }
        types.keySet().forEach(k -> surfaces.computeIfAbsent(k, EntityResolver::wordsOf));
        List<Span> added = new ArrayList<>();
        for (FieldText field : fields) {
            List<Token> tokens = field.tokens();
            boolean[] covered = new boolean[tokens.size()];
            for (Span s : spans) {
                if (s.field() == field.field()) {
                    for (int i = s.firstToken(); i < s.endToken(); i++) {
                        covered[i] = true;
                    }
                }
            }
            // where each word stands, by its upper-case form: a name is looked for only where its first
            // word can match (sameWord), instead of at every token for every name
            Map<String, List<Integer>> positions = new HashMap<>();
            for (int i = 0; i < tokens.size(); i++) {
                positions.computeIfAbsent(upperCase(tokens.get(i).word()), k -> new ArrayList<>()).add(i);
            }
            surfaces.forEach((text, words) -> {
                if (!tokens.isEmpty() && Character.isUpperCase(text.codePointAt(0)) && text.length() > 1) {
                    findAll(field, tokens, covered, text, words, types.get(text), added,
                            positions.getOrDefault(upperCase(words.get(0)), List.of()));
                }
            });
        }
        return added;
    }

    /** Each char upper-cased on its own, as {@link #sameWord} compares. */
    private static String upperCase(String word) {
        char[] chars = word.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = Character.toUpperCase(chars[i]);
        }
        return new String(chars);
    }

    private static void findAll(FieldText field, List<Token> tokens, boolean[] covered, String text, List<String> words,
                                EntityType type, List<Span> added, List<Integer> candidates) {
        int n = words.size();
        for (int i : candidates) {
            if (i + n > tokens.size()) {
                break;
            }
            if (covered[i] || !sameWord(tokens.get(i).word(), words.get(0))) {
                continue;
            }
            boolean match = true;
            boolean upperCase = !tokens.get(i).word().equals(words.get(0));
            for (int k = 1; k < n && match; k++) {
                match = !covered[i + k] && sameWord(tokens.get(i + k).word(), words.get(k));
                upperCase |= match && !tokens.get(i + k).word().equals(words.get(k));
            }
            // a longer capitalised name around the match is another entity ("Varga Holdings"); in
            // an all-capitals line every word is capitalised, so there only a tagged neighbour counts
            boolean extends_ = i + n < tokens.size() && tokens.get(i + n).sentence() == tokens.get(i).sentence()
                    && !covered[i + n] && extendsName(tokens.get(i + n), upperCase);
            boolean extendedBefore = i > 0 && tokens.get(i - 1).sentence() == tokens.get(i).sentence()
                    && !covered[i - 1] && extendsName(tokens.get(i - 1), upperCase)
                    && tokens.get(i - 1).index() != sentenceStart(field, i);
            if (match && !extends_ && !extendedBefore) {
                for (int k = i; k < i + n; k++) {
                    covered[k] = true;
                }
                added.add(new Span(field.field(), i, i + n, tokens.get(i).start(), tokens.get(i + n - 1).end(),
                        field.span(i, i + n), type));
            }
        }
    }

    /**
     * The word as written, or its upper-case form in an all-capitals line ("NICE" in a wire
     * headline after "Nice" in the text).
     */
    private static boolean sameWord(String token, String word) {
        if (token.equals(word)) {
            return true;
        }
        // compared char by char: this runs for every token and every name, so it must not allocate
        if (token.length() < 2 || token.length() != word.length()) {
            return false;
        }
        boolean letter = false;
        for (int i = 0; i < token.length(); i++) {
            char t = token.charAt(i);
            if (t != Character.toUpperCase(word.charAt(i))) {
                return false;
            }
            letter |= Character.isLetter(t);
        }
        return letter;
    }

    private static boolean extendsName(Token neighbour, boolean upperCaseMatch) {
        return neighbour.isCapitalised() && !(upperCaseMatch && isUpperCase(neighbour.word()));
    }

    private static boolean isUpperCase(String word) {
        return word.equals(word.toUpperCase(Locale.ROOT));
    }

    private static int sentenceStart(FieldText field, int tokenIndex) {
        return field.sentences().get(field.tokens().get(tokenIndex).sentence()).firstToken();
    }

    private static final Set<String> NOT_SURNAMES = Set.of("Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV",
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");

    /** Last word of a name of two or more words, when it looks like a surname, else null. */
    private static String surnameOf(String name) {
        List<String> words = wordsOf(name);
        if (words.size() < 2) {
            return null;
        }
        String last = words.get(words.size() - 1);
        boolean written = last.length() >= 2 && Character.isUpperCase(last.codePointAt(0))
                && last.codePoints().skip(1).anyMatch(Character::isLowerCase) && last.codePoints().allMatch(Character::isLetter);
        return written && !NOT_SURNAMES.contains(last) ? last : null;
    }

    private static boolean isNameLike(String text) {
        return text.codePoints().anyMatch(Character::isLetter) && !PRONOUNS.contains(text.toLowerCase(Locale.ROOT));
    }

    private static List<String> wordsOf(String surface) {
        return List.of(surface.split("\\s+"));
    }

    private static final class Group {
        final String id;
        final String name;
        final EntityType type;
        final boolean fromAlias;
        /**
         * The words of the name, split once: every new name is compared with every group, and
         * splitting the group's name again each time made an article naming thousands of people
         * take longer to enrich than Kafka Streams' transaction timeout.
         */
        final List<String> words;

        Group(String id, String name, EntityType type, boolean fromAlias) {
            this.id = id;
            this.name = name;
            this.type = type;
            this.fromAlias = fromAlias;
            this.words = wordsOf(name);
        }
    }
}

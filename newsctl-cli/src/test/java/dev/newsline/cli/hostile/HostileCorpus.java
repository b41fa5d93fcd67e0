package dev.newsline.cli.hostile;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The hostile-input corpus under {@code src/test/resources/hostile}: the manifest, and the inputs
 * made ready to send. A {@code .recipe} file is a template whose leading {@code #} lines are
 * comments and whose directives are expanded while writing, so that a 50 MiB body or a gzip
 * bomb is never held in memory as a whole and never committed:
 * <pre>
 *   {{repeat N|TEXT}}    TEXT, N times
 *   {{numbered N|TEXT}}  TEXT N times, %d replaced by 1..N
 *   {{names N|TEXT}}     TEXT N times, %s replaced by N different invented two-word names
 * </pre>
 * In TEXT, {@code \n}, {@code \t} and {@code \\} are escapes.
 */
final class HostileCorpus {

    static final String RESOURCE_DIR = "/hostile/";

    private static final Pattern DIRECTIVE = Pattern.compile("\\{\\{(repeat|numbered|names) (\\d+)\\|(.*?)}}", Pattern.DOTALL);
    private static final Pattern CHECK = Pattern.compile("([a-z.]+)(=|!~|~|>=)(.*)", Pattern.DOTALL);
    private static final Set<String> VIAS = Set.of("feed", "feed+gzip", "feed+500", "archive", "raw+unknown-schema",
            "raw+truncated");
    private static final Set<String> OUTCOMES = Set.of("processed", "sanitised", "dead-lettered", "refused");
    private static final Set<String> FIELDS = Set.of("title", "body", "url", "source", "language", "published",
            "title.length", "body.length", "entities");

    /** What a stored row must satisfy: {@code field op value}. */
    record Check(String field, String op, String value) {

        @Override
        public String toString() {
            return field + op + value;
        }
    }

    /**
     * One manifest line.
     *
     * @param reason {@code service:reason} for dead letters, the feed error for refused inputs, else null
     */
    record Input(String id, String file, String via, String outcome, String reason, List<Check> checks) {

        boolean stored() {
            return outcome.equals("processed") || outcome.equals("sanitised");
        }

        boolean viaFeed() {
            return via.startsWith("feed");
        }

        boolean viaArchive() {
            return via.equals("archive");
        }

        boolean viaRaw() {
            return via.startsWith("raw+");
        }

        /** The dead-letter topic's service (ingest, enrich, sink), for dead-lettered inputs. */
        String deadLetterService() {
            return reason.substring(0, reason.indexOf(':'));
        }

        String deadLetterReason() {
            return reason.substring(reason.indexOf(':') + 1);
        }

        /** The extension the materialised file keeps, so the replayer reads archives by their type. */
        String extension() {
            String name = file.endsWith(".recipe") ? firstTemplateLine().startsWith("{") ? "x.jsonl" : "x.xml" : file;
            return name.substring(name.lastIndexOf('.'));
        }

        private String firstTemplateLine() {
            return template(file).strip();
        }
    }

    private HostileCorpus() {
    }

    /** Reads and validates the manifest. */
    static List<Input> manifest() {
        List<Input> inputs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int lineNo = 0;
        for (String line : resourceText("manifest.tsv").split("\n")) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t");
            if (cols.length < 5) {
                throw new IllegalStateException("manifest line " + lineNo + ": expected at least 5 columns: " + line);
            }
            String id = cols[0];
            String via = cols[2];
            String outcome = cols[3];
            String reason = cols[4].equals("-") ? null : cols[4];
            List<Check> checks = new ArrayList<>();
            for (String c : Arrays.asList(cols).subList(5, cols.length)) {
                Matcher m = CHECK.matcher(c);
                if (!m.matches() || !FIELDS.contains(m.group(1))) {
                    throw new IllegalStateException("manifest line " + lineNo + ": bad check '" + c + "'");
                }
                checks.add(new Check(m.group(1), m.group(2), m.group(3)));
            }
            if (!ids.add(id) || !id.matches("[a-z0-9-]+")) {
                throw new IllegalStateException("manifest line " + lineNo + ": id '" + id + "' is not unique or not [a-z0-9-]+");
            }
            if (!VIAS.contains(via) || !OUTCOMES.contains(outcome)) {
                throw new IllegalStateException("manifest line " + lineNo + ": unknown via or outcome: " + line);
            }
            boolean stored = outcome.equals("processed") || outcome.equals("sanitised");
            if (stored != (reason == null) || outcome.equals("dead-lettered") && !reason.matches("(ingest|enrich|sink):[a-z0-9-]+")) {
                throw new IllegalStateException("manifest line " + lineNo + ": reason '" + cols[4] + "' does not fit " + outcome);
            }
            if (outcome.equals("sanitised") && checks.isEmpty()) {
                throw new IllegalStateException("manifest line " + lineNo + ": a sanitised input needs checks");
            }
            if (HostileCorpus.class.getResource(RESOURCE_DIR + cols[1]) == null) {
                throw new IllegalStateException("manifest line " + lineNo + ": no file hostile/" + cols[1]);
            }
            inputs.add(new Input(id, cols[1], via, outcome, reason, List.copyOf(checks)));
        }
        return List.copyOf(inputs);
    }

    /** The input's bytes as sent on the wire or to the replayer, written to {@code target}. */
    static Path materialise(Input input, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16);
             OutputStream out = input.via().equals("feed+gzip") ? new GZIPOutputStream(file, 1 << 16) : file) {
            if (input.file().endsWith(".recipe")) {
                expand(template(input.file()), out);
            } else {
                try (InputStream in = HostileCorpus.class.getResourceAsStream(RESOURCE_DIR + input.file())) {
                    in.transferTo(out);
                }
            }
        }
        return target;
    }

    static String resourceText(String name) {
        try (InputStream in = HostileCorpus.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("no resource hostile/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A recipe without its leading comment lines; no trailing line break after the last line. */
    private static String template(String file) {
        StringBuilder out = new StringBuilder();
        boolean header = true;
        for (String line : resourceText(file).split("\n")) {
            if (header && line.startsWith("#")) {
                continue;
            }
            header = false;
            out.append(line).append('\n');
        }
        return out.toString().stripTrailing() + "\n";
    }

    private static void expand(String template, OutputStream out) throws IOException {
        Matcher m = DIRECTIVE.matcher(template);
        int last = 0;
        while (m.find()) {
            out.write(template.substring(last, m.start()).getBytes(StandardCharsets.UTF_8));
            int n = Integer.parseInt(m.group(2));
            String text = unescape(m.group(3));
            switch (m.group(1)) {
                case "repeat" -> repeat(out, text.getBytes(StandardCharsets.UTF_8), n);
                case "numbered" -> {
                    for (int i = 1; i <= n; i++) {
                        out.write(text.replace("%d", Integer.toString(i)).getBytes(StandardCharsets.UTF_8));
                    }
                }
                case "names" -> {
                    for (int i = 0; i < n; i++) {
                        out.write(text.replace("%s", name(i)).getBytes(StandardCharsets.UTF_8));
                    }
                }
                default -> throw new IllegalStateException(m.group(1));
            }
            last = m.end();
        }
        out.write(template.substring(last).getBytes(StandardCharsets.UTF_8));
    }

    private static void repeat(OutputStream out, byte[] unit, int n) throws IOException {
        // a block of many units at a time: a quarter of a GiB is written in a second
        int perBlock = Math.max(1, Math.min(n, (1 << 16) / Math.max(1, unit.length)));
        byte[] block = new byte[perBlock * unit.length];
        for (int i = 0; i < perBlock; i++) {
            System.arraycopy(unit, 0, block, i * unit.length, unit.length);
        }
        int left = n;
        while (left >= perBlock) {
            out.write(block);
            left -= perBlock;
        }
        out.write(block, 0, left * unit.length);
    }

    private static final String[] ONSETS = {"B", "D", "F", "G", "K", "L", "M", "N", "P", "R", "S", "T", "V", "Z",
        "Br", "Dr", "Gr", "Kr", "Tr", "St"};
    private static final String[] NUCLEI = {"a", "e", "i", "o", "u"};
    private static final String[] CODAS = {"n", "r", "l", "s", "m", "k", "t", "v", "d", "ck"};

    /** An invented name, different for every i below 1,000,000: "Bano Kelitra". */
    static String name(int i) {
        int first = i % 1000;
        int last = i / 1000;
        return syllables(first, 2) + " " + syllables(last * 7 + 13, 3);
    }

    private static String syllables(int n, int count) {
        StringBuilder s = new StringBuilder();
        int v = n;
        for (int k = 0; k < count; k++) {
            String onset = ONSETS[v % ONSETS.length];
            v /= ONSETS.length;
            String nucleus = NUCLEI[v % NUCLEI.length];
            v /= NUCLEI.length;
            s.append(k == 0 ? onset : onset.toLowerCase(Locale.ROOT)).append(nucleus);
        }
        s.append(CODAS[n % CODAS.length]);
        return s.toString();
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char next = s.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

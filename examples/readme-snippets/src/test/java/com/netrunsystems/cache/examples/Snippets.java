package com.netrunsystems.cache.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads tagged regions of source files and the README code blocks that show them. A region is the lines
 * between {@code // tag::name[]} and {@code // end::name[]} (or {@code <!-- tag::name[] -->} in XML), less
 * the indentation of its {@code tag} line; several regions of one name join with a blank line. A README
 * block shows a region when the line before its opening fence is
 * {@code <!-- snippet: path/from/the/repository/root#name -->} ({@code #name} left out: the whole file);
 * several such lines in a row show their regions one after the other, joined with a blank line.
 */
final class Snippets {

    static final Pattern MARKER = Pattern.compile("^<!-- snippet: (\\S+?)(?:#(\\S+))? -->$");
    private static final Pattern TAG = Pattern.compile("(?://|<!--)\\s*(tag|end)::([\\w-]+)\\[]");

    /** A fenced code block of the README: its lines [{@code first}, {@code end}) hold the code. */
    record Block(String language, int fence, int first, int end, List<String> markers) {
    }

    private Snippets() {
    }

    /** The text of {@code tag} in {@code file}, or the whole file when {@code tag} is null. */
    static String region(Path file, String tag) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (tag == null) {
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        }
        List<String> regions = new ArrayList<>();
        List<String> current = null;
        int indent = 0;
        for (String line : text.split("\n", -1)) {
            Matcher m = TAG.matcher(line);
            if (m.find()) {
                if (m.group(2).equals(tag)) {
                    if (m.group(1).equals("tag")) {
                        current = new ArrayList<>();
                        indent = m.start();
                    } else if (current != null) {
                        regions.add(String.join("\n", dedent(current, indent)));
                        current = null;
                    }
                }
                continue;                                   // other tags' markers never show
            }
            if (current != null) {
                current.add(line);
            }
        }
        if (regions.isEmpty() || current != null) {
            throw new IllegalStateException(file + " has no complete region " + tag);
        }
        return String.join("\n\n", regions);
    }

    private static List<String> dedent(List<String> lines, int indent) {
        int strip = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        int by = Math.min(indent, strip);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(by)).toList();
    }

    /** The text a block with these marker lines must hold. */
    static String expected(Path root, List<String> markers) throws IOException {
        List<String> parts = new ArrayList<>();
        for (String marker : markers) {
            Matcher m = MARKER.matcher(marker);
            if (!m.matches()) {
                throw new IllegalArgumentException(marker);
            }
            parts.add(region(root.resolve(m.group(1)), m.group(2)));
        }
        return String.join("\n\n", parts);
    }

    /** The fenced blocks of a Markdown text split into lines. */
    static List<Block> blocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("```")) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            int m = i;
            while (m > 0 && MARKER.matcher(lines.get(m - 1)).matches()) {
                m--;
            }
            blocks.add(new Block(line.substring(3).trim(), i, i + 1, end, List.copyOf(lines.subList(m, i))));
            i = end;
        }
        return blocks;
    }

    /**
     * Replaces, in {@code lines}, each marked block that differs from its sources by the sources' text, and
     * returns one message with a diff per replaced block.
     */
    static List<String> sync(Path root, List<String> lines) throws IOException {
        List<String> drift = new ArrayList<>();
        List<Block> blocks = blocks(lines);
        for (int b = blocks.size() - 1; b >= 0; b--) {                  // from the end: replacing keeps earlier lines
            Block block = blocks.get(b);
            if (block.markers().isEmpty()) {
                continue;
            }
            String expected = expected(root, block.markers());
            String actual = String.join("\n", lines.subList(block.first(), block.end()));
            if (!actual.equals(expected)) {
                drift.add(0, String.join("\n", block.markers()) + " (README line " + (block.fence() + 1) + ")\n"
                        + diff(expected, actual));
                lines.subList(block.first(), block.end()).clear();
                lines.addAll(block.first(), List.of(expected.split("\n", -1)));
            }
        }
        return drift;
    }

    /** The blocks in {@code language} without a marker whose first line is not in {@code allowed}. */
    static List<String> unmarked(List<String> lines, String language, Set<String> allowed) {
        List<String> unmarked = new ArrayList<>();
        for (Block block : blocks(lines)) {
            String first = block.first() < block.end() ? lines.get(block.first()) : "";
            if (block.markers().isEmpty() && block.language().equals(language) && !allowed.contains(first.strip())) {
                unmarked.add("README line " + (block.fence() + 1) + ": " + first);
            }
        }
        return unmarked;
    }

    /** Marker lines that no fence follows. */
    static List<String> strayMarkers(List<String> lines) {
        List<String> stray = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (MARKER.matcher(lines.get(i)).matches()) {
                int next = i + 1;
                while (next < lines.size() && MARKER.matcher(lines.get(next)).matches()) {
                    next++;
                }
                if (next >= lines.size() || !lines.get(next).startsWith("```")) {
                    for (int j = i; j < next; j++) {
                        stray.add("README line " + (j + 1) + ": " + lines.get(j));
                    }
                }
                i = next - 1;
            }
        }
        return stray;
    }

    private static String diff(String expected, String actual) {
        List<String> e = List.of(expected.split("\n", -1));
        List<String> a = List.of(actual.split("\n", -1));
        int first = 0;
        while (first < Math.min(e.size(), a.size()) && e.get(first).equals(a.get(first))) {
            first++;
        }
        int tail = 0;
        while (tail < Math.min(e.size(), a.size()) - first
                && e.get(e.size() - 1 - tail).equals(a.get(a.size() - 1 - tail))) {
            tail++;
        }
        StringBuilder out = new StringBuilder("  @@ block line ").append(first + 1).append('\n');
        e.subList(first, e.size() - tail).forEach(l -> out.append("  -").append(l).append('\n'));
        a.subList(first, a.size() - tail).forEach(l -> out.append("  +").append(l).append('\n'));
        return out.toString();
    }
}

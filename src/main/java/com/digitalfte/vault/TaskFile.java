package com.digitalfte.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One task: YAML front matter, then Markdown sections ({@code ## Original}, {@code ## Draft},
 * {@code ## Result}, {@code ## Error}). The folder the file sits in is its state.
 *
 * <p>The original message is written as a block quote, so that whatever the sender typed (a line
 * reading "## Draft" included) can never be mistaken for a section of the task.
 */
public final class TaskFile {

    public static final String ORIGINAL = "Original";
    public static final String DRAFT = "Draft";
    public static final String RESULT = "Result";
    public static final String ERROR = "Error";

    private static final List<String> SECTIONS = List.of(ORIGINAL, DRAFT, RESULT, ERROR);
    private static final Pattern HEADING = Pattern.compile("^## (" + String.join("|", SECTIONS) + ")[ \\t]*$", Pattern.MULTILINE);
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private final Map<String, Object> frontMatter;
    private final Map<String, String> sections;

    private TaskFile(Map<String, Object> frontMatter, Map<String, String> sections) {
        this.frontMatter = frontMatter;
        this.sections = sections;
    }

    public static TaskFile create(String id, String type) {
        if (!TaskIds.isValid(id)) {
            throw new IllegalArgumentException("invalid task id: " + id);
        }
        Map<String, Object> fm = new LinkedHashMap<>();
        fm.put("id", id);
        fm.put("type", type);
        return new TaskFile(fm, new LinkedHashMap<>());
    }

    public static TaskFile parse(String text) throws TaskFormatException {
        String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
        content = content.replace("\r\n", "\n");
        if (!content.startsWith("---\n")) {
            throw new TaskFormatException("no front matter: a task file starts with a line '---', then YAML, then '---'");
        }
        int end = content.indexOf("\n---\n", 3);
        if (end < 0 && content.endsWith("\n---")) {
            end = content.length() - 4;
        }
        if (end < 0) {
            throw new TaskFormatException("front matter is not closed: no second '---' line");
        }
        String yaml = content.substring(4, end + 1);
        Map<String, Object> fm = parseYaml(yaml);
        Object id = fm.get("id");
        if (id == null || id.toString().isBlank()) {
            throw new TaskFormatException("front matter has no 'id'");
        }
        if (!TaskIds.isValid(id.toString())) {
            throw new TaskFormatException("id '" + abbreviate(id.toString()) + "' is not allowed: use letters, digits, '_' and '-' (at most 128)");
        }
        Object type = fm.get("type");
        if (type == null || type.toString().isBlank()) {
            throw new TaskFormatException("front matter has no 'type'");
        }
        if (!TYPE.matcher(type.toString()).matches()) {
            throw new TaskFormatException("type '" + abbreviate(type.toString()) + "' is not allowed: use lower-case letters, digits and '_'");
        }
        int bodyStart = Math.min(content.length(), end + 5);
        return new TaskFile(fm, parseSections(content.substring(bodyStart)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseYaml(String yaml) throws TaskFormatException {
        try {
            Object parsed = YAML.readValue(yaml, Object.class);
            if (!(parsed instanceof Map)) {
                throw new TaskFormatException("front matter is not a list of 'key: value' lines");
            }
            Map<String, Object> fm = new LinkedHashMap<>();
            ((Map<Object, Object>) parsed).forEach((k, v) -> fm.put(String.valueOf(k), v));
            return fm;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + (e.getLocation().getLineNr() + 1);
            throw new TaskFormatException("front matter is not valid YAML" + where + ": " + e.getOriginalMessage());
        }
    }

    private static Map<String, String> parseSections(String body) {
        Map<String, String> result = new LinkedHashMap<>();
        Matcher m = HEADING.matcher(body);
        List<int[]> marks = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            marks.add(new int[] {m.start(), m.end()});
            names.add(m.group(1));
        }
        for (int i = 0; i < marks.size(); i++) {
            int from = Math.min(body.length(), marks.get(i)[1] + 1);
            int to = i + 1 < marks.size() ? marks.get(i + 1)[0] : body.length();
            String text = trimBlankLines(body.substring(Math.min(from, to), to));
            String name = names.get(i);
            result.put(name, name.equals(ORIGINAL) ? unquote(text) : text);
        }
        return result;
    }

    private static String trimBlankLines(String s) {
        String t = s.replaceAll("^(?:[ \\t]*\\n)+", "");
        return t.replaceAll("(?:\\n[ \\t]*)+$", "").replaceAll("\\n$", "");
    }

    private static String quote(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            sb.append(line.isEmpty() ? ">" : "> " + line).append('\n');
        }
        return sb.toString();
    }

    private static String unquote(String text) {
        StringBuilder sb = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("> ")) {
                line = line.substring(2);
            } else if (line.startsWith(">")) {
                line = line.substring(1);
            }
            sb.append(line);
            if (i < lines.length - 1) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    public String render() {
        StringBuilder sb = new StringBuilder("---\n");
        try {
            sb.append(YAML.writeValueAsString(frontMatter));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("front matter cannot be written", e);
        }
        sb.append("---\n");
        for (String name : SECTIONS) {
            String text = sections.get(name);
            if (text != null) {
                sb.append("## ").append(name).append("\n\n");
                sb.append(name.equals(ORIGINAL) ? quote(text) : text.endsWith("\n") ? text : text + "\n");
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    public String id() {
        return String.valueOf(frontMatter.get("id"));
    }

    public String type() {
        return String.valueOf(frontMatter.get("type"));
    }

    public Optional<String> get(String key) {
        Object value = frontMatter.get(key);
        return value == null ? Optional.empty() : Optional.of(String.valueOf(value));
    }

    public String getOrEmpty(String key) {
        return get(key).orElse("");
    }

    public TaskFile with(String key, Object value) {
        if (value == null) {
            frontMatter.remove(key);
        } else {
            frontMatter.put(key, value);
        }
        return this;
    }

    public Map<String, Object> frontMatter() {
        return Collections.unmodifiableMap(frontMatter);
    }

    public Optional<String> section(String name) {
        return Optional.ofNullable(sections.get(name));
    }

    public TaskFile withSection(String name, String text) {
        if (!SECTIONS.contains(name)) {
            throw new IllegalArgumentException("unknown section " + name);
        }
        sections.put(name, text == null ? "" : text.replace("\r\n", "\n"));
        return this;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}

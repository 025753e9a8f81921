package com.digitalfte.draft;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code Company_Handbook.md}: the owner's rules, read by sections ({@code ## Holding reply}, {@code ## Signature}, ...). */
public final class Handbook {

    private static final Pattern SECTION = Pattern.compile("^## +(.+?)\\s*$", Pattern.MULTILINE);
    private static final String DEFAULT_REPLY = """
            Hello {name},

            Thank you for your message about "{subject}". I have received it and will get back to you shortly.""";

    private final String text;
    private final Map<String, String> sections;
    private Triage triage;

    public Handbook(String text) {
        this.text = text == null ? "" : text.replace("\r\n", "\n");
        this.sections = split(this.text);
    }

    private static Map<String, String> split(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        Matcher m = SECTION.matcher(text);
        String name = null;
        int start = 0;
        while (m.find()) {
            if (name != null) {
                result.put(name.toLowerCase(), text.substring(start, m.start()).strip());
            }
            name = m.group(1);
            start = m.end();
        }
        if (name != null) {
            result.put(name.toLowerCase(), text.substring(start).strip());
        }
        return result;
    }

    public String text() {
        return text;
    }

    /** Its triage rules, parsed once per version of the file (the handbook is cached by {@link HandbookFile}). */
    public synchronized Triage triage() {
        if (triage == null) {
            triage = new Triage(this);
        }
        return triage;
    }

    public String section(String name, String fallback) {
        String value = sections.get(name.toLowerCase());
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The holding reply with each paragraph on one line, as mail clients expect to wrap it themselves. */
    public String holdingReply() {
        return unwrap(section("Holding reply", DEFAULT_REPLY));
    }

    static String unwrap(String text) {
        StringBuilder sb = new StringBuilder();
        for (String paragraph : text.split("\\n[ \\t]*\\n")) {
            if (sb.length() > 0) {
                sb.append("\n\n");
            }
            sb.append(paragraph.strip().replaceAll("[ \\t]*\\n[ \\t]*", " "));
        }
        return sb.toString();
    }

    public String signature() {
        return section("Signature", "");
    }
}

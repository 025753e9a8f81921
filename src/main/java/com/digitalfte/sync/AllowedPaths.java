package com.digitalfte.sync;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which vault paths may ever be committed: the shared folders' {@code .md}, {@code .yaml} and
 * {@code .json} files, never secrets, local state or logs. Paths are relative to the vault, with '/'.
 */
public final class AllowedPaths {

    private static final List<String> ALLOWED_EXTENSIONS = List.of(".md", ".yaml", ".yml", ".json");
    private static final List<Pattern> NEVER = List.of(
            Pattern.compile("(^|/)\\.env(\\..*)?$"),
            Pattern.compile("(^|/)[^/]*\\.processed_[^/]*$"),
            Pattern.compile("(^|/)\\.whatsapp_[^/]*$"),
            Pattern.compile("(^|/)[^/]*_token\\.json$"),
            Pattern.compile("(^|/)credentials\\.json$"),
            Pattern.compile("^\\.state(/|$)"),
            Pattern.compile("^Logs(/|$)"),
            Pattern.compile("^\\.obsidian/workspace[^/]*\\.json$"),
            Pattern.compile("(^|/)\\.git(/|$)"));

    private AllowedPaths() {
    }

    public static boolean isAllowed(String vaultRelativePath) {
        String p = vaultRelativePath.replace('\\', '/');
        if (p.equals(".gitignore")) {
            return true;
        }
        if (p.isEmpty() || p.startsWith("/") || p.contains("../") || p.startsWith("..")) {
            return false;
        }
        for (Pattern never : NEVER) {
            if (never.matcher(p).find()) {
                return false;
            }
        }
        String lower = p.toLowerCase(Locale.ROOT);
        return ALLOWED_EXTENSIONS.stream().anyMatch(lower::endsWith);
    }
}

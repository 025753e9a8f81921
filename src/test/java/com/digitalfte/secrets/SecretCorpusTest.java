package com.digitalfte.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.GitCli;
import com.digitalfte.sync.SyncListener;
import com.digitalfte.sync.VaultSync;
import com.digitalfte.vault.Vault;
import com.digitalfte.vault.VaultInvariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of vault files through a real sync to a bare remote: every file with a secret is held
 * back in quarantine, ordinary files go through; the remote's whole history holds no secret.
 * The corpus is generated (fixed seed), so the values are new credentials of the right shape.
 */
class SecretCorpusTest {

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String URLSAFE = ALNUM + "_-";
    private static final String CONFIGURED = "Qm7#vX2!pL9$kR4w";

    @TempDir
    Path dir;

    private final Random random = new Random(20261125);

    private String pick(String alphabet, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        // make sure a mixed-case alphabet really gives mixed case and a digit
        if (alphabet.equals(ALNUM) || alphabet.equals(URLSAFE)) {
            sb.setCharAt(0, 'Q');
            sb.setCharAt(1, 'z');
            sb.setCharAt(2, '7');
        }
        return sb.toString();
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Each shape: a name and a maker of a fresh secret of that shape, as it appears in a file. */
    private Map<String, Function<Integer, String>> shapes() {
        Map<String, Function<Integer, String>> s = new LinkedHashMap<>();
        s.put("openai", i -> "sk-" + (i % 2 == 0 ? "proj-" : "") + pick(URLSAFE, 48));
        s.put("anthropic", i -> "sk-ant-api03-" + pick(URLSAFE, 95));
        s.put("google-oauth", i -> "GOCSPX-" + pick(URLSAFE, 28));
        s.put("google-api-key", i -> "AIza" + pick(URLSAFE, 35));
        s.put("google-refresh", i -> "1//0" + pick(URLSAFE, 70));
        s.put("google-access", i -> "ya29." + pick(URLSAFE, 100));
        s.put("aws-key-id", i -> "AKIA" + pick(UPPER_DIGITS, 16));
        s.put("twilio-api-key", i -> "SK" + hex(16));
        s.put("github", i -> "ghp_" + pick(ALNUM, 36));
        s.put("slack", i -> "xoxb-" + (100000000000L + random.nextInt(1_000_000)) + "-" + pick(ALNUM, 24));
        return s;
    }

    private record Sample(String name, String text, String secret) {
    }

    private List<Sample> truePositives() {
        List<Sample> tps = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, Function<Integer, String>> shape : shapes().entrySet()) {
            for (int i = 0; i < 3; i++) {
                String v = shape.getValue().apply(i);
                String k = shape.getKey();
                tps.add(new Sample("Needs_Action/TP_" + (n++) + ".md",
                        "---\nid: TP_" + n + "\ntype: email_reply\napi_token: " + v + "\n---\n## Original\n\n> hi\n", v));
                tps.add(new Sample("Plans/tp_" + (n++) + ".md", "# Notes on " + k + "\n\nThe key we were sent is " + v + " (do not share).\n", v));
                tps.add(new Sample("Accounting/data/tp_" + (n++) + ".json", "{\n  \"agent\": \"x\",\n  \"credential\": \"" + v + "\"\n}\n", v));
                tps.add(new Sample("channels/tp_" + (n++) + ".yaml", "- route:\n    id: r" + n + "\n    from:\n      uri: \"timer:x\"\n      parameters:\n        key: \"" + v + "\"\n", v));
            }
        }
        for (int i = 0; i < 4; i++) {
            String aws = pick(ALNUM + "/+", 40);
            tps.add(new Sample("Plans/aws_" + i + ".md", "aws_secret_access_key = " + aws + "\n", aws));
            String twilio = hex(16);
            tps.add(new Sample("Plans/twilio_" + i + ".yaml", "twilio:\n  auth_token: \"" + twilio + "\"\n", twilio));
            String pem = pick(ALNUM, 64);
            String kind = List.of("RSA ", "EC ", "OPENSSH ", "").get(i);
            tps.add(new Sample("Plans/key_" + i + ".md", "Server key:\n\n-----BEGIN " + kind + "PRIVATE KEY-----\n" + pem + "\n"
                    + pick(ALNUM, 64) + "\n-----END " + kind + "PRIVATE KEY-----\n", pem));
            String webhook = "https://hooks.slack.com/services/T" + pick(UPPER_DIGITS, 8) + "/B" + pick(UPPER_DIGITS, 8) + "/" + pick(ALNUM, 24);
            tps.add(new Sample("Plans/hook_" + i + ".json", "{\"notify\": \"" + webhook + "\"}\n", webhook));
            String pat = "github_pat_" + pick(ALNUM, 22) + "_" + pick(ALNUM, 59);
            tps.add(new Sample("Plans/pat_" + i + ".md", "token for CI: " + pat + "\n", pat));
            String assigned = pick(ALNUM, 24);
            tps.add(new Sample("Plans/env_" + i + ".md", "```\nODOO_API_KEY=" + assigned + "\n```\n", assigned));
            tps.add(new Sample("Plans/db_" + i + ".yaml", "database:\n  password: \"" + assigned + "x\"\n", assigned + "x"));
        }
        // the exact value of a secret this process was configured with, plain and wrapped by a mail client
        tps.add(new Sample("Needs_Action/CONF_1.md", "---\nid: CONF_1\ntype: email_reply\n---\n## Original\n\n> the password is " + CONFIGURED + "\n", CONFIGURED));
        tps.add(new Sample("Needs_Action/CONF_2.md", "---\nid: CONF_2\ntype: email_reply\n---\n## Original\n\n> login with Qm7#vX2!\n> pL9$kR4w today\n", CONFIGURED));
        tps.add(new Sample("Plans/conf_3.json", "{\"note\": \"" + CONFIGURED + "\"}\n", CONFIGURED));
        return tps;
    }

    private List<Sample> falsePositives() {
        List<Sample> fps = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String sha = hex(32);
            fps.add(new Sample("Done/FP_sha_" + i + ".md", "---\nid: FP_sha_" + i + "\ntype: email_reply\n---\n## Result\n\n- draft_sha256: " + sha
                    + "\n- commit: " + hex(20) + "\n- md5: " + hex(16) + "\n", null));
            String uuid = UUID.nameUUIDFromBytes(sha.getBytes()).toString();
            fps.add(new Sample("Done/FP_ids_" + i + ".md", "---\nid: FP_ids_" + i + "\ntype: email_reply\nmessage_id: \"<CA" + pick(ALNUM, 40)
                    + "@mail.gmail.com>\"\nthread_id: " + hex(8) + "\n---\n## Original\n\n> request " + uuid + ", order " + uuid.toUpperCase() + "\n", null));
            byte[] png = new byte[600];
            random.nextBytes(png);
            fps.add(new Sample("Plans/FP_img_" + i + ".md", "![logo](data:image/png;base64," + Base64.getEncoder().encodeToString(png) + ")\n", null));
            fps.add(new Sample("Accounting/data/fp_" + i + ".json", "{\"agent\": \"cloud-" + i + "\", \"account_sid\": \"AC" + hex(16)
                    + "\", \"message_sid\": \"SM" + hex(16) + "\", \"post_id\": \"17" + (10000000000000000L + random.nextInt(1_000_000)) + "\"}\n", null));
            fps.add(new Sample("Plans/fp_words_" + i + ".yaml", "notes:\n  - password reset links expire after " + (i + 1) + " hours\n"
                    + "  - a token of appreciation for client " + i + "\n  - api_key: {{env:ODOO_API_KEY}}\n  - secret_santa: everybody\n"
                    + "  - colour: \"#" + hex(3) + "\"\n", null));
        }
        for (int i = 0; i < 10; i++) {
            fps.add(new Sample("Plans/fp_docs_" + i + ".md", "AWS documents the example key AKIA" + "IOSFODNN7EXAMPLE with the secret\n"
                    + "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY\nIn .env write MAIL_PASSWORD= and nothing else here.\n", null));
        }
        return fps;
    }

    @Test
    void everySecretIsHeldBackAndOrdinaryFilesGoThrough() throws Exception {
        List<Sample> tps = truePositives();
        List<Sample> fps = falsePositives();
        assertThat(tps).hasSizeGreaterThanOrEqualTo(100);
        assertThat(fps).hasSizeGreaterThanOrEqualTo(200);

        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path clone = GitCli.cloneOf(remote, dir, "vault");
        Vault vault = new Vault(clone);
        vault.init("cloud", false);
        for (Sample s : tps) {
            write(clone.resolve(s.name()), s.text());
        }
        for (Sample s : fps) {
            write(clone.resolve(s.name()), s.text());
        }
        List<String> quarantined = new ArrayList<>();
        SyncListener listener = new SyncListener() {
            @Override
            public void quarantined(String vaultPath, SecretGuard.Finding finding, String as) {
                quarantined.add(vaultPath);
            }

            @Override
            public void repaired(VaultInvariant.Repair repair) {
            }
        };
        try (VaultSync sync = new VaultSync(vault, new com.digitalfte.sync.VaultSync.Options("origin", "main", "cloud", 30, java.time.Duration.ofSeconds(60)), vault.logs().resolve("vault_sync.jsonl"),
                new SecretGuard(List.of(CONFIGURED)), listener, com.digitalfte.sync.CommitFilter.ALL)) {
            assertThat(sync.sync().ok()).isTrue();
        }

        List<String> onRemote = GitCli.filesOn(remote, "main");
        List<String> missed = tps.stream().map(Sample::name).filter(onRemote::contains).toList();
        List<String> falseBlocks = fps.stream().map(Sample::name).filter(quarantined::contains).toList();
        System.out.printf("SecretCorpusTest: %d true positives, %d blocked, %d missed; %d false positives, %d blocked (%.1f %%): %s%n",
                tps.size(), tps.size() - missed.size(), missed.size(), fps.size(), falseBlocks.size(),
                100.0 * falseBlocks.size() / fps.size(), falseBlocks);
        assertThat(missed).as("secrets that reached the remote").isEmpty();
        assertThat(falseBlocks).as("ordinary files held back").isEmpty();
        assertThat(onRemote).containsAll(fps.stream().map(Sample::name).toList());
        assertThat(clone.resolve(".state/quarantine")).isDirectoryContaining(p -> p.getFileName().toString().contains("TP_0.md"));

        String history = GitCli.run(remote, "log", "-p", "--all");
        for (Sample s : tps) {
            assertThat(history).as("history holds the secret of " + s.name()).doesNotContain(s.secret());
        }
        String log = Files.readString(clone.resolve("Logs/vault_sync.jsonl"));
        assertThat(log).doesNotContain(CONFIGURED);
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}

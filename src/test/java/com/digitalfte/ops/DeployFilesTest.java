package com.digitalfte.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The service files an owner copies as they are: systemd's own parser finds nothing to ignore in the
 * units, this JVM takes the options they start it with, and launchd's property list is what the
 * docs say. (Windows' script is read by PowerShell only; it is not run here.)
 */
class DeployFilesTest {

    private static final Path DEPLOY = Path.of("deploy");

    @ParameterizedTest
    @ValueSource(strings = {"digitalfte-cloud.service", "digitalfte-local.service"})
    void systemdParsesEachUnitWithoutAComplaintAndTheJvmTakesItsOptions(String unit) throws Exception {
        Path file = DEPLOY.resolve("systemd").resolve(unit);
        // systemd-analyze warns and ignores a line it cannot parse (a misspelt key, a memory limit of "lots") and still exits 0
        String verified = run(List.of("systemd-analyze", "verify", file.toAbsolutePath().toString()));
        assertThat(verified.lines().filter(l -> l.contains(unit))).as("systemd's complaints about %s", unit).isEmpty();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).contains("Restart=on-failure", "RestartPreventExitStatus=2", "KillSignal=SIGTERM");
        String exec = lines.stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        assertThat(exec).endsWith("digitalfte.jar run");
        List<String> options = new ArrayList<>(Arrays.stream(exec.split("\\s+")).filter(o -> o.startsWith("-X")).toList());
        assertThat(options).contains("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
        assertThat(jvmTakes(options)).as("java %s -version", options).isTrue();
    }

    @Test
    void theCloudUnitFitsA1GbVm() throws Exception {
        List<String> lines = Files.readAllLines(DEPLOY.resolve("systemd/digitalfte-cloud.service"));
        assertThat(lines).contains("MemoryHigh=450M", "MemoryMax=600M", "User=digitalfte");
        assertThat(lines.stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow())
                .contains("-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=128m");
    }

    @Test
    void launchdsPropertyListStartsTheJarAndStartsItAgainOnlyWhenItDied() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // Apple's DTD is not fetched
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Element dict = (Element) factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(DEPLOY.resolve("launchd/com.digitalfte.local.plist"))))
                .getDocumentElement().getElementsByTagName("dict").item(0);

        assertThat(text(value(dict, "Label"))).isEqualTo("com.digitalfte.local");
        List<String> arguments = new ArrayList<>();
        NodeList strings = ((Element) value(dict, "ProgramArguments")).getElementsByTagName("string");
        for (int i = 0; i < strings.getLength(); i++) {
            arguments.add(strings.item(i).getTextContent());
        }
        assertThat(arguments).endsWith("-jar", "/Users/YOU/digitalfte/digitalfte.jar", "run");
        assertThat(jvmTakes(arguments.stream().filter(a -> a.startsWith("-X")).toList())).isTrue();
        assertThat(value(dict, "RunAtLoad").getNodeName()).isEqualTo("true");
        Element keepAlive = (Element) value(dict, "KeepAlive");
        assertThat(value(keepAlive, "SuccessfulExit").getNodeName()).as("started again only after a failure").isEqualTo("false");
        assertThat(text(value(dict, "ExitTimeOut"))).as("time for the last sync").isEqualTo("120");
    }

    /** The element after {@code <key>name</key>} in a plist dict. */
    private static Node value(Element dict, String key) {
        for (Node n = dict.getFirstChild(); n != null; n = n.getNextSibling()) {
            if ("key".equals(n.getNodeName()) && key.equals(n.getTextContent())) {
                Node v = n.getNextSibling();
                while (v != null && v.getNodeType() != Node.ELEMENT_NODE) {
                    v = v.getNextSibling();
                }
                return v;
            }
        }
        throw new AssertionError("no key " + key);
    }

    private static String text(Node n) {
        return n.getTextContent().strip();
    }

    private static boolean jvmTakes(List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.add("-version");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}

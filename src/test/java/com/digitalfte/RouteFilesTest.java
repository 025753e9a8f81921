package com.digitalfte;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/** Every route, kamelet and example channel file in the project parses, in the form Kaoto reads and writes. */
class RouteFilesTest {

    private static final Pattern KEBAB_KEY = Pattern.compile("^\\s*(?:- )?([a-z]+(?:-[a-z]+)+):", Pattern.MULTILINE);

    @Test
    void everyBuiltInRouteFileParsesAndItsIdIsItsFileStem() throws Exception {
        List<Path> files = yamlFiles(Path.of("src/main/resources/routes"), ".camel.yaml");
        assertThat(files).hasSizeGreaterThan(10);
        for (Path file : files) {
            List<String> ids = parse(file);
            assertThat(ids).as(file.toString()).containsExactly(stem(file, ".camel.yaml"));
            assertCamelCase(file);
        }
    }

    @Test
    void everyKameletParsesAndIsNamedAfterItsFile() throws Exception {
        List<Path> files = yamlFiles(Path.of("src/main/resources/kamelets"), ".kamelet.yaml");
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertThat(parse(file)).as(file.toString()).containsExactly(stem(file, ".kamelet.yaml"));
            assertThat(stem(file, ".kamelet.yaml")).matches("[a-z0-9-]+-(source|sink|action)");
            assertCamelCase(file);
        }
    }

    @Test
    void theExampleChannelFilesParse() throws Exception {
        List<Path> files = yamlFiles(Path.of("docs/examples/channels"), ".camel.yaml");
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertThat(parse(file)).as(file.toString()).isNotEmpty();
            assertCamelCase(file);
        }
    }

    private static List<String> parse(Path file) throws Exception {
        List<String> ids = new ArrayList<>();
        try (CamelContext camel = new DefaultCamelContext()) {
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(camel)
                    .findRoutesBuilders(ResourceHelper.resolveMandatoryResource(camel, "file:" + file.toAbsolutePath()))) {
                RouteBuilder rb = (RouteBuilder) builder;
                rb.configureRoutes(camel).getRoutes().stream().map(RouteDefinition::getRouteId).forEach(ids::add);
                rb.getRouteTemplateCollection().getRouteTemplates().stream().map(RouteTemplateDefinition::getId).forEach(ids::add);
                if (rb instanceof org.apache.camel.builder.RouteConfigurationBuilder rcb) {
                    rcb.addRouteConfigurationsToCamelContext(camel);
                    ((org.apache.camel.model.ModelCamelContext) camel).getRouteConfigurationDefinitions().stream()
                            .map(RouteConfigurationDefinition::getId).forEach(ids::add);
                }
            }
        }
        return ids;
    }

    private static void assertCamelCase(Path file) throws IOException {
        Matcher m = KEBAB_KEY.matcher(Files.readString(file));
        while (m.find()) {
            assertThat(m.group(1)).as(file + ": YAML keys are camelCase").isEqualTo("x-descriptors");
        }
    }

    private static List<Path> yamlFiles(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static String stem(Path file, String suffix) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - suffix.length());
    }
}

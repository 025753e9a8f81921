package com.digitalfte.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The {@code *.camel.yaml} files in a classpath folder, as {@code classpath:} locations Camel loads
 * one by one. Camel's own wildcard patterns read every entry of a jar to find them, about a second
 * per folder in the packaged jar; the jar's central directory answers the same in milliseconds.
 */
final class RouteFiles {

    private static final String SUFFIX = ".camel.yaml";

    private RouteFiles() {
    }

    /** The route files directly in {@code folder} (e.g. {@code routes/cloud}), sorted by name. */
    static List<String> in(ClassLoader loader, String folder) {
        TreeSet<String> names = new TreeSet<>();
        try {
            for (URL url : Collections.list(loader.getResources(folder))) {
                names.addAll(namesIn(url, folder));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the route files in " + folder + " cannot be listed", e);
        }
        List<String> locations = new ArrayList<>();
        names.forEach(name -> locations.add("classpath:" + folder + "/" + name));
        return locations;
    }

    private static List<String> namesIn(URL url, String folder) throws IOException {
        List<String> names = new ArrayList<>();
        switch (url.getProtocol()) {
            case "file" -> {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(SUFFIX)).forEach(names::add);
                } catch (URISyntaxException e) {
                    throw new IOException("not a file location: " + url, e);
                }
            }
            case "jar" -> {
                // the class loader's own (cached) copy of the jar: not closed here
                JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile();
                String prefix = folder + "/";
                jar.stream().map(e -> e.getName())
                        .filter(n -> n.startsWith(prefix) && n.endsWith(SUFFIX) && n.indexOf('/', prefix.length()) < 0)
                        .forEach(n -> names.add(n.substring(prefix.length())));
            }
            default -> throw new IOException("route files cannot be listed from " + url);
        }
        return names;
    }
}

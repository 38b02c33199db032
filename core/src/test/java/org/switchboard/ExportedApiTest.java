package org.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Core's API stays small: what its module descriptor exports is the API, the rest is internal. */
class ExportedApiTest {

    private static final List<String> EXPORTED = List.of("org.switchboard", "org.switchboard.spi", "org.switchboard.guice");

    @Test
    void coreExportsAtMost33PublicTypes() throws Exception {
        List<String> types = new ArrayList<>();
        for (String pkg : EXPORTED)
            for (Class<?> type : classesOf(pkg))
                collectPublic(type, types);
        assertThat(types).as(String.join("\n", types)).hasSizeLessThanOrEqualTo(33);
    }

    @Test
    void theModuleExportsTheApiPackagesAndOpensInternalOnlyToSwitchboardModules() throws Exception {
        String descriptor = Files.readString(sourceRoot().resolve("module-info.java"));
        for (String pkg : EXPORTED)
            assertThat(descriptor).contains("exports " + pkg + ";");
        assertThat(descriptor).contains("exports org.switchboard.internal to org.switchboard.");
        assertThat(descriptor).doesNotContain("exports org.switchboard.internal;");
        assertThat(descriptor).contains("uses org.switchboard.spi.ProtocolHandlerProvider;");
    }

    private static void collectPublic(Class<?> type, List<String> into) {
        if (!Modifier.isPublic(type.getModifiers()))
            return;
        into.add(type.getName());
        for (Class<?> nested : type.getDeclaredClasses())
            collectPublic(nested, into);
    }

    private static List<Class<?>> classesOf(String pkg) throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(Switchboard.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(classes.resolve(pkg.replace('.', '/')))) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$") && !name.equals("package-info.class"))
                    found.add(Class.forName(pkg + "." + name.substring(0, name.length() - ".class".length())));
            }
        }
        return found;
    }

    private static Path sourceRoot() {
        // The tests run with the module's folder as working directory.
        return Path.of("src/main/java");
    }
}

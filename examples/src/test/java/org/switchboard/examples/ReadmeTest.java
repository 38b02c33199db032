package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The top-level README quotes each protocol module's snippets verbatim; the modules' own tests
 * compile and run those snippets, so the quotes stay true as long as they stay identical.
 */
class ReadmeTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    @ParameterizedTest
    @ValueSource(strings = {"websocket-module", "h2c-module", "custom-protocol-module"})
    void theTopLevelReadmeQuotesTheModulesCompiledSnippetsVerbatim(String module) throws Exception {
        String top = Files.readString(Path.of("../README.md"));
        List<String> quoted = JAVA_BLOCK.matcher(top).results().map(m -> m.group(1)).toList();
        Matcher blocks = JAVA_BLOCK.matcher(Files.readString(Path.of("..", module, "README.md")));
        int shared = 0;
        while (blocks.find())
            if (quoted.contains(blocks.group(1)))
                shared++;
        assertThat(shared).as("snippets of %s/README.md quoted in README.md", module).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/nginx.conf", "deploy/nginx-cluster.conf", "deploy/apache-cluster.conf", "deploy/README.md", "time-plugin/pom.xml", "../RULES.md"})
    void filesTheReadmeRefersToExist(String file) {
        assertThat(Path.of(file)).exists();
    }
}

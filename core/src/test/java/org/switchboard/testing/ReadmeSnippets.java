package org.switchboard.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps a README's Java snippets true: the code between {@code // README:begin NAME} and
 * {@code // README:end NAME} in a test that compiles and runs it is what the README shows.
 */
public final class ReadmeSnippets {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    private ReadmeSnippets() {
    }

    /** The contents of every {@code ```java} block of {@code readme}. */
    public static List<String> javaBlocks(Path readme) throws IOException {
        return JAVA_BLOCK.matcher(Files.readString(readme)).results().map(m -> m.group(1)).toList();
    }

    /** The lines between {@code // README:begin name} and {@code // README:end name} of {@code source}, less {@code indent}. */
    public static String between(Path source, String name, String indent) throws IOException {
        String text = Files.readString(source);
        String begin = "// README:begin " + name + "\n";
        int start = text.indexOf(begin);
        int end = text.indexOf("// README:end " + name);
        if (start < 0 || end < start)
            throw new IllegalArgumentException(source + " has no snippet " + name);
        String lines = text.substring(start + begin.length(), text.lastIndexOf("\n", end) + 1);
        return lines.lines().map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line).map(line -> line + "\n")
            .reduce("", String::concat);
    }
}

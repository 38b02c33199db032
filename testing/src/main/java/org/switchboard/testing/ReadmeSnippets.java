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

    /**
     * The contents of every {@code ```java} block of {@code readme}.
     *
     * @param readme the Markdown file, read as UTF-8
     * @return each block's code, without its fences, in order; empty when there is none
     * @throws IOException if the file cannot be read
     */
    public static List<String> javaBlocks(Path readme) throws IOException {
        return JAVA_BLOCK.matcher(Files.readString(readme)).results().map(m -> m.group(1)).toList();
    }

    /**
     * The lines between {@code // README:begin name} and {@code // README:end name} of {@code source}, less {@code indent}.
     *
     * @param source the Java source file that holds the snippet, read as UTF-8
     * @param name   the snippet's name, as after {@code README:begin}
     * @param indent the leading whitespace to strip from each line that starts with it
     * @return the snippet's lines, each ending with a newline
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if {@code source} has no such snippet
     */
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

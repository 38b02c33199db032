package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Example;
import net.jqwik.api.Tag;
import org.switchboard.testing.Fuzz;

/** Fuzzing the chat-line and JSON parsers of {@code POST /messages}: any text is a message or a one-line refusal. */
@Tag("fuzz")
class MessagesFuzzTest {

    @Example
    void anyBodyIsAMessageOrAOneLineRefusal() {
        var json = Arbitraries.oneOf(
            Fuzz.headerValues("{}[]\":,\\ \ntruefalsnu0123456789.eE+-", 200),
            Arbitraries.strings().ofMaxLength(40).map(text -> "{\"sender\":\"ann\",\"text\":\"" + text + "\"}"));
        var bodies = Arbitraries.oneOf(
            json.map(body -> new Object[] {body, true}),
            Fuzz.headerValues(": \n\r\t", 200).map(body -> new Object[] {body, false}));
        Fuzz.run("POST /messages", bodies.map(pair -> new Body((String) pair[0], (Boolean) pair[1])), body -> {
            MessagesHandler.Post post = MessagesHandler.Post.parse(body.text(), body.json());
            if (post.problem() == null) {
                assertThat(post.text()).isNotBlank();
                assertThat(post.sender()).isNotNull();
            } else {
                assertThat(post.problem()).doesNotContain("\n").doesNotContain("\r");
                assertThat(post.sender()).isNull();
            }
        });
    }

    record Body(String text, boolean json) {
    }
}

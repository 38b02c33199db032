package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** PROTOCOL.md section 2, "Message ids" and "ACK", as both ends count them. */
class AckWindowTest {

    @Test
    void idsStartAtOneAndAcksAddUpCumulatively() throws Exception {
        AckWindow window = new AckWindow();
        assertThat(window.nextId()).isEqualTo(1);
        assertThat(window.nextId()).isEqualTo(2);
        assertThat(window.nextId()).isEqualTo(3);
        assertThat(window.onAck(2)).isEqualTo(2);
        assertThat(window.onAck(2)).as("repeating the last ACK means nothing").isEqualTo(-1);
        assertThat(window.onAck(3)).isEqualTo(3);
    }

    @Test
    void anAckForAMessageNeverSentOrGoingBackwardsIsAProtocolError() throws Exception {
        AckWindow window = new AckWindow();
        window.nextId();
        window.nextId();
        assertThatThrownBy(() -> window.onAck(3)).isInstanceOfSatisfying(RelayProtocolException.class, x -> {
            assertThat(x.code()).isEqualTo(CloseCode.PROTOCOL_ERROR);
            assertThat(x.getMessage()).isEqualTo("ACK 3 for a message never sent");
        });
        assertThat(window.onAck(2)).isEqualTo(2);
        assertThatThrownBy(() -> window.onAck(1)).as("backwards").isInstanceOf(RelayProtocolException.class);
        assertThatThrownBy(() -> new AckWindow().onAck(1)).as("nothing sent yet").isInstanceOf(RelayProtocolException.class);
    }

    @Test
    void idsWrapAfter0xFFFFFFFFAndTheTotalKeepsCounting() throws Exception {
        AckWindow window = new AckWindow(0xFFFFFFFE);
        assertThat(window.nextId()).isEqualTo(0xFFFFFFFF);
        assertThat(window.nextId()).as("after 0xFFFFFFFF comes 0").isZero();
        assertThat(window.nextId()).isEqualTo(1);
        assertThatThrownBy(() -> window.onAck(2)).as("not sent yet, though above the last ACK").isInstanceOf(RelayProtocolException.class);
        assertThat(window.onAck(0)).as("acknowledges 0xFFFFFFFF and 0").isEqualTo(2);
        assertThat(window.onAck(1)).isEqualTo(3);
        assertThatThrownBy(() -> window.onAck(0xFFFFFFFF)).as("backwards across the wrap").isInstanceOf(RelayProtocolException.class);
        assertThat(window.acknowledge(0xFFFFFFFE)).as("the peer's messages: nothing new").isFalse();
        assertThat(window.acknowledge(0)).as("the peer's message 0, after its 0xFFFFFFFF").isTrue();
    }

    @Test
    void aReadSendsAnAckOnlyForMessagesNotYetAcknowledged() {
        AckWindow window = new AckWindow();
        assertThat(window.acknowledge(0)).as("no message yet").isFalse();
        assertThat(window.acknowledge(3)).isTrue();
        assertThat(window.acknowledge(3)).as("nothing new in this read").isFalse();
        assertThat(window.acknowledge(4)).isTrue();
    }
}

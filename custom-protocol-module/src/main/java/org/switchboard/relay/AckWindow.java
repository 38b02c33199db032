package org.switchboard.relay;

/**
 * relay/2's acknowledged delivery as one end keeps count of it (PROTOCOL.md section 2, "Message
 * ids" and "ACK"), the same on the server and in {@link RelayClient}: the rules do not depend on
 * the side.
 *
 * <p>Our messages: each gets the next id, 1, 2, 3, … as an unsigned 32-bit number (after
 * {@code 0xFFFFFFFF} comes 0, so the arithmetic below is modulo 2^32 and never compares ids by
 * size). The peer's cumulative ACKs may only move forward, up to the last id sent; anything else is
 * a protocol error (1002, section 6), and what they acknowledge adds up to the running total that
 * {@link RelayListener#onAcknowledged} reports, which does not wrap. These are guarded by the lock
 * under which the owner sends, so that ids follow the order in which frames are written.
 *
 * <p>The peer's messages: {@link FrameParser} checks their ids; this remembers the last one we
 * acknowledged, so that a read sends at most one ACK, and none when it delivered no new message.
 * Only the reading thread touches it.
 */
final class AckWindow {

    private int sentId;
    private long sent;
    private int peerAcknowledgedId;
    private long peerAcknowledged;
    private int acknowledgedId;

    AckWindow() {
        this(0);
    }

    /**
     * A resumed session's window (PROTOCOL.md, "Resume"): {@code sent} of our messages were sent
     * and count as acknowledged (the peer has handled them, or they are resent from the next id),
     * and the peer's messages up to {@code received} are acknowledged; ids continue from these
     * counts modulo 2^32, and {@link RelayListener#onAcknowledged}'s total from {@code sent}.
     */
    AckWindow(long sent, long received) {
        this.sent = sent;
        sentId = (int) sent;
        peerAcknowledgedId = (int) sent;
        peerAcknowledged = sent;
        acknowledgedId = (int) received;
    }

    /**
     * A window as if both sides had sent messages up to {@code lastId} and had them acknowledged,
     * with the running total from 0: the only way for a test to reach the wrap after
     * {@code 0xFFFFFFFF} without 2^32 messages.
     */
    AckWindow(int lastId) {
        sentId = lastId;
        peerAcknowledgedId = lastId;
        acknowledgedId = lastId;
    }

    /**
     * The id of the message about to be sent, which is now taken (in relay/1 too, where
     * {@link RelayFrames#putMessage} does not write it: counting costs less than asking).
     */
    int nextId() {
        sent++;
        return ++sentId;
    }

    /** How many messages we have sent in the session, counted from its first (resumed sessions included). */
    long sent() {
        return sent;
    }

    /**
     * Takes the peer's {@code ACK id}.
     *
     * @return how many of our messages the peer has handled in all, or -1 if {@code id} repeats the
     *         last ACK (allowed, and it means nothing: no callback)
     * @throws RelayProtocolException 1002 if {@code id} was never sent or goes backwards
     */
    long onAck(int id) throws RelayProtocolException {
        int delta = id - peerAcknowledgedId;
        if (Integer.compareUnsigned(delta, sentId - peerAcknowledgedId) > 0)
            throw new RelayProtocolException(CloseCode.PROTOCOL_ERROR, "ACK " + Integer.toUnsignedString(id) + " for a message never sent");
        if (delta == 0)
            return -1;
        peerAcknowledgedId = id;
        peerAcknowledged += Integer.toUnsignedLong(delta);
        return peerAcknowledged;
    }

    /**
     * Whether the peer's messages up to {@code lastReceivedId} ({@link FrameParser#lastMessageId()},
     * once the application has handled them) still need an ACK; if so they count as acknowledged
     * from now on, and the caller sends {@code ACK lastReceivedId}.
     */
    boolean acknowledge(int lastReceivedId) {
        if (lastReceivedId == acknowledgedId)
            return false;
        acknowledgedId = lastReceivedId;
        return true;
    }
}

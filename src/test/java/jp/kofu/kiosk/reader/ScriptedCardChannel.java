package jp.kofu.kiosk.reader;

import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A card channel that plays back a recorded exchange: each command must be exactly the next one expected (as
 * hex), and gets the recorded response. The edge of the PC/SC path; everything above it is the real code.
 */
final class ScriptedCardChannel extends CardChannel {
    private record Step(String command, String response) {}

    private final Deque<Step> steps = new ArrayDeque<>();

    /** Expects {@code commandHex} (spaces ignored) next and answers {@code responseHex} (data followed by SW1 SW2). */
    ScriptedCardChannel expect(String commandHex, String responseHex) {
        steps.add(new Step(commandHex.replace(" ", "").toUpperCase(), responseHex.replace(" ", "").toUpperCase()));
        return this;
    }

    void assertFinished() {
        assertTrue(steps.isEmpty(), "commands expected but not sent: " + steps);
    }

    @Override
    public ResponseAPDU transmit(CommandAPDU command) {
        String sent = HexFormat.of().withUpperCase().formatHex(command.getBytes());
        Step next = steps.poll();
        assertTrue(next != null, "unexpected command " + sent);
        assertEquals(next.command(), sent, "APDU sent");
        return new ResponseAPDU(HexFormat.of().parseHex(next.response()));
    }

    @Override
    public int transmit(ByteBuffer command, ByteBuffer response) {
        throw new UnsupportedOperationException("the JPKI code uses CommandAPDU");
    }

    @Override
    public Card getCard() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int getChannelNumber() {
        return 0;
    }

    @Override
    public void close() {
        // the basic channel is never closed
    }
}

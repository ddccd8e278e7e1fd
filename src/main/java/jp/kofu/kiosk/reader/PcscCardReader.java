package jp.kofu.kiosk.reader;

import javax.smartcardio.Card;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.TerminalFactory;
import java.util.List;
import java.util.Optional;

/**
 * A contact or contactless reader reached through PC/SC ({@code javax.smartcardio}; on Linux, pcscd and
 * libpcsclite), speaking to the card's JPKI application. See {@code docs/kiosk.md} for running it with a real reader.
 */
public final class PcscCardReader implements CardReader {
    private final CardTerminal terminal;

    private PcscCardReader(CardTerminal terminal) {
        this.terminal = terminal;
    }

    /** The reader whose name contains {@code nameContains}, or the only reader when it is empty. */
    public static PcscCardReader open(Optional<String> nameContains) {
        List<CardTerminal> terminals;
        try {
            terminals = TerminalFactory.getDefault().terminals().list();
        } catch (javax.smartcardio.CardException | RuntimeException e) {
            throw new CardReaderException(CardReaderException.Reason.COMMUNICATION,
                    "no PC/SC service or reader (is pcscd running?): " + e.getMessage(), e);
        }
        List<CardTerminal> matching = terminals.stream()
                .filter(t -> nameContains.map(n -> t.getName().contains(n)).orElse(true))
                .toList();
        if (matching.size() != 1) {
            throw new CardReaderException(CardReaderException.Reason.COMMUNICATION, matching.size()
                    + " PC/SC readers match" + nameContains.map(n -> " '" + n + "'").orElse("") + "; readers: "
                    + terminals.stream().map(CardTerminal::getName).toList());
        }
        return new PcscCardReader(matching.get(0));
    }

    public String name() {
        return terminal.getName();
    }

    @Override
    public boolean isCardPresent() {
        try {
            return terminal.isCardPresent();
        } catch (javax.smartcardio.CardException e) {
            return false;
        }
    }

    @Override
    public CardConnection connect() {
        Card card;
        try {
            card = terminal.connect("*");
            card.beginExclusive();
        } catch (javax.smartcardio.CardException e) {
            throw new CardReaderException(isCardPresent() ? CardReaderException.Reason.COMMUNICATION
                    : CardReaderException.Reason.NO_CARD, "cannot connect to the card: " + e.getMessage(), e);
        }
        Card connected = card;
        Runnable end = () -> {
            try {
                connected.endExclusive();
            } catch (javax.smartcardio.CardException | IllegalStateException ignored) {
                // the card was taken away: nothing left to end
            }
            try {
                // Reset: the card forgets the verified PIN.
                connected.disconnect(true);
            } catch (javax.smartcardio.CardException | IllegalStateException ignored) {
                // already gone
            }
        };
        try {
            return new JpkiCardConnection(card.getBasicChannel(), end);
        } catch (RuntimeException e) {
            end.run();
            throw e;
        }
    }
}

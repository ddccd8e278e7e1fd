package jp.kofu.kiosk.reader;

import javax.smartcardio.CardChannel;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.regex.Pattern;

/**
 * The JPKI application (公的個人認証 AP) of an Individual Number Card, spoken to over ISO 7816-4 APDUs: its
 * user-authentication certificate (EF 000A), PIN (EF 0018, 3 tries) and key (EF 0017). The APDUs are listed in
 * {@code docs/kiosk.md}, with the public sources they were checked against.
 */
final class JpkiCardConnection implements CardConnection {
    /** AID of the JPKI AP (DF name), selected with SELECT by DF name. */
    static final byte[] JPKI_AP = {(byte) 0xD3, (byte) 0x92, (byte) 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
    static final int EF_AUTH_CERTIFICATE = 0x000A;
    static final int EF_AUTH_KEY = 0x0017;
    static final int EF_AUTH_PIN = 0x0018;
    /** Tries the card allows for the user-authentication PIN. */
    static final int MAX_TRIES = 3;
    private static final int SW_OK = 0x9000;
    private static final int SW_BLOCKED = 0x6983;
    private static final int SW_SECURITY_NOT_SATISFIED = 0x6982;
    private static final Pattern PIN = Pattern.compile("[0-9]{4}");
    private static final int CHUNK = 256;

    private final CardChannel channel;
    private final Runnable onClose;
    private X509Certificate certificate;
    private boolean closed;

    /** Selects the JPKI AP on {@code channel}; {@code onClose} ends the card session (e.g. disconnect with reset). */
    JpkiCardConnection(CardChannel channel, Runnable onClose) {
        this.channel = channel;
        this.onClose = onClose;
        ResponseAPDU r = transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x0C, JPKI_AP));
        if (r.getSW() != SW_OK) {
            throw new CardReaderException(CardReaderException.Reason.NOT_A_JPKI_CARD,
                    "SELECT JPKI AP answered " + sw(r));
        }
    }

    @Override
    public synchronized X509Certificate certificate() {
        if (certificate == null) {
            selectEf(EF_AUTH_CERTIFICATE);
            byte[] head = readBinary(0, 4);
            // A DER certificate: SEQUENCE with a two-byte length.
            if (head.length != 4 || head[0] != 0x30 || head[1] != (byte) 0x82) {
                throw new CardReaderException(CardReaderException.Reason.NOT_A_JPKI_CARD,
                        "EF 000A does not start with a DER certificate");
            }
            int total = (((head[2] & 0xFF) << 8) | (head[3] & 0xFF)) + 4;
            ByteArrayOutputStream der = new ByteArrayOutputStream(total);
            for (int offset = 0; offset < total; offset += CHUNK) {
                der.writeBytes(readBinary(offset, Math.min(CHUNK, total - offset)));
            }
            try {
                certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der.toByteArray()));
            } catch (CertificateException e) {
                throw new CardReaderException(CardReaderException.Reason.NOT_A_JPKI_CARD,
                        "EF 000A does not hold a certificate", e);
            }
        }
        return certificate;
    }

    @Override
    public synchronized int remainingTries() {
        selectEf(EF_AUTH_PIN);
        // VERIFY without data asks for the retry counter without using a try.
        ResponseAPDU r = transmit(new CommandAPDU(0x00, 0x20, 0x00, 0x80));
        if ((r.getSW() & 0xFFF0) == 0x63C0) {
            return r.getSW() & 0x0F;
        }
        if (r.getSW() == SW_BLOCKED) {
            return 0;
        }
        if (r.getSW() == SW_OK) {
            return MAX_TRIES;
        }
        throw new CardReaderException(CardReaderException.Reason.COMMUNICATION, "VERIFY (status) answered " + sw(r));
    }

    @Override
    public synchronized PinCheck verifyPin(String pin) {
        if (pin == null || !PIN.matcher(pin).matches()) {
            // Never spend one of the card's tries on something that is not a PIN at all.
            throw new IllegalArgumentException("the PIN is 4 digits");
        }
        selectEf(EF_AUTH_PIN);
        ResponseAPDU r = transmit(new CommandAPDU(0x00, 0x20, 0x00, 0x80, pin.getBytes(StandardCharsets.US_ASCII)));
        int sw = r.getSW();
        if (sw == SW_OK) {
            return new PinCheck.Accepted();
        }
        if ((sw & 0xFFF0) == 0x63C0) {
            int left = sw & 0x0F;
            return left == 0 ? new PinCheck.Locked() : new PinCheck.Wrong(left);
        }
        if (sw == SW_BLOCKED || sw == 0x6984) {
            return new PinCheck.Locked();
        }
        throw new CardReaderException(CardReaderException.Reason.COMMUNICATION, "VERIFY answered " + sw(r));
    }

    @Override
    public synchronized byte[] sign(byte[] digestInfo) {
        selectEf(EF_AUTH_KEY);
        ResponseAPDU r = transmit(new CommandAPDU(0x80, 0x2A, 0x00, 0x80, digestInfo, 256));
        if (r.getSW() == SW_SECURITY_NOT_SATISFIED || r.getSW() == SW_BLOCKED) {
            throw new CardReaderException(CardReaderException.Reason.REFUSED, "the card refused to sign: " + sw(r));
        }
        if (r.getSW() != SW_OK || r.getData().length == 0) {
            throw new CardReaderException(CardReaderException.Reason.COMMUNICATION,
                    "COMPUTE DIGITAL SIGNATURE answered " + sw(r));
        }
        return r.getData();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }

    private void selectEf(int fileId) {
        ResponseAPDU r = transmit(new CommandAPDU(0x00, 0xA4, 0x02, 0x0C, new byte[] {(byte) (fileId >> 8), (byte) fileId}));
        if (r.getSW() != SW_OK) {
            throw new CardReaderException(CardReaderException.Reason.NOT_A_JPKI_CARD,
                    String.format("SELECT EF %04X answered %s", fileId, sw(r)));
        }
    }

    private byte[] readBinary(int offset, int length) {
        ResponseAPDU r = transmit(new CommandAPDU(0x00, 0xB0, (offset >> 8) & 0x7F, offset & 0xFF, length));
        if (r.getSW() != SW_OK || r.getData().length != length) {
            throw new CardReaderException(CardReaderException.Reason.COMMUNICATION,
                    "READ BINARY at " + offset + " answered " + sw(r) + " with " + r.getData().length + " bytes");
        }
        return r.getData();
    }

    private ResponseAPDU transmit(CommandAPDU command) {
        if (closed) {
            throw new CardReaderException(CardReaderException.Reason.COMMUNICATION, "the card session is closed");
        }
        try {
            return channel.transmit(command);
        } catch (javax.smartcardio.CardException | IllegalStateException e) {
            throw new CardReaderException(CardReaderException.Reason.COMMUNICATION, "the card stopped answering", e);
        }
    }

    private static String sw(ResponseAPDU r) {
        return String.format("%04X", r.getSW());
    }
}

package jp.kofu.kiosk.reader;

import jp.kofu.pki.Credential;
import jp.kofu.pki.Pkcs12;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A reader holding software cards for demos and tests: each card is a PKCS#12 file of the development PKI
 * ({@code cards/<name>.p12}, issued by the TEST JPKI CA). Like a real card, each keeps its PIN and its retry
 * counter itself, across sessions and restarts ({@code <state-dir>/<name>.properties}): three wrong PINs in a row
 * lock it for good; a right one resets the counter. Deleting the state file stands in for the city hall's
 * 暗証番号の初期化. A card is "put on the reader" with {@link #insert} and taken away with {@link #remove}.
 */
public final class SoftwareCardReader implements CardReader {
    /** The PIN every software card starts with. */
    public static final String DEMO_PIN = "1234";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path cardsDir;
    private final char[] password;
    private final Path stateDir;
    private volatile String inserted;

    public SoftwareCardReader(Path cardsDir, char[] password, Path stateDir) {
        this.cardsDir = cardsDir;
        this.password = password.clone();
        this.stateDir = stateDir;
    }

    /** The names of the cards that can be put on the reader. */
    public List<String> cards() {
        try (Stream<Path> files = Files.list(cardsDir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".p12"))
                    .map(n -> n.substring(0, n.length() - 4)).filter(n -> NAME.matcher(n).matches()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Puts the card {@code name} on the reader. */
    public void insert(String name) {
        if (name == null || !cards().contains(name)) {
            throw new CardReaderException(CardReaderException.Reason.NO_CARD, "no such software card");
        }
        inserted = name;
    }

    /** Takes the card away. */
    public void remove() {
        inserted = null;
    }

    public Optional<String> inserted() {
        return Optional.ofNullable(inserted);
    }

    @Override
    public boolean isCardPresent() {
        return inserted != null;
    }

    @Override
    public CardConnection connect() {
        String name = inserted;
        if (name == null) {
            throw new CardReaderException(CardReaderException.Reason.NO_CARD, "no card on the reader");
        }
        return new Session(name, Pkcs12.read(cardsDir.resolve(name + ".p12"), password));
    }

    /** One session with a software card. */
    private final class Session implements CardConnection {
        private final String name;
        private final Credential credential;
        private boolean verified;
        private boolean closed;

        Session(String name, Credential credential) {
            this.name = name;
            this.credential = credential;
        }

        @Override
        public X509Certificate certificate() {
            check();
            return credential.certificate();
        }

        @Override
        public int remainingTries() {
            check();
            synchronized (SoftwareCardReader.class) {
                return Integer.parseInt(state().getProperty("remaining"));
            }
        }

        @Override
        public PinCheck verifyPin(String pin) {
            check();
            if (pin == null || !pin.matches("[0-9]{4}")) {
                throw new IllegalArgumentException("the PIN is 4 digits");
            }
            synchronized (SoftwareCardReader.class) {
                Properties s = state();
                int remaining = Integer.parseInt(s.getProperty("remaining"));
                if (remaining <= 0) {
                    return new PinCheck.Locked();
                }
                boolean right = MessageDigest.isEqual(hash(s.getProperty("salt"), pin),
                        HexFormat.of().parseHex(s.getProperty("pin")));
                remaining = right ? JpkiCardConnection.MAX_TRIES : remaining - 1;
                s.setProperty("remaining", Integer.toString(remaining));
                save(s);
                verified = right;
                if (right) {
                    return new PinCheck.Accepted();
                }
                return remaining == 0 ? new PinCheck.Locked() : new PinCheck.Wrong(remaining);
            }
        }

        @Override
        public byte[] sign(byte[] digestInfo) {
            check();
            if (!verified) {
                throw new CardReaderException(CardReaderException.Reason.REFUSED, "PIN not verified in this session");
            }
            try {
                // Raw PKCS#1 v1.5 of the given DigestInfo, as the card's COMPUTE DIGITAL SIGNATURE does.
                Signature rsa = Signature.getInstance("NONEwithRSA");
                rsa.initSign(credential.privateKey());
                rsa.update(digestInfo);
                return rsa.sign();
            } catch (GeneralSecurityException e) {
                throw new CardReaderException(CardReaderException.Reason.REFUSED, "the software card could not sign", e);
            }
        }

        @Override
        public void close() {
            closed = true;
            verified = false;
        }

        private void check() {
            if (closed || !name.equals(inserted)) {
                throw new CardReaderException(CardReaderException.Reason.COMMUNICATION, "the card was taken away");
            }
        }

        private Path stateFile() {
            return stateDir.resolve(name + ".properties");
        }

        private Properties state() {
            Properties s = new Properties();
            Path file = stateFile();
            if (Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    s.load(in);
                    if (s.getProperty("remaining") != null && s.getProperty("salt") != null
                            && s.getProperty("pin") != null) {
                        return s;
                    }
                } catch (IOException | IllegalArgumentException e) {
                    // unreadable: a new card
                }
            }
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            s.setProperty("salt", HexFormat.of().formatHex(salt));
            s.setProperty("pin", HexFormat.of().formatHex(hash(s.getProperty("salt"), DEMO_PIN)));
            s.setProperty("remaining", Integer.toString(JpkiCardConnection.MAX_TRIES));
            save(s);
            return s;
        }

        private void save(Properties s) {
            try {
                Files.createDirectories(stateDir);
                Path tmp = Files.createTempFile(stateDir, name, ".tmp");
                try (var out = Files.newOutputStream(tmp)) {
                    s.store(out, "software card " + name + ": PIN hash and remaining tries");
                }
                Files.move(tmp, stateFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static byte[] hash(String saltHex, String pin) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(HexFormat.of().parseHex(saltHex));
            return sha.digest(pin.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

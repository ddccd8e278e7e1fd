package jp.kofu.db;

import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Random keys every node of a cluster shares, made once and kept in the database ({@code node_secret}): the
 * first node to ask creates a key, every other node reads the same one.
 */
@Singleton
public final class NodeSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;

    public NodeSecrets(Database db) {
        this.db = db;
    }

    /** The 32-byte key called {@code name}. */
    public byte[] key(String name) {
        byte[] candidate = new byte[32];
        RANDOM.nextBytes(candidate);
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO node_secret (name, value) VALUES (?, ?)")) {
                s.setString(1, name);
                s.setBytes(2, candidate);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT value FROM node_secret WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            }
        });
    }
}

package jp.kofu.card;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the CRLs of one configured JPKI CA stand (operations, docs/operations.md).
 *
 * @param issuer     the CA's subject, RFC 4514: a CA's name, never a resident's
 * @param nextUpdate the latest {@code nextUpdate} of the CRLs in the folder that the CA signed; empty when none
 * @param current    whether one of them is current now (issued, and its {@code nextUpdate} not yet passed)
 */
public record CrlStatus(String issuer, Optional<Instant> nextUpdate, boolean current) {}

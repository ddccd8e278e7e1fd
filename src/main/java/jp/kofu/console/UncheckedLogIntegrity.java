package jp.kofu.console;

import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

/** Stands in for the hash-chain verifier until it is wired in: every answer is "not checked yet". */
@Singleton
@Secondary
final class UncheckedLogIntegrity implements LogIntegrity {
    @Override
    public Result check(String municipalityCode) {
        return Result.unchecked("未確認（検証機能は準備中）");
    }
}

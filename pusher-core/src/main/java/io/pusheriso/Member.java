package io.pusheriso;

import java.util.Objects;

/**
 * One member of a presence channel.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param id the user id (numeric ids are kept as their text)
 * @param infoJson the user's {@code user_info} as raw JSON text, {@code "null"} when there is none
 */
public record Member(String id, String infoJson) {

  /** Checks the arguments. */
  public Member {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(infoJson, "infoJson");
  }
}

package io.pusheriso.spi;

import java.util.Objects;

/**
 * A user authentication as a user-auth endpoint returns it: {@code {"auth":"key:signature",
 * "user_data":"{\"id\":\"...\"}"}}.
 *
 * <p>{@link #toString()} never shows the signature. Instances are immutable and thread-safe.
 *
 * @param auth {@code key:hex(HMAC-SHA256(secret, "socket_id::user::user_data"))}
 * @param userData the signed JSON text describing the user; it must hold a string {@code id}
 */
public record UserAuthentication(String auth, String userData) {

  /** Checks the arguments. */
  public UserAuthentication {
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(userData, "userData");
  }

  @Override
  public String toString() {
    return "UserAuthentication[auth=<redacted>, userData=" + userData + "]";
  }
}

package io.pusheriso;

import java.util.Optional;

/**
 * The members of a presence channel at one moment, iterated in the order the server listed them.
 *
 * <p>Instances are immutable snapshots and thread-safe: {@link PresenceChannel#members()} returns a
 * new one after every change.
 */
public interface Members extends Iterable<Member> {

  /** This client's own membership, once its id is known (from the channel authorization). */
  Optional<Member> me();

  /** The number of members. */
  int count();

  /** The member with this user id. */
  Optional<Member> get(String userId);
}

package io.pusheriso;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable {@link Members} snapshot; thread-safe. Built only when read after a change (see
 * {@link PresenceChannelImpl#members()}), so a burst of changes costs no copy of the member list.
 */
final class MembersSnapshot implements Members {

  static final MembersSnapshot EMPTY = new MembersSnapshot(new LinkedHashMap<>(), null);

  private final Map<String, Member> byId;
  private final String myId;

  private MembersSnapshot(LinkedHashMap<String, Member> byId, String myId) {
    this.byId = Collections.unmodifiableMap(byId);
    this.myId = myId;
  }

  /** A snapshot of {@code members} as they are now (the map is copied, in its order). */
  static MembersSnapshot copyOf(Map<String, Member> members, String myId) {
    return new MembersSnapshot(new LinkedHashMap<>(members), myId);
  }

  @Override
  public Optional<Member> me() {
    return myId == null ? Optional.empty() : Optional.ofNullable(byId.get(myId));
  }

  @Override
  public int count() {
    return byId.size();
  }

  @Override
  public Optional<Member> get(String userId) {
    return Optional.ofNullable(byId.get(userId));
  }

  @Override
  public Iterator<Member> iterator() {
    return byId.values().iterator();
  }

  @Override
  public String toString() {
    return "Members[count=" + byId.size() + ", me=" + myId + ", ids=" + byId.keySet() + "]";
  }
}

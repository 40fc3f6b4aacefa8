package io.pusheriso;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An immutable {@link Members} snapshot; thread-safe. Copy-on-change: presence has at most 100. */
final class MembersSnapshot implements Members {

  static final MembersSnapshot EMPTY = new MembersSnapshot(new LinkedHashMap<>(), null);

  private final Map<String, Member> byId;
  private final String myId;

  private MembersSnapshot(LinkedHashMap<String, Member> byId, String myId) {
    this.byId = Collections.unmodifiableMap(byId);
    this.myId = myId;
  }

  static MembersSnapshot of(Map<String, String> infoById, String myId) {
    LinkedHashMap<String, Member> map = new LinkedHashMap<>();
    infoById.forEach((id, info) -> map.put(id, new Member(id, info == null ? "null" : info)));
    return new MembersSnapshot(map, myId);
  }

  MembersSnapshot with(String id, String infoJson) {
    LinkedHashMap<String, Member> map = new LinkedHashMap<>(byId);
    map.put(id, new Member(id, infoJson == null ? "null" : infoJson));
    return new MembersSnapshot(map, myId);
  }

  MembersSnapshot without(String id) {
    LinkedHashMap<String, Member> map = new LinkedHashMap<>(byId);
    map.remove(id);
    return new MembersSnapshot(map, myId);
  }

  boolean contains(String id) {
    return byId.containsKey(id);
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

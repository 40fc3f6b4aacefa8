package io.pusheriso;

import io.pusheriso.protocol.ChannelData;
import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.MemberChange;
import io.pusheriso.protocol.PresenceSnapshot;
import io.pusheriso.protocol.ProtocolException;
import io.pusheriso.protocol.PusherEvents;
import io.pusheriso.protocol.PusherFrame;
import io.pusheriso.spi.ChannelAuthorization;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code presence-} channel: keeps the member list from the subscription snapshot and the
 * member_added / member_removed events, as pusher-js's {@code Members}. The list is reset when the
 * connection drops and listed again on the next subscription. Thread-safe: {@link #members()}
 * returns an immutable snapshot, built (under a lock shared with the lane's changes) only when the
 * list changed since the last one was read.
 */
final class PresenceChannelImpl extends PrivateChannelImpl implements PresenceChannel {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceChannelImpl.class);

  /**
   * Guards {@link #live}, {@link #liveMyId} and the building of {@link #published}: the lane changes
   * them, {@link #members()} copies them from any thread. Held only for a put, a remove or a copy.
   */
  private final Object membersLock = new Object();
  /** The current members, changed in place by the lane (no copy per change). */
  private final LinkedHashMap<String, Member> live = new LinkedHashMap<>();
  private String liveMyId;
  /** The snapshot of {@link #live}, or null when it changed since: built on the next read. */
  private volatile MembersSnapshot published = MembersSnapshot.EMPTY;
  private String myId;

  PresenceChannelImpl(ClientCore core, String name, ChannelKind kind) {
    super(core, name, kind);
  }

  @Override
  public Members members() {
    MembersSnapshot s = published;
    if (s != null) {
      return s;
    }
    synchronized (membersLock) {
      s = published;
      if (s == null) {
        s = MembersSnapshot.copyOf(live, liveMyId);
        published = s;
      }
      return s;
    }
  }

  /** Lane: replaces the member list (a subscription succeeded). */
  private void resetMembers(Map<String, String> infoById, String me) {
    synchronized (membersLock) {
      live.clear();
      infoById.forEach((id, info) -> live.put(id, new Member(id, info == null ? "null" : info)));
      liveMyId = me;
      published = null;
    }
  }

  /** Lane: forgets the members (the channel is no longer subscribed). */
  private void clearMembers() {
    synchronized (membersLock) {
      live.clear();
      liveMyId = null;
      published = MembersSnapshot.EMPTY;
    }
  }

  @Override
  boolean deferForSignin(ChannelAuthorization auth, Runnable retry) {
    UserImpl user = core.user();
    if (auth.channelData() == null && user.id().isEmpty() && user.signinInProgress()) {
      user.whenSigninDone(retry);
      return true;
    }
    return false;
  }

  @Override
  String accept(ChannelAuthorization auth) {
    if (auth.channelData() != null) {
      try {
        myId = ChannelData.parse(auth.channelData()).userId();
        return null;
      } catch (ProtocolException e) {
        return "The authorization of presence channel '" + name + "' has unusable channel_data: " + e.getMessage();
      }
    }
    String signedIn = core.user().id().orElse(null);
    if (signedIn != null) {
      myId = signedIn;
      return null;
    }
    return "Invalid authorization for presence channel '"
        + name
        + "': expected channel_data naming the user, or a signed-in user (Pusher.signin())";
  }

  @Override
  void onSucceeded(PusherFrame frame) {
    try {
      PresenceSnapshot snapshot = PresenceSnapshot.from(frame);
      resetMembers(snapshot.infoJsonById(), myId);
    } catch (ProtocolException e) {
      LOG.warn("Presence channel {}: malformed member list ({}); starting empty", name, e.getMessage());
      resetMembers(Map.of(), myId);
    }
  }

  @Override
  void handleInternal(PusherFrame frame) {
    String event = frame.event();
    boolean added = PusherEvents.INTERNAL_MEMBER_ADDED.equals(event);
    if (!added && !PusherEvents.INTERNAL_MEMBER_REMOVED.equals(event)) {
      return;
    }
    MemberChange change;
    try {
      change = MemberChange.from(frame);
    } catch (ProtocolException e) {
      LOG.warn("Presence channel {}: ignoring a malformed {}: {}", name, event, e.getMessage());
      return;
    }
    if (added) {
      String info = change.userInfoJson();
      synchronized (membersLock) {
        live.put(change.userId(), new Member(change.userId(), info == null ? "null" : info));
        published = null;
      }
      emitLocal(renamed(frame, PusherEvents.MEMBER_ADDED));
    } else if (live.containsKey(change.userId())) {
      synchronized (membersLock) {
        live.remove(change.userId());
        published = null;
      }
      emitLocal(renamed(frame, PusherEvents.MEMBER_REMOVED));
    }
  }

  @Override
  void disconnected() {
    clearMembers();
    super.disconnected();
  }

  @Override
  void removed() {
    clearMembers();
    super.removed();
  }
}

package io.pusheriso;

import io.pusheriso.protocol.ChannelData;
import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.MemberChange;
import io.pusheriso.protocol.PresenceSnapshot;
import io.pusheriso.protocol.ProtocolException;
import io.pusheriso.protocol.PusherEvents;
import io.pusheriso.protocol.PusherFrame;
import io.pusheriso.spi.ChannelAuthorization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code presence-} channel: keeps the member list from the subscription snapshot and the
 * member_added / member_removed events, as pusher-js's {@code Members}. The list is reset when the
 * connection drops and listed again on the next subscription. Thread-safe: {@link #members()}
 * reads a volatile immutable snapshot.
 */
final class PresenceChannelImpl extends PrivateChannelImpl implements PresenceChannel {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceChannelImpl.class);

  private volatile MembersSnapshot members = MembersSnapshot.EMPTY;
  private String myId;

  PresenceChannelImpl(ClientCore core, String name, ChannelKind kind) {
    super(core, name, kind);
  }

  @Override
  public Members members() {
    return members;
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
      members = MembersSnapshot.of(snapshot.infoJsonById(), myId);
    } catch (ProtocolException e) {
      LOG.warn("Presence channel {}: malformed member list ({}); starting empty", name, e.getMessage());
      members = MembersSnapshot.of(java.util.Map.of(), myId);
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
      members = members.with(change.userId(), change.userInfoJson());
      emitLocal(renamed(frame, PusherEvents.MEMBER_ADDED));
    } else if (members.contains(change.userId())) {
      members = members.without(change.userId());
      emitLocal(renamed(frame, PusherEvents.MEMBER_REMOVED));
    }
  }

  @Override
  void disconnected() {
    members = MembersSnapshot.EMPTY;
    super.disconnected();
  }

  @Override
  void removed() {
    members = MembersSnapshot.EMPTY;
    super.removed();
  }
}

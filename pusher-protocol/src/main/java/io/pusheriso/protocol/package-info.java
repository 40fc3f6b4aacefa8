/**
 * The Pusher Channels protocol, version 7: {@link io.pusheriso.protocol.PusherFrame frames},
 * their {@link io.pusheriso.protocol.FrameCodec codec}, typed views of the protocol's own events
 * (for example {@link io.pusheriso.protocol.ConnectionEstablished}), the
 * {@link io.pusheriso.protocol.ChannelNames channel-name} and
 * {@link io.pusheriso.protocol.ClientEvents client-event} rules, and
 * {@link io.pusheriso.protocol.AuthSigner auth signing}.
 *
 * <p>Everything here is pure (no I/O, threads or clocks) and thread-safe unless a type says
 * otherwise. Bad input is reported with unchecked exceptions: {@link
 * io.pusheriso.protocol.ProtocolException} for malformed or wrongly shaped wire data,
 * {@link io.pusheriso.protocol.InvalidChannelNameException} and
 * {@link io.pusheriso.protocol.InvalidClientEventException} for arguments that break a rule.
 */
package io.pusheriso.protocol;

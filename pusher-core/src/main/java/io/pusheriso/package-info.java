/**
 * The Pusher Channels client API: {@link io.pusheriso.Pusher} built from {@link
 * io.pusheriso.PusherOptions}, its channels ({@link io.pusheriso.Channel}, {@link
 * io.pusheriso.PrivateChannel}, {@link io.pusheriso.PresenceChannel}), events ({@link
 * io.pusheriso.PusherEvent}), the signed-in {@link io.pusheriso.User}, and the {@link
 * io.pusheriso.PusherException} hierarchy.
 *
 * <p>Every public type documents its thread-safety; the client and its channels are safe to use
 * from any thread and call back on one serial event lane per client.
 */
package io.pusheriso;

package io.pusheriso.testkit.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * Not for public use, may change at any time. Sits at the head of a child pipeline and withholds {@code read()} while
 * the connection is frozen, so that no handler (TLS included, which reads on its own when auto-read is off) pulls
 * bytes off the socket during a half-open fault.
 *
 * <p>Confined to the channel's event loop.
 */
public final class ReadGate extends ChannelDuplexHandler {
    private ChannelHandlerContext ctx;
    private boolean frozen;
    private boolean readWithheld;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Freezes or thaws reading. Must run on the channel's event loop.
     *
     * @param freeze true to stop reading
     */
    void set(boolean freeze) {
        if (frozen == freeze || ctx == null) {
            return;
        }
        frozen = freeze;
        ctx.channel().config().setAutoRead(!freeze);
        if (!freeze && readWithheld) {
            readWithheld = false;
            ctx.read();
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (frozen) {
            readWithheld = true;
            return;
        }
        ctx.read();
    }
}

package io.pusheriso.transport.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not for public use, may change at any time.
 *
 * <p>Creates the event loop group a factory owns when the application gives none. Thread-safe.
 */
public final class EventLoops {

  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

  private EventLoops() {}

  /**
   * A group and the socket channel class that runs on it.
   *
   * @param group the event loop group
   * @param channelType the client socket channel class for that group
   */
  public record Owned(EventLoopGroup group, Class<? extends Channel> channelType) {}

  /**
   * A new group of {@code threads} daemon threads named {@code pusher-netty-N}: epoll when {@code
   * preferNative} and the native library loads on this machine, else NIO.
   */
  public static Owned newOwned(int threads, boolean preferNative) {
    ThreadFactory threadFactory =
        runnable -> {
          // FastThreadLocalThread lets Netty's thread-local caches (the pooled allocator's) take
          // their fast path.
          Thread t =
              new FastThreadLocalThread(
                  runnable, "pusher-netty-" + THREAD_NUMBER.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    if (preferNative && Epoll.isAvailable()) {
      IoHandlerFactory epoll = EpollIoHandler.newFactory();
      return new Owned(
          new MultiThreadIoEventLoopGroup(threads, threadFactory, epoll), EpollSocketChannel.class);
    }
    return new Owned(
        new MultiThreadIoEventLoopGroup(threads, threadFactory, NioIoHandler.newFactory()),
        NioSocketChannel.class);
  }
}

/**
 * Pusher's HTTP fallback transports over Apache HttpClient 5: {@link
 * io.pusheriso.transport.httpclient.HttpClientTransportFactory} and its builder.
 *
 * <p>Everything else in this module lives in {@code io.pusheriso.transport.httpclient.internal},
 * which is not exported and may change at any time.
 */
package io.pusheriso.transport.httpclient;

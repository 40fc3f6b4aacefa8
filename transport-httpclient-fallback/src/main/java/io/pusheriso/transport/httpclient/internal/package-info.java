/**
 * Not for public use, may change at any time: the xhr transports, their frame parser and the
 * HttpClient plumbing behind {@link io.pusheriso.transport.httpclient.HttpClientTransportFactory}.
 * This package is not exported.
 */
package io.pusheriso.transport.httpclient.internal;

package io.pusheriso.benchmarks.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.pusheriso.benchmarks.Frames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The end-to-end harness (E1-E5, E7 of reference/performance.md): one in-process Netty Pusher server on loopback and,
 * one after the other in the same run, each client under test and its peers. Writes
 * {@code results/e2e-<stamp>.json} and {@code .md} and prints the markdown.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.pusheriso.benchmarks.e2e.E2e [--sections throughput,latency,resub,idle]
 * [--clients a,b,..] [--rounds 3] [--seconds 2] [--rates 10000,50000] [--latency-seconds 5] [--idle 1000,5000]
 * [--pjc-idle 5000] [--idle-seconds 4] [--out DIR] [--command "..."]}. Single-threaded harness.
 */
public final class E2e {

    static final List<String> ALL_CLIENTS =
            List.of("raw-netty", "ours-netty", "ours-netty-inline", "raw-jetty", "ours-jetty", "raw-httpclient", "ours-xhr",
                    "pjc");
    static final int FRAMES_PER_CHUNK = 256;

    private final Map<String, String> opts;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final StringBuilder md = new StringBuilder();
    private final List<String[]> goals = new ArrayList<>();
    private BenchServer server;

    private E2e(Map<String, String> opts) {
        this.opts = opts;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + Arrays.toString(args));
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        new E2e(opts).run();
        System.exit(0);
    }

    private String opt(String name, String def) {
        return opts.getOrDefault(name, def);
    }

    private List<String> list(String name, String def) {
        return Arrays.stream(opt(name, def).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }

    private void run() throws Exception {
        String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path out = Path.of(opt("out", "benchmarks/results"));
        Files.createDirectories(out);
        List<String> sections = list("sections", "throughput,latency,resub,idle");
        List<String> clients = list("clients", String.join(",", ALL_CLIENTS));
        json.put("date", Instant.now().toString());
        json.put("machine", Machine.describe());
        json.put("args", opts);
        md.append("# End-to-end benchmarks, ").append(stamp).append("\n\n");
        md.append(Machine.markdown());
        md.append("- command: `").append(opt("command", "java -cp benchmarks/target/benchmarks.jar "
                + "io.pusheriso.benchmarks.e2e.E2e " + String.join(" ", opts.entrySet().stream()
                .map(e -> "--" + e.getKey() + " " + e.getValue()).toList()))).append("`\n");
        md.append("- JVM of this run: `").append(String.join(" ",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())).append("`\n");
        md.append("- load average at start: ").append(Machine.loadavg()).append("\n");
        md.append("- server: in-process Netty 4.2 (1 event loop thread), loopback; the client side is every "
                + "other thread of the JVM (2 cores shared by server and client)\n\n");
        try (BenchServer s = new BenchServer(1)) {
            server = s;
            md.insert(md.indexOf("- server: in-process Netty 4.2") + "- server: in-process Netty 4.2".length(),
                    " " + s.transport());
            if (sections.contains("serve")) {
                // Only serve (for profiling a client in another JVM): print the ports, then wait.
                System.out.println("SERVING ws=" + s.port() + " xhr=" + s.xhrPort());
                Thread.sleep(Long.parseLong(opt("serve-seconds", "120")) * 1000);
                return;
            }
            if (sections.contains("throughput")) {
                throughput(clients);
            }
            if (sections.contains("latency")) {
                latency(clients);
            }
            if (sections.contains("resub")) {
                resubscribe(clients);
            }
            if (sections.contains("idle")) {
                idle(clients);
            }
        }
        md.append("- load average at end: ").append(Machine.loadavg()).append("\n\n");
        if (!goals.isEmpty()) {
            md.append("## Goals (issue 7), from this run\n\n| goal | measured | target | result |\n|---|--:|--:|---|\n");
            for (String[] g : goals) {
                md.append("| ").append(String.join(" | ", g)).append(" |\n");
            }
            md.append('\n');
            json.put("goals", goals);
        }
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path jsonFile = out.resolve("e2e-" + stamp + ".json");
        mapper.writeValue(jsonFile.toFile(), json);
        md.append("raw JSON: `").append(jsonFile).append("`\n");
        Files.writeString(out.resolve("e2e-" + stamp + ".md"), md.toString());
        Files.writeString(out.resolve("e2e-latest.md"), md.toString());
        System.out.println(md);
    }

    // ------------------------------------------------------------------------------------------ throughput (E1, E3, E4)

    private void throughput(List<String> clients) throws Exception {
        int rounds = Integer.parseInt(opt("rounds", "3"));
        double seconds = Double.parseDouble(opt("seconds", "2"));
        byte[] frame = Frames.load("public");
        ByteBuf wsChunk = BenchServer.encodeFrames(frame, FRAMES_PER_CHUNK);
        ByteBuf xhrChunk = BenchServer.encodeXhrLines(frame, FRAMES_PER_CHUNK);
        Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        String load0 = Machine.loadavg();
        // Every client connects first (one connection each, idle until its turn); then the rounds go round-robin
        // over the clients, so that a change of load on this shared box hits every client alike.
        record Under(String name, Clients.Kind kind, Clients.Conn conn, Sink sink, Channel ch, long[] frames,
                List<double[]> measured) {}
        List<Under> under = new ArrayList<>();
        try {
            for (String name : clients) {
                Map<String, Object> r = new LinkedHashMap<>();
                results.put(name, r);
                Clients.Kind kind = null;
                try {
                    kind = Clients.byName(name);
                    List<Channel> before = List.copyOf(xhr(name) ? server.streams() : server.connections());
                    Sink sink = new Sink();
                    Clients.Conn conn = kind.open(portFor(name), List.of(BenchServer.CHANNEL), sink,
                            Clients.Mode.COUNT, () -> {});
                    Channel ch = newConnection(name, before);
                    under.add(new Under(name, kind, conn, sink, ch, new long[] {400L * FRAMES_PER_CHUNK},
                            new ArrayList<>()));
                } catch (Exception e) {
                    r.put("failed", e.toString());
                    System.err.println("throughput " + name + " failed to connect: " + e);
                    if (kind != null) {
                        kind.close();
                    }
                }
            }
            for (int round = 0; round <= rounds; round++) {
                for (Under u : under) {
                    Map<String, Object> r = results.get(u.name());
                    if (r.containsKey("failed")) {
                        continue;
                    }
                    long frames = u.frames()[0];
                    try {
                        u.sink().expect(frames);
                        ThreadStats before = ThreadStats.now();
                        long t0 = System.nanoTime();
                        server.flood(u.ch(), xhr(u.name()) ? xhrChunk : wsChunk, frames / FRAMES_PER_CHUNK);
                        long t1 = u.sink().await(180, TimeUnit.SECONDS);
                        if (t1 < 0) {
                            throw new TimeoutException(u.name() + " received " + u.sink().count() + " of " + frames);
                        }
                        ThreadStats after = ThreadStats.now();
                        double rate = frames * 1e9 / (t1 - t0);
                        double alloc = (double) after.allocatedSince(before) / frames;
                        double cpu = (double) after.cpuSince(before) / frames;
                        System.err.printf("throughput %s round %d: %d frames, %.0f msg/s, %.0f B/msg, %.0f ns CPU/msg,"
                                + " load %s%n", u.name(), round, frames, rate, alloc, cpu, Machine.loadavg());
                        if (round == 0) {
                            long target = (long) (rate * seconds) / FRAMES_PER_CHUNK * FRAMES_PER_CHUNK;
                            u.frames()[0] = Math.max(400L * FRAMES_PER_CHUNK, Math.min(target, 40_000L * FRAMES_PER_CHUNK));
                        } else {
                            u.measured().add(new double[] {rate, alloc, cpu, frames});
                        }
                    } catch (Exception e) {
                        r.put("failed", e.toString());
                        System.err.println("throughput " + u.name() + " failed: " + e);
                    }
                }
            }
        } finally {
            for (Under u : under) {
                try {
                    u.conn().close();
                } catch (RuntimeException e) {
                    System.err.println("closing " + u.name() + ": " + e);
                }
                u.kind().close();
            }
            awaitNoConnections();
        }
        for (Under u : under) {
            Map<String, Object> r = results.get(u.name());
            List<double[]> measured = u.measured();
            if (r.containsKey("failed") || measured.isEmpty()) {
                continue;
            }
            measured.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] med = measured.get(measured.size() / 2);
            r.put("msgs_per_s_median", med[0]);
            r.put("msgs_per_s_min", measured.get(0)[0]);
            r.put("msgs_per_s_max", measured.get(measured.size() - 1)[0]);
            r.put("alloc_bytes_per_msg", med[1]);
            r.put("cpu_ns_per_msg", med[2]);
            r.put("frames_per_round", (long) med[3]);
            r.put("rounds", measured.stream().map(a -> Map.of("msgs_per_s", a[0], "alloc_B_per_msg", a[1],
                    "cpu_ns_per_msg", a[2])).toList());
        }
        json.put("throughput", results);
        md.append("## Throughput of one connection (E1), client allocation and CPU per message (E3, E4)\n\n");
        md.append("The server floods pre-encoded copies of the `public` frame (226 B, event `order-updated` on `")
                .append(BenchServer.CHANNEL).append("`), ").append(FRAMES_PER_CHUNK).append(" frames per write, "
                + "keeping its outbound buffer between 512 KiB and 1 MiB. Rate = frames ÷ (time from the first write "
                + "to the last event counted by the client's listener). All clients connect first; the rounds then go "
                + "round-robin over them (so load changes on the shared box hit all alike). One warm-up round sizes "
                + "each client's rounds to ~").append(seconds).append(" s; median of ").append(rounds)
                .append(" rounds [min–max]. Pusher clients "
                + "count in a listener bound to the event; raw clients count every text frame. Allocation and CPU: "
                + "all client-side threads (ThreadMXBean), divided by the frames.\n\n");
        md.append("Load average before/after: ").append(load0).append(" / ").append(Machine.loadavg()).append("\n\n");
        md.append("xhr_streaming rows (`ours-xhr`, `raw-httpclient`) get the same frames as SockJS `a[\"...\"]` lines "
                + "(one message per line, 256 per write) on a chunked `POST .../xhr_streaming` response; `ours-xhr` runs "
                + "with `streamingLimitBytes(Integer.MAX_VALUE)` so that, like the raw reader, it reads one response "
                + "(the default reopens the stream every 256 KiB, which this server does not resume).\n\n");
        md.append("| client | msgs/s (median [min–max]) | ÷ raw-netty | ÷ raw-jetty | ÷ raw-httpclient | ÷ pjc | alloc B/msg | CPU ns/msg |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Map.Entry<String, Map<String, Object>> e : results.entrySet()) {
            Map<String, Object> r = e.getValue();
            if (r.containsKey("failed")) {
                md.append("| ").append(e.getKey()).append(" | failed: ").append(r.get("failed")).append(" | | | | | | |\n");
                continue;
            }
            double v = (double) r.get("msgs_per_s_median");
            md.append("| ").append(e.getKey()).append(" | ").append(fmt(v)).append(" [")
                    .append(fmt((double) r.get("msgs_per_s_min"))).append("–")
                    .append(fmt((double) r.get("msgs_per_s_max"))).append("] | ")
                    .append(ratio(v, results, "raw-netty")).append(" | ").append(ratio(v, results, "raw-jetty"))
                    .append(" | ").append(ratio(v, results, "raw-httpclient"))
                    .append(" | ").append(ratio(v, results, "pjc")).append(" | ")
                    .append(fmt((double) r.get("alloc_bytes_per_msg"))).append(" | ")
                    .append(fmt((double) r.get("cpu_ns_per_msg"))).append(" |\n");
        }
        md.append('\n');
        goalAtLeast("Netty transport throughput ÷ raw Netty", results, "ours-netty", "raw-netty", 0.8);
        goalAtLeast("Netty transport (inline callbacks) throughput ÷ raw Netty", results, "ours-netty-inline",
                "raw-netty", 0.8);
        goalAtLeast("Netty transport throughput ÷ pjc", results, "ours-netty", "pjc", 10);
        goalAtLeast("Netty transport (inline callbacks) throughput ÷ pjc", results, "ours-netty-inline", "pjc", 10);
        for (String ours : List.of("ours-netty", "ours-netty-inline")) {
            Map<String, Object> a = results.get(ours);
            Map<String, Object> p = results.get("pjc");
            if (a != null && p != null && a.containsKey("cpu_ns_per_msg") && p.containsKey("cpu_ns_per_msg")) {
                double r = (double) p.get("cpu_ns_per_msg") / (double) a.get("cpu_ns_per_msg");
                goals.add(new String[] {"(informational) client CPU per message, pjc ÷ " + ours,
                        String.format("%.1f× (%s ÷ %s ns)", r, fmt((double) p.get("cpu_ns_per_msg")),
                                fmt((double) a.get("cpu_ns_per_msg"))), "–", "–"});
            }
        }
        goalAtLeast("Jetty transport throughput ÷ raw Jetty", results, "ours-jetty", "raw-jetty", 0.7);
        goalAtLeast("xhr_streaming transport throughput ÷ raw HttpClient 5 stream", results, "ours-xhr",
                "raw-httpclient", 0.7);
    }

    private void goalAtLeast(String goal, Map<String, Map<String, Object>> results, String a, String b, double target) {
        Double va = metric(results, a);
        Double vb = metric(results, b);
        if (va == null || vb == null) {
            return;
        }
        double ratio = va / vb;
        goals.add(new String[] {goal, String.format("%.2f (%s ÷ %s)", ratio, fmt(va), fmt(vb)), "≥ " + target,
                ratio >= target ? "MET" : "MISSED"});
    }

    private static Double metric(Map<String, Map<String, Object>> results, String name) {
        Map<String, Object> r = results.get(name);
        return r == null || !r.containsKey("msgs_per_s_median") ? null : (Double) r.get("msgs_per_s_median");
    }

    private static String ratio(double v, Map<String, Map<String, Object>> results, String peer) {
        Double p = metric(results, peer);
        return p == null ? "–" : String.format("%.2f", v / p);
    }

    // ------------------------------------------------------------------------------------------ latency (E2)

    @SuppressWarnings("try") // the connection is held open for the body
    private void latency(List<String> allClients) throws Exception {
        List<String> clients = allClients.stream().filter(c -> !xhr(c)).toList();
        List<Integer> rates = list("rates", "10000,50000").stream().map(Integer::parseInt).toList();
        int measureSeconds = Integer.parseInt(opt("latency-seconds", "5"));
        int warmSeconds = Integer.parseInt(opt("latency-warmup-seconds", "2"));
        String pad = "x".repeat(110);
        Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        // Warm the server's sending path (JIT) before any client is measured: 3 s of raw-netty, not recorded.
        try (Clients.Kind kind = Clients.byName("raw-netty")) {
            Sink sink = new Sink();
            try (Clients.Conn conn = kind.open(server.port(), List.of(), sink, Clients.Mode.LATENCY, () -> {})) {
                int rate = rates.stream().max(Integer::compare).orElse(10_000);
                sink.expect(3L * rate);
                server.sendAtRate(onlyConnection(), rate, 3L * rate, pad);
                sink.await(60, TimeUnit.SECONDS);
            }
            awaitNoConnections();
        }
        String load0 = Machine.loadavg();
        for (int rate : rates) {
            for (String name : clients) {
                Map<String, Object> r = new LinkedHashMap<>();
                results.put(name + "@" + rate, r);
                r.put("client", name);
                r.put("rate", rate);
                try (Clients.Kind kind = Clients.byName(name)) {
                    Sink sink = new Sink();
                    try (Clients.Conn conn = kind.open(server.port(), List.of(BenchServer.CHANNEL), sink,
                            Clients.Mode.LATENCY, () -> {})) {
                        Channel ch = onlyConnection();
                        long total = (long) rate * (warmSeconds + measureSeconds);
                        sink.expect(total);
                        long from = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmSeconds);
                        sink.recordFrom(from);
                        Histogram lag = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
                        java.util.concurrent.CompletableFuture<Void> sending =
                                server.sendAtRate(ch, rate, total, pad, lag, from);
                        long t = sink.await(warmSeconds + measureSeconds + 60, TimeUnit.SECONDS);
                        sending.get(30, TimeUnit.SECONDS); // the lag histogram is complete and visible after this
                        Histogram h = sink.histogram();
                        if (t < 0) {
                            r.put("failed", "received " + sink.count() + " of " + total);
                        }
                        r.put("count", h.getTotalCount());
                        r.put("p50_us", h.getValueAtPercentile(50) / 1e3);
                        r.put("p99_us", h.getValueAtPercentile(99) / 1e3);
                        r.put("p999_us", h.getValueAtPercentile(99.9) / 1e3);
                        r.put("max_us", h.getMaxValue() / 1e3);
                        r.put("mean_us", h.getMean() / 1e3);
                        r.put("server_send_lag_p99_us", lag.getValueAtPercentile(99) / 1e3);
                        r.put("server_send_lag_max_us", lag.getMaxValue() / 1e3);
                        System.err.printf("latency %s @%d/s: p50 %.1f p99 %.1f p99.9 %.1f max %.1f us (n=%d)%n", name,
                                rate, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, h.getTotalCount());
                    }
                    awaitNoConnections();
                } catch (Exception e) {
                    r.put("failed", e.toString());
                    System.err.println("latency " + name + " failed: " + e);
                    awaitNoConnections();
                }
            }
        }
        json.put("latency", results);
        md.append("## Latency at a fixed rate (E2)\n\n");
        md.append("The server sends frames of ~230 B at a fixed rate (a tick every 100 µs sends every frame due); each "
                + "frame's data carries its *intended* send time (System.nanoTime, same JVM), and the listener records "
                + "now − intended in an HdrHistogram, so a stall delays every frame behind it (no coordinated "
                + "omission). ").append(warmSeconds).append(" s warm-up not recorded, then ").append(measureSeconds)
                .append(" s recorded. Pusher clients read `data` through their API and parse `t`; raw clients parse it "
                + "from the frame. Times in µs.\n\n");
        md.append("Load average before/after: ").append(load0).append(" / ").append(Machine.loadavg()).append("\n\n");
        md.append("The last two columns are the server's own lateness in writing those frames (p99 and max of write time − "
                + "intended time): when they are large, the tail is the host's scheduling (the 2 shared cores), "
                + "not the client.\n\n");
        md.append("| client | rate/s | p50 | p99 | p99.9 | max | n | p99 ÷ pjc p99 | p99 ÷ raw-netty p99 | server lag p99 | server lag max |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Map<String, Object> r : results.values()) {
            int rate = (int) r.get("rate");
            if (!r.containsKey("p99_us")) {
                md.append("| ").append(r.get("client")).append(" | ").append(rate).append(" | failed: ")
                        .append(r.get("failed")).append(" | | | | | | | | |\n");
                continue;
            }
            double p99 = (double) r.get("p99_us");
            md.append("| ").append(r.get("client")).append(r.containsKey("failed") ? " (" + r.get("failed") + ")" : "")
                    .append(" | ").append(rate).append(" | ").append(fmt((double) r.get("p50_us"))).append(" | ")
                    .append(fmt(p99)).append(" | ").append(fmt((double) r.get("p999_us"))).append(" | ")
                    .append(fmt((double) r.get("max_us"))).append(" | ").append(r.get("count")).append(" | ")
                    .append(p99Ratio(p99, results.get("pjc@" + rate))).append(" | ")
                    .append(p99Ratio(p99, results.get("raw-netty@" + rate))).append(" | ")
                    .append(fmt((double) r.get("server_send_lag_p99_us"))).append(" | ")
                    .append(fmt((double) r.get("server_send_lag_max_us"))).append(" |\n");
        }
        md.append('\n');
        for (int rate : rates) {
            for (String ours : List.of("ours-netty", "ours-netty-inline", "ours-jetty")) {
                Map<String, Object> a = results.get(ours + "@" + rate);
                Map<String, Object> p = results.get("pjc@" + rate);
                if (a != null && p != null && a.containsKey("p99_us") && p.containsKey("p99_us")) {
                    double ratio = (double) a.get("p99_us") / (double) p.get("p99_us");
                    goals.add(new String[] {"p99 " + ours + " ÷ pjc at " + rate + "/s",
                            String.format("%.3f (%s µs ÷ %s µs)", ratio, fmt((double) a.get("p99_us")),
                                    fmt((double) p.get("p99_us"))), "≤ 0.2", ratio <= 0.2 ? "MET" : "MISSED"});
                }
            }
        }
    }

    private static String p99Ratio(double p99, Map<String, Object> peer) {
        return peer == null || !peer.containsKey("p99_us") ? "–" : String.format("%.3f", p99 / (double) peer.get("p99_us"));
    }

    // ------------------------------------------------------------------------------------------ resubscribe (E7)

    @SuppressWarnings("try") // the connection is held open for the body
    private void resubscribe(List<String> allClients) throws Exception {
        List<String> clients = allClients.stream().filter(c -> !xhr(c)).toList();
        int rounds = Integer.parseInt(opt("resub-rounds", "3"));
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            channels.add("resub-" + i);
        }
        Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        for (String name : clients) {
            Map<String, Object> r = new LinkedHashMap<>();
            try (Clients.Kind kind = Clients.byName(name)) {
                if (!kind.pusher()) {
                    continue;
                }
                results.put(name, r);
                AtomicReference<CountDownLatch> latch = new AtomicReference<>(new CountDownLatch(0));
                try (Clients.Conn conn = kind.open(server.port(), channels, new Sink(), Clients.Mode.COUNT,
                        () -> latch.get().countDown())) {
                    onlyConnection();
                    List<Double> ms = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        CountDownLatch l = new CountDownLatch(channels.size());
                        latch.set(l);
                        long t0 = System.nanoTime();
                        server.closeAll(4200, "reconnect now");
                        if (!l.await(60, TimeUnit.SECONDS)) {
                            throw new TimeoutException(name + ": " + (channels.size() - l.getCount())
                                    + " of 100 resubscribed within 60 s");
                        }
                        double took = (System.nanoTime() - t0) / 1e6;
                        ms.add(took);
                        System.err.printf("resubscribe %s round %d: %.1f ms%n", name, round, took);
                        onlyConnection();
                    }
                    r.put("ms_each", ms);
                    List<Double> sorted = new ArrayList<>(ms);
                    sorted.sort(Double::compare);
                    r.put("ms_median", sorted.get(sorted.size() / 2));
                }
                awaitNoConnections();
            } catch (Exception e) {
                r.put("failed", e.toString());
                System.err.println("resubscribe " + name + " failed: " + e);
                awaitNoConnections();
            }
        }
        json.put("resubscribe", results);
        md.append("## Time to resubscribe 100 channels after a 4200 close (E7)\n\n");
        md.append("The client is subscribed to 100 public channels; the server closes the connection with code 4200 "
                + "(\"reconnect now\"); the time runs from the close until the client has delivered 100 "
                + "`subscription_succeeded` on the new connection. ").append(rounds).append(" rounds.\n\n");
        md.append("| client | ms (median) | each round (ms) | ÷ pjc |\n|---|--:|---|--:|\n");
        Map<String, Object> pjc = results.get("pjc");
        for (Map.Entry<String, Map<String, Object>> e : results.entrySet()) {
            Map<String, Object> r = e.getValue();
            if (!r.containsKey("ms_median")) {
                md.append("| ").append(e.getKey()).append(" | failed: ").append(r.get("failed")).append(" | | |\n");
                continue;
            }
            double v = (double) r.get("ms_median");
            md.append("| ").append(e.getKey()).append(" | ").append(fmt(v)).append(" | ")
                    .append(((List<?>) r.get("ms_each")).stream().map(x -> fmt((double) x))
                            .collect(Collectors.joining(", ")))
                    .append(" | ").append(pjc != null && pjc.containsKey("ms_median")
                            ? String.format("%.3f", v / (double) pjc.get("ms_median")) : "–").append(" |\n");
        }
        md.append('\n');
    }

    // ------------------------------------------------------------------------------------------ idle (E5)

    private void idle(List<String> clients) throws Exception {
        List<Integer> sizes = list("idle", "1000,5000").stream().map(Integer::parseInt).toList();
        int pjcMax = Integer.parseInt(opt("pjc-idle", "5000"));
        String idleSeconds = opt("idle-seconds", "4");
        String heap = opt("idle-heap", "768m");
        List<String> idleClients = clients.stream().filter(c -> !c.equals("ours-netty-inline") && !xhr(c)).toList();
        List<Map<String, Object>> results = new ArrayList<>();
        for (int n : sizes) {
            for (String name : idleClients) {
                if (name.equals("pjc") && n > pjcMax) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("client", name);
                    r.put("n", n);
                    r.put("skipped", "pjc capped at " + pjcMax + " connections (4 threads each)");
                    results.add(r);
                    continue;
                }
                List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC", "-XX:+AlwaysPreTouch",
                        "-cp", System.getProperty("java.class.path"), IdleProbe.class.getName(), name,
                        Integer.toString(n), Integer.toString(server.port()), idleSeconds);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("client", name);
                r.put("n", n);
                r.put("jvm", "-Xms" + heap + " -Xmx" + heap + " -XX:+UseG1GC -XX:+AlwaysPreTouch");
                String line = runProbe(cmd, r);
                if (line != null) {
                    for (String kv : line.substring("RESULT ".length()).split(" ")) {
                        String[] p = kv.split("=", 2);
                        r.put(p[0], p[0].equals("client") || p[0].equals("failed") ? p[1] : Long.parseLong(p[1]));
                    }
                    long opened = (long) r.get("opened");
                    if (opened > 0) {
                        r.put("heap_B_per_conn", ((long) r.get("heap_after") - (long) r.get("heap_base")) / opened);
                        r.put("rss_B_per_conn", ((long) r.get("rss_after") - (long) r.get("rss_base")) / opened);
                        r.put("threads_per_conn",
                                ((long) r.get("threads_after") - (long) r.get("threads_base")) / (double) opened);
                    }
                }
                System.err.println("idle " + r);
                results.add(r);
                awaitNoConnections();
            }
        }
        json.put("idle", results);
        md.append("## Memory and threads per idle connection (E5)\n\n");
        md.append("Each client kind runs in a JVM of its own (`IdleProbe`, ").append("-Xms" + heap + " -Xmx" + heap)
                .append(" G1, AlwaysPreTouch so that the heap is resident before the baseline and the RSS delta is "
                + "native memory: socket buffers, direct buffers, thread stacks, metaspace), against this run's server: it opens one connection and waits ").append(idleSeconds)
                .append(" s (classes loaded, shared threads started), takes a baseline (4 × System.gc, heap used, "
                + "VmRSS, live threads), opens N more connections each subscribed to its own public channel (pusher-iso "
                + "clients: one `Pusher` each, sharing one transport factory, default options, so each has its own "
                + "lane whose thread ends after 2 s idle; pjc: one `Pusher` each), waits ").append(idleSeconds)
                .append(" s idle, and measures again. Per connection = delta ÷ N.\n\n");
        md.append("| client | N | heap B/conn | native RSS B/conn | threads/conn | heap: pjc ÷ this | RSS: pjc ÷ this | notes |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|---|\n");
        for (Map<String, Object> r : results) {
            if (r.containsKey("skipped") || !r.containsKey("heap_B_per_conn")) {
                md.append("| ").append(r.get("client")).append(" | ").append(r.get("n")).append(" | | | | | | ")
                        .append(r.getOrDefault("skipped", r.getOrDefault("failed", "no result"))).append(" |\n");
                continue;
            }
            Map<String, Object> pjc = results.stream().filter(x -> "pjc".equals(x.get("client"))
                    && x.containsKey("heap_B_per_conn")).filter(x -> x.get("n").equals(r.get("n"))).findFirst()
                    .orElse(results.stream().filter(x -> "pjc".equals(x.get("client"))
                            && x.containsKey("heap_B_per_conn")).findFirst().orElse(null));
            long h = (long) r.get("heap_B_per_conn");
            long rss = (long) r.get("rss_B_per_conn");
            md.append("| ").append(r.get("client")).append(" | ").append(r.get("n")).append(" | ").append(fmt(h))
                    .append(" | ").append(fmt(rss)).append(" | ")
                    .append(String.format("%.3f", (double) r.get("threads_per_conn"))).append(" | ")
                    .append(pjc == null ? "–" : String.format("%.1f", (long) pjc.get("heap_B_per_conn") / (double) h))
                    .append(" | ")
                    .append(pjc == null ? "–" : String.format("%.1f", (long) pjc.get("rss_B_per_conn") / (double) rss))
                    .append(pjc != null && !pjc.get("n").equals(r.get("n")) ? " (pjc at N=" + pjc.get("n") + ")" : "")
                    .append(" | ").append("opened ").append(r.get("opened")).append(" in ").append(r.get("open_ms"))
                    .append(" ms").append(r.containsKey("failed") ? "; FAILED: " + r.get("failed") : "")
                    .append(" |\n");
            if (((String) r.get("client")).startsWith("ours")) {
                double threads = (double) r.get("threads_per_conn");
                goals.add(new String[] {r.get("client") + " idle threads per connection (N=" + r.get("n") + ")",
                        String.format("%.3f", threads), "0 (< 0.01)", threads < 0.01 ? "MET" : "MISSED"});
                goals.add(new String[] {r.get("client") + " idle heap per connection (N=" + r.get("n") + ")",
                        fmt(h) + " B", "≤ 12,288 B", h <= 12_288 ? "MET" : "MISSED"});
                if (pjc != null) {
                    double hr = (long) pjc.get("heap_B_per_conn") / (double) h;
                    double rr = (long) pjc.get("rss_B_per_conn") / (double) rss;
                    double tr = ((long) pjc.get("heap_B_per_conn") + (long) pjc.get("rss_B_per_conn"))
                            / (double) (h + rss);
                    String which = " (N=" + r.get("n") + ", pjc N=" + pjc.get("n") + ")";
                    goals.add(new String[] {r.get("client") + " idle memory (heap + native RSS), pjc ÷ this" + which,
                            String.format("%.1f× (%s B ÷ %s B)", tr,
                                    fmt((long) pjc.get("heap_B_per_conn") + (long) pjc.get("rss_B_per_conn")),
                                    fmt(h + rss)), "≥ 8×", tr >= 8 ? "MET" : "MISSED"});
                    goals.add(new String[] {r.get("client") + " idle heap alone, pjc ÷ this" + which,
                            String.format("%.1f×", hr), "≥ 8× (stricter reading)", hr >= 8 ? "MET" : "MISSED"});
                    goals.add(new String[] {r.get("client") + " idle native RSS alone, pjc ÷ this" + which,
                            String.format("%.1f×", rr), "≥ 8× (stricter reading)", rr >= 8 ? "MET" : "MISSED"});
                }
            }
        }
        md.append('\n');
    }

    private static String runProbe(List<String> cmd, Map<String, Object> r) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // A probe that hangs (a client that never connects) must not hang the run.
        java.util.concurrent.CompletableFuture.delayedExecutor(300, TimeUnit.SECONDS).execute(p::destroyForcibly);
        String result = null;
        StringBuilder tail = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                } else if (tail.length() < 2000) {
                    tail.append(line).append('\n');
                }
            }
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        if (result == null) {
            r.put("failed", "probe exited " + p.exitValue() + " without a result: " + tail.toString().trim()
                    .replace('\n', ' '));
        }
        return result;
    }

    // ------------------------------------------------------------------------------------------ helpers

    static boolean xhr(String kind) {
        return kind.equals("ours-xhr") || kind.equals("raw-httpclient");
    }

    private int portFor(String kind) {
        return xhr(kind) ? server.xhrPort() : server.port();
    }

    private Channel onlyConnection() throws Exception {
        return onlyConnection("ws");
    }

    /** Waits for a connection (of the kind's protocol) that is not in {@code before} and returns it. */
    private Channel newConnection(String kind, List<Channel> before) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (Channel c : xhr(kind) ? server.streams() : server.connections()) {
                if (!before.contains(c) && c.isActive()) {
                    return c;
                }
            }
            Thread.sleep(2);
        }
        throw new TimeoutException("no new connection for " + kind);
    }

    /** Waits until the server has exactly one connection (of the kind's protocol) and returns it. */
    private Channel onlyConnection(String kind) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<Channel> cs = xhr(kind) ? server.streams() : server.connections();
            if (cs.size() == 1 && cs.get(0).isActive()) {
                return cs.get(0);
            }
            Thread.sleep(2);
        }
        throw new TimeoutException("expected exactly one connection, have " + server.connections().size());
    }

    private void awaitNoConnections() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((!server.connections().isEmpty() || !server.streams().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (!server.connections().isEmpty()) {
            server.closeAll(1001, "harness cleanup");
            Thread.sleep(200);
        }
    }

    static String fmt(double v) {
        if (Math.abs(v) >= 100) {
            return String.format("%,.0f", v);
        }
        return String.format("%.3g", v);
    }
}

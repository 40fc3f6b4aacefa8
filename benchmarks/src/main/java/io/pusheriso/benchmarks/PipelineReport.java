package io.pusheriso.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the JMH JSON of {@link PipelineBenchmark} (with {@code -prof gc}) into Markdown: each group with our rows,
 * the peers' rows from the same run, time and allocation ratios, and the allocation goals of issue 7 (presence and
 * dispatch at most 1/10 of the official client's).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.pusheriso.benchmarks.PipelineReport pipeline.json}. Command-line
 * entry point; not shared.
 */
public final class PipelineReport {

    record Group(String title, List<String> ours, List<String> peers) {}

    static final List<Group> GROUPS = List.of(
            new Group("M2 lazy data (F1 public, envelope decode included)", List.of("data_ours_unused", "data_ours_used"),
                    List.of("data_pjc_getData", "data_jackson_eagerTree")),
            new Group("M6 dispatch to 1 listener (whole receive path, F1)", List.of("dispatch1_ours"),
                    List.of("dispatch1_pjc", "dispatch1_jackson")),
            new Group("M6 dispatch to 10 listeners (whole receive path, F1)", List.of("dispatch10_ours"),
                    List.of("dispatch10_pjc")),
            new Group("M3 presence member_added (F2, whole receive path)", List.of("presence_ours"),
                    List.of("presence_pjc")),
            new Group("M4 encrypted event (F3, whole receive path)", List.of("encrypted_ours"),
                    List.of("encrypted_pjc", "encrypted_floor_bcOpen", "encrypted_floor_tweetNaclOpen")),
            new Group("M5 encode subscribe (public channel)", List.of("encode_subscribe_ours"),
                    List.of("encode_subscribe_pjc", "encode_subscribe_jackson")),
            new Group("M5 encode a client event", List.of("encode_clientEvent_ours", "encode_clientEvent_ours_trigger"),
                    List.of("encode_clientEvent_pjc_trigger", "encode_clientEvent_jackson")),
            new Group("M7 per-message bookkeeping", List.of("state_ours_frameReceived"), List.of("state_pjc_activity")),
            new Group("M8 1,000-frame mix, per frame (whole receive path)", List.of("mix_ours"),
                    List.of("mix_pjc", "mix_jackson")));

    record Score(double value, double error) {}

    private final Map<String, Score> time = new HashMap<>();
    private final Map<String, Double> alloc = new HashMap<>();

    private PipelineReport(JsonNode results) {
        for (JsonNode run : results) {
            String name = run.path("benchmark").asText();
            if (!name.contains(".PipelineBenchmark.")) {
                continue;
            }
            String method = name.substring(name.lastIndexOf('.') + 1);
            JsonNode m = run.path("primaryMetric");
            time.put(method, new Score(m.path("score").asDouble(),
                    m.path("scoreError").isNumber() ? m.path("scoreError").asDouble() : Double.NaN));
            JsonNode norm = run.path("secondaryMetrics").path("gc.alloc.rate.norm");
            if (!norm.isMissingNode()) {
                alloc.put(method, norm.path("score").asDouble());
            }
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: PipelineReport <jmh.json>");
        }
        System.out.print(new PipelineReport(new ObjectMapper().readTree(Path.of(args[0]).toFile())).markdown());
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Times in ns/op (JMH avgt, mean ± 99.9 % CI); allocation in B/op (gc.alloc.rate.norm). "
                + "Ratios: ours ÷ peer (time ± propagated error; alloc).\n\n");
        md.append("| group | benchmark | ns/op | B/op | ours ÷ this: time | ours ÷ this: alloc |\n");
        md.append("|---|---|--:|--:|--:|--:|\n");
        List<String[]> goals = new ArrayList<>();
        for (Group g : GROUPS) {
            String main = g.ours().get(0);
            for (String b : g.ours()) {
                row(md, g.title(), b, null);
            }
            for (String b : g.peers()) {
                row(md, g.title(), b, main);
            }
        }
        md.append('\n');
        for (String[] goal : new String[][] {{"presence_ours", "presence_pjc"}, {"dispatch1_ours", "dispatch1_pjc"},
                {"dispatch10_ours", "dispatch10_pjc"}, {"mix_ours", "mix_pjc"}}) {
            Double a = alloc.get(goal[0]);
            Double p = alloc.get(goal[1]);
            if (a != null && p != null) {
                double r = a / p;
                goals.add(new String[] {"alloc " + goal[0] + " ÷ " + goal[1],
                        String.format(Locale.ROOT, "%.3f (%.0f ÷ %.0f B)", r, a, p), "≤ 0.1", r <= 0.1 ? "MET" : "MISSED"});
            }
        }
        for (String[] goal : new String[][] {{"presence_ours", "presence_pjc"}, {"mix_ours", "mix_pjc"},
                {"encrypted_ours", "encrypted_floor_bcOpen"}}) {
            Score a = time.get(goal[0]);
            Score p = time.get(goal[1]);
            if (a != null && p != null) {
                double r = a.value() / p.value();
                boolean floor = goal[1].contains("floor");
                double target = floor ? 1.3 : goal[0].startsWith("presence") ? 0.125 : 0.125;
                goals.add(new String[] {"time " + goal[0] + " ÷ " + goal[1] + " (performance.md)",
                        String.format(Locale.ROOT, "%.3f", r), "≤ " + target, r <= target ? "MET" : "MISSED"});
            }
        }
        md.append("| goal | measured | target | result |\n|---|--:|--:|---|\n");
        for (String[] g : goals) {
            md.append("| ").append(String.join(" | ", g)).append(" |\n");
        }
        return md.toString();
    }

    private void row(StringBuilder md, String group, String bench, String oursBench) {
        Score t = time.get(bench);
        if (t == null) {
            md.append("| ").append(group).append(" | ").append(bench).append(" | not run | | | |\n");
            return;
        }
        Double a = alloc.get(bench);
        md.append("| ").append(group).append(" | ").append(bench).append(" | ")
                .append(String.format(Locale.ROOT, "%,.1f ± %,.1f", t.value(), t.error())).append(" | ")
                .append(a == null ? "–" : String.format(Locale.ROOT, "%,.0f", a)).append(" | ");
        if (oursBench != null && time.containsKey(oursBench)) {
            Score o = time.get(oursBench);
            double r = o.value() / t.value();
            double err = r * Math.hypot(o.error() / o.value(), t.error() / t.value());
            md.append(String.format(Locale.ROOT, "%.3f ± %.3f", r, err)).append(" | ");
            Double oa = alloc.get(oursBench);
            md.append(oa == null || a == null || a == 0 ? "–" : String.format(Locale.ROOT, "%.3f", oa / a));
        } else {
            md.append("(ours) | ");
        }
        md.append(" |\n");
    }
}

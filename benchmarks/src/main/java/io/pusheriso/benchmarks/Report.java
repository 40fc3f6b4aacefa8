package io.pusheriso.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the JMH JSON of {@link DecodeBenchmark} (run with {@code -prof gc}) into a Markdown table: every peer per
 * fixture, the ratios, and the goals of the public frame marked PASS or MISS.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.pusheriso.benchmarks.Report decode.json}. Thread-safety: a
 * command-line entry point; instances are not shared.
 */
public final class Report {

    /** Goal: ours takes at most this fraction of pusher-java-client's time on the public frame. */
    static final double GOAL_PJC_RATIO = 1.0 / 8;
    /** Goal: ours takes at most this multiple of the one-pass scan on the public frame. */
    static final double GOAL_FLOOR_RATIO = 2.5;
    /** Goal: ours allocates at most this many bytes per public frame. */
    static final double GOAL_BYTES_PER_OP = 300;

    /**
     * A score: JMH's mean with its 99.9% confidence half-width (NaN when JMH had too few iterations to give one), and
     * the best (lowest) single iteration. On a shared machine preemption only ever adds time, so the best iteration
     * is the more robust estimate of the undisturbed cost.
     */
    record Score(double value, double error, double best) {
        /** The ratio of the means with the error propagated from both (NaN if either has none), and of the bests. */
        Score over(Score other) {
            double r = value / other.value;
            return new Score(r, r * Math.hypot(error / value, other.error / other.value), best / other.best);
        }
    }

    private final Map<String, Score> time = new HashMap<>();
    private final Map<String, Score> alloc = new HashMap<>();

    private Report(JsonNode results) {
        for (JsonNode run : results) {
            String name = run.path("benchmark").asText();
            if (!name.contains(".DecodeBenchmark.")) {
                continue;
            }
            String method = name.substring(name.lastIndexOf('.') + 1);
            String key = method + "/" + run.path("params").path("fixture").asText();
            time.put(key, score(run.path("primaryMetric")));
            JsonNode norm = run.path("secondaryMetrics").path("gc.alloc.rate.norm");
            if (!norm.isMissingNode()) {
                alloc.put(key, score(norm));
            }
        }
    }

    private static Score score(JsonNode metric) {
        JsonNode error = metric.path("scoreError");
        double mean = metric.path("score").asDouble();
        double best = Double.POSITIVE_INFINITY;
        for (JsonNode fork : metric.path("rawData")) {
            for (JsonNode iteration : fork) {
                best = Math.min(best, iteration.asDouble());
            }
        }
        return new Score(mean, error.isNumber() ? error.asDouble() : Double.NaN, Double.isInfinite(best) ? mean : best);
    }

    /**
     * Prints the report of one JMH JSON result file to standard output.
     *
     * @param args the path of the JMH JSON file
     * @throws IOException if the file cannot be read or is not JSON
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -cp benchmarks.jar " + Report.class.getName() + " <jmh-result.json>");
            System.exit(2);
        }
        JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        if (!results.isArray()) {
            throw new IOException(args[0] + " is not a JMH JSON result (expected an array of runs)");
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        new Report(results).print(out);
    }

    private void print(PrintStream out) {
        out.println("Times in ns/op (JMH avgt: mean ± 99.9% CI);"
                + " allocation in B/op from -prof gc (gc.alloc.rate.norm).");
        out.println("pjc starts from a String (its WebSocket library has already decoded the UTF-8, not counted here);"
                + " ours starts from byte[]; ours_string is ours from the same String, the like-for-like row.");
        out.println("Jackson decodes data eagerly: compare it with ours+data as well as with ours.");
        out.println();
        out.println("| fixture | bytes | ours | B/op | ours+data | B/op | ours_string | B/op | pjc | B/op"
                + " | Jackson | B/op | floor scan | new String | B/op |");
        out.println("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        for (String f : Frames.ALL) {
            if (!present(f)) {
                continue;
            }
            out.println("| " + f + " | " + Frames.load(f).length
                    + " | " + t("ours", f) + " | " + a("ours", f)
                    + " | " + t("ours_withData", f) + " | " + a("ours_withData", f)
                    + " | " + t("ours_string", f) + " | " + a("ours_string", f)
                    + " | " + t("pjc", f) + " | " + a("pjc", f)
                    + " | " + t("jackson", f) + " | " + a("jackson", f)
                    + " | " + t("floor_scan", f)
                    + " | " + t("floor_newString", f) + " | " + a("floor_newString", f) + " |");
        }
        out.println();
        out.println("Time ratios: ratio of the means ± propagated error [ratio of the best iterations].");
        out.println();
        out.println("| fixture | ours ÷ pjc | ours_string ÷ pjc | ours ÷ floor scan | ours ÷ Jackson"
                + " | ours+data ÷ Jackson | ours B/op ÷ pjc B/op |");
        out.println("|---|--:|--:|--:|--:|--:|--:|");
        for (String f : Frames.ALL) {
            if (!present(f)) {
                continue;
            }
            out.println("| " + f + " | " + ratio("ours", "pjc", f) + " | " + ratio("ours_string", "pjc", f)
                    + " | " + ratio("ours", "floor_scan", f) + " | " + ratio("ours", "jackson", f)
                    + " | " + ratio("ours_withData", "jackson", f) + " | " + allocRatio("ours", "pjc", f) + " |");
        }
        out.println();
        out.println("Goals, public frame (F1). Verdict on the means; \"MISS (within error)\" when the target"
                + " lies inside the error bar; the last column judges the best iterations instead.");
        out.println();
        out.println("| goal | measured (means) | best iterations | target | result | result (best) |");
        out.println("|---|--:|--:|--:|---|---|");
        goal(out, "time ours(byte[]) ÷ pjc", "ours", "pjc", GOAL_PJC_RATIO, "≤ 0.125 (1/8)");
        goal(out, "time ours_string ÷ pjc (like-for-like)", "ours_string", "pjc", GOAL_PJC_RATIO, "≤ 0.125 (1/8)");
        goal(out, "time ours ÷ floor scan", "ours", "floor_scan", GOAL_FLOOR_RATIO, "≤ 2.5");
        Score bytes = alloc.get("ours/public");
        if (bytes == null) {
            out.println("| ours B/op | n/a | | ≤ 300 | n/a | |");
        } else {
            // Allocation is deterministic, so this is a hard gate, without error bars.
            String verdict = bytes.value <= GOAL_BYTES_PER_OP ? "PASS" : "MISS";
            out.println("| ours B/op | " + fmt(bytes.value) + " | " + fmt(bytes.best) + " | ≤ 300 | " + verdict + " | "
                    + (bytes.best <= GOAL_BYTES_PER_OP ? "PASS" : "MISS") + " |");
        }
    }

    private boolean present(String fixture) {
        return time.keySet().stream().anyMatch(k -> k.endsWith("/" + fixture));
    }

    private void goal(PrintStream out, String what, String ours, String peer, double target, String targetText) {
        Score a = time.get(ours + "/public");
        Score b = time.get(peer + "/public");
        if (a == null || b == null) {
            out.println("| " + what + " | n/a | n/a | " + targetText + " | n/a | n/a |");
            return;
        }
        Score r = a.over(b);
        String verdict = r.value <= target ? "PASS"
                // Time on a shared 2-core box is noisy: say so when the miss is within the error.
                : !Double.isNaN(r.error) && r.value - r.error <= target ? "MISS (within error)" : "MISS";
        out.println("| " + what + " | " + meanRatio(r) + " | " + String.format(Locale.ROOT, "%.3f", r.best)
                + " | " + targetText + " | " + verdict + " | " + (r.best <= target ? "PASS" : "MISS") + " |");
    }

    private String t(String bench, String fixture) {
        Score s = time.get(bench + "/" + fixture);
        if (s == null) {
            return "—";
        }
        return Double.isNaN(s.error) ? fmt(s.value) : fmt(s.value) + " ± " + fmt(s.error);
    }

    private String a(String bench, String fixture) {
        Score s = alloc.get(bench + "/" + fixture);
        return s == null ? "—" : fmt(s.value);
    }

    private String ratio(String bench, String peer, String fixture) {
        Score a = time.get(bench + "/" + fixture);
        Score b = time.get(peer + "/" + fixture);
        if (a == null || b == null) {
            return "—";
        }
        Score r = a.over(b);
        return meanRatio(r) + String.format(Locale.ROOT, " [%.3f]", r.best);
    }

    private String allocRatio(String bench, String peer, String fixture) {
        Score a = alloc.get(bench + "/" + fixture);
        Score b = alloc.get(peer + "/" + fixture);
        return a == null || b == null ? "—" : String.format(Locale.ROOT, "%.3f", a.value / b.value);
    }

    private static String meanRatio(Score r) {
        return Double.isNaN(r.error)
                ? String.format(Locale.ROOT, "%.3f", r.value)
                : String.format(Locale.ROOT, "%.3f ± %.3f", r.value, r.error);
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}

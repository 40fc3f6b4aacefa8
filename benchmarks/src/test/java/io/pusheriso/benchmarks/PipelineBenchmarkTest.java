package io.pusheriso.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The micro benchmark's rigs really deliver what they are fed (its trial setup checks this too, and fails). */
class PipelineBenchmarkTest {

    private final PipelineBenchmark bench = new PipelineBenchmark();

    @BeforeEach
    void setUp() throws Exception {
        bench.setup(); // runs the cross-check: deliveries, decryption, the mix, client events
    }

    @AfterEach
    void tearDown() {
        bench.tearDown();
    }

    @Test
    void everyDispatchRowReachesItsListeners() {
        long ours = bench.oursEvents;
        bench.dispatch1_ours();
        bench.dispatch10_ours();
        bench.presence_ours();
        bench.encrypted_ours();
        assertThat(bench.oursEvents - ours).isEqualTo(1 + 10 + 1 + 1);

        long pjc = bench.pjcListener.events;
        bench.dispatch1_pjc();
        bench.presence_pjc();
        bench.encrypted_pjc();
        assertThat(bench.pjcListener.events - pjc).isEqualTo(3);
    }

    @Test
    void theMixDeliversTheSameEventsOnEveryPath() throws Exception {
        long ours = bench.oursEvents;
        long pjc = bench.pjcListener.events;
        long jackson = bench.jacksonEvents;
        bench.mix_ours();
        bench.mix_pjc();
        bench.mix_jackson();
        assertThat(bench.oursEvents - ours).isEqualTo(960);
        assertThat(bench.pjcListener.events - pjc).isEqualTo(960);
        assertThat(bench.jacksonEvents - jackson).isEqualTo(960);
    }

    @Test
    void encodersProduceThePusherFrames() {
        assertThat(bench.encode_subscribe_ours())
                .isEqualTo("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"orders-eu-west-1\"}}");
        assertThat(bench.encode_subscribe_pjc()).contains("pusher:subscribe").contains("orders-eu-west-1");
        assertThat(bench.encrypted_floor_bcOpen()).isEqualTo(bench.encrypted_floor_tweetNaclOpen());
    }
}

package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void readsEveryUnitAndCombinations() {
        assertThat(Durations.parse("500ms")).isEqualTo(500_000_000L);
        assertThat(Durations.parse("30s")).isEqualTo(30_000_000_000L);
        assertThat(Durations.parse("15m")).isEqualTo(900_000_000_000L);
        assertThat(Durations.parse("2h")).isEqualTo(7_200_000_000_000L);
        assertThat(Durations.parse("1d")).isEqualTo(86_400_000_000_000L);
        assertThat(Durations.parse("1h30m")).isEqualTo(5_400_000_000_000L);
        assertThat(Durations.parse("1m0s250ms")).isEqualTo(60_250_000_000L);
        assertThat(Durations.parse("0")).isZero();
        assertThat(Durations.parse("0s")).isZero();
    }

    @Test
    void refusesNegativeUnitlessMisorderedAndHuge() {
        for (String bad : new String[] {"-5s", "5", "1.5h", "30m1h", "1h1h", "2 h", "", "h", "1w", "5sec"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected a duration such as 500ms, 30s, 15m, 2h, 1d or 1h30m, got '" + bad + "'");
        }
        assertThatThrownBy(() -> Durations.parse("3651d")).hasMessage("expected at most 3650d, got '3651d'");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999d"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsTheShortestForm() {
        assertThat(Durations.format(5_400_000_000_000L)).isEqualTo("1h30m");
        assertThat(Durations.format(86_400_500_000_000L)).isEqualTo("1d500ms");
        assertThat(Durations.format(0)).isEqualTo("0");
        assertThat(Durations.parse(Durations.format(93_784_005_000_000L))).isEqualTo(93_784_005_000_000L);
    }
}

package org.metertwin.core.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PinTest {
    private final Pin pin = new Pin("P");
    private final List<Boolean> heard = new ArrayList<>();

    PinTest() {
        pin.listen((p, level) -> heard.add(level));
    }

    @Test
    void theLastDriverSetsTheLevelAndListenersHearOnlyChanges() {
        Pin.Driver a = pin.driver();
        a.drive(true);
        a.drive(true);
        pin.drive(false);
        assertThat(pin.level()).isFalse();
        assertThat(heard).containsExactly(true, false);
    }

    @Test
    void aReleasedNetFallsBackToTheMostRecentActiveDriverOrLow() {
        Pin.Driver a = pin.driver();
        Pin.Driver b = pin.driver();
        Pin.Driver c = pin.driver();
        a.drive(true);
        b.drive(false);
        c.drive(true);
        c.release();
        assertThat(pin.level()).as("b drove after a").isFalse();
        b.release();
        assertThat(pin.level()).isTrue();
        a.release();
        assertThat(pin.level()).as("nobody drives").isFalse();
        assertThat(a.isActive()).isFalse();
        assertThat(heard).containsExactly(true, false, true, false, true, false);
    }

    @Test
    void releasingADriverThatNeverDroveChangesNothing() {
        pin.drive(true);
        pin.driver().release();
        assertThat(pin.level()).isTrue();
        assertThat(heard).containsExactly(true);
    }
}

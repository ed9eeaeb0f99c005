package org.metertwin.management.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** major.minor.revision+build as MCUboot's imgtool writes it, with the header's field widths as limits. */
class ImageVersionTest {
    @Test
    void partsMayBeLeftOut() {
        assertThat(ImageVersion.parse("1.2.3+4")).isEqualTo(new ImageVersion(1, 2, 3, 4));
        assertThat(ImageVersion.parse("1.2.3")).isEqualTo(new ImageVersion(1, 2, 3, 0));
        assertThat(ImageVersion.parse("7")).isEqualTo(new ImageVersion(7, 0, 0, 0));
        assertThat(ImageVersion.parse("1.2+9")).isEqualTo(new ImageVersion(1, 2, 0, 9));
        assertThat(ImageVersion.parse("255.255.65535+4294967295").toString()).isEqualTo("255.255.65535+4294967295");
    }

    @Test
    void badTextSaysWhatIsExpected() {
        for (String bad : new String[] {"", "+4", "1.", ".1", "1..2", "1.2.3.4", "1.2.3+", "1.2.3+4+5", "v1", "1.2.-3",
                "1 .2", "12345678901"}) {
            assertThatThrownBy(() -> ImageVersion.parse(bad)).as(bad)
                    .hasMessage("expected MAJOR.MINOR.REVISION+BUILD such as 1.2.3+4, got '" + bad + "'");
        }
        assertThatThrownBy(() -> ImageVersion.parse("9999999999"))
                .hasMessage("major 9999999999 is out of range 0..255 in '9999999999'");
        assertThatThrownBy(() -> ImageVersion.parse("0.256")).hasMessage("minor 256 is out of range 0..255 in '0.256'");
    }
}

package org.metertwin.management.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.Outcome;
import org.metertwin.management.image.ImageVersion;
import org.metertwin.management.image.ImageWriter;
import org.metertwin.management.image.SigningKey;

/**
 * The host tool's images (ImageWriter, what {@code metertwin image sign} writes, Bouncy Castle's Ed25519)
 * on the bootloader: byte for byte the images the other tests build with the JDK's SHA-256 and Ed25519
 * ({@link SignedImage}), and they boot and install. So the bootloader, the host tool and two independent
 * Ed25519 implementations agree on one format.
 */
class HostSignedImageTest {
    private static final SigningKey TEST_KEY = SigningKey.testKey();

    @Test
    void theHostToolWritesTheSameBytesAsTheJdkBuiltImage() throws Exception {
        for (int padding : new int[] {0, 1, 3, 4000}) {
            byte[] body = BootloaderTest.appBody(padding);
            byte[] host = ImageWriter.write(body, new ImageVersion(2, 1, 300, 70000), 7, TEST_KEY);
            byte[] jdk = new SignedImage().version(2, 1, 300, 70000).counter(7).body(body).bytes();
            assertThat(host).as("padding %d", padding).isEqualTo(jdk);
        }
    }

    @Test
    void aHostSignedImageBootsAndAHostSignedUpdateInstalls() throws Exception {
        byte[] v1 = ImageWriter.write(BootloaderTest.appBody(0), new ImageVersion(1, 0, 0, 1), 1, TEST_KEY);
        byte[] v2 = ImageWriter.write(BootloaderTest.appBody(4000), new ImageVersion(2, 1, 300, 70000), 2, TEST_KEY);
        BootBoard.Run run = new BootBoard().flash(SignedImage.APPLICATION_SLOT, v1)
                .nor(UpdateRecords.DOWNLOAD_SLOT, v2).nor(UpdateRecords.REQUEST_ADDRESS, UpdateRecords.request(9))
                .run();
        assertThat(run.console()).as(run.exec().message()).contains(
                "boot: application 1.0.0+1 counter 1: valid\n",
                "boot: download 2.1.300+70000 counter 2: valid\n",
                "boot: result 9 installed\n",
                "boot: starting 2.1.300+70000 counter 2\n");
        assertThat(run.exec().outcome()).isEqualTo(Outcome.EXITED);
    }
}

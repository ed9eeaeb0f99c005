package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.SignalNets;

class Stm32GpioTest {
    final SignalNets nets = new SignalNets();

    @Test
    void portAAndBResetValuesCarryTheDebugPins() {
        Stm32Gpio a = new Stm32Gpio("GPIOA", 0, nets::pin);
        Stm32Gpio b = new Stm32Gpio("GPIOB", 1, nets::pin);
        Stm32Gpio c = new Stm32Gpio("GPIOC", 2, nets::pin);
        assertThat(a.read(0x00, 4)).isEqualTo(0xA8000000);
        assertThat(a.read(0x08, 4)).isEqualTo(0x0C000000);
        assertThat(a.read(0x0C, 4)).isEqualTo(0x64000000);
        assertThat(b.read(0x00, 4)).isEqualTo(0x00000280);
        assertThat(b.read(0x08, 4)).isEqualTo(0x000000C0);
        assertThat(b.read(0x0C, 4)).isEqualTo(0x00000100);
        assertThat(c.read(0x00, 4)).isZero();
        // PA15 (JTDI) keeps its reset pull-up when made an input: its undriven net reads 1
        assertThat(a.read(0x10, 4) & 0x8000).isZero();
        a.write(0x00, 4, 0x28000000);
        assertThat(a.read(0x10, 4) & 0x8000).isEqualTo(0x8000);
    }

    @Test
    void outputPinsDriveTheirNetsFromOdrAndBsrr() {
        Stm32Gpio c = new Stm32Gpio("GPIOC", 2, nets::pin);
        c.write(0x00, 4, 1 << 10 | 1 << 12); // PC5, PC6 output
        c.write(0x14, 4, 1 << 5);
        assertThat(nets.pin("GPIOC.5").level()).isTrue();
        assertThat(nets.pin("GPIOC.6").level()).isFalse();
        c.write(0x18, 4, 1 << 6 | 1 << 21); // set PC6, reset PC5
        assertThat(c.read(0x14, 4)).isEqualTo(1 << 6);
        assertThat(nets.pin("GPIOC.5").level()).isFalse();
        assertThat(nets.pin("GPIOC.6").level()).isTrue();
        c.write(0x18, 4, 1 << 22 | 1 << 6); // both BS6 and BR6: set wins (RM0090 8.4.7)
        assertThat(c.read(0x14, 4)).isEqualTo(1 << 6);
        assertThat(c.read(0x18, 4)).isZero(); // write-only
        assertThat(c.read(0x10, 4) & 0x60).isEqualTo(0x40); // IDR sees the output level
    }

    @Test
    void inputsReadTheNetWithPullsOnUndrivenNets() {
        Stm32Gpio d = new Stm32Gpio("GPIOD", 3, nets::pin);
        assertThat(d.read(0x10, 4)).isZero();
        d.write(0x0C, 4, 1 << 4 | 2 << 6); // PD2 pull-up, PD3 pull-down
        assertThat(d.read(0x10, 4)).isEqualTo(1 << 2);
        nets.pin("GPIOD.2").drive(false); // a button pulls it to ground
        nets.pin("GPIOD.7").drive(true);
        assertThat(d.read(0x10, 4)).isEqualTo(1 << 7);
        d.write(0x00, 4, 3 << 14); // PD7 analog: reads 0
        assertThat(d.read(0x10, 4)).isZero();
    }

    @Test
    void alternateFunctionIsRecordedAndDoesNotDrive() {
        Stm32Gpio b = new Stm32Gpio("GPIOB", 1, nets::pin);
        b.write(0x00, 4, 2 << 12 | 2 << 14); // PB6, PB7 alternate
        b.write(0x20, 4, 7 << 24 | 7 << 28); // AF7 (USART1)
        b.write(0x14, 4, 1 << 6);
        assertThat(b.alternateFunction(6)).isEqualTo(7);
        assertThat(b.alternateFunction(7)).isEqualTo(7);
        assertThat(nets.pin("GPIOB.6").level()).isFalse();
    }

    @Test
    void lockSequenceFreezesTheConfigurationUntilReset() {
        Stm32Gpio e = new Stm32Gpio("GPIOE", 4, nets::pin);
        e.write(0x00, 4, 1); // PE0 output
        e.write(0x1C, 4, 0x10001);
        e.write(0x1C, 4, 0x00001);
        e.write(0x1C, 4, 0x10001);
        assertThat(e.read(0x1C, 4)).isEqualTo(0x10001);
        e.write(0x00, 4, 0x5); // PE0 locked, PE1 free
        assertThat(e.read(0x00, 4)).isEqualTo(0x5 & ~3 | 1);
        assertThat(e.isLocked(0)).isTrue();
        e.reset();
        e.write(0x00, 4, 0);
        assertThat(e.read(0x00, 4)).isZero();
        // a wrong sequence does not lock
        e.write(0x1C, 4, 0x10001);
        e.write(0x1C, 4, 0x00002);
        e.write(0x1C, 4, 0x10001);
        assertThat(e.isLocked(0)).isFalse();
        assertThat(e.read(0x1C, 4) & 0x10000).isZero();
    }
}

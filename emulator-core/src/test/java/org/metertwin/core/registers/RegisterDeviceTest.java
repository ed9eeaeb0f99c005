package org.metertwin.core.registers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The register model: field access, typed handles, 16-bit registers, aliases, tagged and reserved bits. */
class RegisterDeviceTest {
    /** A made-up device with one register of each kind. */
    static final class Device extends RegisterDevice {
        final Register ctrl;
        final Flag enable;
        final Field mode;
        final Register status;
        final Flag done;
        final Register half;
        int hardwareWord;
        int beforeSeen = -1;

        Device() {
            super("DEV", 0x40);
            ctrl = define(0x00, "CTRL");
            enable = ctrl.flag(0, "EN");
            mode = ctrl.valueField(4, 3, "MODE");
            ctrl.field(8, 2, "SPEED", Access.RW, 2).tagged(12, 2, "TRIM").reserved(16, 16);
            status = define(0x04, "SR", 0);
            done = status.flag(0, "DONE", Access.RC_W1);
            status.bit(1, "ERR", Access.RC_W0, true).bit(2, "BUSY", Access.R).bit(3, "START", Access.RS);
            half = define16(0x08, "HALF", 0x1234).field(0, 16, "DATA", Access.RW);
            define16(0x0A, "HALF2", 0).field(0, 8, "LOW", Access.RW);
            Register word = define(0x10, "WORD").field(0, 32, "DATA", Access.RW)
                    .storedIn(() -> hardwareWord, v -> hardwareWord = v)
                    .beforeWrite(w -> beforeSeen = hardwareWord);
            alias(0x14, word);
        }
    }

    @Test
    void fieldsGiveResetValuesAndWriteMasks() {
        Device d = new Device();
        assertThat(d.read(0x00, 4)).isEqualTo(0x200);
        assertThat(d.ctrl.writeMask()).isEqualTo(0x3371);
        d.write(0x00, 4, 0xFFFF_FFFF);
        assertThat(d.read(0x00, 4)).isEqualTo(0x3371); // reserved and unnamed bits keep reset (0)
        assertThat(d.enable.isSet()).isTrue();
        assertThat(d.mode.get()).isEqualTo(7);
        d.mode.set(2);
        assertThat(d.read(0x00, 4)).isEqualTo(0x3321);
        assertThat(d.mode.in(0x50)).isEqualTo(5);
        d.reset();
        assertThat(d.read(0x00, 4)).isEqualTo(0x200);
    }

    @Test
    void accessKinds() {
        Device d = new Device();
        assertThat(d.read(0x04, 4)).isEqualTo(2);
        d.done.set();
        d.status.setBits(4);
        d.write(0x04, 4, 0); // rc_w1: 0 keeps DONE; rc_w0: 0 clears ERR; r: BUSY kept; rs: 0 has no effect
        assertThat(d.read(0x04, 4)).isEqualTo(0b0101);
        d.write(0x04, 4, 0b1001); // DONE cleared, START set
        assertThat(d.read(0x04, 4)).isEqualTo(0b1100);
        d.write(0x04, 1, 0);
        assertThat(d.done.isSet()).isFalse();
    }

    @Test
    void byteLanesAndSixteenBitRegisters() {
        Device d = new Device();
        d.write(0x01, 1, 0x01); // SPEED in byte lane 1 only
        assertThat(d.read(0x00, 4)).isEqualTo(0x100);
        assertThat(d.read(0x08, 2)).isEqualTo(0x1234);
        assertThat(d.read(0x08, 4)).isEqualTo(0x1234); // HALF2 above it reads 0
        d.write(0x08, 4, 0xABCD_5678); // a word reaches both halves; HALF2 keeps only LOW
        assertThat(d.read(0x08, 2)).isEqualTo(0x5678);
        assertThat(d.read(0x0A, 2)).isEqualTo(0xCD);
        assertThat(d.read(0x09, 1)).isEqualTo(0x56);
        assertThat(d.read(0x0B, 1)).isEqualTo(0);
    }

    @Test
    void storageHooksAndAliases() {
        Device d = new Device();
        d.hardwareWord = 7;
        d.write(0x14, 4, 0x55);
        assertThat(d.beforeSeen).isEqualTo(7);
        assertThat(d.hardwareWord).isEqualTo(0x55);
        assertThat(d.read(0x10, 4)).isEqualTo(0x55);
        d.reset();
        assertThat(d.hardwareWord).isEqualTo(0x55); // its owner resets it
    }

    @Test
    void taggedReservedAndUnmodelledAreLoggedOnce() {
        Device d = new Device();
        d.write(0x00, 4, 0x1000);
        assertThat(d.read(0x00, 4)).isEqualTo(0x1000); // tagged: stored
        d.write(0x00, 4, 0x2000);
        d.write(0x00, 4, 0x1_0000);
        d.write(0x00, 4, 0x2_0000);
        d.read(0x20, 4);
        d.read(0x20, 4);
        d.write(0x20, 4, 1);
        assertThat(d.loggedOnce()).containsExactlyInAnyOrder(
                "CTRL.TRIM is stored but not modelled",
                "CTRL: write to unmodelled bits 0x10000 (they keep their reset value)",
                "read of unmodelled offset 0x20 (reads 0)",
                "write of unmodelled offset 0x20 (ignored)");
    }

    @Test
    void declarationsAreChecked() {
        assertThatThrownBy(() -> new RegisterDevice("BAD", 8) {
            {
                define(0, "A").field(0, 4, "X", Access.RW).field(3, 2, "Y", Access.RW);
            }
        }).hasMessageContaining("A.Y overlaps");
        assertThatThrownBy(() -> new RegisterDevice("BAD", 8) {
            {
                define16(0, "A").field(8, 16, "X", Access.RW);
            }
        }).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> new RegisterDevice("BAD", 8) {
            {
                define(0, "A");
                define16(2, "B", 0);
            }
        }).hasMessageContaining("B overlaps A");
    }
}

package org.metertwin.management;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.MachineDescription;
import org.metertwin.core.machine.MachineDescriptions;

/**
 * The {@code management} board (machines/management.yaml over stm32f413.yaml): its description as the
 * STM32F413RG and the board's parts give it, and a program booted on it that finds each device at its
 * address answering as its manual says (firmware/test/board_check.c).
 */
class ManagementBoardTest {
    @Test
    void describesTheStm32f413rgAndItsParts() throws Exception {
        MachineDescription m = MachineDescriptions.load("management");
        assertThat(m.name()).isEqualTo("management");
        assertThat(m.processor().irqs()).isEqualTo(102);
        assertThat(m.memory()).extracting(MachineDescription.Memory::name, MachineDescription.Memory::base,
                        MachineDescription.Memory::size)
                .contains(org.assertj.core.groups.Tuple.tuple("flash", 0x08000000, 1 << 20),
                        org.assertj.core.groups.Tuple.tuple("sram", 0x20000000, 320 << 10));
        // the F413 has neither the F405's CCM RAM nor its backup SRAM
        assertThat(m.memory()).extracting(MachineDescription.Memory::name).doesNotContain("ccm", "bkpsram");
        assertThat(m.deviceFor("vbus-link")).isEqualTo("USART2");
        assertThat(m.deviceFor("console")).isEqualTo("USART1");
        assertThat(m.deviceFor("rs485")).isEqualTo("USART3");
        assertThat(m.deviceFor("optical")).isEqualTo("UART4");
        assertThat(m.deviceFor("modem")).isEqualTo("USART6");
        assertThat(m.deviceFor("nor-flash")).isEqualTo("nor");
        assertThat(m.deviceFor("eeprom")).isEqualTo("eeprom");
        assertThat(m.devices()).extracting(MachineDescription.Device::name, MachineDescription.Device::type)
                .contains(org.assertj.core.groups.Tuple.tuple("nor", "w25q-flash"),
                        org.assertj.core.groups.Tuple.tuple("eeprom", "m95-eeprom"),
                        org.assertj.core.groups.Tuple.tuple("iwdg", "stm32f4-iwdg"),
                        org.assertj.core.groups.Tuple.tuple("RTC", "stm32f4-rtc"),
                        org.assertj.core.groups.Tuple.tuple("relay", "latching-relay"),
                        org.assertj.core.groups.Tuple.tuple("cover", "tamper-switch"),
                        org.assertj.core.groups.Tuple.tuple("terminal-cover", "tamper-switch"));
    }

    @Test
    void devicesAnswerAtTheirAddresses() throws Exception {
        FirmwareRun run = FirmwareRun.on("management", "board_check.elf", ExecOptions.CodeMode.DEFAULT);
        assertThat(run.output()).as(run.result().message()).isEqualTo(String.join("\n",
                "management board check",
                "flash-size 1024",                  // F_SIZE: 1 MiB
                "sram 320KiB ok",                   // SRAM1 and SRAM2 ends
                "usart1-sr 0x000000c0",             // USART_SR reset: TXE, TC
                "usart2-sr 0x000000c0",
                "usart3-sr 0x000000c0",
                "uart4-sr 0x000000c0",
                "usart6-sr 0x000000c0",
                "rtc-isr 0x00000007",               // RTC_ISR reset: ALRAWF, ALRBWF, WUTWF
                "nor-jedec ef4017",                 // W25Q64JV: Winbond, memory type 40h, capacity 17h
                "eeprom-sr 00 02",                  // M95M01 status: idle, then WEL after WREN
                // buttons released (pull-up), covers closed, relay closed, mains present
                "inputs page=1 program=1 cover=0 terminal-cover=0 relay-feedback=1 mains-ok=1",
                ""));
        assertThat(run.result().exitStatus()).isZero();
    }
}

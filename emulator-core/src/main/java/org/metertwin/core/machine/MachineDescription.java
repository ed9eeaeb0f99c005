package org.metertwin.core.machine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A machine: one processor, memory regions, devices, serial links to other machines, and the roles its
 * devices play for the code that drives the board (which UART is the inter-core link, which device is the
 * pulse LED). Read from one description file, or several composed by {@code include}
 * ({@link MachineFile}, {@link MachineDescriptions}). Values are checked as they are read, so that a mistake
 * is reported with the file, line and field. Numbers may be written as 4096, 0x1000 or 4KiB/4MiB.
 */
public record MachineDescription(String name, Processor processor, List<Memory> memory, List<Device> devices,
                                 List<Link> links, Map<String, String> roles) {
    public MachineDescription {
        memory = List.copyOf(memory);
        devices = devices == null ? List.of() : List.copyOf(devices);
        links = links == null ? List.of() : List.copyOf(links);
        roles = roles == null ? Map.of() : Map.copyOf(roles);
        if (memory.isEmpty()) {
            throw new IllegalArgumentException("expected at least one memory region");
        }
    }

    /** A machine without roles. */
    public MachineDescription(String name, Processor processor, List<Memory> memory, List<Device> devices,
                              List<Link> links) {
        this(name, processor, memory, devices, links, Map.of());
    }

    /** The same machine with other devices (a test's variant, a file for the EEPROM's contents). */
    public MachineDescription withDevices(List<Device> newDevices) {
        return new MachineDescription(name, processor, memory, newDevices, links, roles);
    }

    /** The same machine under another name. */
    public MachineDescription withName(String newName) {
        return new MachineDescription(newName, processor, memory, devices, links, roles);
    }

    /**
     * The name of the device that plays {@code role} on this board ({@code roles: {vbus-link: USART2}}).
     *
     * @throws MachineException when the description names none
     */
    public String deviceFor(String role) throws MachineException {
        String device = roles.get(role);
        if (device == null) {
            throw new MachineException(name + ": no device for the role '" + role + "' (roles: in its description)");
        }
        return device;
    }

    /** The core: type (cortex-m4), clock, external interrupt count, implemented priority bits. */
    public record Processor(String type, long clockHz, int irqs, int priorityBits, long sysTickReferenceHz,
                            boolean fpu) {
        @JsonCreator
        public Processor(@JsonProperty(value = "type", required = true) String type,
                         @JsonProperty(value = "clock", required = true) String clock,
                         @JsonProperty("irqs") Integer irqs,
                         @JsonProperty("priorityBits") Integer priorityBits,
                         @JsonProperty("sysTickReference") String sysTickReference,
                         @JsonProperty("fpu") Boolean fpu) {
            this(type, Numbers.frequency("clock", clock), irqs == null ? 64 : irqs,
                    priorityBits == null ? 8 : priorityBits,
                    sysTickReference == null ? 0 : Numbers.frequency("sysTickReference", sysTickReference),
                    fpu == null || fpu);
        }

        public Processor {
            if (!"cortex-m4".equals(type)) {
                throw new IllegalArgumentException("type: expected cortex-m4, got '" + type + "'");
            }
            if (irqs < 1 || irqs > 240) {
                throw new IllegalArgumentException("irqs: expected 1 to 240, got " + irqs);
            }
            if (priorityBits < 3 || priorityBits > 8) {
                throw new IllegalArgumentException("priorityBits: expected 3 to 8, got " + priorityBits);
            }
        }
    }

    /** RAM or flash; {@code aliasOf} maps the same storage as another region (a mirror). */
    public record Memory(String name, int base, int size, boolean writable, String aliasOf) {
        @JsonCreator
        public Memory(@JsonProperty(value = "name", required = true) String name,
                      @JsonProperty(value = "base", required = true) String base,
                      @JsonProperty(value = "size", required = true) String size,
                      @JsonProperty("writable") Boolean writable,
                      @JsonProperty("aliasOf") String aliasOf) {
            this(name, Numbers.address("base", base), Numbers.size("size", size), writable == null || writable,
                    aliasOf);
        }

        public Memory {
            if ((base & 0xFFF) != 0 || (size & 0xFFF) != 0) {
                throw new IllegalArgumentException("base and size: expected multiples of 4 KiB");
            }
        }
    }

    /**
     * A device by its type name (see {@link DeviceType}), at a base address when it has registers, with
     * its interrupt lines ({@code irq: 37} or {@code irqs: [31, 32]}), the nets its pins connect to
     * ({@code pins: {cs: GPIOB.12}}) and type-specific {@code properties}.
     */
    public record Device(String name, String type, Integer base, int size, List<Integer> irqs,
                         Map<String, String> pins, Map<String, Object> properties) {
        @JsonCreator
        public Device(@JsonProperty(value = "name", required = true) String name,
                      @JsonProperty(value = "type", required = true) String type,
                      @JsonProperty("base") String base,
                      @JsonProperty("size") String size,
                      @JsonProperty("irq") Integer irq,
                      @JsonProperty("irqs") List<Integer> irqs,
                      @JsonProperty("pins") Map<String, String> pins,
                      @JsonProperty("properties") Map<String, Object> properties) {
            this(name, type, base == null ? null : Numbers.address("base", base),
                    size == null ? 0x400 : Numbers.size("size", size), irqList(irq, irqs),
                    pins == null ? Map.of() : Map.copyOf(pins),
                    properties == null ? Map.of() : java.util.Collections.unmodifiableMap(
                            new java.util.LinkedHashMap<>(properties)));
        }

        private static List<Integer> irqList(Integer irq, List<Integer> irqs) {
            if (irq != null && irqs != null) {
                throw new IllegalArgumentException("irq and irqs: give one or the other");
            }
            List<Integer> list = irq != null ? List.of(irq) : irqs == null ? List.of() : List.copyOf(irqs);
            for (int i : list) {
                if (i < 0 || i > 239) {
                    throw new IllegalArgumentException("irq: expected 0 to 239, got " + i);
                }
            }
            return list;
        }
    }

    /**
     * A serial link from one of this machine's UARTs to a UART of another machine in the same simulation:
     * {@code {port: USART2, to: management/USART1}}.
     */
    public record Link(String port, String toMachine, String toPort) {
        @JsonCreator
        public Link(@JsonProperty(value = "port", required = true) String port,
                    @JsonProperty(value = "to", required = true) String to) {
            this(port, split(to)[0], split(to)[1]);
        }

        private static String[] split(String to) {
            int slash = to.indexOf('/');
            if (slash <= 0 || slash == to.length() - 1) {
                throw new IllegalArgumentException("to: expected MACHINE/PORT, got '" + to + "'");
            }
            return new String[] {to.substring(0, slash), to.substring(slash + 1)};
        }
    }

    /** Parsing of the number forms a description may use. */
    public static final class Numbers {
        private Numbers() {
        }

        public static int address(String field, String text) {
            long v = parse(field, text);
            if (v < 0 || v > 0xFFFFFFFFL) {
                throw new IllegalArgumentException(field + ": expected a 32-bit address, got " + text);
            }
            return (int) v;
        }

        public static int size(String field, String text) {
            long v = parse(field, text);
            if (v <= 0 || v > 0x80000000L) {
                throw new IllegalArgumentException(field + ": expected a size from 1 byte to 2 GiB, got " + text);
            }
            return (int) v;
        }

        public static long frequency(String field, String text) {
            String t = text.trim();
            long scale = 1;
            if (t.endsWith("MHz")) {
                scale = 1_000_000;
                t = t.substring(0, t.length() - 3);
            } else if (t.endsWith("kHz")) {
                scale = 1_000;
                t = t.substring(0, t.length() - 3);
            } else if (t.endsWith("Hz")) {
                t = t.substring(0, t.length() - 2);
            }
            long v = parse(field, t) * scale;
            if (v <= 0) {
                throw new IllegalArgumentException(field + ": expected a frequency such as 25MHz, got " + text);
            }
            return v;
        }

        public static long parse(String field, String text) {
            if (text == null) {
                throw new IllegalArgumentException(field + ": expected a number");
            }
            String t = text.trim().replace("_", "");
            long scale = 1;
            if (t.endsWith("KiB")) {
                scale = 1L << 10;
            } else if (t.endsWith("MiB")) {
                scale = 1L << 20;
            } else if (t.endsWith("GiB")) {
                scale = 1L << 30;
            }
            if (scale != 1) {
                t = t.substring(0, t.length() - 3).trim();
            }
            try {
                long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
                return v * scale;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + ": expected a number like 4096, 0x1000 or 4KiB, got '"
                        + text + "'");
            }
        }
    }
}

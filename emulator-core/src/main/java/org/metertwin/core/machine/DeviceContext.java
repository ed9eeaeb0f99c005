package org.metertwin.core.machine;

import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.signal.AnalogLine;
import org.metertwin.core.signal.InterruptLine;
import org.metertwin.core.signal.Pin;
import org.metertwin.core.signal.SignalNets;
import org.metertwin.core.time.EventQueue;

/**
 * What a {@link DeviceType} gets to build one device: its entry in the description, and the machine it
 * joins (bus, core, event queue, nets, the devices listed before it). Property and pin lookups record
 * what they read, so that the board can reject properties no device understood.
 */
public final class DeviceContext {
    private final Board board;
    private final MachineDescription.Device entry;
    private final String where;
    private final Set<String> used = new HashSet<>();

    DeviceContext(Board board, MachineDescription.Device entry, String where) {
        this.board = board;
        this.entry = entry;
        this.where = where;
    }

    public String name() {
        return entry.name();
    }

    /** The base address; fails when the description gives none. */
    public int base() throws MachineException {
        if (entry.base() == null) {
            throw error("base", "expected the base address of its registers");
        }
        return entry.base();
    }

    public boolean hasBase() {
        return entry.base() != null;
    }

    public int size() {
        return entry.size();
    }

    public Board board() {
        return board;
    }

    public SystemBus bus() {
        return board.bus();
    }

    public CortexM4 cpu() {
        return board.cpu();
    }

    public EventQueue events() {
        return board.cpu().events();
    }

    public SignalNets nets() {
        return board.nets();
    }

    /** The console stream (the first UART of a board writes there unless connected elsewhere). */
    public OutputStream console() {
        return board.console();
    }

    public int irqCount() {
        return entry.irqs().size();
    }

    /** The {@code index}-th interrupt line listed for this device; a description without it is an error. */
    public InterruptLine irq(int index, String what) throws MachineException {
        if (index >= entry.irqs().size()) {
            throw error("irqs", "expected at least " + (index + 1) + " interrupt number(s); number " + (index + 1)
                    + " is the " + what + " interrupt");
        }
        try {
            return board.cpu().irqLine(entry.irqs().get(index));
        } catch (IllegalArgumentException e) {
            throw error("irqs", e.getMessage());
        }
    }

    /** Like {@link #irq} but an absent line is simply not connected. */
    public InterruptLine optionalIrq(int index) {
        return index < entry.irqs().size() ? board.cpu().irqLine(entry.irqs().get(index)) : InterruptLine.NONE;
    }

    /** The net that pin {@code role} connects to: the description's {@code pins} entry, or NAME.role. */
    public Pin pin(String role) {
        used.add("pins." + role);
        return board.nets().pin(entry.pins().getOrDefault(role, entry.name() + "." + role));
    }

    /** The analog net for {@code role} (description's {@code pins} entry, or NAME.role). */
    public AnalogLine analog(String role, double initial) {
        used.add("pins." + role);
        return board.nets().analog(entry.pins().getOrDefault(role, entry.name() + "." + role), initial);
    }

    /** The property's value as written, or null; records that the type knows the property. */
    private Object raw(String property) {
        used.add(property);
        return entry.properties().get(property);
    }

    /** A property of text: a name, a path, a word from a list. A list, a map or a boolean is not text. */
    public String string(String property, String defaultValue) throws MachineException {
        Object v = raw(property);
        if (v instanceof java.util.Collection<?> || v instanceof Map<?, ?> || v instanceof Boolean) {
            throw error("properties." + property, "expected text, got " + (v instanceof Boolean ? "'" + v + "'"
                    : v instanceof Map<?, ?> ? "a map" : "a list"));
        }
        return v == null ? defaultValue : v.toString();
    }

    public long number(String property, long defaultValue) throws MachineException {
        Object v = raw(property);
        if (v == null) {
            return defaultValue;
        }
        try {
            return MachineDescription.Numbers.parse(property, v.toString());
        } catch (IllegalArgumentException e) {
            throw error("properties." + property, "expected a number like 4096, 0x1000 or 4KiB, got '" + v + "'");
        }
    }

    public long frequency(String property, long defaultHz) throws MachineException {
        Object v = raw(property);
        if (v == null) {
            return defaultHz;
        }
        try {
            return MachineDescription.Numbers.frequency(property, v.toString());
        } catch (IllegalArgumentException e) {
            throw error("properties." + property, "expected a frequency such as 8MHz, got '" + v + "'");
        }
    }

    public double decimal(String property, double defaultValue) throws MachineException {
        Object v = raw(property);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        // a decimal as YAML writes one; not Java's extras (NaN, Infinity, 1d, 0x1p3) nor a boolean
        if (v instanceof String t && t.strip().matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            return Double.parseDouble(t.strip());
        }
        throw error("properties." + property, "expected a decimal number, got '" + v + "'");
    }

    public boolean flag(String property, boolean defaultValue) throws MachineException {
        Object v = raw(property);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw error("properties." + property, "expected true or false, got '" + v + "'");
    }

    /** A property naming one constant of {@code choices} (case-insensitive), such as a part number. */
    public <E extends Enum<E>> E choice(String property, Class<E> choices, E defaultValue) throws MachineException {
        String v = string(property, defaultValue.name());
        for (E e : choices.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        throw error("properties." + property, "expected one of " + java.util.Arrays.toString(choices.getEnumConstants())
                + ", got '" + v + "'");
    }

    /** A device listed earlier in the description, of the type this device needs. */
    public <T> T device(String deviceName, Class<T> type, String property) throws MachineException {
        Object d = board.deviceObject(deviceName);
        if (d == null) {
            throw error(property, "expected the name of a device listed before " + entry.name() + ", got '"
                    + deviceName + "'");
        }
        if (!type.isInstance(d)) {
            throw error(property, "device '" + deviceName + "' is not a " + type.getSimpleName());
        }
        return type.cast(d);
    }

    /** The devices listed earlier that are of a type, in description order. */
    public <T> List<T> devicesOf(Class<T> type) {
        return board.devicesOf(type);
    }

    /** An error naming this device's entry and the field. */
    public MachineException error(String field, String what) {
        return new MachineException(where + field + ": " + what);
    }

    /** Fails on properties and pins that the device type did not ask for (misspellings). */
    void checkAllUsed() throws MachineException {
        Set<String> unknown = new TreeSet<>();
        for (String k : entry.properties().keySet()) {
            if (!used.contains(k)) {
                unknown.add("properties." + k);
            }
        }
        for (String k : entry.pins().keySet()) {
            if (!used.contains("pins." + k)) {
                unknown.add("pins." + k);
            }
        }
        if (!unknown.isEmpty()) {
            Set<String> known = new TreeSet<>(used);
            throw error(unknown.iterator().next(), "not a setting of type '" + entry.type() + "'"
                    + (known.isEmpty() ? " (it has none)" : " (it has: " + String.join(", ", known) + ")"));
        }
    }
}

package org.metertwin.core.machine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One machine description file as written. A file either describes a whole machine or includes another
 * ({@code include: stm32f405.yaml}) and states what its board adds or changes: the SoC is described once,
 * and each board on it adds its own parts. {@link #over} composes a file with the one it includes:
 * <ul>
 *   <li>{@code name}, {@code processor}: this file's when given, else the included one's;</li>
 *   <li>{@code memory}: a region with an included region's name replaces it; others are added;</li>
 *   <li>{@code devices}: an entry with an included device's name changes that device (it must repeat its
 *       type, so that a typo cannot change the wrong one): its pins and properties are merged key by key,
 *       and when it gives a base, its base, size and interrupts replace the included ones; other entries add
 *       devices after the included ones, in order;</li>
 *   <li>{@code links} are added; {@code roles} are merged key by key.</li>
 * </ul>
 */
record MachineFile(String name, String include, MachineDescription.Processor processor,
                   List<MachineDescription.Memory> memory, List<MachineDescription.Device> devices,
                   List<MachineDescription.Link> links, Map<String, String> roles) {
    @JsonCreator
    MachineFile(@JsonProperty("name") String name,
                @JsonProperty("include") String include,
                @JsonProperty("processor") MachineDescription.Processor processor,
                @JsonProperty("memory") List<MachineDescription.Memory> memory,
                @JsonProperty("devices") List<MachineDescription.Device> devices,
                @JsonProperty("links") List<MachineDescription.Link> links,
                @JsonProperty("roles") Map<String, String> roles) {
        this.name = name;
        this.include = include;
        this.processor = processor;
        this.memory = memory == null ? List.of() : List.copyOf(memory);
        this.devices = devices == null ? List.of() : List.copyOf(devices);
        this.links = links == null ? List.of() : List.copyOf(links);
        this.roles = roles == null ? Map.of() : Map.copyOf(roles);
    }

    /** This file composed over the machine it includes; {@code file} and {@code baseFile} name them in messages. */
    MachineFile over(MachineFile base, String file, String baseFile) throws MachineException {
        List<MachineDescription.Memory> mem = new ArrayList<>(base.memory);
        for (MachineDescription.Memory m : memory) {
            int i = indexOf(mem, m.name());
            if (i >= 0) {
                mem.set(i, m);
            } else {
                mem.add(m);
            }
        }
        List<MachineDescription.Device> devs = new ArrayList<>(base.devices);
        for (MachineDescription.Device d : devices) {
            int i = -1;
            for (int k = 0; k < devs.size(); k++) {
                if (devs.get(k).name().equals(d.name())) {
                    i = k;
                }
            }
            if (i < 0) {
                devs.add(d);
                continue;
            }
            MachineDescription.Device old = devs.get(i);
            if (!old.type().equals(d.type())) {
                throw new MachineException(file + ": devices." + d.name() + ": type: expected " + old.type()
                        + " as in " + baseFile + ", got '" + d.type() + "'");
            }
            Map<String, String> pins = new LinkedHashMap<>(old.pins());
            pins.putAll(d.pins());
            Map<String, Object> properties = new LinkedHashMap<>(old.properties());
            properties.putAll(d.properties());
            boolean registers = d.base() != null;
            devs.set(i, new MachineDescription.Device(d.name(), d.type(), registers ? d.base() : old.base(),
                    registers ? d.size() : old.size(), registers || !d.irqs().isEmpty() ? d.irqs() : old.irqs(),
                    Map.copyOf(pins), java.util.Collections.unmodifiableMap(properties)));
        }
        List<MachineDescription.Link> allLinks = new ArrayList<>(base.links);
        allLinks.addAll(links);
        Map<String, String> allRoles = new LinkedHashMap<>(base.roles);
        allRoles.putAll(roles);
        return new MachineFile(name != null ? name : base.name, null, processor != null ? processor : base.processor,
                mem, devs, allLinks, allRoles);
    }

    private static int indexOf(List<MachineDescription.Memory> memory, String name) {
        for (int i = 0; i < memory.size(); i++) {
            if (memory.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The whole machine, once nothing is left to include. */
    MachineDescription machine(String file) throws MachineException {
        if (name == null) {
            throw new MachineException(file + ": name: required field is missing");
        }
        if (processor == null) {
            throw new MachineException(file + ": processor: required field is missing");
        }
        if (memory.isEmpty()) {
            throw new MachineException(file + ": memory: expected at least one memory region");
        }
        for (Map.Entry<String, String> role : new java.util.TreeMap<>(roles).entrySet()) {
            if (devices.stream().noneMatch(d -> d.name().equals(role.getValue()))) {
                throw new MachineException(file + ": roles." + role.getKey() + ": no device called '"
                        + role.getValue() + "'");
            }
        }
        return new MachineDescription(name, processor, memory, devices, links, roles);
    }
}

package org.metertwin.core.machine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.metertwin.core.yaml.YamlErrors;

/**
 * Reads machine descriptions: the boards shipped as resources ({@code machines/NAME.yaml}) and files the
 * user names. Every mistake becomes a {@link MachineException} of one line: file, line and column, the
 * field's path, and what was expected.
 */
public final class MachineDescriptions {
    /**
     * Boards shipped with MeterTwin: resources {@code machines/NAME.yaml} of whichever modules are on the
     * class path (netduinoplus2 comes with the peripherals module, metrology with metering-core).
     */
    public static final Set<String> BUILT_IN = java.util.stream.Stream.of("mps2-an386", "netduinoplus2", "metrology")
            .filter(n -> MachineDescriptions.class.getResource("/machines/" + n + ".yaml") != null)
            .collect(Collectors.toUnmodifiableSet());

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private MachineDescriptions() {
    }

    /** A built-in board by name, or a description file by path. */
    public static MachineDescription load(String nameOrPath) throws MachineException {
        if (BUILT_IN.contains(nameOrPath)) {
            try (InputStream in = MachineDescriptions.class.getResourceAsStream("/machines/" + nameOrPath + ".yaml")) {
                return parse(nameOrPath + ".yaml (built in)", in.readAllBytes());
            } catch (IOException e) {
                throw new MachineException(nameOrPath + ": the built-in description cannot be read: " + e.getMessage());
            }
        }
        Path path = Path.of(nameOrPath);
        if (!Files.isRegularFile(path)) {
            throw new MachineException("unknown machine '" + nameOrPath + "' (built in: "
                    + BUILT_IN.stream().sorted().collect(Collectors.joining(", ")) + "; or a path to a description)");
        }
        try {
            return parse(nameOrPath, Files.readAllBytes(path));
        } catch (IOException e) {
            throw new MachineException(nameOrPath + ": cannot be read: " + e.getMessage());
        }
    }

    static MachineDescription parse(String file, byte[] yaml) throws MachineException {
        try {
            MachineDescription d = YAML.readValue(yaml, MachineDescription.class);
            if (d == null) {
                throw new MachineException(file + ": empty description");
            }
            return d;
        } catch (JsonMappingException e) {
            throw new MachineException(file + YamlErrors.location(e.getLocation()) + path(e) + explain(e));
        } catch (JsonProcessingException e) {
            throw new MachineException(file + YamlErrors.location(e.getLocation()) + " not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MachineException(file + ": " + e.getMessage());
        }
    }

    private static String path(JsonMappingException e) {
        String path = YamlErrors.fieldPath(e);
        return path.isEmpty() ? " " : " " + path + ": ";
    }

    private static String explain(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field; expected one of " + u.getKnownPropertyIds();
        }
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException) {
            return cause.getMessage();
        }
        String m = e.getOriginalMessage();
        if (m.startsWith("Missing required creator property")) {
            return "required field is missing";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

package org.metertwin.core.machine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.metertwin.core.yaml.StrictYaml;
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

    private static final ObjectMapper YAML = StrictYaml.mapper();

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
        if (Files.isDirectory(path)) {
            throw new MachineException(nameOrPath + ": is a directory, expected a machine description");
        }
        if (!Files.isRegularFile(path)) {
            throw new MachineException("unknown machine '" + nameOrPath + "' (built in: "
                    + BUILT_IN.stream().sorted().collect(Collectors.joining(", ")) + "; or a path to a description)");
        }
        try {
            return parse(nameOrPath, Files.readAllBytes(path));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new MachineException(nameOrPath + ": cannot be read: permission denied");
        } catch (IOException e) {
            throw new MachineException(nameOrPath + ": cannot be read: " + e.getMessage());
        }
    }

    static MachineDescription parse(String file, byte[] yaml) throws MachineException {
        String notText = StrictYaml.notText(yaml);
        if (notText != null) {
            throw new MachineException(file + ": " + notText);
        }
        if (nothingIn(yaml)) {
            throw new MachineException(file + ": empty description, expected at least name, processor and memory");
        }
        StrictYaml.Problem problem = StrictYaml.check(yaml);
        if (problem != null) {
            throw new MachineException(file + problem.text());
        }
        try {
            MachineDescription d = YAML.readValue(yaml, MachineDescription.class);
            if (d == null) {
                throw new MachineException(file + ": empty description, expected at least name, processor and memory");
            }
            return d;
        } catch (JsonMappingException e) {
            String twice = YamlErrors.duplicate(e.getOriginalMessage(), YamlErrors.fieldPath(e));
            if (twice != null) {
                throw new MachineException(file + YamlErrors.location(e.getLocation()) + " " + twice);
            }
            throw new MachineException(file + YamlErrors.location(e.getLocation()) + path(e) + explain(e));
        } catch (JsonProcessingException e) {
            String twice = YamlErrors.duplicate(e.getOriginalMessage(), "");
            if (twice != null) {
                throw new MachineException(file + YamlErrors.location(e.getLocation()) + " " + twice);
            }
            throw new MachineException(file + YamlErrors.syntax(e));
        } catch (IOException e) {
            throw new MachineException(file + ": " + e.getMessage());
        }
    }

    /** True when the text holds no YAML value (blank, or comments only). */
    private static boolean nothingIn(byte[] yaml) {
        try (com.fasterxml.jackson.core.JsonParser p = StrictYaml.factory().createParser(yaml)) {
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
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
        String m = e.getOriginalMessage();
        if (m.startsWith("Missing required creator property")) {
            return "required field is missing";
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null) {
            return "expected " + YamlErrors.kind(f.getTargetType()) + ", got '" + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            // text refused as a boolean or number: Jackson names it only in its message, as String value ("no")
            java.util.regex.Matcher text = java.util.regex.Pattern.compile("String value \\(\"(.*)\"\\)")
                    .matcher(m);
            return "expected " + YamlErrors.kind(mi.getTargetType()) + (text.find() ? ", got '" + text.group(1) + "'" : "");
        }
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException) {
            return cause.getMessage();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
